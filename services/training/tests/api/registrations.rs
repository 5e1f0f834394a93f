//! Registrations: seats, the waitlist in arrival order, promotion on cancellation and capacity
//! changes, eligibility, idempotent retries.

use std::collections::HashSet;

use tachawor_proto::training::*;
use tachawor_testkit::matrix;
use tonic::Code;

use crate::helpers::{TestApp, rule};

/// Accounts for the concurrency test: a thousand distinct people, created concurrently.
const PEOPLE: usize = 1000;
const SEATS: i32 = 50;

async fn all_registrations(staff: &mut Client, session_id: &str) -> Vec<Registration> {
    let mut out = Vec::new();
    let mut token = String::new();
    loop {
        let page = staff
            .list_registrations(ListRegistrationsRequest {
                session_id: session_id.into(),
                status: 0,
                page: Some(tachawor_proto::common::PageRequest {
                    page_size: 200,
                    page_token: token,
                }),
            })
            .await
            .unwrap()
            .into_inner();
        out.extend(page.registrations);
        if page.next_page_token.is_empty() {
            return out;
        }
        token = page.next_page_token;
    }
}

use crate::helpers::Client;

matrix! {
    async fn a_thousand_concurrent_registrations_fill_fifty_seats_then_the_waitlist(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, SEATS, &[0, 1]).await;
        let people = app.citizens(PEOPLE).await;

        let started = std::time::Instant::now();
        let calls: Vec<_> = people
            .iter()
            .map(|p| {
                let mut client = p.client.clone();
                let session_id = session.session_id.clone();
                tokio::spawn(async move {
                    client
                        .register(RegisterRequest { session_id, idempotency_key: String::new() })
                        .await
                })
            })
            .collect();
        let mut answers = Vec::new();
        for call in calls {
            let answer = call.await.unwrap();
            let registration = answer
                .unwrap_or_else(|s| panic!("a registration failed: {s:?}"))
                .into_inner()
                .registration
                .unwrap();
            answers.push(registration);
        }
        eprintln!("{PEOPLE} registrations in {:?}", started.elapsed());

        let confirmed = answers.iter().filter(|r| r.status == RegistrationStatus::Confirmed as i32).count();
        let waitlisted = answers.iter().filter(|r| r.status == RegistrationStatus::Waitlisted as i32).count();
        assert_eq!((confirmed, waitlisted), (SEATS as usize, PEOPLE - SEATS as usize));
        let arrivals: HashSet<i64> = answers.iter().map(|r| r.arrival).collect();
        assert_eq!(arrivals, (1..=PEOPLE as i64).collect::<HashSet<_>>(), "arrivals are 1..=N once each");
        for r in &answers {
            if r.status == RegistrationStatus::Confirmed as i32 {
                assert!(r.arrival <= i64::from(SEATS), "a late arrival took a seat");
                assert_eq!(r.waitlist_position, 0);
            } else {
                assert_eq!(i64::from(r.waitlist_position), r.arrival - i64::from(SEATS), "waitlist out of arrival order");
            }
        }

        let shown = staff.client.get_session(GetSessionRequest { session_id: session.session_id.clone() })
            .await.unwrap().into_inner().session.unwrap();
        assert_eq!((shown.confirmed_count, shown.waitlisted_count), (SEATS, PEOPLE as i32 - SEATS));

        // Ten confirmed people cancel at once: exactly the next ten arrivals are promoted.
        let cancelling: Vec<_> = answers
            .iter()
            .filter(|r| r.status == RegistrationStatus::Confirmed as i32)
            .take(10)
            .map(|r| {
                let owner = people.iter().find(|p| p.id == r.account_id).unwrap();
                let mut client = owner.client.clone();
                let registration_id = r.registration_id.clone();
                tokio::spawn(async move {
                    client
                        .cancel_registration(CancelRegistrationRequest { registration_id, idempotency_key: String::new() })
                        .await
                })
            })
            .collect();
        let mut promoted = HashSet::new();
        for call in cancelling {
            let answer = call.await.unwrap().expect("cancel").into_inner();
            assert_eq!(answer.registration.unwrap().status, RegistrationStatus::Cancelled as i32);
            promoted.insert(answer.promoted.expect("someone promoted").arrival);
        }
        let expected: HashSet<i64> = (i64::from(SEATS) + 1..=i64::from(SEATS) + 10).collect();
        assert_eq!(promoted, expected);

        let all = all_registrations(&mut staff.client, &session.session_id).await;
        assert_eq!(all.len(), PEOPLE);
        let confirmed: Vec<_> = all.iter().filter(|r| r.status == RegistrationStatus::Confirmed as i32).collect();
        assert_eq!(confirmed.len(), SEATS as usize);
        let waiting: Vec<_> = all.iter().filter(|r| r.status == RegistrationStatus::Waitlisted as i32).collect();
        assert_eq!(waiting.len(), PEOPLE - SEATS as usize - 10);
        for (i, r) in waiting.iter().enumerate() {
            assert_eq!(r.waitlist_position, i as i32 + 1);
            assert_eq!(r.arrival, i64::from(SEATS) + 11 + i as i64);
        }
    }

    async fn a_duplicate_racing_with_others_fails_alone(app: TestApp) {
        // Concurrent calls for one session commit together; a duplicate among them is refused
        // by itself and costs nobody else their seat, their arrival number or their event.
        const RACERS: usize = 40;
        const FEW_SEATS: i32 = 10;
        let staff = app.staff().await;
        let session = app.session(&staff, FEW_SEATS, &[0]).await;
        let people = app.citizens(RACERS).await;
        let calls: Vec<_> = people
            .iter()
            .flat_map(|p| [p, p])
            .map(|p| {
                let mut client = p.client.clone();
                let account = p.id.clone();
                let session_id = session.session_id.clone();
                tokio::spawn(async move {
                    let answer = client
                        .register(RegisterRequest { session_id, idempotency_key: String::new() })
                        .await;
                    (account, answer)
                })
            })
            .collect();
        let mut registered = Vec::new();
        let mut refused = Vec::new();
        for call in calls {
            match call.await.unwrap() {
                (account, Ok(answer)) => registered.push((account, answer.into_inner().registration.unwrap())),
                (account, Err(e)) => {
                    assert_eq!(e.code(), Code::AlreadyExists, "{e:?}");
                    refused.push(account);
                }
            }
        }
        let mut once: Vec<_> = registered.iter().map(|(a, _)| a.clone()).collect();
        once.sort();
        refused.sort();
        let mut everyone: Vec<_> = people.iter().map(|p| p.id.clone()).collect();
        everyone.sort();
        assert_eq!(once, everyone, "everyone registered exactly once");
        assert_eq!(refused, everyone, "everyone's second call refused");

        let arrivals: HashSet<i64> = registered.iter().map(|(_, r)| r.arrival).collect();
        assert_eq!(arrivals, (1..=RACERS as i64).collect::<HashSet<_>>(), "no arrival lost to a duplicate");
        for (account, r) in &registered {
            assert_eq!(&r.account_id, account);
            if r.arrival <= i64::from(FEW_SEATS) {
                assert_eq!((r.status, r.waitlist_position), (RegistrationStatus::Confirmed as i32, 0));
            } else {
                assert_eq!(r.status, RegistrationStatus::Waitlisted as i32);
                assert_eq!(i64::from(r.waitlist_position), r.arrival - i64::from(FEW_SEATS));
            }
        }
        let shown = staff.client.clone().get_session(GetSessionRequest { session_id: session.session_id.clone() })
            .await.unwrap().into_inner().session.unwrap();
        assert_eq!((shown.confirmed_count, shown.waitlisted_count), (FEW_SEATS, RACERS as i32 - FEW_SEATS));
        assert_eq!(app.count("registrations").await, RACERS as i64);
        let events = app.events().await;
        let of = |kind: &str| events.iter().filter(|(_, e)| e.r#type == kind).count();
        assert_eq!(of("training.registration.confirmed"), FEW_SEATS as usize);
        assert_eq!(of("training.registration.waitlisted"), RACERS - FEW_SEATS as usize);
    }

    async fn a_second_registration_is_refused_and_a_retry_with_its_key_is_replayed(app: TestApp) {
        let staff = app.staff().await;
        let session = app.session(&staff, 1, &[0]).await;
        let mut person = app.citizen().await;
        let request = RegisterRequest { session_id: session.session_id.clone(), idempotency_key: "k-1".into() };
        let first = person.client.register(request.clone()).await.unwrap().into_inner();
        let again = person.client.register(request).await.unwrap().into_inner();
        assert_eq!(first, again);
        let e = person.client
            .register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::AlreadyExists);
        assert_eq!(app.count("registrations").await, 1);

        // Cancelled, the same person may register again, behind those who arrived meanwhile.
        let mut other = app.citizen().await;
        let id = first.registration.unwrap().registration_id;
        let cancelled = person.client
            .cancel_registration(CancelRegistrationRequest { registration_id: id.clone(), idempotency_key: "c-1".into() })
            .await.unwrap().into_inner();
        assert!(cancelled.promoted.is_none());
        let replayed = person.client
            .cancel_registration(CancelRegistrationRequest { registration_id: id.clone(), idempotency_key: "c-1".into() })
            .await.unwrap().into_inner();
        assert_eq!(cancelled, replayed);
        let e = person.client
            .cancel_registration(CancelRegistrationRequest { registration_id: id.clone(), idempotency_key: String::new() })
            .await.unwrap_err();
        assert_eq!(rule(&e), "registration.cancelled");
        let taken = other.client
            .register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
            .await.unwrap().into_inner().registration.unwrap();
        assert_eq!(taken.status, RegistrationStatus::Confirmed as i32);
        let back = person.client
            .register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
            .await.unwrap().into_inner().registration.unwrap();
        assert_eq!(back.registration_id, id);
        assert_eq!((back.status, back.waitlist_position), (RegistrationStatus::Waitlisted as i32, 1));
    }

    async fn someone_else_cannot_cancel_a_registration_but_staff_can(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 1, &[0]).await;
        let mut a = app.citizen().await;
        let mut b = app.citizen().await;
        let ra = a.client.register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
            .await.unwrap().into_inner().registration.unwrap();
        let rb = b.client.register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
            .await.unwrap().into_inner().registration.unwrap();
        let e = b.client.cancel_registration(CancelRegistrationRequest { registration_id: ra.registration_id.clone(), idempotency_key: String::new() })
            .await.unwrap_err();
        assert_eq!(e.code(), Code::PermissionDenied);
        let done = staff.client.cancel_registration(CancelRegistrationRequest { registration_id: ra.registration_id.clone(), idempotency_key: String::new() })
            .await.unwrap().into_inner();
        assert_eq!(done.promoted.unwrap().registration_id, rb.registration_id);
        let mine = b.client.list_my_registrations(ListMyRegistrationsRequest::default()).await.unwrap().into_inner();
        assert_eq!(mine.registrations.len(), 1);
        assert_eq!(mine.registrations[0].status, RegistrationStatus::Confirmed as i32);
        let csv = staff.client.export_registrations(ExportRegistrationsRequest { session_id: session.session_id.clone() })
            .await.unwrap().into_inner().csv;
        assert_eq!(csv.lines().count(), 3);
        assert!(csv.contains(&format!("{},{},cancelled", ra.registration_id, a.id)));
        assert!(csv.contains(&format!("{},{},confirmed", rb.registration_id, b.id)));
    }

    async fn capacity_changes_promote_or_are_refused(app: TestApp) {
        let mut staff = app.staff().await;
        let session = app.session(&staff, 2, &[0]).await;
        let mut people = app.citizens(5).await;
        for p in people.iter_mut() {
            p.client.register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
                .await.unwrap();
        }
        let mut details = session.details.clone().unwrap();
        details.capacity = 1;
        let e = staff.client.update_session(UpdateSessionRequest { session_id: session.session_id.clone(), details: Some(details.clone()) })
            .await.unwrap_err();
        assert_eq!(rule(&e), "session.capacity_below_confirmed");
        details.capacity = 4;
        let changed = staff.client.update_session(UpdateSessionRequest { session_id: session.session_id.clone(), details: Some(details) })
            .await.unwrap().into_inner().session.unwrap();
        assert_eq!((changed.confirmed_count, changed.waitlisted_count), (4, 1));
    }

    async fn a_citizen_cannot_register_for_a_session_reserved_to_instance_members(app: TestApp) {
        let staff = app.staff().await;
        let session = app
            .session_with(&staff, app.details(10, &[0], Eligibility::InstanceMembers))
            .await;
        let mut citizen = app.citizen().await;
        let e = citizen.client
            .register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
            .await
            .unwrap_err();
        assert_eq!(rule(&e), "registration.not_eligible");
        assert_eq!(app.count("registrations").await, 0);
        let mut member = app.instance_member().await;
        let r = member.client
            .register(RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() })
            .await
            .unwrap()
            .into_inner()
            .registration
            .unwrap();
        assert_eq!(r.status, RegistrationStatus::Confirmed as i32);
    }

    async fn only_a_verified_association_opens_sessions_reserved_to_representatives(app: TestApp) {
        let staff = app.staff().await;
        let reserved = app
            .session_with(&staff, app.details(10, &[0], Eligibility::AssociationRepresentatives))
            .await;
        let register = RegisterRequest { session_id: reserved.session_id.clone(), idempotency_key: String::new() };
        // Pending: creating an association confers nothing.
        let (mut founder, association) = app.founder_of_pending_association().await;
        let e = founder.client.register(register.clone()).await.unwrap_err();
        assert_eq!(rule(&e), "registration.not_eligible");
        assert_eq!(app.count("registrations").await, 0);
        // Suspended right away: still nothing.
        let (mut other, suspended) = app.founder_of_pending_association().await;
        app.set_association(&suspended, true).await;
        let e = other.client.register(register.clone()).await.unwrap_err();
        assert_eq!(rule(&e), "registration.not_eligible");
        // Verified by staff: admitted.
        app.set_association(&association, false).await;
        let r = founder.client.register(register).await.unwrap().into_inner().registration.unwrap();
        assert_eq!(r.status, RegistrationStatus::Confirmed as i32);
    }

    async fn registration_follows_the_window_and_the_session_state(app: TestApp) {
        let mut staff = app.staff().await;
        let now = tachawor_storage::Clock::now_millis(&app.clock);
        let mut details = app.details(10, &[3], Eligibility::Open);
        details.registration_opens_at = Some(crate::helpers::ts(now + 86_400_000));
        details.registration_closes_at = Some(crate::helpers::ts(now + 2 * 86_400_000));
        let session = app.session_with(&staff, details).await;
        let mut person = app.citizen().await;
        let register = RegisterRequest { session_id: session.session_id.clone(), idempotency_key: String::new() };
        let e = person.client.register(register.clone()).await.unwrap_err();
        assert_eq!(rule(&e), "registration.not_open");
        app.advance_days(2);
        let e = person.client.register(register.clone()).await.unwrap_err();
        assert_eq!(rule(&e), "registration.closed");
        staff.client.cancel_session(CancelSessionRequest { session_id: session.session_id.clone(), reason: "Salle indisponible".into() })
            .await.unwrap();
        let e = person.client.register(register).await.unwrap_err();
        assert_eq!(rule(&e), "session.not_scheduled");
        let e = staff.client.mark_session_held(MarkSessionHeldRequest { session_id: session.session_id.clone() })
            .await.unwrap_err();
        assert_eq!(rule(&e), "session.not_scheduled");
        assert_eq!(app.count("registrations").await, 0);
    }
}
