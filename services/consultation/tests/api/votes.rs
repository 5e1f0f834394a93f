//! Adoption by vote: current members vote (one vote each, changeable until the vote closes),
//! closing the vote adopts only with the instance's quorum and majority met (nothing written
//! otherwise), the tally is public once adopted and the per-member votes are the members' and
//! staff's; the instance's rule and members follow identity's events.

use tachawor_proto::{
    common::{VoteMajority, VoteRule},
    consultation::*,
    events::InstanceOpinionVoteCast,
    identity::{GetInstanceRequest, InstanceLevel, UpdateInstanceRequest},
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{Person, TestApp, assert_code, assert_fields, eventually, rule, text};

fn draft(instance_id: &str) -> DraftOpinionRequest {
    DraftOpinionRequest {
        instance_id: instance_id.into(),
        matter: "Youth employment".into(),
        referral: Referral::OwnInitiative as i32,
        consultation_id: String::new(),
        body: "The instance recommends...".into(),
        recommendations: vec!["Apprenticeships".into()],
    }
}

fn vote(opinion_id: &str, choice: VoteChoice) -> CastOpinionVoteRequest {
    CastOpinionVoteRequest {
        opinion_id: opinion_id.into(),
        choice: choice as i32,
    }
}

fn adopt(opinion_id: &str) -> AdoptOpinionRequest {
    AdoptOpinionRequest {
        opinion_id: opinion_id.into(),
    }
}

async fn tally(app: &TestApp, reader: &Person, opinion_id: &str) -> OpinionTally {
    app.client(reader)
        .get_opinion(GetOpinionRequest {
            opinion_id: opinion_id.into(),
        })
        .await
        .expect("the opinion")
        .into_inner()
        .opinion
        .expect("opinion")
        .tally
        .expect("a tally")
}

/// Waits until the projection of identity's events counts `members` on the instance.
async fn members_counted(app: &TestApp, reader: &Person, opinion_id: &str, members: i32) {
    eventually(&format!("{members} members are counted"), || async {
        tally(app, reader, opinion_id).await.members == members
    })
    .await;
}

fn cast(events: &[(String, tachawor_events::Envelope)]) -> Vec<InstanceOpinionVoteCast> {
    use prost::Message;
    events
        .iter()
        .filter(|(_, e)| e.r#type == "consultation.opinion.vote_cast")
        .map(|(_, e)| {
            InstanceOpinionVoteCast::decode(e.payload.as_ref().unwrap().value.as_slice()).unwrap()
        })
        .collect()
}

matrix! {
    async fn members_vote_and_closing_counts_against_the_rule(app: TestApp) {
        let instance = app.instance().await;
        let (a, b, c) = tokio::join!(app.member(&instance), app.member(&instance), app.member(&instance));
        let elsewhere = app.instance().await;
        let (staff, citizen, outsider) = tokio::join!(app.staff(), app.citizen(), app.member(&elsewhere));
        let mut ma = app.client(&a);
        let opinion = ma.draft_opinion(draft(&instance)).await.unwrap().into_inner().opinion.unwrap();
        let id = opinion.opinion_id.clone();
        members_counted(&app, &a, &id, 3).await;
        let t = tally(&app, &staff, &id).await;
        assert_eq!((t.votes_for, t.votes_against, t.abstentions), (0, 0, 0));
        assert_eq!(t.vote_rule, Some(VoteRule { quorum_percent: 50, majority: VoteMajority::Simple as i32 }), "the region's default");

        // The draft is edited while nobody has voted.
        let edited = ma
            .update_opinion_draft(UpdateOpinionDraftRequest {
                opinion_id: id.clone(),
                matter: "Youth employment in Tarfaya".into(),
                referral: Referral::Council as i32,
                consultation_id: String::new(),
                body: " Revised ".into(),
                recommendations: vec!["Apprenticeships".into(), "Micro-credit".into()],
            })
            .await
            .unwrap()
            .into_inner()
            .opinion
            .unwrap();
        assert_eq!(edited.matter, "Youth employment in Tarfaya");
        assert_eq!(edited.body, "Revised");
        assert_eq!(edited.referral, Referral::Council as i32);
        assert_eq!(edited.recommendations.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(), ["Apprenticeships", "Micro-credit"]);

        // Only current members vote; staff, citizens, members of another instance are refused.
        let before = app.written().await;
        for (who, p) in [("staff", &staff), ("citizen", &citizen), ("member of another instance", &outsider)] {
            assert_code(app.client(p).cast_opinion_vote(vote(&id, VoteChoice::For)).await, Code::PermissionDenied, who);
            assert_code(app.client(p).update_opinion_draft(UpdateOpinionDraftRequest { opinion_id: id.clone(), ..Default::default() }.clone_with(&edited)).await, Code::PermissionDenied, who);
        }
        assert_code(app.anonymous().cast_opinion_vote(vote(&id, VoteChoice::For)).await, Code::Unauthenticated, "anonymous");
        assert_code(app.service().await.cast_opinion_vote(vote(&id, VoteChoice::For)).await, Code::PermissionDenied, "service");
        assert_eq!(app.written().await, before);

        // a is a verified resident of Laâyoune; b and c are not verified.
        app.identity.verify(&a.id, "KB654321", "laayoune").await;
        let cast_a = ma.cast_opinion_vote(vote(&id, VoteChoice::For)).await.unwrap().into_inner();
        assert_eq!(cast_a.vote.as_ref().unwrap().choice, VoteChoice::For as i32);
        assert_eq!(cast_a.vote.as_ref().unwrap().account_id, a.id);
        assert_eq!(cast_a.opinion.unwrap().tally.unwrap().votes_for, 1);

        // Voting has started: the draft stays as it is.
        let before = app.written().await;
        let e = ma.update_opinion_draft(UpdateOpinionDraftRequest { opinion_id: id.clone(), ..Default::default() }.clone_with(&edited)).await.unwrap_err();
        assert_eq!(rule(&e), "opinion.vote_started");
        // 1 of 3 voted, 2 needed: no quorum, nothing written.
        let e = ma.adopt_opinion(adopt(&id)).await.unwrap_err();
        assert_eq!(rule(&e), "opinion.quorum");
        assert!(e.message().contains("1 of the instance's 3 members voted, 2 must"), "{}", e.message());
        assert_eq!(app.written().await, before);

        // 1 for, 1 against: quorum met, no majority.
        app.client(&b).cast_opinion_vote(vote(&id, VoteChoice::Against)).await.unwrap();
        let before = app.written().await;
        let e = app.client(&b).adopt_opinion(adopt(&id)).await.unwrap_err();
        assert_eq!(rule(&e), "opinion.majority");
        assert_eq!(app.written().await, before);

        // b changes their vote to an abstention: one vote each, the latest counts.
        let changed = app.client(&b).cast_opinion_vote(vote(&id, VoteChoice::Abstain)).await.unwrap().into_inner();
        let t = changed.opinion.unwrap().tally.unwrap();
        assert_eq!((t.votes_for, t.votes_against, t.abstentions, t.members), (1, 0, 1, 3));
        let adopted = app.client(&c).adopt_opinion(adopt(&id)).await.unwrap().into_inner().opinion.unwrap();
        assert_eq!(adopted.status, OpinionStatus::Adopted as i32);

        // The vote is closed.
        assert_eq!(rule(&app.client(&c).cast_opinion_vote(vote(&id, VoteChoice::For)).await.unwrap_err()), "opinion.transition");
        assert_eq!(rule(&ma.cast_opinion_vote(vote(&id, VoteChoice::Against)).await.unwrap_err()), "opinion.transition");

        // The tally is public once adopted, as counted.
        let public = app
            .anonymous()
            .get_opinion(GetOpinionRequest { opinion_id: id.clone() })
            .await
            .unwrap()
            .into_inner()
            .opinion
            .unwrap()
            .tally
            .unwrap();
        assert_eq!((public.votes_for, public.votes_against, public.abstentions, public.members), (1, 0, 1, 3));
        let listed = app.anonymous().list_opinions(ListOpinionsRequest { instance_id: instance.clone(), page: None }).await.unwrap().into_inner().opinions;
        assert_eq!(listed[0].tally, Some(public));

        // Per-member votes: members and staff, paged.
        let first = ma
            .list_opinion_votes(ListOpinionVotesRequest {
                opinion_id: id.clone(),
                page: Some(tachawor_proto::common::PageRequest { page_size: 1, page_token: String::new() }),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(first.votes.len(), 1);
        assert_ne!(first.next_page_token, "");
        let all = app.client(&staff).list_opinion_votes(ListOpinionVotesRequest { opinion_id: id.clone(), page: None }).await.unwrap().into_inner();
        let mut got: Vec<(String, i32)> = all.votes.iter().map(|v| (v.account_id.clone(), v.choice)).collect();
        got.sort();
        let mut want = vec![(a.id.clone(), VoteChoice::For as i32), (b.id.clone(), VoteChoice::Abstain as i32)];
        want.sort();
        assert_eq!(got, want);
        let observer = app.observer().await;
        app.client(&observer).list_opinion_votes(ListOpinionVotesRequest { opinion_id: id.clone(), page: None }).await.expect("staff figures");
        for (who, p) in [("citizen", &citizen), ("member of another instance", &outsider)] {
            assert_code(app.client(p).list_opinion_votes(ListOpinionVotesRequest { opinion_id: id.clone(), page: None }).await, Code::PermissionDenied, who);
        }
        assert_code(app.anonymous().list_opinion_votes(ListOpinionVotesRequest { opinion_id: id.clone(), page: None }).await, Code::Unauthenticated, "anonymous");

        // One event per vote cast, ids only.
        let events = app.events().await;
        let votes = cast(&events);
        assert_eq!(
            votes.iter().map(|v| (v.account_id.as_str(), v.choice.as_str(), v.changed)).collect::<Vec<_>>(),
            [(a.id.as_str(), "for", false), (b.id.as_str(), "against", false), (b.id.as_str(), "abstain", true)]
        );
        assert!(votes.iter().all(|v| v.opinion_id == id && v.instance_id == instance));
        // Each carries its member's residence province and kind of actor, for reporting's splits.
        assert_eq!(votes[0].province_code, "laayoune");
        for v in &votes {
            let who = app.eligibility(&v.account_id).await;
            assert_eq!(v.province_code, who.residence_province_code);
            assert_eq!(v.actor_kind, who.actor_kind);
        }
        assert_eq!(app.event_counts().await.get("consultation.opinion.adopted"), Some(&1));
        // A member's export holds their vote as last cast; a citizen's has none.
        let export = app.client(&b).export_my_data(ExportMyDataRequest { page: None }).await.unwrap().into_inner();
        let held: Vec<_> = export.opinion_votes.iter().map(|v| (v.opinion_id.as_str(), v.account_id.as_str(), v.choice)).collect();
        assert_eq!(held, [(id.as_str(), b.id.as_str(), VoteChoice::Abstain as i32)]);
        let none = app.client(&citizen).export_my_data(ExportMyDataRequest { page: None }).await.unwrap().into_inner();
        assert!(none.opinion_votes.is_empty());
        app.assert_no_personal_data(&[&a, &b, &c, &staff, &citizen]).await;
    }

    async fn the_rule_and_the_members_follow_identity(app: TestApp) {
        let instance = app.instance().await;
        let (a, b) = tokio::join!(app.member(&instance), app.member(&instance));
        let mut identity_staff = app.identity_staff();
        // Staff ask every member to vote, and two thirds of the votes cast.
        identity_staff
            .update_instance(UpdateInstanceRequest {
                instance_id: instance.clone(),
                name: text("Equality and gender approach"),
                remit: None,
                level: InstanceLevel::Regional as i32,
                province_code: String::new(),
                vote_rule: Some(VoteRule { quorum_percent: 100, majority: VoteMajority::TwoThirds as i32 }),
            })
            .await
            .expect("staff update the instance");
        let id = app.client(&a).draft_opinion(draft(&instance)).await.unwrap().into_inner().opinion.unwrap().opinion_id;
        eventually("the instance's rule is projected", || async {
            tally(&app, &a, &id).await.vote_rule.is_some_and(|r| r.quorum_percent == 100)
        })
        .await;
        members_counted(&app, &a, &id, 2).await;
        assert_eq!(tally(&app, &a, &id).await.vote_rule.unwrap().majority, VoteMajority::TwoThirds as i32);
        app.client(&a).cast_opinion_vote(vote(&id, VoteChoice::For)).await.unwrap();
        let e = app.client(&a).adopt_opinion(adopt(&id)).await.unwrap_err();
        assert_eq!(rule(&e), "opinion.quorum", "everyone must vote");

        // b leaves the instance: b's token still names it, yet b votes no more, and the
        // instance now counts one member.
        let seated = identity_staff
            .get_instance(GetInstanceRequest { instance_id: instance.clone() })
            .await
            .unwrap()
            .into_inner()
            .instance
            .unwrap();
        let seat = seated.members.iter().find(|m| m.account_id == b.id).unwrap().membership_id.clone();
        identity_staff
            .end_instance_membership(tachawor_proto::identity::EndInstanceMembershipRequest { membership_id: seat, ended_on: None })
            .await
            .unwrap();
        let before = app.written().await;
        assert_code(app.client(&b).cast_opinion_vote(vote(&id, VoteChoice::Against)).await, Code::PermissionDenied, "a member who left");
        assert_eq!(app.written().await, before);
        members_counted(&app, &a, &id, 1).await;
        let adopted = app.client(&a).adopt_opinion(adopt(&id)).await.unwrap().into_inner().opinion.unwrap();
        let t = adopted.tally.unwrap();
        assert_eq!((t.votes_for, t.members), (1, 1));
        assert_eq!(t.vote_rule, Some(VoteRule { quorum_percent: 100, majority: VoteMajority::TwoThirds as i32 }));
    }

    async fn bad_vote_input_names_its_fields_and_writes_nothing(app: TestApp) {
        let instance = app.instance().await;
        let member = app.member(&instance).await;
        let mut m = app.client(&member);
        let id = m.draft_opinion(draft(&instance)).await.unwrap().into_inner().opinion.unwrap().opinion_id;
        let before = app.written().await;
        assert_fields(m.cast_opinion_vote(CastOpinionVoteRequest { opinion_id: "o".into(), choice: 9 }).await, &["opinion_id", "choice"]);
        assert_fields(m.cast_opinion_vote(CastOpinionVoteRequest { opinion_id: id.clone(), choice: 0 }).await, &["choice"]);
        assert_fields(
            m.update_opinion_draft(UpdateOpinionDraftRequest {
                opinion_id: "o".into(),
                matter: "m".repeat(301),
                referral: 7,
                consultation_id: "c".into(),
                body: String::new(),
                recommendations: vec![String::new()],
            })
            .await,
            &["opinion_id", "matter", "referral", "consultation_id", "body", "recommendations[0]"],
        );
        assert_fields(
            m.list_opinion_votes(ListOpinionVotesRequest {
                opinion_id: "o".into(),
                page: Some(tachawor_proto::common::PageRequest { page_size: -1, page_token: String::new() }),
            })
            .await,
            &["opinion_id", "page.page_size"],
        );
        let missing = uuid::Uuid::now_v7().to_string();
        assert_code(m.cast_opinion_vote(vote(&missing, VoteChoice::For)).await, Code::NotFound, "no opinion");
        assert_code(m.adopt_opinion(adopt(&missing)).await, Code::NotFound, "no opinion");
        assert_eq!(app.written().await, before);
    }
}

/// An edit request carrying `o`'s text, for `self`'s opinion id.
trait CloneWith {
    fn clone_with(self, o: &Opinion) -> Self;
}

impl CloneWith for UpdateOpinionDraftRequest {
    fn clone_with(self, o: &Opinion) -> Self {
        UpdateOpinionDraftRequest {
            matter: o.matter.clone(),
            referral: o.referral,
            consultation_id: o.consultation_id.clone(),
            body: o.body.clone(),
            recommendations: o.recommendations.iter().map(|r| r.text.clone()).collect(),
            ..self
        }
    }
}
