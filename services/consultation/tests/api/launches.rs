//! Consultations an instance launches: only a current member of the instance proposes one; the
//! proposal is read by staff and the instance's members only, until staff approve it (a draft
//! carrying the instance, public once opened) or reject it with a reason; each step publishes
//! an event naming ids only, and a refused call writes nothing.

use tachawor_proto::{
    consultation::*,
    events::{ConsultationLaunchDecided, ConsultationOpened, ConsultationProposed},
    identity::{EndInstanceMembershipRequest, GetInstanceRequest},
};
use tachawor_storage::Clock;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Client, TestApp, assert_code, assert_fields, payloads, rule, text, ts};

fn proposal(instance_id: &str) -> ProposeConsultationRequest {
    ProposeConsultationRequest {
        instance_id: instance_id.into(),
        title: text("Youth employment in the region"),
        body: text("Which training first?"),
        audience: Audience::Public as i32,
        province_codes: vec!["laayoune".into()],
        ..Default::default()
    }
}

fn get(id: &str) -> GetConsultationRequest {
    GetConsultationRequest {
        consultation_id: id.into(),
    }
}

/// The ids `client` lists, with `launched_by` as the filter.
async fn listed(client: &mut Client, launched_by: &str) -> Vec<String> {
    client
        .list_consultations(ListConsultationsRequest {
            launched_by_instance_id: launched_by.into(),
            ..Default::default()
        })
        .await
        .expect("list")
        .into_inner()
        .consultations
        .into_iter()
        .map(|c| c.consultation_id)
        .collect()
}

matrix! {
    async fn a_member_proposes_and_staff_approve_then_the_public_sees_who_launched_it(app: TestApp) {
        let instance = app.instance().await;
        let elsewhere = app.instance().await;
        let (member, colleague, outsider) =
            tokio::join!(app.member(&instance), app.member(&instance), app.member(&elsewhere));
        let (staff, admin, observer, citizen) =
            tokio::join!(app.staff(), app.admin(), app.observer(), app.citizen());

        // Who may not propose for the instance: nothing is written.
        let before = app.written().await;
        assert_code(app.anonymous().propose_consultation(proposal(&instance)).await, Code::Unauthenticated, "anonymous");
        assert_code(app.service().await.propose_consultation(proposal(&instance)).await, Code::PermissionDenied, "service");
        for (who, p) in [
            ("citizen", &citizen),
            ("member of another instance", &outsider),
            ("staff", &staff),
            ("administrator", &admin),
            ("observer", &observer),
        ] {
            assert_code(app.client(p).propose_consultation(proposal(&instance)).await, Code::PermissionDenied, who);
        }
        assert_eq!(app.written().await, before);

        let c = app
            .client(&member)
            .propose_consultation(proposal(&instance))
            .await
            .unwrap()
            .into_inner()
            .consultation
            .unwrap();
        let id = c.consultation_id.clone();
        assert_eq!(c.status, ConsultationStatus::Proposed as i32);
        assert_eq!(c.launched_by_instance_id, instance);
        assert_eq!(c.organizer, Some(Organizer { kind: OrganizerKind::Instance as i32, instance_id: instance.clone() }));
        assert_eq!(c.province_codes, ["laayoune"]);
        assert_eq!(c.title.unwrap().fr, "Youth employment in the region (fr)");

        // A proposal is staff's and the instance's: the public, citizens and other instances'
        // members neither get nor list it.
        for (who, mut client) in [
            ("anonymous", app.anonymous()),
            ("citizen", app.client(&citizen)),
            ("member of another instance", app.client(&outsider)),
        ] {
            assert_code(client.get_consultation(get(&id)).await, Code::NotFound, who);
            assert!(!listed(&mut client, "").await.contains(&id), "{who} lists it");
            assert!(!listed(&mut client, &instance).await.contains(&id), "{who} lists it by instance");
        }
        for (who, p) in [("colleague", &colleague), ("staff", &staff), ("observer", &observer)] {
            let mut client = app.client(p);
            let seen = client.get_consultation(get(&id)).await.unwrap().into_inner().consultation.unwrap();
            assert_eq!(seen.status, ConsultationStatus::Proposed as i32, "{who}");
            assert!(listed(&mut client, &instance).await.contains(&id), "{who} lists it by instance");
        }
        let proposed = app
            .client(&staff)
            .list_consultations(ListConsultationsRequest { status: ConsultationStatus::Proposed as i32, ..Default::default() })
            .await
            .unwrap()
            .into_inner()
            .consultations;
        assert_eq!(proposed.iter().map(|c| c.consultation_id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
        assert!(listed(&mut app.client(&staff), &elsewhere).await.is_empty(), "the filter keeps one instance's");

        // Staff decide; observers, members and citizens may not. Opening waits for approval.
        let before = app.written().await;
        for (who, p) in [("observer", &observer), ("member", &member), ("citizen", &citizen)] {
            let mut client = app.client(p);
            assert_code(client.approve_consultation(ApproveConsultationRequest { consultation_id: id.clone() }).await, Code::PermissionDenied, who);
            assert_code(
                client.reject_consultation(RejectConsultationRequest { consultation_id: id.clone(), reason: "No".into() }).await,
                Code::PermissionDenied,
                who,
            );
        }
        assert_code(app.anonymous().approve_consultation(ApproveConsultationRequest { consultation_id: id.clone() }).await, Code::Unauthenticated, "anonymous");
        let closes_at = ts(app.clock.now_millis() + 86_400_000);
        let e = app
            .client(&staff)
            .open_consultation(OpenConsultationRequest { consultation_id: id.clone(), closes_at })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "consultation.transition", "a proposal is not opened before approval");
        assert_eq!(app.written().await, before);

        let approved = app
            .client(&admin)
            .approve_consultation(ApproveConsultationRequest { consultation_id: id.clone() })
            .await
            .unwrap()
            .into_inner()
            .consultation
            .unwrap();
        assert_eq!(approved.status, ConsultationStatus::Draft as i32);
        assert_eq!(approved.launched_by_instance_id, instance);
        // Decided once: a second decision is refused and writes nothing.
        let before = app.written().await;
        let e = app
            .client(&staff)
            .reject_consultation(RejectConsultationRequest { consultation_id: id.clone(), reason: "Late".into() })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "consultation.transition");
        assert_eq!(app.written().await, before);

        // A draft still: not public. Opened by staff, it is, launched by the instance.
        assert_code(app.anonymous().get_consultation(get(&id)).await, Code::NotFound, "anonymous reads a draft");
        app.client(&staff)
            .open_consultation(OpenConsultationRequest { consultation_id: id.clone(), closes_at })
            .await
            .unwrap();
        let public = app.anonymous().get_consultation(get(&id)).await.unwrap().into_inner().consultation.unwrap();
        assert_eq!(public.status, ConsultationStatus::Open as i32);
        assert_eq!(public.launched_by_instance_id, instance);
        assert!(listed(&mut app.anonymous(), &instance).await.contains(&id));
        assert!(listed(&mut app.anonymous(), "").await.contains(&id));

        let events = app.events().await;
        let proposed: Vec<ConsultationProposed> = payloads(&events, "consultation.consultation.proposed");
        assert_eq!(proposed, [ConsultationProposed { consultation_id: id.clone(), instance_id: instance.clone() }]);
        let approved: Vec<ConsultationLaunchDecided> = payloads(&events, "consultation.consultation.approved");
        assert_eq!(approved, [ConsultationLaunchDecided { consultation_id: id.clone(), instance_id: instance.clone() }]);
        let opened: Vec<ConsultationOpened> = payloads(&events, "consultation.consultation.opened");
        assert_eq!(opened.len(), 1);
        assert_eq!(opened[0].launched_by_instance_id, instance);
        assert_eq!(opened[0].instance_id, instance);
        let audit: Vec<String> = app.audit(&id).await.into_iter().map(|(_, action, _)| action).collect();
        assert_eq!(audit, ["consultation.propose", "consultation.draft", "consultation.open"]);
        app.assert_no_personal_data(&[&member, &staff, &admin]).await;
    }

    async fn staff_reject_a_proposal_with_a_reason_and_a_former_member_proposes_no_more(app: TestApp) {
        let instance = app.instance().await;
        let (member, leaving) = tokio::join!(app.member(&instance), app.member(&instance));
        let (staff, citizen) = tokio::join!(app.staff(), app.citizen());
        let id = app
            .client(&member)
            .propose_consultation(proposal(&instance))
            .await
            .unwrap()
            .into_inner()
            .consultation
            .unwrap()
            .consultation_id;
        let rejected = app
            .client(&staff)
            .reject_consultation(RejectConsultationRequest { consultation_id: id.clone(), reason: "  Outside the instance's remit ".into() })
            .await
            .unwrap()
            .into_inner()
            .consultation
            .unwrap();
        assert_eq!(rejected.status, ConsultationStatus::Rejected as i32);
        assert_eq!(rejected.rejection_reason, "Outside the instance's remit");
        // The instance reads the reason; the public reads nothing; approval comes too late.
        let seen = app.client(&member).get_consultation(get(&id)).await.unwrap().into_inner().consultation.unwrap();
        assert_eq!(seen.rejection_reason, "Outside the instance's remit");
        assert_code(app.client(&citizen).get_consultation(get(&id)).await, Code::NotFound, "citizen");
        let e = app.client(&staff).approve_consultation(ApproveConsultationRequest { consultation_id: id.clone() }).await.unwrap_err();
        assert_eq!(rule(&e), "consultation.transition");
        let events = app.events().await;
        let decided: Vec<ConsultationLaunchDecided> = payloads(&events, "consultation.consultation.rejected");
        assert_eq!(decided, [ConsultationLaunchDecided { consultation_id: id.clone(), instance_id: instance.clone() }]);
        assert!(payloads::<ConsultationLaunchDecided>(&events, "consultation.consultation.approved").is_empty());

        // A member whose membership ended launches nothing, though the token still names the
        // instance.
        let mut identity_staff = app.identity_staff();
        let seated = identity_staff
            .get_instance(GetInstanceRequest { instance_id: instance.clone() })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        let seat = seated.members.iter().find(|m| m.account_id == leaving.id).unwrap().membership_id.clone();
        identity_staff
            .end_instance_membership(EndInstanceMembershipRequest { membership_id: seat, ended_on: None })
            .await
            .unwrap();
        let before = app.written().await;
        assert_code(app.client(&leaving).propose_consultation(proposal(&instance)).await, Code::PermissionDenied, "a former member");
        assert_eq!(app.written().await, before);
    }

    async fn bad_launch_input_names_its_fields_and_writes_nothing(app: TestApp) {
        let instance = app.instance().await;
        let member = app.member(&instance).await;
        let staff = app.staff().await;
        let mut m = app.client(&member);
        let id = m.propose_consultation(proposal(&instance)).await.unwrap().into_inner().consultation.unwrap().consultation_id;
        let before = app.written().await;
        assert_fields(
            m.propose_consultation(ProposeConsultationRequest {
                instance_id: "not-an-id".into(),
                title: None,
                audience: 9,
                province_codes: vec!["atlantis".into()],
                participation: 7,
                ..proposal(&instance)
            })
            .await,
            &["instance_id", "title.ar", "title.fr", "audience", "province_codes", "participation"],
        );
        let mut s = app.client(&staff);
        assert_fields(s.approve_consultation(ApproveConsultationRequest { consultation_id: "c".into() }).await, &["consultation_id"]);
        assert_fields(
            s.reject_consultation(RejectConsultationRequest { consultation_id: id.clone(), reason: "   ".into() }).await,
            &["reason"],
        );
        assert_fields(
            s.reject_consultation(RejectConsultationRequest { consultation_id: id.clone(), reason: "x".repeat(2_001) }).await,
            &["reason"],
        );
        assert_fields(
            s.list_consultations(ListConsultationsRequest { launched_by_instance_id: "i".into(), ..Default::default() }).await,
            &["launched_by_instance_id"],
        );
        assert_code(
            s.approve_consultation(ApproveConsultationRequest { consultation_id: uuid::Uuid::now_v7().to_string() }).await,
            Code::NotFound,
            "an unknown consultation",
        );
        assert_eq!(app.written().await, before);
    }
}
