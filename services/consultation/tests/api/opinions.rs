//! Instance opinions: only members of the instance (a membership added in identity, then a
//! fresh login) draft and adopt; staff answer each recommendation and track its follow-up
//! through the allowed transitions; each event once; bad input named.

use std::collections::HashMap;

use tachawor_proto::{
    consultation::*,
    events::{InstanceRecommendationAnswered, InstanceRecommendationFollowUpChanged},
};
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, assert_code, assert_fields, payloads, rule};

fn draft(instance_id: &str) -> DraftOpinionRequest {
    DraftOpinionRequest {
        instance_id: instance_id.into(),
        matter: "Women's access to regional jobs".into(),
        referral: Referral::Council as i32,
        consultation_id: String::new(),
        body: "The instance recommends...".into(),
        recommendations: vec!["Quotas".into(), "Childcare".into(), "Training".into()],
    }
}

fn answer(id: &str, answer: RecommendationAnswer) -> AnswerRecommendationRequest {
    AnswerRecommendationRequest {
        recommendation_id: id.into(),
        answer: answer as i32,
        reasons: "Budget 2027".into(),
    }
}

fn follow(id: &str, follow_up: FollowUp) -> SetRecommendationFollowUpRequest {
    SetRecommendationFollowUpRequest {
        recommendation_id: id.into(),
        follow_up: follow_up as i32,
        note: "Tender launched".into(),
    }
}

async fn draft_on(
    app: &TestApp,
    member: &crate::helpers::Person,
    instance: &str,
    consultation: &str,
) -> Opinion {
    app.client(member)
        .draft_opinion(DraftOpinionRequest {
            consultation_id: consultation.into(),
            ..draft(instance)
        })
        .await
        .expect("an opinion on a consultation")
        .into_inner()
        .opinion
        .unwrap()
}

matrix! {
    async fn a_page_of_a_list_carries_each_items_own_children(app: TestApp) {
        // Opinions with 3, 1 and 2 recommendations, adopted so anyone reads them.
        let instance = app.instance().await;
        let member = app.member(&instance).await;
        let mut m = app.client(&member);
        let mut wanted = HashMap::new();
        for (i, n) in [3, 1, 2].into_iter().enumerate() {
            let recommendations: Vec<String> = (0..n).map(|j| format!("opinion {i}, recommendation {j}")).collect();
            let request = DraftOpinionRequest { matter: format!("matter {i}"), recommendations: recommendations.clone(), ..draft(&instance) };
            let o = m.draft_opinion(request).await.unwrap().into_inner().opinion.unwrap();
            // The instance's only member votes for, then closes the vote.
            m.cast_opinion_vote(CastOpinionVoteRequest { opinion_id: o.opinion_id.clone(), choice: VoteChoice::For as i32 }).await.unwrap();
            m.adopt_opinion(AdoptOpinionRequest { opinion_id: o.opinion_id.clone() }).await.unwrap();
            wanted.insert(o.opinion_id, recommendations);
        }
        let listed = app.anonymous().list_opinions(ListOpinionsRequest::default()).await.unwrap().into_inner().opinions;
        assert_eq!(listed.len(), 3);
        for o in &listed {
            let texts: Vec<String> = o.recommendations.iter().map(|r| r.text.clone()).collect();
            assert_eq!(&texts, &wanted[&o.opinion_id], "{}", o.matter);
        }

        // Consultations with 2, 0 and 1 questions, listed with their own, in order.
        let staff = app.staff().await;
        let mut s = app.client(&staff);
        let mut questions = HashMap::new();
        for (i, n) in [2, 0, 1].into_iter().enumerate() {
            let id = s
                .create_consultation(CreateConsultationRequest {
                    title: crate::helpers::text(&format!("consultation {i}")),
                    body: crate::helpers::text("body"),
                    organizer: Some(Organizer { kind: OrganizerKind::Council as i32, instance_id: String::new() }),
                    audience: Audience::Public as i32,
                    province_codes: Vec::new(),
                    ..Default::default()
                })
                .await
                .unwrap()
                .into_inner()
                .consultation
                .unwrap()
                .consultation_id;
            let mut prompts = Vec::new();
            for j in 0..n {
                let prompt = format!("consultation {i}, question {j}");
                s.add_question(AddQuestionRequest {
                    consultation_id: id.clone(),
                    kind: QuestionKind::FreeText as i32,
                    prompt: crate::helpers::text(&prompt),
                    ..Default::default()
                })
                .await
                .unwrap();
                prompts.push(prompt);
            }
            questions.insert(id, prompts);
        }
        let listed = s.list_consultations(ListConsultationsRequest::default()).await.unwrap().into_inner().consultations;
        let mine: Vec<_> = listed.iter().filter(|c| questions.contains_key(&c.consultation_id)).collect();
        assert_eq!(mine.len(), 3);
        for c in mine {
            let prompts: Vec<String> = c.questions.iter().map(|q| q.prompt.clone().unwrap_or_default().fr.replace(" (fr)", "")).collect();
            assert_eq!(&prompts, &questions[&c.consultation_id]);
        }
    }

    async fn members_draft_and_adopt_staff_answer(app: TestApp) {
        let (staff, citizen, a, b) = tokio::join!(app.staff(), app.citizen(), app.instance(), app.instance());
        let (member, other) = tokio::join!(app.member(&a), app.member(&b));
        let memberships = app.eligibility(&member.id).await.memberships;
        assert_eq!(memberships.iter().map(|m| m.instance_id.as_str()).collect::<Vec<_>>(), vec![a.as_str()]);
        let mut s = app.client(&staff);
        let mut service = app.service().await;

        // Only members of that instance draft: a citizen, a member of another instance, staff
        // and a service are refused, and nothing is written.
        let before = app.written().await;
        for (who, p) in [("citizen", &citizen), ("member of another instance", &other), ("staff", &staff)] {
            assert_code(app.client(p).draft_opinion(draft(&a)).await, Code::PermissionDenied, who);
        }
        assert_code(service.draft_opinion(draft(&a)).await, Code::PermissionDenied, "service");
        assert_code(app.anonymous().draft_opinion(draft(&a)).await, Code::Unauthenticated, "anonymous");
        assert_eq!(app.written().await, before);

        let opinion = app.client(&member).draft_opinion(draft(&a)).await.unwrap().into_inner().opinion.unwrap();
        assert_eq!(opinion.status, OpinionStatus::Draft as i32);
        assert_eq!(opinion.recommendations.len(), 3);
        let oid = opinion.opinion_id.clone();
        let recs: Vec<String> = opinion.recommendations.iter().map(|r| r.recommendation_id.clone()).collect();
        let get = |id: &str| GetOpinionRequest { opinion_id: id.into() };
        // A draft is read by its members and staff only.
        app.client(&member).get_opinion(get(&oid)).await.unwrap();
        s.get_opinion(get(&oid)).await.unwrap();
        for (who, mut c) in [("citizen", app.client(&citizen)), ("other", app.client(&other)), ("anonymous", app.anonymous())] {
            assert_code(c.get_opinion(get(&oid)).await, Code::NotFound, who);
        }
        let err = s.answer_recommendation(answer(&recs[0], RecommendationAnswer::Accepted)).await.unwrap_err();
        assert_eq!(rule(&err), "opinion.not_adopted");

        // Only members adopt.
        let adopt = || AdoptOpinionRequest { opinion_id: oid.clone() };
        let before = app.written().await;
        for (who, p) in [("citizen", &citizen), ("member of another instance", &other), ("staff", &staff)] {
            assert_code(app.client(p).adopt_opinion(adopt()).await, Code::PermissionDenied, who);
        }
        assert_code(service.adopt_opinion(adopt()).await, Code::PermissionDenied, "service");
        assert_code(app.anonymous().adopt_opinion(adopt()).await, Code::Unauthenticated, "anonymous");
        assert_eq!(app.written().await, before);
        // Adoption is by vote: the instance's only member votes for, then closes the vote.
        assert_eq!(rule(&app.client(&member).adopt_opinion(adopt()).await.unwrap_err()), "opinion.quorum");
        app.client(&member)
            .cast_opinion_vote(CastOpinionVoteRequest { opinion_id: oid.clone(), choice: VoteChoice::For as i32 })
            .await
            .unwrap();
        let adopted = app.client(&member).adopt_opinion(adopt()).await.unwrap().into_inner().opinion.unwrap();
        assert_eq!(adopted.status, OpinionStatus::Adopted as i32);
        assert_eq!(rule(&app.client(&member).adopt_opinion(adopt()).await.unwrap_err()), "opinion.transition");
        app.anonymous().get_opinion(get(&oid)).await.expect("an adopted opinion is public");

        // Only staff answer and follow up.
        let before = app.written().await;
        for (who, p) in [("member", &member), ("citizen", &citizen)] {
            let mut c = app.client(p);
            assert_code(c.answer_recommendation(answer(&recs[0], RecommendationAnswer::Accepted)).await, Code::PermissionDenied, who);
            assert_code(c.set_recommendation_follow_up(follow(&recs[0], FollowUp::InProgress)).await, Code::PermissionDenied, who);
        }
        assert_code(service.answer_recommendation(answer(&recs[0], RecommendationAnswer::Accepted)).await, Code::PermissionDenied, "service");
        assert_code(service.set_recommendation_follow_up(follow(&recs[0], FollowUp::InProgress)).await, Code::PermissionDenied, "service");
        assert_eq!(app.written().await, before);

        // Answers: a decision is final; under study may be followed by a decision.
        let done = s.answer_recommendation(answer(&recs[0], RecommendationAnswer::Accepted)).await.unwrap().into_inner().opinion.unwrap();
        assert_eq!(done.recommendations[0].answer, RecommendationAnswer::Accepted as i32);
        assert_eq!(done.recommendations[0].follow_up, FollowUp::NotStarted as i32);
        s.answer_recommendation(answer(&recs[1], RecommendationAnswer::Rejected)).await.unwrap();
        s.answer_recommendation(answer(&recs[2], RecommendationAnswer::UnderStudy)).await.unwrap();
        for (rec, again) in [
            (&recs[0], RecommendationAnswer::Rejected),
            (&recs[1], RecommendationAnswer::Accepted),
            (&recs[2], RecommendationAnswer::UnderStudy),
        ] {
            assert_eq!(rule(&s.answer_recommendation(answer(rec, again)).await.unwrap_err()), "recommendation.transition");
        }
        let err = s.set_recommendation_follow_up(follow(&recs[2], FollowUp::InProgress)).await.unwrap_err();
        assert_eq!(rule(&err), "recommendation.not_accepted", "under study is not followed up");
        s.answer_recommendation(answer(&recs[2], RecommendationAnswer::Accepted)).await.unwrap();

        // Follow-up: accepted ones only, forward only.
        assert_eq!(rule(&s.set_recommendation_follow_up(follow(&recs[1], FollowUp::InProgress)).await.unwrap_err()), "recommendation.not_accepted");
        assert_eq!(rule(&s.set_recommendation_follow_up(follow(&recs[0], FollowUp::NotStarted)).await.unwrap_err()), "recommendation.follow_up_unchanged");
        s.set_recommendation_follow_up(follow(&recs[0], FollowUp::InProgress)).await.unwrap();
        let done = s.set_recommendation_follow_up(follow(&recs[0], FollowUp::Implemented)).await.unwrap().into_inner().opinion.unwrap();
        assert_eq!(done.recommendations[0].follow_up, FollowUp::Implemented as i32);
        assert_eq!(done.recommendations[0].follow_up_note, "Tender launched");
        for back in [FollowUp::InProgress, FollowUp::NotStarted] {
            let err = s.set_recommendation_follow_up(follow(&recs[0], back)).await.unwrap_err();
            assert_eq!(rule(&err), "recommendation.follow_up_transition");
        }
        s.set_recommendation_follow_up(follow(&recs[2], FollowUp::Implemented)).await.expect("not started → implemented");
        let audit = app.audit(&recs[0]).await;
        assert_eq!(
            audit.iter().map(|e| (e.0.as_str(), e.1.as_str())).collect::<Vec<_>>(),
            vec![
                (staff.id.as_str(), "recommendation.answer"),
                (staff.id.as_str(), "recommendation.follow_up"),
                (staff.id.as_str(), "recommendation.follow_up"),
            ]
        );

        // A consultation an instance organizes for instance members: its members take part,
        // members of another instance are refused, citizens do not see it.
        let c = s
            .create_consultation(CreateConsultationRequest {
                title: crate::helpers::text("Gender budgeting"),
                body: crate::helpers::text("Your views"),
                organizer: Some(Organizer { kind: OrganizerKind::Instance as i32, instance_id: a.clone() }),
                audience: Audience::InstanceMembers as i32,
                province_codes: Vec::new(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .consultation
            .unwrap()
            .consultation_id;
        s.open_consultation(OpenConsultationRequest {
            consultation_id: c.clone(),
            closes_at: crate::helpers::ts(tachawor_storage::Clock::now_millis(&app.clock) + 3_600_000),
        })
        .await
        .unwrap();
        let propose = || SubmitProposalRequest {
            consultation_id: c.clone(),
            title: "Gender-sensitive budget lines".into(),
            body: "Tag each line".into(),
            ..Default::default()
        };
        app.client(&member).submit_proposal(propose()).await.expect("a member proposes");
        assert_eq!(rule(&app.client(&other).submit_proposal(propose()).await.unwrap_err()), "consultation.audience");
        assert_code(app.client(&citizen).submit_proposal(propose()).await, Code::NotFound, "citizen");
        assert_code(
            app.client(&citizen).get_consultation(GetConsultationRequest { consultation_id: c.clone() }).await,
            Code::NotFound,
            "citizen reads",
        );

        // An opinion on that consultation, referred by the council.
        let on = draft_on(&app, &member, &a, &c).await;
        assert_eq!(on.consultation_id, c);

        // Bad input: every bad field named, nothing written.
        let before = app.written().await;
        let mut m = app.client(&member);
        assert_fields(
            m.draft_opinion(DraftOpinionRequest {
                instance_id: "instance".into(),
                matter: "m".repeat(301),
                referral: 7,
                consultation_id: "c".into(),
                body: " ".into(),
                recommendations: vec!["Quotas".into(), String::new(), "r".repeat(2001)],
            })
            .await,
            &["instance_id", "matter", "referral", "consultation_id", "body", "recommendations[1]", "recommendations[2]"],
        );
        assert_fields(
            m.draft_opinion(DraftOpinionRequest { recommendations: vec!["r".into(); 51], ..draft(&a) }).await,
            &["recommendations"],
        );
        assert_fields(m.adopt_opinion(AdoptOpinionRequest { opinion_id: "o".into() }).await, &["opinion_id"]);
        let unknown = DraftOpinionRequest { consultation_id: uuid::Uuid::new_v4().to_string(), ..draft(&a) };
        assert_code(m.draft_opinion(unknown).await, Code::NotFound, "an opinion on no consultation");
        assert_fields(
            s.answer_recommendation(AnswerRecommendationRequest { recommendation_id: "r".into(), answer: 9, reasons: "x".repeat(5001) }).await,
            &["recommendation_id", "answer", "reasons"],
        );
        assert_fields(
            s.set_recommendation_follow_up(SetRecommendationFollowUpRequest { recommendation_id: "r".into(), follow_up: 9, note: "x".repeat(5001) }).await,
            &["recommendation_id", "follow_up", "note"],
        );
        assert_eq!(app.written().await, before);

        // Events: each action once.
        let counts = app.event_counts().await;
        assert_eq!(counts.get("consultation.opinion.adopted"), Some(&1), "{counts:?}");
        let events = app.events().await;
        let mut answered: Vec<(String, String)> = payloads::<InstanceRecommendationAnswered>(&events, "consultation.recommendation.answered")
            .into_iter()
            .map(|p| (p.recommendation_id, p.answer))
            .collect();
        answered.sort();
        let mut expected = vec![
            (recs[0].clone(), "accepted".to_string()),
            (recs[1].clone(), "rejected".to_string()),
            (recs[2].clone(), "under_study".to_string()),
            (recs[2].clone(), "accepted".to_string()),
        ];
        expected.sort();
        assert_eq!(answered, expected);
        let mut followed: Vec<(String, String)> = payloads::<InstanceRecommendationFollowUpChanged>(&events, "consultation.recommendation.follow_up_changed")
            .into_iter()
            .map(|p| (p.recommendation_id, p.follow_up))
            .collect();
        followed.sort();
        let mut expected = vec![
            (recs[0].clone(), "in_progress".to_string()),
            (recs[0].clone(), "implemented".to_string()),
            (recs[2].clone(), "implemented".to_string()),
        ];
        expected.sort();
        assert_eq!(followed, expected);
        let by_type: HashMap<_, _> = counts.into_iter().collect();
        assert_eq!(by_type.get("consultation.proposal.submitted"), Some(&1), "{by_type:?}");
        assert_eq!(by_type.get("consultation.opinion.vote_cast"), Some(&1), "{by_type:?}");
        assert_eq!(by_type.len(), 6, "opinion events, the vote, the consultation opened and one proposal: {by_type:?}");
        app.assert_no_personal_data(&[&member, &other, &citizen, &staff]).await;
    }
}
