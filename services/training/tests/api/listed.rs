//! Each session is kept as lists show it (`listed`, its counts read beside it): a page of
//! sessions shows each one as its own page does, to staff and to the public, through every
//! change (scheduled, updated, seats taken, waitlisted and freed, cancelled, held, imported),
//! whatever characters its texts hold and at every page size; sessions from before that column
//! are listed alike and written when the service starts.

use tachawor_proto::{
    common::{LocalizedText, PageRequest},
    training::*,
};
use tachawor_testkit::matrix;

use crate::helpers::*;

/// Every session as ListSessions gives it to `client`, page by page of `size`.
async fn listed(client: &mut Client, size: i32) -> Vec<Session> {
    let mut all = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_sessions(ListSessionsRequest {
                page: Some(PageRequest {
                    page_size: size,
                    page_token: token,
                }),
                ..Default::default()
            })
            .await
            .expect("a page")
            .into_inner();
        assert!(
            page.sessions.len() <= size as usize,
            "a page holds at most its size"
        );
        all.extend(page.sessions);
        if page.next_page_token.is_empty() {
            return all;
        }
        token = page.next_page_token;
    }
}

/// Each of `sessions` as GetSession gives it to `client`.
async fn own_pages(client: &mut Client, sessions: &[Session]) -> Vec<Session> {
    let mut own = Vec::new();
    for s in sessions {
        own.push(
            client
                .get_session(GetSessionRequest {
                    session_id: s.session_id.clone(),
                })
                .await
                .expect("its page")
                .into_inner()
                .session
                .expect("a session"),
        );
    }
    own
}

/// Lists equal own pages for staff and the public, at page sizes 1, 2 and 20; the list.
async fn lists_match(app: &TestApp, staff: &mut Client, when: &str) -> Vec<Session> {
    let mut public = app.anonymous();
    let mut seen = Vec::new();
    for (who, client) in [("staff", &mut *staff), ("public", &mut public)] {
        let all = listed(client, 20).await;
        let own = own_pages(client, &all).await;
        assert_eq!(
            all, own,
            "{when}: {who} lists each session as its page shows it"
        );
        for size in [1, 2] {
            assert_eq!(
                listed(client, size).await,
                all,
                "{when}: {who}, pages of {size}"
            );
        }
        seen.push(all);
    }
    let public = seen.pop().expect("the public's list");
    let staff_list = seen.pop().expect("staff's list");
    assert_eq!(
        staff_list.len(),
        public.len(),
        "{when}: both see every session"
    );
    staff_list
}

fn tricky(s: &str) -> LocalizedText {
    LocalizedText {
        ar: format!("ورشة «{s}» 🌍"),
        fr: format!("Atelier \"{s}\" \\ l'été\tà Laâyoune"),
        en: String::new(),
        zgh: String::new(),
    }
}

matrix! {
    async fn lists_show_each_session_as_its_own_page(app: TestApp) {
        let mut app = app;
        let mut staff = app.staff().await;

        // One online with a link (shown to staff and confirmed participants only), one
        // seat; one to cancel; one to hold.
        let mut details = app.timed_details(1, &[(1, "09:00", "13:00"), (2, "14:00", "17:30")]);
        details.title = Some(tricky("un"));
        details.online_url = "https://visio.region.test/salle?id=1&x=\"2\"".into();
        details.facilitators = vec!["Fatima Zahra «Ouali»".into(), "Brahim\\Salem".into()];
        let seated = app.session_with(&staff, details.clone()).await;
        let mut other = app.details(30, &[3], Eligibility::Open);
        other.title = Some(tricky("deux"));
        let cancelled = app.session_with(&staff, other.clone()).await;
        let held = app.session(&staff, 10, &[0]).await;
        let first = lists_match(&app, &mut staff.client, "scheduled").await;
        assert_eq!(first.len(), 3);

        // Seats taken, then one waiting.
        let mut people = app.citizens(3).await;
        register_for(&mut people[0], &seated.session_id).await;
        let waiting = register_for(&mut people[1], &seated.session_id).await;
        let now = lists_match(&app, &mut staff.client, "a seat taken, one waiting").await;
        let s = now.iter().find(|s| s.session_id == seated.session_id).expect("listed");
        assert_eq!((s.confirmed_count, s.waitlisted_count), (1, 1));
        // What a confirmed participant sees: the link, on the list as on the page.
        let mut participant = people[0].client.clone();
        let theirs = listed(&mut participant, 20).await;
        assert_eq!(theirs, own_pages(&mut participant, &theirs).await, "a participant's list");
        let link = theirs.iter().find(|s| s.session_id == seated.session_id)
            .and_then(|s| s.details.as_ref()).map(|d| d.online_url.clone());
        assert_eq!(link.as_deref(), Some(details.online_url.as_str()));

        // More seats: the waiting person is promoted; new texts and times.
        details.capacity = 3;
        details.title = Some(tricky("un, changé"));
        details.schedule[1].end = "18:00".into();
        staff.client.update_session(UpdateSessionRequest {
            session_id: seated.session_id.clone(),
            details: Some(details.clone()),
        }).await.expect("update");
        register_for(&mut people[2], &seated.session_id).await;
        let now = lists_match(&app, &mut staff.client, "updated").await;
        let s = now.iter().find(|s| s.session_id == seated.session_id).expect("listed");
        assert_eq!((s.confirmed_count, s.waitlisted_count), (3, 0));
        assert_eq!(s.details.as_ref().and_then(|d| d.title.clone()), Some(tricky("un, changé")));
        people[1].client.cancel_registration(CancelRegistrationRequest {
            registration_id: waiting,
            idempotency_key: String::new(),
        }).await.expect("cancel a registration");
        let now = lists_match(&app, &mut staff.client, "a seat freed").await;
        let s = now.iter().find(|s| s.session_id == seated.session_id).expect("listed");
        assert_eq!(s.confirmed_count, 2);

        staff.client.cancel_session(CancelSessionRequest {
            session_id: cancelled.session_id.clone(),
            reason: "Salle indisponible \"travaux\" — تأجيل".into(),
        }).await.expect("cancel");
        app.advance_days(1);
        staff.client.mark_session_held(MarkSessionHeldRequest {
            session_id: held.session_id.clone(),
        }).await.expect("held");
        let imported = staff.client.import_past_sessions(ImportPastSessionsRequest {
            rows: vec![PastSessionImportRow {
                program_id: held.program_id.clone(),
                title_ar: "لقاء تشاوري".into(),
                title_fr: "Rencontre «consultative»".into(),
                kind: "regional_meeting".into(),
                province_code: "laayoune".into(),
                address: "Maison des jeunes \"Al Amal\", Boujdour".into(),
                days: vec![tachawor_proto::dates::date_str(&app.day(-20)).expect("a date")],
                start: "09:00".into(),
                end: "12:00".into(),
                attended_count: "17".into(),
                ..Default::default()
            }],
            dry_run: false,
        }).await.expect("import").into_inner().summary.expect("a summary");
        assert!(imported.written, "{:?}", imported.problems);
        let now = lists_match(&app, &mut staff.client, "cancelled, held, imported").await;
        let statuses: Vec<(i32, bool)> =
            now.iter().map(|s| (s.status, s.recorded_after_the_fact)).collect();
        assert_eq!(statuses.len(), 4);
        for expected in [
            (SessionStatus::Cancelled as i32, false),
            (SessionStatus::Held as i32, false),
            (SessionStatus::Held as i32, true),
        ] {
            assert!(statuses.contains(&expected), "{expected:?} in {statuses:?}");
        }

        // As sessions from before the column: read whole, then written when a replica starts.
        sqlx::query("UPDATE sessions SET listed = NULL")
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(lists_match(&app, &mut staff.client, "read whole").await, now);
        let replica = app.replica().await;
        let (unwritten,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE listed IS NULL")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(unwritten, 0, "every session written at start");
        let public = listed(&mut app.anonymous(), 20).await;
        let mut on_replica = app.anonymous_on(&replica);
        assert_eq!(listed(&mut on_replica, 20).await, public, "read from the kept list");
    }
}
