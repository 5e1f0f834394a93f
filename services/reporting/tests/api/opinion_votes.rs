//! The consultative instances' votes in reporting: `consultation.opinion.vote_cast` counts in
//! `opinion_votes` (one per member and opinion, a changed vote once) and `opinion_voters`
//! (distinct members), and as participation, once whatever is delivered twice.

use prost::Message;
use tachawor_proto::{
    common::{AgeBand, Gender},
    events::InstanceOpinionVoteCast,
    reporting::Dimension,
};
use tachawor_testkit::matrix;

use crate::helpers::*;

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

matrix! {
    async fn opinion_votes_and_voters_are_counted_once(app: TestApp) {
        let (one, two) = (
            app.person("laayoune", Gender::Female, AgeBand::AgeBand2534).await,
            app.person("boujdour", Gender::Male, AgeBand::AgeBand1824).await,
        );
        let instance = id();
        let (first, second) = (id(), id());
        let vote = |opinion: &str, who: &str, choice: &str, changed: bool| InstanceOpinionVoteCast {
            opinion_id: opinion.into(),
            instance_id: instance.clone(),
            account_id: who.into(),
            choice: choice.into(),
            changed,
            ..Default::default()
        };
        let mut envelopes = Vec::new();
        // In March: both vote on the first opinion, one changes their vote in April.
        for (opinion, who, choice, changed, on) in [
            (&first, &one, "for", false, "2026-03-10"),
            (&first, &two, "against", false, "2026-03-11"),
            (&first, &one, "abstain", true, "2026-04-02"),
            // In April: one votes on the second opinion.
            (&second, &one, "for", false, "2026-04-03"),
        ] {
            envelopes.push(
                app.publish("consultation.opinion.vote_cast", day(on), &vote(opinion, who, choice, changed))
                    .await,
            );
        }
        // Copies the broker does not catch: counted once all the same.
        for e in &envelopes {
            app.publish_raw(&e.r#type, e.encode_to_vec(), false).await;
        }
        app.settle().await;

        let mut staff = app.client(Who::Staff).await;
        let all = app.totals(&mut staff).await;
        let value = |indicator: &str, month: &str| total(&all, indicator, month);
        // A changed vote stays in the month first cast.
        assert_eq!(value("opinion_votes", "2026-03"), 2.0);
        assert_eq!(value("opinion_votes", "2026-04"), 1.0);
        assert_eq!(value("opinion_voters", "2026-03"), 2.0);
        assert_eq!(value("opinion_voters", "2026-04"), 1.0);
        assert_eq!(value("participants", "2026-03"), 2.0, "voting members take part");
        assert_eq!(value("participants", "2026-04"), 1.0);
        // Split by the members' provinces, from their profiles.
        let by_province = app.exact(&mut staff, "opinion_votes", Dimension::Province).await;
        assert_eq!(cell(&by_province, "2026-03", "laayoune").unwrap().value, 1.0);
        assert_eq!(cell(&by_province, "2026-03", "boujdour").unwrap().value, 1.0);
        assert_eq!(cell(&by_province, "2026-04", "laayoune").unwrap().value, 1.0);
        let found = tachawor_reporting::disagreements(app.db()).await.unwrap();
        assert!(found.is_empty(), "the aggregates differ from the facts:\n{}", found.join("\n"));

        // A vote without a member is poison: dead-lettered, nothing counted.
        let bad = app
            .publish("consultation.opinion.vote_cast", day("2026-05-01"), &vote(&second, "", "for", false))
            .await;
        app.settle().await;
        let dead = tachawor_events::dead_letters(app.db(), "reporting-consultation").await.unwrap();
        assert_eq!(dead.len(), 1, "{dead:?}");
        assert_eq!(dead[0].event_id.as_deref(), Some(bad.event_id.as_str()));
        let votes = app.exact(&mut staff, "opinion_votes", Dimension::Unspecified).await;
        assert!(cell(&votes, "2026-05", "").is_none_or(|c| c.value == 0.0));
    }
}
