//! Consultative instances: the reference ones, creation, memberships and their rules, who may
//! do what, bad input, events, and the roles members get.

use std::collections::BTreeSet;

use tachawor_events::decode_payload;
use tachawor_proto::{
    common::{LocalizedText, PageRequest, VoteMajority, VoteRule},
    events::{InstanceCreated, InstanceMemberAdded, InstanceMembershipEnded, InstanceUpdated},
    identity::*,
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::{
    associations::{
        assert_no_personal_data, code, create, date, eligibility, events_of, my_roles, name,
        person, rule, signed_in, snapshot, today, verified_association,
    },
    helpers::{Client, TestApp, fields},
};

fn new_instance(kind: &str) -> CreateInstanceRequest {
    CreateInstanceRequest {
        name: Some(name(&format!("Instance {kind}"))),
        kind: kind.into(),
        mandate_start: Some(date(2026, 1, 1)),
        mandate_end: Some(date(2028, 12, 31)),
        ..Default::default()
    }
}

async fn create_instance(client: &mut Client, kind: &str) -> ConsultativeInstance {
    client
        .create_instance(new_instance(kind))
        .await
        .expect("create instance")
        .into_inner()
        .instance
        .unwrap()
}

fn member(instance_id: &str, account_id: &str, role: MemberRole) -> AddInstanceMemberRequest {
    AddInstanceMemberRequest {
        instance_id: instance_id.into(),
        account_id: account_id.into(),
        role: role as i32,
        ..Default::default()
    }
}

async fn add(client: &mut Client, request: AddInstanceMemberRequest) -> InstanceMembership {
    client
        .add_instance_member(request)
        .await
        .expect("add member")
        .into_inner()
        .membership
        .unwrap()
}

fn end(membership_id: &str) -> EndInstanceMembershipRequest {
    EndInstanceMembershipRequest {
        membership_id: membership_id.into(),
        ended_on: None,
    }
}

async fn list_all(client: &mut Client, page: Option<PageRequest>) -> ListInstancesResponse {
    client
        .list_instances(ListInstancesRequest {
            page,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
}

fn provincial(instance_id: &str, province: &str) -> UpdateInstanceRequest {
    UpdateInstanceRequest {
        instance_id: instance_id.into(),
        name: Some(name("Instance provinciale")),
        remit: Some(LocalizedText {
            ar: "الشباب".into(),
            fr: "La jeunesse".into(),
            en: String::new(),
        }),
        level: InstanceLevel::Provincial as i32,
        province_code: province.into(),
        vote_rule: Some(VoteRule {
            quorum_percent: 60,
            majority: VoteMajority::TwoThirds as i32,
        }),
    }
}

fn ymd(d: Option<tachawor_proto::common::Date>) -> String {
    d.map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        .unwrap_or_default()
}

matrix! {
    async fn the_regions_reference_instances_exist_from_the_start(app: TestApp) {
        let mut anonymous = app.anonymous();
        let all = list_all(&mut anonymous, None).await;
        let kinds: BTreeSet<String> = all.instances.iter().map(|i| i.kind.clone()).collect();
        assert_eq!(
            kinds,
            BTreeSet::from([
                "equality_equal_opportunities_gender".to_string(),
                "youth".to_string(),
                "economic_actors".to_string(),
            ])
        );
        assert_eq!(all.next_page_token, "");
        for instance in &all.instances {
            let name = instance.name.as_ref().unwrap();
            assert!(!name.ar.is_empty() && !name.fr.is_empty() && !name.en.is_empty());
            assert!(instance.members.is_empty());
        }

        let first = list_all(&mut anonymous, Some(PageRequest { page_size: 2, page_token: String::new() })).await;
        assert_eq!(first.instances.len(), 2);
        assert_ne!(first.next_page_token, "");
        let second = list_all(
            &mut anonymous,
            Some(PageRequest { page_size: 2, page_token: first.next_page_token.clone() }),
        )
        .await;
        assert_eq!(second.instances.len(), 1);
        assert_eq!(second.next_page_token, "");
        let paged: Vec<_> = first.instances.iter().chain(&second.instances).cloned().collect();
        assert_eq!(paged, all.instances);

        let events = app.events().await;
        for instance in &all.instances {
            assert_eq!(events_of(&events, "identity.instance.created", &instance.instance_id).len(), 1);
        }
    }

    async fn today_is_the_day_at_the_venue_not_the_utc_day(app: TestApp) {
        // 23:30 UTC on 1 July 2026 is already 2 July in Laayoune (UTC+1).
        let late = tachawor_proto::dates::millis_of_date("2026-07-01").expect("a date")
            + 23 * 3_600_000
            + 30 * 60_000;
        app.clock.set(late);
        let (_, mut staff) = app.staff().await;
        let (account_id, _) = person(&app).await;
        let instance = create_instance(&mut staff, "youth").await;
        let seat = add(&mut staff, member(&instance.instance_id, &account_id, MemberRole::Member)).await;
        assert_eq!(seat.started_on, Some(date(2026, 7, 2)));
        let ended = staff
            .end_instance_membership(end(&seat.membership_id))
            .await
            .expect("end")
            .into_inner()
            .membership
            .expect("membership");
        assert_eq!(ended.ended_on, Some(date(2026, 7, 2)));
    }

    async fn an_instance_is_created_and_members_come_and_go(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let mut admin = app.admin().await;
        let (president_id, president_email) = person(&app).await;
        let (member_id, member_email) = person(&app).await;
        let association = verified_association(&app, "RC-INST").await.association_id;

        let created = staff
            .create_instance(CreateInstanceRequest {
                name: Some(LocalizedText {
                    ar: "هيئة البيئة".into(),
                    fr: " Instance de l'environnement ".into(),
                    en: String::new(),
                }),
                kind: "environment".into(),
                mandate_start: Some(date(2026, 1, 1)),
                mandate_end: Some(date(2028, 12, 31)),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        let id = created.instance_id.clone();
        assert!(uuid::Uuid::parse_str(&id).is_ok());
        assert_eq!(created.kind, "environment");
        assert_eq!(created.name.as_ref().unwrap().fr, "Instance de l'environnement");
        assert_eq!(created.mandate_start, Some(date(2026, 1, 1)));
        assert_eq!(created.mandate_end, Some(date(2028, 12, 31)));
        assert!(created.members.is_empty());
        assert_eq!(list_all(&mut app.anonymous(), None).await.instances.len(), 4);

        // Started today by default, representing a verified association.
        let president = add(
            &mut staff,
            AddInstanceMemberRequest {
                association_id: association.clone(),
                ..member(&id, &president_id, MemberRole::President)
            },
        )
        .await;
        assert!(uuid::Uuid::parse_str(&president.membership_id).is_ok());
        assert_eq!(president.instance_id, id);
        assert_eq!(president.account_id, president_id);
        assert_eq!(president.role(), MemberRole::President);
        assert_eq!(president.association_id, association);
        assert_eq!(president.started_on, Some(today(&app)));
        assert_eq!(president.ended_on, None);

        let ordinary = add(
            &mut admin,
            AddInstanceMemberRequest {
                started_on: Some(date(2026, 1, 5)),
                ..member(&id, &member_id, MemberRole::Member)
            },
        )
        .await;
        assert_eq!(ordinary.started_on, Some(date(2026, 1, 5)));
        assert_eq!(ordinary.association_id, "");

        let fetched = app
            .anonymous()
            .get_instance(GetInstanceRequest { instance_id: id.clone() })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        assert_eq!(fetched.kind, "environment");
        assert_eq!(fetched.members, [ordinary.clone(), president.clone()]);

        assert!(my_roles(&app, &president_email).await.contains(&Role::InstanceMember));
        assert!(my_roles(&app, &member_email).await.contains(&Role::InstanceMember));
        let eligible = eligibility(&app, &president_id).await;
        assert!(eligible.roles().any(|r| r == Role::InstanceMember));
        assert_eq!(eligible.memberships.len(), 1);
        assert_eq!(eligible.memberships[0].instance_id, id);
        assert_eq!(eligible.memberships[0].role(), MemberRole::President);
        let export = signed_in(&app, &president_email)
            .await
            .export_my_data(ExportMyDataRequest {})
            .await
            .unwrap()
            .into_inner();
        assert_eq!(export.memberships, std::slice::from_ref(&president));

        let ended = staff
            .end_instance_membership(end(&president.membership_id))
            .await
            .unwrap()
            .into_inner()
            .membership
            .unwrap();
        assert_eq!(ended.ended_on, Some(today(&app)));
        assert_eq!(ended.started_on, president.started_on);
        // A membership ended today no longer counts.
        assert!(!my_roles(&app, &president_email).await.contains(&Role::InstanceMember));
        assert!(eligibility(&app, &president_id).await.memberships.is_empty());

        // The presidency is free again, from today.
        let (newcomer_id, _) = person(&app).await;
        add(&mut staff, member(&id, &president_id, MemberRole::President)).await;
        add(&mut staff, member(&id, &newcomer_id, MemberRole::VicePresident)).await;
        let listed = list_all(&mut app.anonymous(), None).await;
        let mine = listed.instances.iter().find(|i| i.instance_id == id).unwrap();
        assert_eq!(mine.members.len(), 4, "{:?}", mine.members);
        assert_eq!(mine.members.iter().filter(|m| m.ended_on.is_none()).count(), 3);
        // Each instance lists its own members only.
        assert!(listed.instances.iter().filter(|i| i.instance_id != id).all(|i| i.members.is_empty()));

        let events = app.events().await;
        let created_events = events_of(&events, "identity.instance.created", &id);
        assert_eq!(created_events.len(), 1);
        let payload: InstanceCreated = decode_payload(created_events[0]).unwrap();
        assert_eq!(
            payload,
            InstanceCreated {
                instance_id: id.clone(),
                kind: "environment".into(),
                level: "regional".into(),
                province_code: String::new(),
                quorum_percent: 50,
                majority: "simple".into(),
            }
        );
        let added: Vec<InstanceMemberAdded> = events_of(&events, "identity.instance.member_added", &id)
            .into_iter()
            .map(|e| decode_payload(e).unwrap())
            .collect();
        assert_eq!(added.len(), 4);
        assert_eq!(
            added[0],
            InstanceMemberAdded {
                instance_id: id.clone(),
                membership_id: president.membership_id.clone(),
                account_id: president_id.clone(),
                member_role: "president".into(),
                association_id: association.clone(),
                started_on: ymd(president.started_on),
                recorded_after_the_fact: false,
            }
        );
        assert_eq!(added[1].member_role, "member");
        let ended_events = events_of(&events, "identity.instance.membership_ended", &id);
        assert_eq!(ended_events.len(), 1);
        let payload: InstanceMembershipEnded = decode_payload(ended_events[0]).unwrap();
        assert_eq!(
            payload,
            InstanceMembershipEnded {
                instance_id: id.clone(),
                membership_id: president.membership_id.clone(),
                account_id: president_id.clone(),
                ended_on: ymd(ended.ended_on),
            }
        );
        assert_no_personal_data(&events, &[&president_email, &member_email, "Test Person"]);

        let actions: Vec<String> = admin
            .list_audit_log(ListAuditLogRequest {
                target_type: "instance".into(),
                target_id: id.clone(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .entries
            .into_iter()
            .rev()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                "instance.create",
                "instance.add_member",
                "instance.add_member",
                "instance.end_membership",
                "instance.add_member",
                "instance.add_member",
            ]
        );
    }

    async fn instances_have_a_level_a_province_and_a_vote_rule_staff_may_edit(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let mut anonymous = app.anonymous();
        // Regional by default, with the region file's vote rule.
        let regional = create_instance(&mut staff, "environment").await;
        assert_eq!(regional.level(), InstanceLevel::Regional);
        assert_eq!(regional.province_code, "");
        assert_eq!(
            regional.vote_rule,
            Some(VoteRule { quorum_percent: 50, majority: VoteMajority::Simple as i32 })
        );
        // The reference instances are regional, with the default rule.
        for reference in list_all(&mut anonymous, None).await.instances.iter().filter(|i| i.instance_id != regional.instance_id) {
            assert_eq!(reference.level(), InstanceLevel::Regional);
            assert_eq!(reference.vote_rule, regional.vote_rule);
        }
        let communal = staff
            .create_instance(CreateInstanceRequest {
                level: InstanceLevel::Communal as i32,
                province_code: "tarfaya".into(),
                remit: Some(LocalizedText { ar: "الماء".into(), fr: " L'eau ".into(), en: String::new() }),
                vote_rule: Some(VoteRule { quorum_percent: 75, majority: VoteMajority::Absolute as i32 }),
                ..new_instance("water")
            })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        assert_eq!(communal.level(), InstanceLevel::Communal);
        assert_eq!(communal.province_code, "tarfaya");
        assert_eq!(communal.remit.as_ref().unwrap().fr, "L'eau");
        assert_eq!(communal.vote_rule.unwrap().quorum_percent, 75);

        // Staff move the regional one to a province, with its own rule.
        let updated = staff
            .update_instance(provincial(&regional.instance_id, "boujdour"))
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        assert_eq!(updated.level(), InstanceLevel::Provincial);
        assert_eq!(updated.province_code, "boujdour");
        assert_eq!(updated.name.as_ref().unwrap().fr, "Instance provinciale");
        assert_eq!(updated.remit.as_ref().unwrap().fr, "La jeunesse");
        assert_eq!(
            updated.vote_rule,
            Some(VoteRule { quorum_percent: 60, majority: VoteMajority::TwoThirds as i32 })
        );
        assert_eq!(updated.kind, "environment");
        assert_eq!(updated.mandate_start, regional.mandate_start);
        // Without a vote rule the current one stays.
        let kept = staff
            .update_instance(UpdateInstanceRequest { vote_rule: None, ..provincial(&regional.instance_id, "laayoune") })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        assert_eq!(kept.province_code, "laayoune");
        assert_eq!(kept.vote_rule, updated.vote_rule);
        let fetched = anonymous
            .get_instance(GetInstanceRequest { instance_id: regional.instance_id.clone() })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        assert_eq!(fetched, kept);

        // Filters: by level, by province, both.
        let filtered = |level: InstanceLevel, province: &str| ListInstancesRequest {
            level: level as i32,
            province_code: province.into(),
            ..Default::default()
        };
        let ids = |r: ListInstancesResponse| r.instances.into_iter().map(|i| i.instance_id).collect::<Vec<_>>();
        let got = ids(anonymous.list_instances(filtered(InstanceLevel::Provincial, "")).await.unwrap().into_inner());
        assert_eq!(got, std::slice::from_ref(&regional.instance_id));
        let got = ids(anonymous.list_instances(filtered(InstanceLevel::Unspecified, "tarfaya")).await.unwrap().into_inner());
        assert_eq!(got, std::slice::from_ref(&communal.instance_id));
        let got = ids(anonymous.list_instances(filtered(InstanceLevel::Communal, "laayoune")).await.unwrap().into_inner());
        assert!(got.is_empty());
        let got = anonymous.list_instances(filtered(InstanceLevel::Regional, "")).await.unwrap().into_inner();
        assert_eq!(got.instances.len(), 3, "the three reference instances");

        let events = app.events().await;
        let created: InstanceCreated =
            decode_payload(events_of(&events, "identity.instance.created", &communal.instance_id)[0]).unwrap();
        assert_eq!(
            created,
            InstanceCreated {
                instance_id: communal.instance_id.clone(),
                kind: "water".into(),
                level: "communal".into(),
                province_code: "tarfaya".into(),
                quorum_percent: 75,
                majority: "absolute".into(),
            }
        );
        let updates: Vec<InstanceUpdated> = events_of(&events, "identity.instance.updated", &regional.instance_id)
            .into_iter()
            .map(|e| decode_payload(e).unwrap())
            .collect();
        assert_eq!(updates.len(), 2);
        assert_eq!(
            updates[0],
            InstanceUpdated {
                instance_id: regional.instance_id.clone(),
                kind: "environment".into(),
                level: "provincial".into(),
                province_code: "boujdour".into(),
                quorum_percent: 60,
                majority: "two_thirds".into(),
            }
        );
        assert_eq!(updates[1].province_code, "laayoune");
        assert_eq!(updates[1].majority, "two_thirds");

        let mut admin = app.admin().await;
        let entries = admin
            .list_audit_log(ListAuditLogRequest {
                target_type: "instance".into(),
                target_id: regional.instance_id.clone(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .entries;
        let update = entries.iter().rev().find(|e| e.action == "instance.update").expect("audited");
        assert!(update.before_json.contains("\"regional\""), "{}", update.before_json);
        assert!(update.after_json.contains("\"boujdour\""), "{}", update.after_json);
    }

    async fn bad_levels_provinces_and_vote_rules_name_their_fields_and_write_nothing(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let instance = create_instance(&mut staff, "culture").await.instance_id;
        let before = snapshot(&app).await;
        let long = "x".repeat(2001);
        let e = staff
            .create_instance(CreateInstanceRequest {
                level: InstanceLevel::Provincial as i32,
                remit: Some(LocalizedText { ar: long.clone(), fr: String::new(), en: long.clone() }),
                vote_rule: Some(VoteRule { quorum_percent: 0, majority: 0 }),
                ..new_instance("water")
            })
            .await
            .unwrap_err();
        assert_eq!(
            fields(&e),
            ["remit.ar", "remit.en", "province_code", "vote_rule.quorum_percent", "vote_rule.majority"]
        );
        let e = staff
            .create_instance(CreateInstanceRequest {
                level: 9,
                province_code: "tarfaya".into(),
                vote_rule: Some(VoteRule { quorum_percent: 101, majority: 7 }),
                ..new_instance("water")
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["level", "vote_rule.quorum_percent", "vote_rule.majority"]);
        let e = staff
            .create_instance(CreateInstanceRequest { province_code: "tarfaya".into(), ..new_instance("water") })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["province_code"]);
        let e = staff
            .create_instance(CreateInstanceRequest {
                level: InstanceLevel::Communal as i32,
                province_code: "atlantis".into(),
                ..new_instance("water")
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["province_code"]);

        let e = staff.update_instance(UpdateInstanceRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["instance_id", "name.ar", "name.fr", "level"]);
        let e = staff
            .update_instance(UpdateInstanceRequest {
                level: InstanceLevel::Regional as i32,
                vote_rule: Some(VoteRule { quorum_percent: -3, majority: VoteMajority::Simple as i32 }),
                ..provincial(&instance, "boujdour")
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["province_code", "vote_rule.quorum_percent"]);
        let e = staff
            .update_instance(provincial(&uuid::Uuid::now_v7().to_string(), "boujdour"))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::NotFound);

        let e = app
            .anonymous()
            .list_instances(ListInstancesRequest {
                level: 12,
                province_code: "atlantis".into(),
                page: Some(PageRequest { page_size: -1, page_token: String::new() }),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["level", "province_code", "page.page_size"]);
        assert_eq!(snapshot(&app).await, before);
    }

    async fn membership_rules_hold_and_refusals_write_nothing(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let instance = create_instance(&mut staff, "culture").await.instance_id;
        let other_instance = create_instance(&mut staff, "sport").await.instance_id;
        let (first_id, _) = person(&app).await;
        let (second_id, _) = person(&app).await;
        let (gone_id, gone_email) = person(&app).await;
        signed_in(&app, &gone_email)
            .await
            .delete_my_account(DeleteMyAccountRequest { password: crate::helpers::PASSWORD.into() })
            .await
            .unwrap();
        let (_, mut founder) = app.citizen().await;
        let pending = create(&mut founder, "RC-PENDING", "tarfaya").await.association_id;
        let missing = uuid::Uuid::now_v7().to_string();

        let first = add(&mut staff, member(&instance, &first_id, MemberRole::President)).await;

        let before = snapshot(&app).await;
        let e = staff
            .add_instance_member(member(&instance, &second_id, MemberRole::President))
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "instance.one_president");
        let e = staff
            .add_instance_member(member(&instance, &first_id, MemberRole::Member))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists, "{e:?}");
        let e = staff
            .add_instance_member(AddInstanceMemberRequest {
                association_id: pending.clone(),
                ..member(&instance, &second_id, MemberRole::Member)
            })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "instance.association_verified");
        for request in [
            member(&missing, &second_id, MemberRole::Member),
            member(&instance, &missing, MemberRole::Member),
            member(&instance, &gone_id, MemberRole::Member),
            AddInstanceMemberRequest {
                association_id: missing.clone(),
                ..member(&instance, &second_id, MemberRole::Member)
            },
        ] {
            let e = staff.add_instance_member(request.clone()).await.unwrap_err();
            assert_eq!(e.code(), Code::NotFound, "{request:?}: {e:?}");
        }
        let e = staff.end_instance_membership(end(&missing)).await.unwrap_err();
        assert_eq!(e.code(), Code::NotFound);
        let e = staff
            .end_instance_membership(EndInstanceMembershipRequest {
                membership_id: first.membership_id.clone(),
                ended_on: Some(date(2020, 1, 1)),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["ended_on"]);
        let e = app
            .anonymous()
            .get_instance(GetInstanceRequest { instance_id: missing.clone() })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::NotFound);
        assert_eq!(snapshot(&app).await, before);

        // The same person may sit on another instance, and a second president elsewhere.
        add(&mut staff, member(&other_instance, &first_id, MemberRole::President)).await;

        staff.end_instance_membership(end(&first.membership_id)).await.unwrap();
        let before = snapshot(&app).await;
        let e = staff.end_instance_membership(end(&first.membership_id)).await.unwrap_err();
        assert_eq!(rule(&e), "instance.membership_ended");
        assert_eq!(snapshot(&app).await, before);

        // Ended today: a new president from today, and the former one back as a member.
        add(&mut staff, member(&instance, &second_id, MemberRole::President)).await;
        add(&mut staff, member(&instance, &first_id, MemberRole::Member)).await;

        // A membership that ends in the future still holds the seat until then.
        let third = add(
            &mut staff,
            AddInstanceMemberRequest {
                started_on: Some(date(2025, 1, 1)),
                ..member(&other_instance, &second_id, MemberRole::Rapporteur)
            },
        )
        .await;
        let t = today(&app);
        staff
            .end_instance_membership(EndInstanceMembershipRequest {
                membership_id: third.membership_id.clone(),
                ended_on: Some(date(t.year + 1, 1, 1)),
            })
            .await
            .unwrap();
        let e = staff
            .add_instance_member(member(&other_instance, &second_id, MemberRole::Member))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);
        add(
            &mut staff,
            AddInstanceMemberRequest {
                started_on: Some(date(t.year + 1, 1, 1)),
                ..member(&other_instance, &second_id, MemberRole::Member)
            },
        )
        .await;
    }

    async fn concurrent_appointments_keep_one_president_and_one_seat(app: TestApp) {
        let (_, staff) = app.staff().await;
        let mut admin = app.admin().await;
        let instance = create_instance(&mut admin, "concurrency").await.instance_id;
        for round in 0..3 {
            let (a, _) = person(&app).await;
            let (b, _) = person(&app).await;
            let (c, _) = person(&app).await;
            let (mut one, mut two) = (staff.clone(), admin.clone());
            // Two presidents at once: one is appointed, the other refused.
            let (x, y) = tokio::join!(
                one.add_instance_member(member(&instance, &a, MemberRole::President)),
                two.add_instance_member(member(&instance, &b, MemberRole::President)),
            );
            let mut codes = [code(x), code(y)];
            codes.sort_by_key(|c| *c as i32);
            assert_eq!(codes, [Code::Ok, Code::FailedPrecondition], "round {round}");
            // The same person twice at once: one seat.
            let (x, y) = tokio::join!(
                one.add_instance_member(member(&instance, &c, MemberRole::Member)),
                two.add_instance_member(member(&instance, &c, MemberRole::Member)),
            );
            let mut codes = [code(x), code(y)];
            codes.sort_by_key(|c| *c as i32);
            assert_eq!(codes, [Code::Ok, Code::AlreadyExists], "round {round}");
            // Free the presidency for the next round.
            let seated = app
                .anonymous()
                .get_instance(GetInstanceRequest { instance_id: instance.clone() })
                .await
                .unwrap()
                .into_inner()
                .instance
                .unwrap();
            for m in seated.members.iter().filter(|m| m.ended_on.is_none()) {
                admin.end_instance_membership(end(&m.membership_id)).await.unwrap();
            }
        }
    }

    async fn bad_instance_input_names_every_field_and_writes_nothing(app: TestApp) {
        let (_, mut staff) = app.staff().await;
        let mut anonymous = app.anonymous();
        let before = snapshot(&app).await;

        let e = staff.create_instance(CreateInstanceRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["name.ar", "name.fr", "kind"]);
        let e = staff
            .create_instance(CreateInstanceRequest {
                name: Some(LocalizedText { ar: "ا".repeat(201), fr: "ok".into(), en: String::new() }),
                kind: "Youth Council".into(),
                mandate_start: Some(date(2025, 2, 30)),
                mandate_end: Some(date(2025, 13, 1)),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["name.ar", "kind", "mandate_start", "mandate_end"]);
        let e = staff
            .create_instance(CreateInstanceRequest {
                mandate_start: Some(date(2027, 1, 1)),
                mandate_end: Some(date(2026, 12, 31)),
                ..new_instance("youth")
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["mandate_end"]);

        let e = staff.add_instance_member(AddInstanceMemberRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["instance_id", "account_id", "role"]);
        let e = staff
            .add_instance_member(AddInstanceMemberRequest {
                instance_id: "i".into(),
                account_id: uuid::Uuid::now_v7().to_string(),
                role: 99,
                association_id: "not-a-uuid".into(),
                started_on: Some(date(2026, 0, 1)),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["instance_id", "role", "association_id", "started_on"]);

        let e = staff
            .end_instance_membership(EndInstanceMembershipRequest {
                membership_id: "m".into(),
                ended_on: Some(date(2026, 2, 29)),
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["membership_id", "ended_on"]);

        let e = anonymous.get_instance(GetInstanceRequest::default()).await.unwrap_err();
        assert_eq!(fields(&e), ["instance_id"]);
        let e = anonymous
            .list_instances(ListInstancesRequest {
                page: Some(PageRequest { page_size: -5, page_token: String::new() }),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["page.page_size"]);
        let e = anonymous
            .list_instances(ListInstancesRequest {
                page: Some(PageRequest { page_size: 1, page_token: "zz".into() }),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["page.page_token"]);

        assert_eq!(snapshot(&app).await, before);
    }

    async fn instance_rpcs_admit_the_right_callers(app: TestApp) {
        /// The staff RPCs, in an order in which each succeeds for an allowed caller.
        async fn staff_calls(
            client: &mut Client,
            instance_id: &str,
            account_id: &str,
            membership_id: &str,
        ) -> Vec<(&'static str, Code)> {
            vec![
                ("CreateInstance", code(client.create_instance(new_instance("working_group")).await)),
                (
                    "AddInstanceMember",
                    code(client.add_instance_member(member(instance_id, account_id, MemberRole::Member)).await),
                ),
                ("EndInstanceMembership", code(client.end_instance_membership(end(membership_id)).await)),
                ("UpdateInstance", code(client.update_instance(provincial(instance_id, "boujdour")).await)),
            ]
        }

        let mut admin = app.admin().await;
        let (_, citizen) = app.citizen().await;
        let (_, staff) = app.staff().await;
        let service = app.service().await;
        let callers = [
            ("anonymous", app.anonymous(), Code::Unauthenticated),
            ("citizen", citizen, Code::PermissionDenied),
            ("staff", staff, Code::Ok),
            ("administrator", app.admin().await, Code::Ok),
            ("service", service, Code::PermissionDenied),
            ("observer", app.with_token(&app.people().observer().await.token), Code::PermissionDenied),
        ];

        let mut wrong = Vec::new();
        for (n, (who, mut client, expected)) in callers.into_iter().enumerate() {
            // Fresh things to act on for each caller.
            let instance = create_instance(&mut admin, &format!("fixture_{n}")).await.instance_id;
            let (account_id, _) = person(&app).await;
            let (seated_id, _) = person(&app).await;
            let seated = add(&mut admin, member(&instance, &seated_id, MemberRole::Member)).await;
            let before = snapshot(&app).await;
            for (rpc, got) in staff_calls(&mut client, &instance, &account_id, &seated.membership_id).await {
                if got != expected {
                    wrong.push(format!("{rpc} as {who}: expected {expected:?}, got {got:?}"));
                }
            }
            if expected != Code::Ok && snapshot(&app).await != before {
                wrong.push(format!("refused calls as {who} wrote something"));
            }
            let got = code(client.get_instance(GetInstanceRequest { instance_id: instance.clone() }).await);
            if got != Code::Ok {
                wrong.push(format!("GetInstance as {who}: got {got:?}"));
            }
            let got = code(client.list_instances(ListInstancesRequest::default()).await);
            if got != Code::Ok {
                wrong.push(format!("ListInstances as {who}: got {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "role matrix violations:\n{}", wrong.join("\n"));
    }
}
