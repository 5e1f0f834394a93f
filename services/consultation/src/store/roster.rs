//! The projection of identity's instances (`crate::roster`): vote rules and memberships.

use std::collections::HashMap;

use sqlx::AnyConnection;
use tachawor_storage::params;

pub async fn set_rule(
    conn: &mut AnyConnection,
    instance_id: &str,
    quorum_percent: i32,
    majority: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instance_rules (instance_id, quorum_percent, majority) VALUES ($1, $2, $3) \
         ON CONFLICT (instance_id) DO UPDATE SET quorum_percent = excluded.quorum_percent, \
         majority = excluded.majority",
    )
    .bind(instance_id)
    .bind(i64::from(quorum_percent))
    .bind(majority)
    .execute(conn)
    .await?;
    Ok(())
}

/// A membership from `started_on` (empty in older events: from the start).
pub async fn seat(
    conn: &mut AnyConnection,
    membership_id: &str,
    instance_id: &str,
    started_on: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instance_seats (membership_id, instance_id, started_on) VALUES ($1, $2, $3) \
         ON CONFLICT (membership_id) DO UPDATE SET started_on = excluded.started_on",
    )
    .bind(membership_id)
    .bind(instance_id)
    .bind(started_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// The membership ends on `ended_on` (excluded); seated from the start if its addition was
/// never seen.
pub async fn unseat(
    conn: &mut AnyConnection,
    membership_id: &str,
    instance_id: &str,
    ended_on: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO instance_seats (membership_id, instance_id, started_on, ended_on) \
         VALUES ($1, $2, '', $3) \
         ON CONFLICT (membership_id) DO UPDATE SET ended_on = excluded.ended_on",
    )
    .bind(membership_id)
    .bind(instance_id)
    .bind(ended_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// What the projection knows of an instance: its rule as `(quorum_percent, majority)` if an
/// event gave one, and its members on `today`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    pub rule: Option<(i64, String)>,
    pub members: i64,
}

/// What the projection knows of each of `instance_ids` on `today`, in two statements.
pub async fn known(
    conn: &mut AnyConnection,
    instance_ids: &[&str],
    today: &str,
) -> Result<HashMap<String, Known>, sqlx::Error> {
    let mut known: HashMap<String, Known> = HashMap::new();
    if instance_ids.is_empty() {
        return Ok(known);
    }
    let statement = format!(
        "SELECT instance_id, quorum_percent, majority FROM instance_rules \
         WHERE instance_id IN ({})",
        params::list(1, instance_ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, i64, String)>(sqlx::AssertSqlSafe(statement));
    for id in instance_ids {
        query = query.bind(*id);
    }
    for (id, quorum, majority) in query.fetch_all(&mut *conn).await? {
        known.entry(id).or_default().rule = Some((quorum, majority));
    }
    let n = instance_ids.len();
    let statement = format!(
        "SELECT instance_id, COUNT(*) FROM instance_seats WHERE instance_id IN ({}) \
         AND started_on <= ${} AND (ended_on IS NULL OR ended_on > ${}) GROUP BY instance_id",
        params::list(1, n),
        n + 1,
        n + 1
    );
    let mut query = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(statement));
    for id in instance_ids {
        query = query.bind(*id);
    }
    for (id, members) in query.bind(today).fetch_all(conn).await? {
        known.entry(id).or_default().members = members;
    }
    Ok(known)
}
