//! Indicators computed from events: one definition each, split by dimension, small cells
//! suppressed in public output.

use tachawor_proto::{
    common::{ActorKind, AgeBand, Gender},
    events::*,
    reporting::{Dimension, GetIndicatorsRequest},
};
use tachawor_testkit::matrix;

use crate::helpers::*;

/// Six women 25-34 in Laâyoune and two men 18-24 in Boujdour register for one session in
/// September 2025; six attend (one on two days); the session is held in October.
pub async fn training_scenario(app: &TestApp) -> Vec<String> {
    let mut people = Vec::new();
    for _ in 0..6 {
        people.push(
            app.person("laayoune", Gender::Female, AgeBand::AgeBand2534)
                .await,
        );
    }
    for _ in 0..2 {
        people.push(
            app.person("boujdour", Gender::Male, AgeBand::AgeBand1824)
                .await,
        );
    }
    let session = uuid::Uuid::new_v4().to_string();
    let program = uuid::Uuid::new_v4().to_string();
    app.publish(
        "training.session.scheduled",
        day("2025-09-02"),
        &TrainingSessionScheduled {
            session_id: session.clone(),
            program_id: program.clone(),
            milestone_ref: "MALAA0004-1".into(),
            kind: "training_session".into(),
            province_code: "laayoune".into(),
            capacity: 20,
            ..Default::default()
        },
    )
    .await;
    let mut registrations = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let registration = uuid::Uuid::new_v4().to_string();
        let province = if i < 6 { "laayoune" } else { "boujdour" };
        app.publish(
            "training.registration.confirmed",
            day("2025-09-03"),
            &TrainingRegistrationChanged {
                registration_id: registration.clone(),
                session_id: session.clone(),
                program_id: program.clone(),
                participant: participant(person, province),
                previous_status: String::new(),
            },
        )
        .await;
        registrations.push(registration);
    }
    for (i, person) in people.iter().take(6).enumerate() {
        let days: &[&str] = if i == 0 {
            &["2025-09-20", "2025-09-21"]
        } else {
            &["2025-09-20"]
        };
        for d in days {
            app.publish(
                "training.attendance.recorded",
                day(d),
                &TrainingAttendanceRecorded {
                    registration_id: registrations[i].clone(),
                    session_id: session.clone(),
                    program_id: program.clone(),
                    method: "staff".into(),
                    participant: participant(person, "laayoune"),
                    ..Default::default()
                },
            )
            .await;
        }
    }
    app.publish(
        "training.session.held",
        day("2025-10-01"),
        &TrainingSessionHeld {
            session_id: session.clone(),
            program_id: program.clone(),
            milestone_ref: "MALAA0004-1".into(),
            kind: "training_session".into(),
            province_code: "laayoune".into(),
            confirmed_count: 8,
            attended_count: 6,
            ..Default::default()
        },
    )
    .await;
    for (i, score) in [4, 5, 3].into_iter().enumerate() {
        app.publish(
            "training.evaluation.submitted",
            day("2025-10-02"),
            &TrainingEvaluationSubmitted {
                evaluation_id: uuid::Uuid::new_v4().to_string(),
                session_id: session.clone(),
                program_id: program.clone(),
                satisfaction: score,
                participant: participant(&people[i], "laayoune"),
                ..Default::default()
            },
        )
        .await;
    }
    for person in people.iter().take(6) {
        app.publish(
            "training.certificate.issued",
            day("2025-10-03"),
            &TrainingCertificateIssued {
                certificate_id: uuid::Uuid::new_v4().to_string(),
                session_id: session.clone(),
                program_id: program.clone(),
                milestone_ref: "MALAA0004-1".into(),
                participant: participant(person, "laayoune"),
            },
        )
        .await;
    }
    app.settle().await;
    people
}

matrix! {
    async fn training_events_make_exact_figures_for_staff(app: TestApp) {
        training_scenario(&app).await;
        let mut staff = app.client(Who::Staff).await;

        let registrations = app.exact(&mut staff, "registrations", Dimension::Unspecified).await;
        assert_eq!(registrations.len(), 1, "{registrations:?}");
        assert_eq!((registrations[0].month.as_str(), registrations[0].value), ("2025-09", 8.0));
        assert_eq!(registrations[0].people, 8);

        let by_province = app.exact(&mut staff, "registrations", Dimension::Province).await;
        assert_eq!(cell(&by_province, "2025-09", "laayoune").unwrap().value, 6.0);
        assert_eq!(cell(&by_province, "2025-09", "boujdour").unwrap().value, 2.0);
        let by_gender = app.exact(&mut staff, "registrations", Dimension::Gender).await;
        assert_eq!(cell(&by_gender, "2025-09", "female").unwrap().value, 6.0);
        assert_eq!(cell(&by_gender, "2025-09", "male").unwrap().value, 2.0);
        let by_age = app.exact(&mut staff, "registrations", Dimension::AgeBand).await;
        assert_eq!(cell(&by_age, "2025-09", "25_34").unwrap().value, 6.0);
        assert_eq!(cell(&by_age, "2025-09", "18_24").unwrap().value, 2.0);
        let by_actor = app.exact(&mut staff, "registrations", Dimension::ActorKind).await;
        assert_eq!(cell(&by_actor, "2025-09", "citizen").unwrap().value, 8.0);

        // Six distinct people attended, one of them on two days.
        let participants = app.exact(&mut staff, "participants", Dimension::Unspecified).await;
        assert_eq!(cell(&participants, "2025-09", "").unwrap().value, 6.0);

        let held = app.exact(&mut staff, "sessions_held", Dimension::Province).await;
        assert_eq!(cell(&held, "2025-10", "laayoune").unwrap().value, 1.0);
        // A dimension the indicator has no data for: not split.
        let held = app.exact(&mut staff, "sessions_held", Dimension::Gender).await;
        assert_eq!(cell(&held, "2025-10", "").unwrap().value, 1.0);

        let rate = app.exact(&mut staff, "attendance_rate", Dimension::Unspecified).await;
        assert_eq!(cell(&rate, "2025-10", "").unwrap().value, 0.75);
        let satisfaction = app.exact(&mut staff, "satisfaction", Dimension::Unspecified).await;
        assert_eq!(cell(&satisfaction, "2025-10", "").unwrap().value, 4.0);
        assert_eq!(cell(&satisfaction, "2025-10", "").unwrap().people, 3);
        let certificates = app.exact(&mut staff, "certificates", Dimension::Gender).await;
        assert_eq!(cell(&certificates, "2025-10", "female").unwrap().value, 6.0);

        // Month bounds.
        let september = staff
            .get_indicators(GetIndicatorsRequest {
                from_month: "2025-10".into(),
                to_month: "2025-12".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert!(september.exact);
        assert!(september.cells.iter().all(|c| c.month.as_str() >= "2025-10"));
        assert!(september.cells.iter().any(|c| c.indicator == "sessions_held"));
        assert!(!september.cells.iter().any(|c| c.indicator == "registrations"));
        assert!(september.definitions.len() >= 20);
    }

    async fn small_cells_are_suppressed_for_the_public(app: TestApp) {
        training_scenario(&app).await;
        for who in [Who::Anonymous, Who::Citizen, Who::Service] {
            let mut client = app.client(who).await;
            let public = client
                .get_indicators(GetIndicatorsRequest {
                    split_by: Dimension::Province as i32,
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner();
            assert!(!public.exact, "{who:?}");
            let find = |indicator: &str, group: &str| {
                public
                    .cells
                    .iter()
                    .find(|c| c.indicator == indicator && c.group == group)
                    .unwrap_or_else(|| panic!("{indicator}/{group}"))
                    .clone()
            };
            let boujdour = find("registrations", "boujdour");
            assert!(boujdour.suppressed);
            assert_eq!((boujdour.value, boujdour.people), (0.0, 0));
            // Laâyoune's 6 is withheld beside it: the public total of 8 minus 6 would give
            // Boujdour's 2.
            let laayoune = find("registrations", "laayoune");
            assert_eq!((laayoune.value, laayoune.suppressed), (0.0, true));
            // Three evaluators: withheld. Sessions held are acts, never withheld.
            assert!(find("satisfaction", "laayoune").suppressed);
            assert!(!find("sessions_held", "laayoune").suppressed);
            for c in &public.cells {
                assert!(
                    c.suppressed || c.people == 0 || c.people >= 5,
                    "{who:?}: a public cell under 5 people: {c:?}"
                );
            }
        }
    }

    async fn consultation_events_make_their_indicators(app: TestApp) {
        let mut people = Vec::new();
        for _ in 0..6 {
            people.push(app.person("tarfaya", Gender::Female, AgeBand::AgeBand3544).await);
        }
        let at = day("2025-11-10");
        let consultation = uuid::Uuid::new_v4().to_string();
        app.publish(
            "consultation.consultation.opened",
            at,
            &ConsultationOpened { consultation_id: consultation.clone(), ..Default::default() },
        )
        .await;
        let proposal = uuid::Uuid::new_v4().to_string();
        let petition = uuid::Uuid::new_v4().to_string();
        for (i, person) in people.iter().enumerate() {
            let response = uuid::Uuid::new_v4().to_string();
            for edited in [false, true] {
                app.publish(
                    "consultation.response.submitted",
                    at,
                    &ConsultationResponseSubmitted {
                        consultation_id: consultation.clone(),
                        response_id: response.clone(),
                        account_id: person.clone(),
                        province_code: "tarfaya".into(),
                        actor_kind: ActorKind::Citizen as i32,
                        edited,
                    },
                )
                .await;
            }
            app.publish(
                "consultation.proposal.supported",
                at,
                &ConsultationProposalSupported {
                    proposal_id: proposal.clone(),
                    consultation_id: consultation.clone(),
                    account_id: person.clone(),
                    province_code: "tarfaya".into(),
                    supports: i as i64 + 1,
                    ..Default::default()
                },
            )
            .await;
            app.publish(
                "consultation.petition.signed",
                at,
                &PetitionSigned {
                    petition_id: petition.clone(),
                    account_id: person.clone(),
                    province_code: "tarfaya".into(),
                    ..Default::default()
                },
            )
            .await;
        }
        app.publish(
            "consultation.proposal.submitted",
            at,
            &ConsultationProposalSubmitted {
                proposal_id: proposal.clone(),
                consultation_id: consultation.clone(),
                account_id: people[0].clone(),
                province_code: "tarfaya".into(),
                ..Default::default()
            },
        )
        .await;
        app.publish(
            "consultation.comment.posted",
            at,
            &ConsultationCommentPosted {
                comment_id: uuid::Uuid::new_v4().to_string(),
                consultation_id: consultation.clone(),
                account_id: people[1].clone(),
                province_code: "tarfaya".into(),
                ..Default::default()
            },
        )
        .await;
        // One signature withdrawn a day later: no longer counted.
        app.publish(
            "consultation.petition.signature_withdrawn",
            at + 86_400_000,
            &PetitionSignatureWithdrawn {
                petition_id: petition.clone(),
                account_id: people[5].clone(),
                province_code: "tarfaya".into(),
                signed_at: Some(tachawor_proto::dates::timestamp(at)),
            },
        )
        .await;
        app.publish(
            "consultation.petition.created",
            at,
            &PetitionCreated {
                petition_id: petition.clone(),
                kind: "citizen".into(),
                agent_province_code: "tarfaya".into(),
                ..Default::default()
            },
        )
        .await;
        app.publish(
            "consultation.petition.deposited",
            day("2025-12-01"),
            &PetitionDeposited { petition_id: petition.clone(), ..Default::default() },
        )
        .await;
        app.publish(
            "consultation.petition.rejected",
            day("2026-03-01"),
            &PetitionRejected { petition_id: petition.clone(), late: true },
        )
        .await;
        app.publish(
            "consultation.petition.answered_late",
            day("2026-03-01"),
            &PetitionAnsweredLate { petition_id: petition.clone(), ..Default::default() },
        )
        .await;
        let opinion = uuid::Uuid::new_v4().to_string();
        app.publish(
            "consultation.opinion.adopted",
            at,
            &InstanceOpinionAdopted {
                opinion_id: opinion.clone(),
                recommendations: 3,
                ..Default::default()
            },
        )
        .await;
        let recommendation = uuid::Uuid::new_v4().to_string();
        let answers = [("under_study", "not_started"), ("accepted", "implemented")];
        for (i, (answer, follow_up)) in answers.into_iter().enumerate() {
            let at = at + i as i64;
            app.publish(
                "consultation.recommendation.answered",
                at,
                &InstanceRecommendationAnswered {
                    recommendation_id: recommendation.clone(),
                    opinion_id: opinion.clone(),
                    answer: answer.into(),
                    ..Default::default()
                },
            )
            .await;
            app.publish(
                "consultation.recommendation.follow_up_changed",
                at,
                &InstanceRecommendationFollowUpChanged {
                    recommendation_id: recommendation.clone(),
                    opinion_id: opinion.clone(),
                    follow_up: follow_up.into(),
                    ..Default::default()
                },
            )
            .await;
        }
        app.settle().await;

        let mut staff = app.client(Who::Staff).await;
        let all = staff
            .get_indicators(GetIndicatorsRequest::default())
            .await
            .unwrap()
            .into_inner()
            .cells;
        let value = |indicator: &str, month: &str| {
            all.iter()
                .find(|c| c.indicator == indicator && c.month == month)
                .map(|c| c.value)
                .unwrap_or(0.0)
        };
        assert_eq!(value("consultations", "2025-11"), 1.0);
        assert_eq!(value("responses", "2025-11"), 6.0, "edits are not counted again");
        assert_eq!(value("proposals", "2025-11"), 1.0);
        assert_eq!(value("supports", "2025-11"), 6.0);
        assert_eq!(value("comments", "2025-11"), 1.0);
        assert_eq!(value("signatures", "2025-11"), 5.0);
        assert_eq!(value("participants", "2025-11"), 6.0);
        assert_eq!(value("petitions_created", "2025-11"), 1.0);
        assert_eq!(value("petitions_deposited", "2025-12"), 1.0);
        assert_eq!(value("petitions_rejected", "2026-03"), 1.0);
        assert_eq!(value("petitions_answered_late", "2026-03"), 1.0, "counted once");
        assert_eq!(value("petitions_admitted", "2026-03"), 0.0);
        assert_eq!(value("recommendations_issued", "2025-11"), 3.0);
        assert_eq!(value("recommendations_accepted", "2025-11"), 1.0);
        assert_eq!(value("recommendations_implemented", "2025-11"), 1.0);

        let by_gender = app.exact(&mut staff, "responses", Dimension::Gender).await;
        assert_eq!(cell(&by_gender, "2025-11", "female").unwrap().value, 6.0);
    }
}

matrix! {
    async fn a_corrected_residence_moves_that_persons_figures_by_province(app: TestApp) {
        // Three residents of Tarfaya by their verification (the province their responses
        // carry), their consented profiles all in Laâyoune.
        let people = [
            app.person("laayoune", Gender::Female, AgeBand::AgeBand2534).await,
            app.person("laayoune", Gender::Male, AgeBand::AgeBand1824).await,
            app.person("laayoune", Gender::Female, AgeBand::AgeBand1824).await,
        ];
        let consultation = uuid::Uuid::new_v4().to_string();
        for person in &people {
            app.publish(
                "consultation.response.submitted",
                app.now(),
                &ConsultationResponseSubmitted {
                    consultation_id: consultation.clone(),
                    response_id: uuid::Uuid::new_v4().to_string(),
                    account_id: person.clone(),
                    province_code: "tarfaya".into(),
                    actor_kind: ActorKind::Citizen as i32,
                    edited: false,
                },
            )
            .await;
        }
        app.settle().await;
        let month = &tachawor_proto::dates::date_of_millis(app.now())[..7];
        let mut staff = app.client(Who::Staff).await;
        let by_province = app.exact(&mut staff, "responses", Dimension::Province).await;
        assert_eq!(cell(&by_province, month, "tarfaya").map(|c| c.value), Some(3.0), "{by_province:?}");

        // Staff correct the first to Boujdour, the second to outside the region; a correction
        // of someone with nothing counted under the old province moves nothing.
        let corrections = [
            (&people[0], "tarfaya", "boujdour"),
            (&people[1], "tarfaya", ""),
            (&people[2], "es-semara", "laayoune"),
        ];
        for (account, from, to) in corrections {
            app.publish(
                "identity.account.residence_corrected",
                app.now(),
                &AccountResidenceCorrected {
                    account_id: account.clone(),
                    previous_province_code: from.into(),
                    province_code: to.into(),
                },
            )
            .await;
        }
        app.settle().await;
        let by_province = app.exact(&mut staff, "responses", Dimension::Province).await;
        let value = |group: &str| cell(&by_province, month, group).map(|c| (c.value, c.people));
        assert_eq!(value("tarfaya"), Some((1.0, 1)), "{by_province:?}");
        assert_eq!(value("boujdour"), Some((1.0, 1)), "{by_province:?}");
        // Without a residence, the consented province groups the response.
        assert_eq!(value("laayoune"), Some((1.0, 1)), "{by_province:?}");
        // The total is unchanged.
        let total = app.exact(&mut staff, "responses", Dimension::Unspecified).await;
        assert_eq!(cell(&total, month, "").map(|c| c.value), Some(3.0), "{total:?}");
    }
}
