//! Signatures are counted without keeping who signed what: no petition id next to an account
//! anywhere in reporting's tables, figures as before, withdrawals taken back from the month the
//! signature was given, a rebuild giving the same figures, and rows kept by earlier versions
//! folded into counters by the migration.

use tachawor_proto::{
    common::{AgeBand, Gender},
    events::{PetitionSignatureWithdrawn, PetitionSigned},
    reporting::{Dimension, GetIndicatorsRequest, RebuildRequest},
};
use tachawor_testkit::matrix;

use crate::helpers::*;

async fn sign(app: &TestApp, petition: &str, person: &str, date: &str) {
    app.publish(
        "consultation.petition.signed",
        day(date),
        &PetitionSigned {
            petition_id: petition.into(),
            account_id: person.into(),
            province_code: "tarfaya".into(),
            ..Default::default()
        },
    )
    .await;
}

async fn withdraw(app: &TestApp, petition: &str, person: &str, signed: &str, date: &str) {
    app.publish(
        "consultation.petition.signature_withdrawn",
        day(date),
        &PetitionSignatureWithdrawn {
            petition_id: petition.into(),
            account_id: person.into(),
            province_code: "tarfaya".into(),
            signed_at: Some(tachawor_proto::dates::timestamp(day(signed))),
        },
    )
    .await;
}

/// Every text of every row of reporting's read models, for searching.
async fn read_models(app: &TestApp) -> String {
    let mut all = String::new();
    for sql in [
        "SELECT indicator || '|' || subject_key || '|' || month || '|' || \
         COALESCE(account_id, '') || '|' || COALESCE(province_code, '') || '|' || \
         COALESCE(actor_kind, '') || '|' || COALESCE(milestone_ref, '') || '|' || \
         COALESCE(kind, '') FROM rp_facts",
        "SELECT account_id || '|' || COALESCE(province_code, '') || '|' || \
         COALESCE(gender, '') || '|' || COALESCE(age_band, '') || '|' || \
         COALESCE(actor_kind, '') FROM rp_accounts",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(app.db().pool())
            .await
            .unwrap();
        for r in rows {
            all.push_str(&r);
            all.push('\n');
        }
    }
    all
}

async fn value(app: &TestApp, indicator: &str, month: &str) -> f64 {
    let mut staff = app.client(Who::Staff).await;
    let cells = app
        .exact(&mut staff, indicator, Dimension::Unspecified)
        .await;
    cell(&cells, month, "").map(|c| c.value).unwrap_or(0.0)
}

/// The migration that makes the aggregates from the facts recorded.
pub const AGGREGATES_FROM_FACTS: &str = "20261201000002_aggregates_from_facts";

/// Runs one of reporting's migrations again, statement by statement.
pub async fn migrate(app: &TestApp, name: &str) {
    let folder = match app.env.backend {
        tachawor_testkit::Backend::Postgres => "postgres",
        _ => "sqlite",
    };
    let sql = std::fs::read_to_string(format!(
        "{}/migrations/{folder}/{name}.sql",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let statements = sql.split(';').filter(|s| {
        s.lines()
            .any(|l| !l.trim().is_empty() && !l.trim().starts_with("--"))
    });
    for statement in statements {
        sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
            .execute(app.db().pool())
            .await
            .unwrap();
    }
}

matrix! {
    async fn signatures_are_counted_without_a_list_of_who_signed_what(app: TestApp) {
        let mut people = Vec::new();
        for _ in 0..6 {
            people.push(app.person("tarfaya", Gender::Female, AgeBand::AgeBand3544).await);
        }
        let (a, b) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        for person in &people {
            sign(&app, &a, person, "2025-11-10").await;
        }
        // One person signs a second petition in the same month, another in December.
        sign(&app, &b, &people[0], "2025-11-12").await;
        sign(&app, &b, &people[1], "2025-12-02").await;
        // Withdrawn in December, taken back from November when it was given.
        withdraw(&app, &a, &people[5], "2025-11-10", "2025-12-05").await;
        // Withdrawn, then given again in January: counted in January.
        withdraw(&app, &b, &people[1], "2025-12-02", "2025-12-20").await;
        sign(&app, &b, &people[1], "2026-01-03").await;
        app.settle().await;

        assert_eq!(value(&app, "signatures", "2025-11").await, 6.0);
        assert_eq!(value(&app, "signatures", "2025-12").await, 0.0);
        assert_eq!(value(&app, "signatures", "2026-01").await, 1.0);
        assert_eq!(value(&app, "participants", "2025-11").await, 5.0, "one withdrew");
        assert_eq!(value(&app, "participants", "2026-01").await, 1.0);
        let mut staff = app.client(Who::Staff).await;
        let by_gender = app.exact(&mut staff, "signatures", Dimension::Gender).await;
        assert_eq!(cell(&by_gender, "2025-11", "female").unwrap().value, 6.0);
        assert_eq!(cell(&by_gender, "2025-11", "female").unwrap().people, 5);

        // Nowhere a petition next to a person.
        let stored = read_models(&app).await;
        for petition in [&a, &b] {
            assert!(!stored.contains(petition.as_str()), "petition {petition} kept:\n{stored}");
        }

        // A rebuild replays the streams into the same figures.
        let before = staff.get_indicators(GetIndicatorsRequest::default()).await.unwrap().into_inner().cells;
        app.client(Who::Admin).await.rebuild(RebuildRequest {}).await.unwrap();
        app.settle().await;
        let after = staff.get_indicators(GetIndicatorsRequest::default()).await.unwrap().into_inner().cells;
        assert_eq!(after, before);
        assert!(!read_models(&app).await.contains(a.as_str()));
    }

    async fn the_migration_folds_kept_signature_pairs_into_counters(app: TestApp) {
        // Rows as earlier versions kept them: one per petition and account (withdrawn: 0),
        // and the participation each signature made.
        let (person, other) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        let (a, b) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        let old = [
            ("signatures", format!("{a}:{person}"), 1.0),
            ("signatures", format!("{b}:{person}"), 1.0),
            ("signatures", format!("{a}:{other}"), 0.0),
            ("participants", format!("signature:{a}:{person}"), 1.0),
            ("participants", format!("signature:{b}:{person}"), 1.0),
            ("participants", format!("signature:{a}:{other}"), 0.0),
        ];
        let at = day("2025-11-10");
        for (indicator, key, value) in &old {
            let account = if key.ends_with(person.as_str()) { &person } else { &other };
            sqlx::query(
                "INSERT INTO rp_facts (indicator, subject_key, month, first_at, last_at, \
                 account_id, province_code, value) VALUES ($1, $2, '2025-11', $3, $3, $4, \
                 'tarfaya', $5)",
            )
            .bind(*indicator)
            .bind(key)
            .bind(at)
            .bind(account)
            .bind(*value)
            .execute(app.db().pool())
            .await
            .unwrap();
        }
        // The aggregates of these rows, as the version that kept them would have had them.
        migrate(&app, AGGREGATES_FROM_FACTS).await;
        let before = (value(&app, "signatures", "2025-11").await, value(&app, "participants", "2025-11").await);
        assert_eq!(before, (2.0, 1.0));

        migrate(&app, "20261130000001_signatures_without_petitions").await;
        // Then, as on an upgraded database, the aggregates are made from the facts.
        migrate(&app, AGGREGATES_FROM_FACTS).await;

        let after = (value(&app, "signatures", "2025-11").await, value(&app, "participants", "2025-11").await);
        assert_eq!(after, before, "the same figures");
        let stored = read_models(&app).await;
        assert!(!stored.contains(a.as_str()) && !stored.contains(b.as_str()), "{stored}");
        // New signatures add to the folded counters.
        sign(&app, &b, &other, "2025-11-20").await;
        app.settle().await;
        assert_eq!(value(&app, "signatures", "2025-11").await, 3.0);
        assert_eq!(value(&app, "participants", "2025-11").await, 2.0);
    }
}
