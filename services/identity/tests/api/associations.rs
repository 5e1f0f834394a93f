//! Associations: registration, verification and suspension, representatives, who may do what,
//! bad input, events, and the roles representatives get.

use tachawor_events::{Envelope, decode_payload};
use tachawor_proto::{
    common::{ActorKind, Date, LocalizedText, PageRequest},
    events::{AssociationCreated, AssociationSuspended, AssociationVerified},
    identity::*,
};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;
use tonic::{Code, Status};

use crate::helpers::{Client, PASSWORD, TestApp, fields};

/// Tables an association or instance RPC may write.
const TABLES: &[&str] = &[
    "associations",
    "association_representatives",
    "instances",
    "instance_memberships",
    "audit_log",
    "outbox",
];

pub async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(app.count(table).await);
    }
    counts
}

pub fn code<T>(result: Result<tonic::Response<T>, Status>) -> Code {
    match result {
        Ok(_) => Code::Ok,
        Err(s) => s.code(),
    }
}

pub fn rule(status: &Status) -> String {
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    tachawor_errors::violated_rule(status).unwrap_or_default()
}

pub fn date(year: i32, month: i32, day: i32) -> Date {
    Date { year, month, day }
}

/// The service's today (UTC), from the test's clock.
/// Today at the region's venues, as identity reads it.
pub fn today(app: &TestApp) -> Date {
    let zone = tachawor_region::Zone::named("Africa/Casablanca").expect("Morocco's zone");
    tachawor_proto::dates::date_from_str(&zone.date_of(app.clock.now_millis())).expect("a date")
}

pub fn name(fr: &str) -> LocalizedText {
    LocalizedText {
        ar: format!("جمعية {fr}"),
        fr: fr.into(),
        en: String::new(),
    }
}

pub fn registration(number: &str, province: &str) -> CreateAssociationRequest {
    CreateAssociationRequest {
        name: Some(name(&format!("Association {number}"))),
        registration_number: number.into(),
        founded_on: Some(date(2015, 3, 10)),
        province_code: province.into(),
        fields_of_activity: vec!["youth".into(), "culture".into()],
    }
}

/// A new person: id and email (the display name is "Test Person").
pub async fn person(app: &TestApp) -> (String, String) {
    let email = format!("{}@people.test", uuid::Uuid::new_v4().simple());
    (app.register(&email).await, email)
}

/// A client signed in afresh, so its token carries the current roles.
pub async fn signed_in(app: &TestApp, email: &str) -> Client {
    app.with_token(&app.login(email).await.access_token)
}

pub async fn my_roles(app: &TestApp, email: &str) -> Vec<Role> {
    crate::helpers::my_account(&mut signed_in(app, email).await)
        .await
        .roles()
        .collect()
}

/// The account's eligibility, asked alone and in a batch beside an unknown account: both
/// answers must agree.
pub async fn eligibility(app: &TestApp, account_id: &str) -> GetEligibilityResponse {
    let mut service = app.service().await;
    let alone = service
        .get_eligibility(GetEligibilityRequest {
            account_id: account_id.into(),
        })
        .await
        .unwrap()
        .into_inner();
    let batch = service
        .batch_get_eligibility(BatchGetEligibilityRequest {
            account_ids: vec![uuid::Uuid::now_v7().to_string(), account_id.into()],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        batch.eligibilities,
        std::slice::from_ref(&alone),
        "the unknown account is left out"
    );
    alone
}

/// Registers an association as `client` and returns it.
pub async fn create(client: &mut Client, number: &str, province: &str) -> Association {
    client
        .create_association(registration(number, province))
        .await
        .expect("create association")
        .into_inner()
        .association
        .unwrap()
}

/// A verified association registered by a new citizen.
pub async fn verified_association(app: &TestApp, number: &str) -> Association {
    let (_, mut citizen) = app.citizen().await;
    let created = create(&mut citizen, number, "laayoune").await;
    app.admin()
        .await
        .verify_association(VerifyAssociationRequest {
            association_id: created.association_id,
        })
        .await
        .unwrap()
        .into_inner()
        .association
        .unwrap()
}

/// Events of `event_type` about `aggregate_id`.
pub fn events_of<'a>(
    events: &'a [(String, Envelope)],
    event_type: &str,
    aggregate_id: &str,
) -> Vec<&'a Envelope> {
    events
        .iter()
        .map(|(_, e)| e)
        .filter(|e| e.r#type == event_type && e.aggregate_id == aggregate_id)
        .collect()
}

/// No event in the stream carries any of `secrets` (emails, display names).
pub fn assert_no_personal_data(events: &[(String, Envelope)], secrets: &[&str]) {
    use prost::Message;
    for (_, e) in events {
        let bytes = e.encode_to_vec();
        for secret in secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} carries {secret:?}",
                e.r#type
            );
        }
    }
}

async fn audit_actions(app: &TestApp, target_id: &str) -> Vec<String> {
    let mut entries: Vec<AuditEntry> = app
        .admin()
        .await
        .list_audit_log(ListAuditLogRequest {
            target_type: "association".into(),
            target_id: target_id.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .entries;
    entries.reverse();
    entries.into_iter().map(|e| e.action).collect()
}

matrix! {
    async fn an_association_is_registered_verified_represented_and_suspended(app: TestApp) {
        let (founder_id, founder_email) = person(&app).await;
        let (other_id, other_email) = person(&app).await;
        let mut founder = signed_in(&app, &founder_email).await;
        let (_, mut staff) = app.staff().await;
        let mut admin = app.admin().await;

        let created = founder
            .create_association(CreateAssociationRequest {
                name: Some(LocalizedText {
                    ar: " جمعية الأمل ".into(),
                    fr: "Association Al Amal".into(),
                    en: "Al Amal Association".into(),
                }),
                registration_number: " RC-2015-0042 ".into(),
                founded_on: Some(date(2015, 3, 10)),
                province_code: "es-semara".into(),
                fields_of_activity: vec!["youth".into(), "culture".into(), "youth".into()],
            })
            .await
            .unwrap()
            .into_inner()
            .association
            .unwrap();
        let id = created.association_id.clone();
        assert!(uuid::Uuid::parse_str(&id).is_ok());
        assert_eq!(created.status(), AssociationStatus::Pending);
        assert_eq!(created.name.as_ref().unwrap().ar, "جمعية الأمل");
        assert_eq!(created.name.as_ref().unwrap().en, "Al Amal Association");
        assert_eq!(created.registration_number, "RC-2015-0042");
        assert_eq!(created.founded_on, Some(date(2015, 3, 10)));
        assert_eq!(created.province_code, "es-semara");
        assert_eq!(created.fields_of_activity, ["youth", "culture"]);
        assert_eq!(created.representative_ids, [founder_id.as_str()]);
        assert!(created.created_at.is_some());

        // Public, and the same as what was returned.
        let fetched = app
            .anonymous()
            .get_association(GetAssociationRequest { association_id: id.clone() })
            .await
            .unwrap()
            .into_inner()
            .association
            .unwrap();
        assert_eq!(fetched, created);

        // A pending association confers nothing yet: no role, and eligibility tells it is
        // pending (services refuse association-only activity on it).
        assert!(!my_roles(&app, &founder_email).await.contains(&Role::AssociationRepresentative));
        let pending = eligibility(&app, &founder_id).await;
        assert!(!pending.roles().any(|r| r == Role::AssociationRepresentative));
        assert_eq!(pending.actor_kind(), ActorKind::Citizen);
        assert_eq!(pending.associations.len(), 1);
        assert_eq!(pending.associations[0].status(), AssociationStatus::Pending);
        let searcher = staff.clone();
        let search = |who: &'static str| {
            let mut staff = searcher.clone();
            async move {
                staff
                    .search_accounts(SearchAccountsRequest {
                        role: Role::AssociationRepresentative as i32,
                        ..Default::default()
                    })
                    .await
                    .unwrap_or_else(|e| panic!("{who}: {e}"))
                    .into_inner()
                    .accounts
                    .into_iter()
                    .map(|a| a.account_id)
                    .collect::<Vec<_>>()
            }
        };
        assert!(!search("pending").await.contains(&founder_id));

        let verified = staff
            .verify_association(VerifyAssociationRequest { association_id: id.clone() })
            .await
            .unwrap()
            .into_inner()
            .association
            .unwrap();
        assert_eq!(verified.status(), AssociationStatus::Verified);
        // Verified: now the founder represents it.
        assert!(my_roles(&app, &founder_email).await.contains(&Role::AssociationRepresentative));
        let founder_now = eligibility(&app, &founder_id).await;
        assert!(founder_now.roles().any(|r| r == Role::AssociationRepresentative));
        assert_eq!(founder_now.actor_kind(), ActorKind::AssociationRepresentative);
        assert!(search("verified").await.contains(&founder_id));

        assert!(!my_roles(&app, &other_email).await.contains(&Role::AssociationRepresentative));
        let added = admin
            .add_representative(AddRepresentativeRequest {
                association_id: id.clone(),
                account_id: other_id.clone(),
            })
            .await
            .unwrap()
            .into_inner()
            .association
            .unwrap();
        assert_eq!(added.representative_ids, [founder_id.clone(), other_id.clone()]);
        assert!(my_roles(&app, &other_email).await.contains(&Role::AssociationRepresentative));
        let other = eligibility(&app, &other_id).await;
        assert!(other.roles().any(|r| r == Role::AssociationRepresentative));
        assert_eq!(other.associations.len(), 1);
        let a = &other.associations[0];
        assert_eq!(a.association_id, id);
        assert_eq!(a.status(), AssociationStatus::Verified);
        assert_eq!(a.founded_on, Some(date(2015, 3, 10)));
        assert_eq!(a.province_code, "es-semara");
        assert_eq!(a.fields_of_activity, ["youth", "culture"]);

        // The founder's export lists the association.
        let export = founder.export_my_data(ExportMyDataRequest {}).await.unwrap().into_inner();
        assert_eq!(export.associations.len(), 1);
        assert_eq!(export.associations[0].association_id, id);

        let removed = staff
            .remove_representative(RemoveRepresentativeRequest {
                association_id: id.clone(),
                account_id: other_id.clone(),
            })
            .await
            .unwrap()
            .into_inner()
            .association
            .unwrap();
        assert_eq!(removed.representative_ids, [founder_id.as_str()]);
        assert!(!my_roles(&app, &other_email).await.contains(&Role::AssociationRepresentative));
        assert!(eligibility(&app, &other_id).await.associations.is_empty());

        let suspended = staff
            .suspend_association(SuspendAssociationRequest {
                association_id: id.clone(),
                reason: "annual report not filed".into(),
            })
            .await
            .unwrap()
            .into_inner()
            .association
            .unwrap();
        assert_eq!(suspended.status(), AssociationStatus::Suspended);
        assert_eq!(suspended.representative_ids, [founder_id.as_str()]);
        // A suspended association gives no role, but eligibility still tells its status.
        assert!(!my_roles(&app, &founder_email).await.contains(&Role::AssociationRepresentative));
        let founder_eligibility = eligibility(&app, &founder_id).await;
        assert_eq!(founder_eligibility.associations.len(), 1);
        assert_eq!(founder_eligibility.associations[0].status(), AssociationStatus::Suspended);
        assert!(!founder_eligibility.roles().any(|r| r == Role::AssociationRepresentative));
        assert!(!search("suspended").await.contains(&founder_id));

        assert_eq!(
            audit_actions(&app, &id).await,
            [
                "association.create",
                "association.verify",
                "association.add_representative",
                "association.remove_representative",
                "association.suspend",
            ]
        );

        let events = app.events().await;
        let created_events = events_of(&events, "identity.association.created", &id);
        assert_eq!(created_events.len(), 1);
        let payload: AssociationCreated = decode_payload(created_events[0]).unwrap();
        assert_eq!(
            payload,
            AssociationCreated {
                association_id: id.clone(),
                province_code: "es-semara".into(),
                fields_of_activity: vec!["youth".into(), "culture".into()],
                founded_on: Some(date(2015, 3, 10)),
                recorded_after_the_fact: false,
            }
        );
        let verified_events = events_of(&events, "identity.association.verified", &id);
        assert_eq!(verified_events.len(), 1);
        let payload: AssociationVerified = decode_payload(verified_events[0]).unwrap();
        assert_eq!(payload.association_id, id);
        let suspended_events = events_of(&events, "identity.association.suspended", &id);
        assert_eq!(suspended_events.len(), 1);
        let payload: AssociationSuspended = decode_payload(suspended_events[0]).unwrap();
        assert_eq!(payload.association_id, id);
        let association_events = events
            .iter()
            .filter(|(_, e)| e.r#type.starts_with("identity.association."))
            .count();
        assert_eq!(association_events, 3, "representative changes publish no event");
        assert_no_personal_data(
            &events,
            &[&founder_email, &other_email, "Test Person", "annual report not filed"],
        );
    }

    async fn only_the_allowed_status_transitions_happen(app: TestApp) {
        let (_, mut citizen) = app.citizen().await;
        let (_, mut staff) = app.staff().await;
        let a = create(&mut citizen, "RC-A", "laayoune").await.association_id;
        let b = create(&mut citizen, "RC-B", "tarfaya").await.association_id;
        let verify = |id: &str| VerifyAssociationRequest { association_id: id.into() };
        let suspend = |id: &str| SuspendAssociationRequest {
            association_id: id.into(),
            reason: "checked".into(),
        };
        let status = |r: Association| r.status();

        let a1 = staff.verify_association(verify(&a)).await.unwrap().into_inner();
        assert_eq!(status(a1.association.unwrap()), AssociationStatus::Verified);
        let before = snapshot(&app).await;
        let e = staff.verify_association(verify(&a)).await.unwrap_err();
        assert_eq!(rule(&e), "association.transition");
        assert_eq!(snapshot(&app).await, before);

        let a2 = staff.suspend_association(suspend(&a)).await.unwrap().into_inner();
        assert_eq!(status(a2.association.unwrap()), AssociationStatus::Suspended);
        let before = snapshot(&app).await;
        let e = staff.suspend_association(suspend(&a)).await.unwrap_err();
        assert_eq!(rule(&e), "association.transition");
        assert_eq!(snapshot(&app).await, before);

        let a3 = staff.verify_association(verify(&a)).await.unwrap().into_inner();
        assert_eq!(status(a3.association.unwrap()), AssociationStatus::Verified);

        let b1 = staff.suspend_association(suspend(&b)).await.unwrap().into_inner();
        assert_eq!(status(b1.association.unwrap()), AssociationStatus::Suspended);

        let missing = uuid::Uuid::now_v7().to_string();
        let before = snapshot(&app).await;
        assert_eq!(code(staff.verify_association(verify(&missing)).await), Code::NotFound);
        assert_eq!(code(staff.suspend_association(suspend(&missing)).await), Code::NotFound);
        assert_eq!(snapshot(&app).await, before);

        let events = app.events().await;
        assert_eq!(events_of(&events, "identity.association.verified", &a).len(), 2);
        assert_eq!(events_of(&events, "identity.association.suspended", &a).len(), 1);
        assert_eq!(events_of(&events, "identity.association.suspended", &b).len(), 1);
        assert!(events_of(&events, "identity.association.verified", &b).is_empty());
    }

    async fn a_registration_number_is_registered_once(app: TestApp) {
        let (_, mut first) = app.citizen().await;
        let (_, mut second) = app.citizen().await;
        create(&mut first, "RC-2020-7", "boujdour").await;
        let before = snapshot(&app).await;
        let e = second
            .create_association(registration("RC-2020-7", "laayoune"))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);
        assert_eq!(snapshot(&app).await, before);
    }

    async fn concurrent_registrations_of_one_number_make_one_association(app: TestApp) {
        let (_, first) = app.citizen().await;
        let (_, second) = app.citizen().await;
        for round in 0..3 {
            let number = format!("RC-RACE-{round}");
            let (mut one, mut two) = (first.clone(), second.clone());
            let (x, y) = tokio::join!(
                one.create_association(registration(&number, "laayoune")),
                two.create_association(registration(&number, "boujdour")),
            );
            let mut codes = [code(x), code(y)];
            codes.sort_by_key(|c| *c as i32);
            assert_eq!(codes, [Code::Ok, Code::AlreadyExists], "round {round}");
        }
        assert_eq!(app.count("associations").await, 3);
        assert_eq!(app.count("association_representatives").await, 3);
    }

    async fn representatives_are_active_accounts_added_once(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let association = verified_association(&app, "RC-REP").await.association_id;
        let (member_id, _) = person(&app).await;
        let (gone_id, gone_email) = person(&app).await;
        signed_in(&app, &gone_email)
            .await
            .delete_my_account(DeleteMyAccountRequest { password: PASSWORD.into() })
            .await
            .unwrap();
        let add = |association_id: &str, account_id: &str| AddRepresentativeRequest {
            association_id: association_id.into(),
            account_id: account_id.into(),
        };
        let remove = |association_id: &str, account_id: &str| RemoveRepresentativeRequest {
            association_id: association_id.into(),
            account_id: account_id.into(),
        };
        let missing = uuid::Uuid::now_v7().to_string();

        let before = snapshot(&app).await;
        let e = staff.add_representative(add(&association, &missing)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "{e:?}");
        let e = staff.add_representative(add(&association, &gone_id)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "{e:?}");
        let e = staff.add_representative(add(&missing, &member_id)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "{e:?}");
        let e = staff.remove_representative(remove(&association, &member_id)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "{e:?}");
        let e = staff.remove_representative(remove(&missing, &member_id)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound, "{e:?}");
        assert_eq!(snapshot(&app).await, before);

        staff.add_representative(add(&association, &member_id)).await.unwrap();
        let before = snapshot(&app).await;
        let e = staff.add_representative(add(&association, &member_id)).await.unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);
        assert_eq!(snapshot(&app).await, before);
        staff.remove_representative(remove(&association, &member_id)).await.unwrap();
        let e = staff.remove_representative(remove(&association, &member_id)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound);
    }

    async fn associations_are_listed_by_status_and_province_page_by_page(app: TestApp) {
        let (founder_id, mut founder) = app.citizen().await;
        let (_, mut staff) = app.staff().await;
        let (extra_id, _) = person(&app).await;
        let a = create(&mut founder, "RC-L1", "laayoune").await.association_id;
        let b = create(&mut founder, "RC-B1", "boujdour").await.association_id;
        let c = create(&mut founder, "RC-L2", "laayoune").await.association_id;
        for id in [&b, &c] {
            staff
                .verify_association(VerifyAssociationRequest { association_id: id.clone() })
                .await
                .unwrap();
        }
        staff
            .add_representative(AddRepresentativeRequest {
                association_id: b.clone(),
                account_id: extra_id.clone(),
            })
            .await
            .unwrap();

        let mut anonymous = app.anonymous();
        let mut list = async |status: AssociationStatus, province: &str, page: Option<PageRequest>| {
            anonymous
                .list_associations(ListAssociationsRequest {
                    status: status as i32,
                    province_code: province.into(),
                    page,
                })
                .await
                .unwrap()
                .into_inner()
        };
        let ids = |r: &ListAssociationsResponse| -> Vec<String> {
            r.associations.iter().map(|a| a.association_id.clone()).collect()
        };

        let all = list(AssociationStatus::Unspecified, "", None).await;
        assert_eq!(ids(&all), [a.clone(), b.clone(), c.clone()]);
        assert_eq!(all.next_page_token, "");
        // Representatives of every association on the page, each with its own.
        assert_eq!(all.associations[0].representative_ids, [founder_id.as_str()]);
        assert_eq!(all.associations[1].representative_ids, [founder_id.clone(), extra_id.clone()]);
        assert_eq!(all.associations[2].representative_ids, [founder_id.as_str()]);

        let verified = list(AssociationStatus::Verified, "", None).await;
        assert_eq!(ids(&verified), [b.clone(), c.clone()]);
        let laayoune = list(AssociationStatus::Unspecified, "laayoune", None).await;
        assert_eq!(ids(&laayoune), [a.clone(), c.clone()]);
        let both = list(AssociationStatus::Verified, "laayoune", None).await;
        assert_eq!(ids(&both), [c.as_str()]);
        let none = list(AssociationStatus::Suspended, "", None).await;
        assert!(none.associations.is_empty());

        let first = list(
            AssociationStatus::Unspecified,
            "",
            Some(PageRequest { page_size: 2, page_token: String::new() }),
        )
        .await;
        assert_eq!(ids(&first), [a.clone(), b.clone()]);
        assert_ne!(first.next_page_token, "");
        let second = list(
            AssociationStatus::Unspecified,
            "",
            Some(PageRequest { page_size: 2, page_token: first.next_page_token.clone() }),
        )
        .await;
        assert_eq!(ids(&second), [c.as_str()]);
        assert_eq!(second.next_page_token, "");
    }

    async fn bad_association_input_names_every_field_and_writes_nothing(app: TestApp) {
        let (_, mut citizen) = app.citizen().await;
        let (_, mut staff) = app.staff().await;
        let mut anonymous = app.anonymous();
        let before = snapshot(&app).await;

        let e = citizen.create_association(CreateAssociationRequest::default()).await.unwrap_err();
        assert_eq!(
            fields(&e),
            ["name.ar", "name.fr", "registration_number", "founded_on", "province_code", "fields_of_activity"]
        );

        let e = citizen
            .create_association(CreateAssociationRequest {
                name: Some(LocalizedText {
                    ar: "ا".repeat(201),
                    fr: "   ".into(),
                    en: "e".repeat(201),
                }),
                registration_number: "R".repeat(65),
                founded_on: Some(date(2023, 2, 29)),
                province_code: "casablanca".into(),
                fields_of_activity: vec!["Not A Slug".into()],
            })
            .await
            .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "name.ar",
                "name.fr",
                "name.en",
                "registration_number",
                "founded_on",
                "province_code",
                "fields_of_activity",
            ]
        );

        // Founded tomorrow, or with too many fields of activity.
        let t = today(&app);
        let tomorrow = if t.day < 28 { date(t.year, t.month, t.day + 1) } else { date(t.year + 1, 1, 1) };
        let mut request = registration("RC-FUTURE", "laayoune");
        request.founded_on = Some(tomorrow);
        request.fields_of_activity = (0..21).map(|i| format!("field_{i}")).collect();
        let e = citizen.create_association(request).await.unwrap_err();
        assert_eq!(fields(&e), ["founded_on", "fields_of_activity"]);

        // Founded today is fine, but not with a bad month.
        let mut request = registration("RC-BAD-MONTH", "laayoune");
        request.founded_on = Some(date(2020, 13, 1));
        assert_eq!(fields(&citizen.create_association(request).await.unwrap_err()), ["founded_on"]);

        let e = staff
            .verify_association(VerifyAssociationRequest { association_id: "not-a-uuid".into() })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["association_id"]);

        let e = staff
            .suspend_association(SuspendAssociationRequest::default())
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["association_id", "reason"]);
        let e = staff
            .suspend_association(SuspendAssociationRequest {
                association_id: uuid::Uuid::now_v7().to_string(),
                reason: "r".repeat(501),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["reason"]);

        let e = staff
            .add_representative(AddRepresentativeRequest {
                association_id: "x".into(),
                account_id: "y".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["association_id", "account_id"]);
        let e = staff
            .remove_representative(RemoveRepresentativeRequest {
                association_id: uuid::Uuid::now_v7().to_string(),
                account_id: String::new(),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["account_id"]);

        let e = anonymous
            .get_association(GetAssociationRequest { association_id: "1".into() })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["association_id"]);
        let e = anonymous
            .get_association(GetAssociationRequest { association_id: uuid::Uuid::now_v7().to_string() })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::NotFound);

        let e = anonymous
            .list_associations(ListAssociationsRequest {
                status: 42,
                province_code: "casablanca".into(),
                page: Some(PageRequest { page_size: -1, page_token: String::new() }),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["status", "province_code", "page.page_size"]);
        let e = anonymous
            .list_associations(ListAssociationsRequest {
                page: Some(PageRequest { page_size: 10, page_token: "forged".into() }),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["page.page_token"]);

        assert_eq!(snapshot(&app).await, before);
    }

    async fn association_rpcs_admit_the_right_callers(app: TestApp) {
        /// The staff RPCs, in an order in which each succeeds for an allowed caller.
        async fn staff_calls(
            client: &mut Client,
            association_id: &str,
            account_id: &str,
        ) -> Vec<(&'static str, Code)> {
            let a = || association_id.to_string();
            vec![
                (
                    "VerifyAssociation",
                    code(client.verify_association(VerifyAssociationRequest { association_id: a() }).await),
                ),
                (
                    "SuspendAssociation",
                    code(
                        client
                            .suspend_association(SuspendAssociationRequest {
                                association_id: a(),
                                reason: "checked".into(),
                            })
                            .await,
                    ),
                ),
                (
                    "AddRepresentative",
                    code(
                        client
                            .add_representative(AddRepresentativeRequest {
                                association_id: a(),
                                account_id: account_id.into(),
                            })
                            .await,
                    ),
                ),
                (
                    "RemoveRepresentative",
                    code(
                        client
                            .remove_representative(RemoveRepresentativeRequest {
                                association_id: a(),
                                account_id: account_id.into(),
                            })
                            .await,
                    ),
                ),
            ]
        }

        let (_, mut founder) = app.citizen().await;
        let (account_id, _) = person(&app).await;
        let (_, citizen) = app.citizen().await;
        let (_, staff) = app.staff().await;
        let admin = app.admin().await;
        let service = app.service().await;
        let mut callers = [
            ("anonymous", app.anonymous(), Code::Unauthenticated),
            ("citizen", citizen, Code::PermissionDenied),
            ("staff", staff, Code::Ok),
            ("administrator", admin, Code::Ok),
            ("service", service, Code::PermissionDenied),
        ];

        let mut wrong = Vec::new();
        for (n, (who, client, expected)) in callers.iter_mut().enumerate() {
            let association = create(&mut founder, &format!("RC-M{n}"), "laayoune").await.association_id;
            let before = snapshot(&app).await;
            for (rpc, got) in staff_calls(client, &association, &account_id).await {
                if got != *expected {
                    wrong.push(format!("{rpc} as {who}: expected {expected:?}, got {got:?}"));
                }
            }
            if *expected != Code::Ok && snapshot(&app).await != before {
                wrong.push(format!("refused calls as {who} wrote something"));
            }

            // Registering needs a person; reading needs nobody.
            let create_expected = match *who {
                "anonymous" => Code::Unauthenticated,
                "service" => Code::PermissionDenied,
                _ => Code::Ok,
            };
            let got = code(client.create_association(registration(&format!("RC-C{n}"), "tarfaya")).await);
            if got != create_expected {
                wrong.push(format!("CreateAssociation as {who}: expected {create_expected:?}, got {got:?}"));
            }
            let got = code(client.get_association(GetAssociationRequest { association_id: association.clone() }).await);
            if got != Code::Ok {
                wrong.push(format!("GetAssociation as {who}: got {got:?}"));
            }
            let got = code(client.list_associations(ListAssociationsRequest::default()).await);
            if got != Code::Ok {
                wrong.push(format!("ListAssociations as {who}: got {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "role matrix violations:\n{}", wrong.join("\n"));
    }
}
