//! Personal data: the CIN is never stored, logged or published in clear; a person can export
//! their data and erase their account.

use tachawor_proto::{
    common::{AgeBand, Gender},
    identity::*,
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{PASSWORD, TestApp};

/// email, phone, password hash, display name, gender, province, status.
type ErasedFields = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// Every text and blob value of every table, as one string to search.
pub(crate) async fn whole_database(app: &TestApp) -> String {
    let tables: Vec<(String,)> = match app.backend {
        tachawor_testkit::Backend::Postgres => sqlx::query_as(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap(),
        tachawor_testkit::Backend::Sqlite => {
            sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(app.db.pool())
                .await
                .unwrap()
        }
    };
    let mut all = String::new();
    // sqlx's own bookkeeping holds no personal data and types the Any driver cannot read.
    for (table,) in tables
        .into_iter()
        .filter(|(t,)| t != "_sqlx_migrations" && !t.starts_with("sqlite_"))
    {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        for row in rows {
            use sqlx::Row;
            for i in 0..row.len() {
                if let Ok(Some(s)) = row.try_get::<Option<String>, _>(i) {
                    all.push_str(&s);
                } else if let Ok(Some(b)) = row.try_get::<Option<Vec<u8>>, _>(i) {
                    all.push_str(&String::from_utf8_lossy(&b));
                }
                all.push('\n');
            }
        }
    }
    all
}

matrix! {
    async fn the_cin_is_in_no_table_log_or_event_and_verifies_one_account_only(app: TestApp) {
        let cin = format!("K{}", 100000 + rand::random::<u32>() % 800000);
        let (first, _) = app.citizen().await;
        let (second, _) = app.citizen().await;
        app.verify(&first, &cin, "laayoune").await;

        let (_, mut staff) = app.staff().await;
        let again = staff
            .verify_account(VerifyAccountRequest {
                account_id: second.clone(),
                cin: format!(" {} ", cin.to_lowercase()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(again.code(), Code::AlreadyExists, "one verified account per CIN");

        let database = whole_database(&app).await;
        assert!(database.contains(&first), "the search sees the data");
        assert!(!database.contains(&cin), "the CIN is stored in clear");
        assert!(!tachawor_testkit::captured_logs().contains(&cin), "the CIN reached a log line");
        for (_, envelope) in app.events().await {
            let bytes = prost::Message::encode_to_vec(&envelope);
            assert!(!String::from_utf8_lossy(&bytes).contains(&cin), "the CIN is in an event");
        }

        let audit = staff
            .list_audit_log(ListAuditLogRequest { target_id: first.clone(), ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .entries;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "account.verify");
        assert!(!audit[0].after_json.contains(&cin));
    }

    async fn export_holds_the_persons_data_and_deletion_erases_it(app: TestApp) {
        let email = "export.me@example.ma";
        let id = app.register(email).await;
        let tokens = app.login(email).await;
        let mut me = app.with_token(&tokens.access_token);
        me.record_consent(RecordConsentRequest { purpose: "statistics".into(), version: "v1".into(), granted: true })
            .await
            .unwrap();
        me.update_my_profile(UpdateMyProfileRequest {
            profile: Some(Profile {
                gender: Gender::Male as i32,
                age_band: AgeBand::AgeBand4554 as i32,
                province_code: "tarfaya".into(),
            }),
            ..Default::default()
        })
        .await
        .unwrap();

        let export = me.export_my_data(ExportMyDataRequest {}).await.unwrap().into_inner();
        let account = export.account.unwrap();
        assert_eq!(account.account_id, id);
        assert_eq!(account.email, email);
        assert_eq!(account.display_name, "Test Person");
        assert_eq!(account.profile.unwrap().province_code, "tarfaya");
        assert_eq!(export.consents.len(), 1);
        assert_eq!(export.consents[0].purpose, "statistics");
        assert_eq!(export.sessions_opened_at.len(), 1);

        let wrong = me
            .delete_my_account(DeleteMyAccountRequest { password: "not my password".into() })
            .await
            .unwrap_err();
        assert_eq!(wrong.code(), Code::PermissionDenied);
        me.delete_my_account(DeleteMyAccountRequest { password: PASSWORD.into() }).await.unwrap();

        let row: ErasedFields = sqlx::query_as(
                "SELECT email, phone, password_hash, display_name, gender, province_code, status \
                 FROM accounts WHERE account_id = $1",
            )
            .bind(&id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(row, (None, None, None, None, None, None, "deleted".into()));
        assert_eq!(app.count("consents").await, 0);
        assert!(!whole_database(&app).await.contains(email));

        let login = app
            .anonymous()
            .login(LoginRequest { identifier: email.into(), password: PASSWORD.into() })
            .await
            .unwrap_err();
        assert_eq!(login.code(), Code::Unauthenticated);
        let refresh = app
            .anonymous()
            .refresh(RefreshRequest { refresh_token: tokens.refresh_token })
            .await
            .unwrap_err();
        assert_eq!(refresh.code(), Code::Unauthenticated, "sessions end with the account");
        let still = me.get_my_account(GetMyAccountRequest {}).await.unwrap_err();
        assert_eq!(still.code(), Code::Unauthenticated);
    }

    async fn the_statistical_profile_needs_consent_and_goes_with_it(app: TestApp) {
        let (_, mut me) = app.citizen().await;
        let profile = Profile {
            gender: Gender::Female as i32,
            age_band: AgeBand::AgeBand1824 as i32,
            province_code: "es-semara".into(),
        };
        let refused = me
            .update_my_profile(UpdateMyProfileRequest { profile: Some(profile.clone()), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Code::FailedPrecondition);
        assert_eq!(
            tachawor_errors::violated_rule(&refused).as_deref(),
            Some("consent.statistics_required")
        );
        me.record_consent(RecordConsentRequest { purpose: "statistics".into(), version: "v1".into(), granted: true })
            .await
            .unwrap();
        let account = me
            .update_my_profile(UpdateMyProfileRequest { profile: Some(profile), ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .account
            .unwrap();
        assert_eq!(account.profile.unwrap().province_code, "es-semara");
        me.record_consent(RecordConsentRequest { purpose: "statistics".into(), version: "v1".into(), granted: false })
            .await
            .unwrap();
        let account = me.get_my_account(GetMyAccountRequest {}).await.unwrap().into_inner().account.unwrap();
        let p = account.profile.unwrap();
        assert_eq!((p.gender, p.age_band, p.province_code.as_str()), (0, 0, ""));
    }

    async fn a_cin_keeps_its_person_key_after_deletion_and_the_legal_name_goes(app: TestApp) {
        let cin = format!("KB{}", 100000 + rand::random::<u32>() % 800000);
        let email = format!("{}@first.ma", uuid::Uuid::new_v4().simple());
        let first = app.register(&email).await;
        let (_, mut staff) = app.staff().await;
        let account = staff
            .verify_account(VerifyAccountRequest {
                account_id: first.clone(),
                cin: cin.clone(),
                residence_province_code: "laayoune".into(),
                legal_name: "Fatima Zahra El Idrissi".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .account
            .unwrap();
        assert_eq!(account.legal_name, "Fatima Zahra El Idrissi");
        let mut service = app.service().await;
        let probe = service.clone();
        let eligibility = move |id: String| {
            let mut service = probe.clone();
            async move {
                service
                    .get_eligibility(GetEligibilityRequest { account_id: id })
                    .await
                    .unwrap()
                    .into_inner()
            }
        };
        let key = eligibility(first.clone()).await.person_key;
        assert!(!key.is_empty(), "a CIN-verified account has a person key");
        let name = service
            .get_verified_name(GetVerifiedNameRequest { account_id: first.clone() })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(name.legal_name, "Fatima Zahra El Idrissi");

        // Another person, another key; an unverified account, none.
        let (other, _) = app.citizen().await;
        assert_eq!(eligibility(other.clone()).await.person_key, "");
        app.verify(&other, &format!("KC{}", 100000 + rand::random::<u32>() % 800000), "").await;
        let other_key = eligibility(other).await.person_key;
        assert!(!other_key.is_empty() && other_key != key);

        let tokens = app.login(&email).await;
        app.with_token(&tokens.access_token)
            .delete_my_account(DeleteMyAccountRequest { password: PASSWORD.into() })
            .await
            .unwrap();
        assert_eq!(eligibility(first.clone()).await.person_key, "", "deleted: no key");
        let name = service
            .get_verified_name(GetVerifiedNameRequest { account_id: first.clone() })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(name.legal_name, "", "deleted: no name");
        let database = whole_database(&app).await;
        assert!(!database.contains("Fatima Zahra"), "the legal name survived deletion");
        assert!(!database.contains(&cin), "the CIN is stored in clear");

        // The same CIN verifies a new account (the first is gone) as the same person.
        let again = app.register(&format!("{}@again.ma", uuid::Uuid::new_v4().simple())).await;
        staff
            .verify_account(VerifyAccountRequest {
                account_id: again.clone(),
                cin: cin.to_lowercase(),
                ..Default::default()
            })
            .await
            .expect("a deleted account's CIN may verify a new account");
        assert_eq!(eligibility(again.clone()).await.person_key, key, "same CIN, same person key");
        let name = service
            .get_verified_name(GetVerifiedNameRequest { account_id: again })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(name.legal_name, "", "verified without a name");
        for (_, envelope) in app.events().await {
            let bytes = prost::Message::encode_to_vec(&envelope);
            assert!(!String::from_utf8_lossy(&bytes).contains(&key), "the person key is in an event");
        }
    }
}
