//! After healing: what each owner's database holds against what the load was told, what
//! reporting counts against what the databases hold, the seat and signature rules, and
//! readiness.

use std::{collections::HashMap, time::Duration};

use tachawor_proto::reporting::{Dimension, GetIndicatorsRequest};
use tachawor_storage::sqlx::{self, PgPool};
use tachawor_system_tests::Platform;

use crate::load::{Kind, Outcome, SEATS, Targets, Write};

/// Rows per key, for each kind of write, in its owner's database.
pub type Stored = HashMap<Kind, HashMap<String, usize>>;

async fn keys(
    pool: &PgPool,
    sql: &str,
    bind: Vec<String>,
) -> anyhow::Result<HashMap<String, usize>> {
    let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.to_string()));
    for b in bind {
        query = query.bind(b);
    }
    let mut counts = HashMap::new();
    for key in query.fetch_all(pool).await? {
        *counts.entry(key).or_insert(0) += 1;
    }
    Ok(counts)
}

/// What the databases hold of the load's writes.
pub async fn stored(url: impl Fn(&str) -> String, t: &Targets) -> anyhow::Result<Stored> {
    let identity = PgPool::connect(&url("identity")).await?;
    let training = PgPool::connect(&url("training")).await?;
    let consultation = PgPool::connect(&url("consultation")).await?;
    let mut s = Stored::new();
    s.insert(
        Kind::Account,
        keys(
            &identity,
            "SELECT email FROM accounts WHERE email LIKE '%@faults.test'",
            vec![],
        )
        .await?,
    );
    s.insert(
        Kind::SignUp,
        keys(
            &training,
            "SELECT account_id FROM registrations WHERE session_id = $1",
            vec![t.session.clone()],
        )
        .await?,
    );
    s.insert(
        Kind::Signature,
        keys(
            &consultation,
            "SELECT account_id FROM petition_signatures WHERE petition_id = $1",
            vec![t.petition.clone()],
        )
        .await?,
    );
    s.insert(
        Kind::Response,
        keys(
            &consultation,
            "SELECT account_id FROM responses WHERE consultation_id = $1",
            vec![t.consultation.clone()],
        )
        .await?,
    );
    s.insert(
        Kind::Support,
        keys(
            &consultation,
            "SELECT s.proposal_id || '/' || s.account_id FROM supports s \
             JOIN proposals p ON p.proposal_id = s.proposal_id WHERE p.consultation_id = $1",
            vec![t.consultation.clone()],
        )
        .await?,
    );
    s.insert(
        Kind::Comment,
        keys(
            &consultation,
            "SELECT body FROM comments WHERE consultation_id = $1 AND body LIKE 'faults %'",
            vec![t.consultation.clone()],
        )
        .await?,
    );
    Ok(s)
}

/// A write's fate in its database.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fate {
    Fine,
    Lost,
    Duplicated,
    /// Refused to the client, yet stored.
    Phantom,
}

pub fn fate(write: &Write, stored: &Stored) -> Fate {
    let n = stored
        .get(&write.kind)
        .and_then(|m| m.get(&write.key))
        .copied()
        .unwrap_or(0);
    match (&write.outcome, n) {
        (_, n) if n > 1 => Fate::Duplicated,
        (Outcome::Acked, 0) => Fate::Lost,
        (Outcome::Refused(_), 1) => Fate::Phantom,
        _ => Fate::Fine,
    }
}

/// The seats rule: arrivals numbered 1..n without a gap, the first [`SEATS`] confirmed and
/// everyone after them waitlisted. Returns the violations.
pub async fn seats(url: &str, t: &Targets) -> anyhow::Result<(usize, Vec<String>)> {
    let pool = PgPool::connect(url).await?;
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, status FROM registrations WHERE session_id = $1 ORDER BY seq")
            .bind(&t.session)
            .fetch_all(&pool)
            .await?;
    let mut problems = Vec::new();
    for (i, (seq, status)) in rows.iter().enumerate() {
        let want_seq = i as i64 + 1;
        let want_status = if i < SEATS { "confirmed" } else { "waitlisted" };
        if *seq != want_seq || status != want_status {
            problems.push(format!(
                "arrival {want_seq}: seq {seq} {status}, expected {want_status}"
            ));
        }
    }
    Ok((rows.len(), problems))
}

/// Reporting's totals (all months) of the load's indicators.
pub async fn reported(p: &Platform, t: &Targets) -> anyhow::Result<HashMap<Kind, f64>> {
    let kinds = &Kind::ALL[1..];
    let cells = p
        .reporting_as(&t.staff.token)
        .get_indicators(GetIndicatorsRequest {
            indicators: kinds.iter().map(|k| k.name().to_string()).collect(),
            split_by: Dimension::Unspecified as i32,
            ..Default::default()
        })
        .await?
        .into_inner()
        .cells;
    let mut totals: HashMap<Kind, f64> = kinds.iter().map(|k| (*k, 0.0)).collect();
    for cell in cells {
        if let Some(k) = kinds.iter().find(|k| k.name() == cell.indicator) {
            *totals.entry(*k).or_insert(0.0) += cell.value;
        }
    }
    Ok(totals)
}

/// Waits (at most `within`) until reporting counts what the databases hold; returns the last
/// figures seen, as (kind, reported, stored), and how long it took.
pub async fn reporting_caught_up(
    p: &Platform,
    t: &Targets,
    stored: &Stored,
    within: Duration,
) -> (Vec<(Kind, f64, usize)>, Option<Duration>) {
    let start = tokio::time::Instant::now();
    let mut last = Vec::new();
    while start.elapsed() < within {
        if let Ok(totals) = reported(p, t).await {
            last = Kind::ALL[1..]
                .iter()
                .map(|k| {
                    let rows: usize = stored.get(k).map(|m| m.values().sum()).unwrap_or(0);
                    (*k, totals.get(k).copied().unwrap_or(0.0), rows)
                })
                .collect();
            if last.iter().all(|(_, r, s)| *r == *s as f64) {
                return (last, Some(start.elapsed()));
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    (last, None)
}
