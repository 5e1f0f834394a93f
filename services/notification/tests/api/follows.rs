//! Following consultations (by choice or by taking part) and what followers hear when one
//! opens, closes or is answered, told a batch at a time (many followers each told once, a
//! restart mid-way resuming, a redelivered event telling nobody twice); the people who asked
//! to hear of every new consultation, told a batch at a time; instance members told of their
//! instance's recommendations, former members not.

use std::time::Duration;

use tachawor_proto::{common::PageRequest, events::*, notification::*};
use tachawor_testkit::matrix;

use crate::helpers::*;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The kind, subject and detail of each message, newest first.
fn told(inbox: &[Notification]) -> Vec<(NotificationKind, String, String)> {
    inbox
        .iter()
        .map(|n| {
            (
                NotificationKind::try_from(n.kind).unwrap(),
                n.subject_id.clone(),
                n.detail.clone(),
            )
        })
        .collect()
}

fn opened(consultation_id: &str) -> ConsultationOpened {
    ConsultationOpened {
        consultation_id: consultation_id.into(),
        organizer_kind: "council".into(),
        audience: "public".into(),
        ..Default::default()
    }
}

/// Messages of one event: (how many, how many people).
async fn told_of(app: &TestApp, event_id: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT account_id) FROM nt_notifications WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_one(app.db.pool())
    .await
    .expect("messages of an event")
}

/// Email and SMS rows of one event: (how many, how many people).
async fn sent_of(app: &TestApp, event_id: &str) -> (i64, i64) {
    sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT account_id) FROM nt_deliveries WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_one(app.db.pool())
    .await
    .expect("deliveries of an event")
}

/// `n` people (pseudonymous ids) who take part in `consultation`, so follow it.
async fn participants(app: &TestApp, consultation: &str, n: usize) -> Vec<String> {
    let people: Vec<String> = (0..n).map(|_| id()).collect();
    for account_id in &people {
        app.publish(
            "consultation.response.submitted",
            &ConsultationResponseSubmitted {
                consultation_id: consultation.into(),
                response_id: id(),
                account_id: account_id.clone(),
                ..Default::default()
            },
        )
        .await;
    }
    people
}

async fn follow(person: &Person, consultation_id: &str) -> Follow {
    person
        .client
        .clone()
        .follow_consultation(FollowConsultationRequest {
            consultation_id: consultation_id.into(),
        })
        .await
        .expect("follow")
        .into_inner()
        .follow
        .expect("the follow")
}

async fn follows(
    person: &Person,
    consultation_id: &str,
    page: Option<PageRequest>,
) -> ListMyFollowsResponse {
    person
        .client
        .clone()
        .list_my_follows(ListMyFollowsRequest {
            page,
            consultation_id: consultation_id.into(),
        })
        .await
        .expect("follows")
        .into_inner()
}

/// `person` asks for every new consultation in the inbox (and nowhere else).
async fn opt_in(person: &Person) {
    person
        .client
        .clone()
        .set_my_preferences(SetMyPreferencesRequest {
            preferences: vec![Preference {
                channel: Channel::Inbox as i32,
                kind: NotificationKind::NewConsultation as i32,
                enabled: true,
            }],
        })
        .await
        .expect("opt in");
}

matrix! {
    async fn following_unfollowing_and_the_list_of_follows(app: TestApp) {
        let person = app.citizen().await;
        let other = app.citizen().await;
        let (first, second, taken_part) = (id(), id(), id());
        let made = follow(&person, &first).await;
        assert_eq!(made.consultation_id, first);
        assert!(made.by_choice);
        assert_eq!(made.followed_at, Some(tachawor_proto::dates::timestamp(app.now())));
        // Following again changes nothing, not even since when.
        app.clock.advance(Duration::from_secs(60));
        assert_eq!(follow(&person, &first).await, made);
        follow(&person, &second).await;
        // Taking part follows too, from when it happened.
        app.clock.advance(Duration::from_secs(60));
        app.publish("consultation.comment.posted", &ConsultationCommentPosted {
            consultation_id: taken_part.clone(),
            account_id: person.id.clone(),
            ..Default::default()
        }).await;
        app.settle().await;

        // Newest first, two a page.
        let page = follows(&person, "", Some(PageRequest { page_size: 2, page_token: String::new() })).await;
        let ids: Vec<(&str, bool)> = page.follows.iter().map(|f| (f.consultation_id.as_str(), f.by_choice)).collect();
        assert_eq!(ids, [(taken_part.as_str(), false), (second.as_str(), true)]);
        assert!(!page.next_page_token.is_empty());
        let rest = follows(&person, "", Some(PageRequest { page_size: 2, page_token: page.next_page_token })).await;
        assert_eq!(rest.follows.len(), 1);
        assert_eq!(rest.follows[0], made);
        assert!(rest.next_page_token.is_empty());
        // One consultation: whether the caller follows it; others' follows are not theirs.
        assert_eq!(follows(&person, &first, None).await.follows, std::slice::from_ref(&made));
        assert!(follows(&other, &first, None).await.follows.is_empty());
        assert!(follows(&other, "", None).await.follows.is_empty());

        // Following by choice what one took part in keeps since when.
        let chosen = follow(&person, &taken_part).await;
        assert!(chosen.by_choice);
        assert_eq!(chosen.followed_at, page.follows[0].followed_at);

        // Unfollowing, however one came to follow; a second time there is nothing to stop.
        let mut c = person.client.clone();
        for consultation_id in [&first, &taken_part] {
            let stop = c.unfollow_consultation(UnfollowConsultationRequest {
                consultation_id: consultation_id.to_string(),
            }).await.unwrap().into_inner();
            assert!(stop.unfollowed);
        }
        let again = c.unfollow_consultation(UnfollowConsultationRequest {
            consultation_id: first.clone(),
        }).await.unwrap().into_inner();
        assert!(!again.unfollowed);
        let left: Vec<String> = follows(&person, "", None).await.follows.into_iter().map(|f| f.consultation_id).collect();
        assert_eq!(left, std::slice::from_ref(&second));
        assert_eq!(app.count("nt_followers").await, 1);
    }

    async fn followers_and_people_who_asked_are_told_when_consultations_open(app: TestApp) {
        let mut app = app;
        // Batches of two: five people who asked are told in three.
        app.restart_with(&[("delivery.batch_size", "2")]).await;
        let follower = app.citizen().await;
        let unfollowed = app.citizen().await;
        let bystander = app.citizen().await;
        let both = app.citizen().await;
        let mut asked = Vec::new();
        for _ in 0..5 {
            let person = app.citizen().await;
            opt_in(&person).await;
            asked.push(person);
        }
        opt_in(&both).await;
        let (consultation, other) = (id(), id());
        follow(&follower, &consultation).await;
        follow(&both, &consultation).await;
        follow(&unfollowed, &consultation).await;
        unfollowed.client.clone().unfollow_consultation(UnfollowConsultationRequest {
            consultation_id: consultation.clone(),
        }).await.unwrap();
        // A participant follows too.
        let participant = app.citizen().await;
        app.publish("consultation.response.submitted", &ConsultationResponseSubmitted {
            consultation_id: consultation.clone(),
            account_id: participant.id.clone(),
            ..Default::default()
        }).await;

        app.clock.advance(Duration::from_secs(60));
        let event = app.publish("consultation.consultation.opened", &opened(&consultation)).await;
        // A copy the broker does not catch.
        app.publish_copy(&event).await;
        app.clock.advance(Duration::from_secs(60));
        app.publish("consultation.consultation.closed", &ConsultationClosed {
            consultation_id: consultation.clone(),
        }).await;
        app.settle_broadcasts().await;

        let progress = |detail: &str| (NotificationKind::ConsultationProgress, consultation.clone(), detail.to_string());
        let news = (NotificationKind::NewConsultation, consultation.clone(), "public".to_string());
        assert_eq!(told(&app.inbox(&follower).await), [progress("closed"), progress("opened")]);
        assert_eq!(told(&app.inbox(&participant).await), [progress("closed"), progress("opened")]);
        // A follower who also asked for every new consultation is told once.
        assert_eq!(told(&app.inbox(&both).await), [progress("closed"), progress("opened")]);
        for person in &asked {
            assert_eq!(told(&app.inbox(person).await), std::slice::from_ref(&news));
        }
        assert!(app.inbox(&unfollowed).await.is_empty());
        assert!(app.inbox(&bystander).await.is_empty());
        // The opening's followers and its holders of the preference, the closing's followers.
        assert_eq!(app.count("nt_broadcasts").await, 3);
        // They asked for the inbox only: no email, no SMS of new consultations.
        let (emails,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM nt_deliveries WHERE kind = 'new_consultation'",
        ).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(emails, 0);

        // Another consultation opens: only those who asked hear of it.
        app.publish("consultation.consultation.opened", &ConsultationOpened {
            audience: "associations".into(),
            ..opened(&other)
        }).await;
        app.settle_broadcasts().await;
        assert_eq!(told(&app.inbox(&follower).await).len(), 2);
        assert_eq!(
            told(&app.inbox(&both).await)[0],
            (NotificationKind::NewConsultation, other.clone(), "associations".to_string())
        );
        for person in &asked {
            assert_eq!(app.inbox(person).await.len(), 2);
        }
        assert_eq!(app.count("nt_notifications").await, 3 * 2 + 5 + 1 + 5);
    }

    async fn many_followers_are_told_a_batch_at_a_time_each_once(app: TestApp) {
        let mut app = app;
        // Batches of seven: 60 people who took part and two who follow by choice, 9 batches.
        app.restart_with(&[("delivery.batch_size", "7")]).await;
        let consultation = id();
        let taking_part = participants(&app, &consultation, 60).await;
        let both = [app.citizen().await, app.citizen().await];
        for person in &both {
            opt_in(person).await;
            follow(person, &consultation).await;
        }
        let asked = app.citizen().await;
        opt_in(&asked).await;
        app.settle().await;

        app.clock.advance(Duration::from_secs(60));
        let opening = app.publish("consultation.consultation.opened", &opened(&consultation)).await;
        app.publish_copy(&opening).await;
        app.clock.advance(Duration::from_secs(60));
        let closing = app.publish("consultation.consultation.closed", &ConsultationClosed {
            consultation_id: consultation.clone(),
        }).await;
        app.settle_broadcasts().await;
        // Delivered again once told: nobody is told twice, no broadcast starts again.
        app.publish_copy(&opening).await;
        app.publish_copy(&closing).await;
        app.clock.advance(Duration::from_secs(60));
        let answer = app.publish("consultation.consultation.answered", &ConsultationAnswered {
            consultation_id: consultation.clone(),
        }).await;
        app.settle_broadcasts().await;

        let followers = taking_part.len() as i64 + 2;
        for event in [&opening, &closing, &answer] {
            assert_eq!(told_of(&app, &event.event_id).await.1, followers + i64::from(event.event_id == opening.event_id));
        }
        // Each follower told of each stage exactly once, and by email once (SMS is off).
        for (event, stage) in [(&closing, "closed"), (&answer, "answered")] {
            assert_eq!(told_of(&app, &event.event_id).await, (followers, followers), "{stage}");
            assert_eq!(sent_of(&app, &event.event_id).await, (followers, followers), "{stage}");
        }
        let (progress, people): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT account_id) FROM nt_notifications \
             WHERE event_id = $1 AND kind = 'consultation_progress' AND detail = 'opened'",
        ).bind(&opening.event_id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!((progress, people), (followers, followers));
        for account_id in &taking_part {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM nt_notifications WHERE account_id = $1",
            ).bind(account_id).fetch_one(app.db.pool()).await.unwrap();
            assert_eq!(n, 3, "{account_id}");
        }
        // A follower who also asked for every new consultation is told of the opening once,
        // as a follower; one who only asked, of the news.
        let stage = |detail: &str| (NotificationKind::ConsultationProgress, consultation.clone(), detail.to_string());
        for person in &both {
            assert_eq!(told(&app.inbox(person).await), [stage("answered"), stage("closed"), stage("opened")]);
        }
        assert_eq!(
            told(&app.inbox(&asked).await),
            [(NotificationKind::NewConsultation, consultation.clone(), "public".to_string())]
        );
        assert_eq!(app.count("nt_notifications").await, 3 * followers + 1);
        assert_eq!(app.count("nt_broadcasts").await, 4);
    }

    async fn a_restart_mid_fan_out_resumes_without_telling_anyone_twice(app: TestApp) {
        let mut app = app;
        app.restart_with(&[("delivery.batch_size", "2")]).await;
        let consultation = id();
        let followers = participants(&app, &consultation, 300).await;
        app.settle().await;
        let closing = app.publish("consultation.consultation.closed", &ConsultationClosed {
            consultation_id: consultation.clone(),
        }).await;
        // Killed while its followers are being told, then started again.
        while told_of(&app, &closing.event_id).await.0 < 20 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        app.kill_and_restart().await;
        let (last,): (String,) = sqlx::query_as(
            "SELECT last_account_id FROM nt_broadcasts WHERE event_id = $1",
        ).bind(&closing.event_id).fetch_one(app.db.pool()).await.unwrap();
        assert!(!last.is_empty(), "the batches done were recorded with their messages");
        assert!(told_of(&app, &closing.event_id).await.0 < 300, "killed before the end");
        app.settle_broadcasts().await;
        assert_eq!(told_of(&app, &closing.event_id).await, (300, 300));
        assert_eq!(sent_of(&app, &closing.event_id).await, (300, 300));
        assert_eq!(app.count("nt_notifications").await, followers.len() as i64);
    }

    async fn instance_members_are_told_of_their_recommendations(app: TestApp) {
        let member = app.citizen().await;
        let former = app.citizen().await;
        let elsewhere = app.citizen().await;
        let (instance, other_instance) = (id(), id());
        let former_membership = id();
        app.publish("identity.instance.member_added", &InstanceMemberAdded {
            instance_id: instance.clone(),
            membership_id: id(),
            account_id: member.id.clone(),
            member_role: "member".into(),
            ..Default::default()
        }).await;
        let joined = app.publish("identity.instance.member_added", &InstanceMemberAdded {
            instance_id: instance.clone(),
            membership_id: former_membership.clone(),
            account_id: former.id.clone(),
            member_role: "rapporteur".into(),
            ..Default::default()
        }).await;
        app.publish("identity.instance.member_added", &InstanceMemberAdded {
            instance_id: other_instance.clone(),
            membership_id: id(),
            account_id: elsewhere.id.clone(),
            member_role: "president".into(),
            ..Default::default()
        }).await;
        app.publish("identity.instance.membership_ended", &InstanceMembershipEnded {
            instance_id: instance.clone(),
            membership_id: former_membership.clone(),
            account_id: former.id.clone(),
            ..Default::default()
        }).await;
        // Its start delivered again after the end does not bring the membership back.
        app.publish_copy(&joined).await;
        // An event after the copy on identity's stream: once it is handled, so is the copy.
        // Streams are read apart, so memberships are settled before the council acts.
        app.publish("identity.instance.member_added", &InstanceMemberAdded {
            instance_id: other_instance.clone(),
            membership_id: id(),
            account_id: id(),
            member_role: "member".into(),
            ..Default::default()
        }).await;
        app.settle().await;

        let recommendation = id();
        app.clock.advance(Duration::from_secs(60));
        let answered = app.publish("consultation.recommendation.answered", &InstanceRecommendationAnswered {
            recommendation_id: recommendation.clone(),
            opinion_id: id(),
            instance_id: instance.clone(),
            answer: "accepted".into(),
        }).await;
        app.publish_copy(&answered).await;
        app.clock.advance(Duration::from_secs(60));
        app.publish("consultation.recommendation.follow_up_changed", &InstanceRecommendationFollowUpChanged {
            recommendation_id: recommendation.clone(),
            opinion_id: id(),
            instance_id: instance.clone(),
            follow_up: "in_progress".into(),
        }).await;
        app.settle().await;

        let inbox = app.inbox(&member).await;
        assert_eq!(
            told(&inbox),
            [
                (NotificationKind::RecommendationFollowUp, recommendation.clone(), "in_progress".to_string()),
                (NotificationKind::RecommendationAnswered, recommendation.clone(), "accepted".to_string()),
            ]
        );
        assert!(inbox.iter().all(|n| n.subject_type == "recommendation"));
        assert!(app.inbox(&former).await.is_empty());
        assert!(app.inbox(&elsewhere).await.is_empty());
        assert_eq!(app.count("nt_notifications").await, 2);
        assert_eq!(app.count("nt_instance_members").await, 4);
    }
}
