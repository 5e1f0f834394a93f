//! Imports of associations and instance memberships kept before the platform: who may import,
//! bad batches and bad rows (every one listed, nothing written), dry runs, idempotence on
//! natural keys, events, and 5,000 members in batches.

use tachawor_events::decode_payload;
use tachawor_proto::{
    common::{ImportProblem, ImportSummary},
    events::{AssociationCreated, InstanceMemberAdded},
    identity::*,
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::{
    associations::{code, create, events_of, snapshot, verified_association},
    helpers::{Client, TestApp, fields},
};

fn association_row(line: u32, number: &str) -> AssociationImportRow {
    AssociationImportRow {
        line,
        registration_number: number.into(),
        name_ar: format!("جمعية {number}"),
        name_fr: format!("Association {number}"),
        name_en: String::new(),
        founded_on: "2009-04-12".into(),
        province_code: "laayoune".into(),
        fields_of_activity: vec!["youth".into(), "culture".into()],
    }
}

fn member_row(
    line: u32,
    instance_id: &str,
    account_id: &str,
    started_on: &str,
) -> InstanceMemberImportRow {
    InstanceMemberImportRow {
        line,
        instance_id: instance_id.into(),
        account_id: account_id.into(),
        role: "member".into(),
        association_registration_number: String::new(),
        started_on: started_on.into(),
        ended_on: String::new(),
    }
}

async fn import_associations(
    client: &mut Client,
    rows: Vec<AssociationImportRow>,
    dry_run: bool,
) -> ImportSummary {
    client
        .import_associations(ImportAssociationsRequest { rows, dry_run })
        .await
        .expect("import associations")
        .into_inner()
        .summary
        .unwrap()
}

async fn import_members(
    client: &mut Client,
    rows: Vec<InstanceMemberImportRow>,
    dry_run: bool,
) -> ImportSummary {
    client
        .import_instance_members(ImportInstanceMembersRequest { rows, dry_run })
        .await
        .expect("import members")
        .into_inner()
        .summary
        .unwrap()
}

/// The problems as (line, field, code), in order.
fn problems(summary: &ImportSummary) -> Vec<(u32, &str, &str)> {
    summary
        .problems
        .iter()
        .map(
            |ImportProblem {
                 line, field, code, ..
             }| (*line, field.as_str(), code.as_str()),
        )
        .collect()
}

async fn new_instance(admin: &mut Client) -> String {
    admin
        .create_instance(CreateInstanceRequest {
            name: Some(crate::associations::name("Instance importée")),
            kind: "youth".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .instance
        .unwrap()
        .instance_id
}

matrix! {
    async fn only_staff_and_administrators_import(app: TestApp) {
        let (_, citizen) = app.citizen().await;
        let (_, staff) = app.staff().await;
        let callers = [
            ("anonymous", app.anonymous(), Code::Unauthenticated),
            ("citizen", citizen, Code::PermissionDenied),
            ("staff", staff, Code::Ok),
            ("administrator", app.admin().await, Code::Ok),
            ("service", app.service().await, Code::PermissionDenied),
            ("observer", app.with_token(&app.people().observer().await.token), Code::PermissionDenied),
        ];
        let mut admin = app.admin().await;
        let instance = new_instance(&mut admin).await;
        let mut wrong = Vec::new();
        for (n, (who, mut client, expected)) in callers.into_iter().enumerate() {
            let account = app.bulk_accounts(1).await.remove(0);
            let before = snapshot(&app).await;
            let got = code(
                client
                    .import_associations(ImportAssociationsRequest {
                        rows: vec![association_row(2, &format!("MATRIX-{n}"))],
                        dry_run: false,
                    })
                    .await,
            );
            if got != expected {
                wrong.push(format!("ImportAssociations as {who}: expected {expected:?}, got {got:?}"));
            }
            let got = code(
                client
                    .import_instance_members(ImportInstanceMembersRequest {
                        rows: vec![member_row(2, &instance, &account, "2025-02-01")],
                        dry_run: false,
                    })
                    .await,
            );
            if got != expected {
                wrong.push(format!("ImportInstanceMembers as {who}: expected {expected:?}, got {got:?}"));
            }
            let after = snapshot(&app).await;
            if expected != Code::Ok && after != before {
                wrong.push(format!("refused imports as {who} wrote something"));
            }
            if expected == Code::Ok && after == before {
                wrong.push(format!("imports as {who} wrote nothing"));
            }
        }
        assert!(wrong.is_empty(), "role matrix violations:\n{}", wrong.join("\n"));
    }

    async fn a_batch_empty_or_too_long_is_refused_and_writes_nothing(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let before = snapshot(&app).await;
        let e = staff.import_associations(ImportAssociationsRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["rows"]);
        let e = staff.import_instance_members(ImportInstanceMembersRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["rows"]);
        let rows: Vec<_> = (0..1001).map(|i| association_row(i + 2, &format!("LONG-{i}"))).collect();
        let e = staff
            .import_associations(ImportAssociationsRequest { rows, dry_run: false })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["rows"]);
        let rows: Vec<_> = (0..1001)
            .map(|i| member_row(i + 2, &uuid::Uuid::now_v7().to_string(), &uuid::Uuid::now_v7().to_string(), "2025-01-01"))
            .collect();
        let e = staff
            .import_instance_members(ImportInstanceMembersRequest { rows, dry_run: true })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["rows"]);
        assert_eq!(snapshot(&app).await, before);
    }

    async fn associations_are_imported_once_verified_and_after_the_fact(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let (_, mut citizen) = app.citizen().await;
        let registered = create(&mut citizen, "REG-ONLINE", "laayoune").await;
        let rows = vec![
            association_row(2, "IMP-001"),
            association_row(3, "IMP-002"),
            // Already registered on the platform: left as it is.
            association_row(4, "REG-ONLINE"),
        ];
        let before = snapshot(&app).await;
        let dry = import_associations(&mut staff, rows.clone(), true).await;
        assert_eq!((dry.created, dry.unchanged, dry.written), (2, 1, false));
        assert!(dry.problems.is_empty(), "{:?}", dry.problems);
        assert_eq!(snapshot(&app).await, before, "a dry run writes nothing");

        let done = import_associations(&mut staff, rows.clone(), false).await;
        assert_eq!((done.created, done.unchanged, done.written), (2, 1, true));
        let after = snapshot(&app).await;
        assert_ne!(after, before);

        let again = import_associations(&mut staff, rows, false).await;
        assert_eq!((again.created, again.unchanged, again.written), (0, 3, true));
        assert_eq!(snapshot(&app).await, after, "a second run changes nothing");

        let listed = staff
            .list_associations(ListAssociationsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .associations;
        let imported: Vec<_> = listed.iter().filter(|a| a.registration_number.starts_with("IMP-")).collect();
        assert_eq!(imported.len(), 2);
        for a in &imported {
            assert!(a.recorded_after_the_fact, "{a:?}");
            assert_eq!(a.status(), AssociationStatus::Verified);
            assert!(a.representative_ids.is_empty());
        }
        let online = listed.iter().find(|a| a.association_id == registered.association_id).unwrap();
        assert!(!online.recorded_after_the_fact);
        assert_eq!(online.status(), AssociationStatus::Pending, "left as it was");

        let events = app.events().await;
        let id = &imported[0].association_id;
        let created: AssociationCreated =
            decode_payload(events_of(&events, "identity.association.created", id)[0]).unwrap();
        assert!(created.recorded_after_the_fact);
        assert_eq!(events_of(&events, "identity.association.verified", id).len(), 1);
    }

    async fn bad_association_rows_are_each_listed_and_nothing_is_written(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let mut far = association_row(5, "BAD-3");
        far.founded_on = "2099-01-01".into();
        far.province_code = "casablanca".into();
        let mut empty = association_row(6, "");
        empty.name_ar = String::new();
        empty.founded_on = "12/04/2009".into();
        empty.fields_of_activity = vec!["Not A Slug".into()];
        let rows = vec![
            association_row(2, "GOOD-1"),
            association_row(3, "DUP-1"),
            association_row(4, "DUP-1"),
            far,
            empty,
        ];
        let before = snapshot(&app).await;
        for dry_run in [true, false] {
            let summary = import_associations(&mut staff, rows.clone(), dry_run).await;
            assert!(!summary.written);
            assert_eq!(
                problems(&summary),
                [
                    (4, "registration_number", "duplicate"),
                    (5, "founded_on", "future"),
                    (5, "province_code", "unknown"),
                    (6, "registration_number", "required"),
                    (6, "name_ar", "required"),
                    (6, "founded_on", "invalid"),
                    (6, "fields_of_activity", "invalid"),
                ]
            );
            assert!(summary.problems[0].description.contains("line 3"), "{:?}", summary.problems[0]);
        }
        assert_eq!(snapshot(&app).await, before);
    }

    async fn bad_member_rows_are_each_listed_and_nothing_is_written(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let mut admin = app.admin().await;
        let instance = new_instance(&mut admin).await;
        let accounts = app.bulk_accounts(6).await;
        let verified = verified_association(&app, "VER-1").await;
        let (_, mut citizen) = app.citizen().await;
        create(&mut citizen, "PENDING-1", "laayoune").await;
        // Already recorded: a president since 2024 and a member from 2024 to 2025-06-01.
        let mut president = member_row(2, &instance, &accounts[0], "2024-01-01");
        president.role = "president".into();
        let mut seated = member_row(3, &instance, &accounts[1], "2024-01-01");
        seated.ended_on = "2025-06-01".into();
        let first = import_members(&mut staff, vec![president, seated], false).await;
        assert_eq!((first.created, first.written), (2, true), "{:?}", first.problems);

        let unknown = uuid::Uuid::now_v7().to_string();
        let mut rows = vec![
            // Good: represents a verified association, ended after it started.
            InstanceMemberImportRow {
                association_registration_number: verified.registration_number.clone(),
                ended_on: "2025-12-31".into(),
                ..member_row(2, &instance, &accounts[2], "2025-01-01")
            },
            member_row(3, &unknown, &accounts[3], "2025-01-01"),
            member_row(4, &instance, &unknown, "2025-01-01"),
            InstanceMemberImportRow {
                association_registration_number: "NOBODY".into(),
                ..member_row(5, &instance, &accounts[3], "2025-01-01")
            },
            InstanceMemberImportRow {
                association_registration_number: "PENDING-1".into(),
                ..member_row(6, &instance, &accounts[4], "2025-01-01")
            },
            // Overlaps the recorded membership of accounts[1].
            member_row(7, &instance, &accounts[1], "2025-03-01"),
            InstanceMemberImportRow { role: "president".into(), ..member_row(8, &instance, &accounts[5], "2025-02-01") },
            // Overlaps line 2 of the same file.
            member_row(9, &instance, &accounts[2], "2025-06-01"),
            // Repeats line 2's key.
            InstanceMemberImportRow {
                association_registration_number: verified.registration_number.clone(),
                ended_on: "2025-12-31".into(),
                ..member_row(10, &instance, &accounts[2], "2025-01-01")
            },
            InstanceMemberImportRow {
                role: "chair".into(),
                ended_on: "2024-12-31".into(),
                ..member_row(11, "not-an-id", &accounts[5], "2025-01-01")
            },
            member_row(12, &instance, &accounts[5], "2099-01-01"),
            member_row(13, "", "", ""),
        ];
        rows.push(InstanceMemberImportRow { role: String::new(), ..member_row(14, &instance, &accounts[5], "2020-01-01") });
        let before = snapshot(&app).await;
        for dry_run in [true, false] {
            let summary = import_members(&mut staff, rows.clone(), dry_run).await;
            assert!(!summary.written);
            assert_eq!(
                problems(&summary),
                [
                    (3, "instance_id", "unknown"),
                    (4, "account_id", "unknown"),
                    (5, "association_registration_number", "unknown"),
                    (6, "association_registration_number", "not_verified"),
                    (7, "started_on", "overlap"),
                    (8, "role", "president_taken"),
                    (9, "started_on", "overlap"),
                    (10, "started_on", "duplicate"),
                    (11, "instance_id", "invalid"),
                    (11, "role", "invalid"),
                    (11, "ended_on", "before_start"),
                    (12, "started_on", "future"),
                    (13, "instance_id", "required"),
                    (13, "account_id", "required"),
                    (13, "started_on", "required"),
                    (14, "role", "required"),
                ]
            );
        }
        assert_eq!(snapshot(&app).await, before);
    }

    async fn five_thousand_members_import_in_batches_and_a_second_run_changes_nothing(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let mut admin = app.admin().await;
        let instance = new_instance(&mut admin).await;
        let accounts = app.bulk_accounts(5000).await;
        let base = app.count("instance_memberships").await;
        let rows: Vec<InstanceMemberImportRow> = accounts
            .iter()
            .enumerate()
            .map(|(i, account)| InstanceMemberImportRow {
                ended_on: if i % 2 == 0 { "2025-12-31".into() } else { String::new() },
                ..member_row(u32::try_from(i).unwrap() + 2, &instance, account, "2025-01-15")
            })
            .collect();
        let batches: Vec<_> = rows.chunks(1000).map(<[_]>::to_vec).collect();
        assert_eq!(batches.len(), 5);
        for batch in &batches {
            let dry = import_members(&mut staff, batch.clone(), true).await;
            assert_eq!((dry.created, dry.written), (1000, false), "{:?}", dry.problems);
        }
        assert_eq!(app.count("instance_memberships").await, base, "dry runs write nothing");
        for batch in &batches {
            let done = import_members(&mut staff, batch.clone(), false).await;
            assert_eq!((done.created, done.unchanged, done.written), (1000, 0, true));
        }
        assert_eq!(app.count("instance_memberships").await, base + 5000);
        let after = snapshot(&app).await;
        for batch in &batches {
            let again = import_members(&mut staff, batch.clone(), false).await;
            assert_eq!((again.created, again.unchanged, again.written), (0, 1000, true));
        }
        assert_eq!(snapshot(&app).await, after, "a second run changes nothing");

        let members = staff
            .get_instance(GetInstanceRequest { instance_id: instance.clone() })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap()
            .members;
        assert_eq!(members.len(), 5000);
        assert!(members.iter().all(|m| m.recorded_after_the_fact));
        assert_eq!(members.iter().filter(|m| m.ended_on.is_some()).count(), 2500);

        let events = app.events().await;
        let added: Vec<InstanceMemberAdded> = events_of(&events, "identity.instance.member_added", &instance)
            .into_iter()
            .map(|e| decode_payload(e).unwrap())
            .collect();
        assert_eq!(added.len(), 5000);
        assert!(added.iter().all(|e| e.recorded_after_the_fact && e.started_on == "2025-01-15"));
        assert_eq!(events_of(&events, "identity.instance.membership_ended", &instance).len(), 2500);
        // Those still sitting hold the member role now.
        let sitting = app
            .service()
            .await
            .get_eligibility(GetEligibilityRequest { account_id: accounts[1].clone() })
            .await
            .unwrap()
            .into_inner();
        assert!(sitting.memberships.iter().any(|m| m.instance_id == instance));
    }
}
