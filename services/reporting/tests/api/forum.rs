//! The Regional Forum in reporting: consultation's Forum events count as participation and in
//! their own indicators, each once whatever is delivered twice, and they are milestone 4's
//! evidence in the commitment tracker.

use prost::Message;
use tachawor_proto::{
    common::{ActorKind, AgeBand, Date, Gender},
    events::*,
    reporting::{
        CompletionLevel, Dimension, GetCommitmentRequest, MilestoneEvidence, MilestoneStatus,
    },
};
use tachawor_testkit::matrix;

use crate::helpers::*;

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An edition set up in February 2026, held in May: two people contribute three times to one
/// workshop; three recommendations, one under study then accepted and implemented, one
/// rejected, one still under study. Every event is also delivered a second time.
async fn forum(app: &TestApp) -> (String, String) {
    let (one, two) = (
        app.person("laayoune", Gender::Female, AgeBand::AgeBand2534)
            .await,
        app.person("boujdour", Gender::Male, AgeBand::AgeBand1824)
            .await,
    );
    let (edition, workshop) = (id(), id());
    let mut envelopes = Vec::new();
    envelopes.push(
        app.publish(
            "consultation.forum_edition.created",
            day("2026-02-01"),
            &ForumEditionCreated {
                edition_id: edition.clone(),
                year: 2026,
                starts_on: Some(Date {
                    year: 2026,
                    month: 5,
                    day: 10,
                }),
                ends_on: Some(Date {
                    year: 2026,
                    month: 5,
                    day: 11,
                }),
            },
        )
        .await,
    );
    for who in [&one, &one, &two] {
        let province = if who == &one { "laayoune" } else { "boujdour" };
        envelopes.push(
            app.publish(
                "consultation.forum_contribution.added",
                day("2026-05-10"),
                &ForumContributionAdded {
                    contribution_id: id(),
                    workshop_id: workshop.clone(),
                    edition_id: edition.clone(),
                    account_id: who.clone(),
                    province_code: province.into(),
                    actor_kind: ActorKind::Citizen as i32,
                },
            )
            .await,
        );
    }
    let recs = [id(), id(), id()];
    for r in &recs {
        envelopes.push(
            app.publish(
                "consultation.forum_recommendation.added",
                day("2026-05-11"),
                &ForumRecommendationAdded {
                    forum_recommendation_id: r.clone(),
                    workshop_id: workshop.clone(),
                    edition_id: edition.clone(),
                },
            )
            .await,
        );
    }
    let answers = [
        (&recs[0], "under_study", "2026-06-01"),
        (&recs[0], "accepted", "2026-07-01"),
        (&recs[1], "rejected", "2026-06-01"),
        (&recs[2], "under_study", "2026-06-01"),
    ];
    for (r, answer, on) in answers {
        envelopes.push(
            app.publish(
                "consultation.forum_recommendation.answered",
                day(on),
                &ForumRecommendationAnswered {
                    forum_recommendation_id: r.clone(),
                    workshop_id: workshop.clone(),
                    edition_id: edition.clone(),
                    answer: answer.into(),
                },
            )
            .await,
        );
    }
    envelopes.push(
        app.publish(
            "consultation.forum_recommendation.follow_up_changed",
            day("2026-09-01"),
            &ForumRecommendationFollowUpChanged {
                forum_recommendation_id: recs[0].clone(),
                workshop_id: workshop.clone(),
                edition_id: edition.clone(),
                follow_up: "implemented".into(),
            },
        )
        .await,
    );
    // Copies the broker does not catch: counted once all the same.
    for e in &envelopes {
        app.publish_raw(&e.r#type, e.encode_to_vec(), false).await;
    }
    app.settle().await;
    (one, two)
}

matrix! {
    async fn forum_contributions_and_recommendations_are_counted_once(app: TestApp) {
        forum(&app).await;
        let mut staff = app.client(Who::Staff).await;
        let all = app.totals(&mut staff).await;
        let value = |indicator: &str, month: &str| total(&all, indicator, month);
        assert_eq!(value("forum_editions", "2026-02"), 1.0);
        assert_eq!(value("forum_editions_held", "2026-05"), 1.0, "held once, by its first activity");
        assert_eq!(value("forum_contributions", "2026-05"), 3.0);
        assert_eq!(value("forum_contributors", "2026-05"), 2.0);
        assert_eq!(value("participants", "2026-05"), 2.0, "contributors take part");
        assert_eq!(value("forum_recommendations", "2026-05"), 3.0);
        // By the month first answered, with the latest answer.
        assert_eq!(value("forum_recommendations_answered", "2026-06"), 2.0);
        assert_eq!(value("forum_recommendations_accepted", "2026-06"), 1.0);
        assert_eq!(value("forum_recommendations_accepted", "2026-07"), 0.0);
        assert_eq!(value("forum_recommendations_implemented", "2026-09"), 1.0);
        // Nothing of the Forum is an instance's recommendation.
        assert_eq!(value("recommendations_issued", "2026-05"), 0.0);

        let by_province = app.exact(&mut staff, "forum_contributions", Dimension::Province).await;
        assert_eq!(cell(&by_province, "2026-05", "laayoune").unwrap().value, 2.0);
        assert_eq!(cell(&by_province, "2026-05", "boujdour").unwrap().value, 1.0);
        let found = tachawor_reporting::disagreements(app.db()).await.unwrap();
        assert!(found.is_empty(), "the aggregates differ from the facts:\n{}", found.join("\n"));
    }

    async fn the_forum_is_milestone_4s_evidence(app: TestApp) {
        let milestone = async |who: Who| {
            app.client(who)
                .await
                .get_commitment(GetCommitmentRequest { commitment_id: "MALAA0004".into() })
                .await
                .unwrap()
                .into_inner()
                .commitment
                .unwrap()
                .milestones
                .into_iter()
                .find(|m| m.milestone_id == "MALAA0004-4")
                .unwrap()
        };
        app.clock.set(day("2026-03-01"));
        let before = milestone(Who::Staff).await;
        assert_eq!(before.evidence.unwrap(), MilestoneEvidence { target: 1, target_set_by_region: true, ..Default::default() });
        assert_eq!(before.proposed_status, MilestoneStatus::NotStarted as i32);

        forum(&app).await;
        app.clock.set(day("2026-10-01"));
        let m = milestone(Who::Staff).await;
        let e = m.evidence.unwrap();
        assert_eq!(
            (e.forum_editions, e.forum_editions_held, e.forum_contributions, e.forum_recommendations),
            (1, 1, 3, 3)
        );
        assert_eq!((e.forum_recommendations_answered, e.forum_recommendations_accepted), (2, 1));
        assert_eq!((e.sessions_held, e.forums_held, e.measure), (0, 0, 1), "the edition held is the measure");
        assert_eq!(m.proposed_status, MilestoneStatus::Finished as i32);
        assert_eq!(m.completion_level, CompletionLevel::Complete as i32);
        // The public sees no count of fewer people than the threshold.
        let public = milestone(Who::Anonymous).await.evidence.unwrap();
        assert_eq!(public.forum_contributions, -1);
        assert_eq!(public.measure, 1);

        // A Forum held as an event in training as well is not counted twice.
        app.publish(
            "training.session.held",
            day("2026-05-10"),
            &TrainingSessionHeld {
                session_id: id(),
                milestone_ref: "MALAA0004-4".into(),
                kind: "forum".into(),
                province_code: "laayoune".into(),
                confirmed_count: 10,
                attended_count: 8,
                ..Default::default()
            },
        )
        .await;
        app.settle().await;
        let e = milestone(Who::Staff).await.evidence.unwrap();
        assert_eq!((e.sessions_held, e.forums_held, e.measure), (1, 1, 1));
    }
}
