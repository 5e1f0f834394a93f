//! The sessions desk's forms, driven as a browser without script would: scheduling a session
//! with its days and their local times, changing it (times kept when not changed), cancelling
//! it with a reason, and issuing the certificates of a held session. Anonymous people are sent
//! to sign in, citizens refused with nothing written, refusals shown beside the fields (each
//! day's times by day), and every effect read back through training's gRPC API.

use tachawor_proto::{dates, training as t};

use crate::{
    Person, Platform,
    scenario::{venue_today, venue_zone},
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    training_pages,
    web::Browser,
};

/// `millis` as the venue's local `YYYY-MM-DDTHH:MM`.
pub fn local(millis: i64) -> String {
    let zone = venue_zone();
    let at = millis + i64::from(zone.offset_minutes(millis)) * 60_000;
    let minutes = at.rem_euclid(86_400_000) / 60_000;
    format!(
        "{}T{:02}:{:02}",
        zone.date_of(millis),
        minutes / 60,
        minutes % 60
    )
}

/// The instant of a local `YYYY-MM-DDTHH:MM` at the venue.
fn instant(local: &str) -> i64 {
    let (date, time) = local.split_once('T').expect("a local time");
    let (h, m) = time.split_once(':').expect("HH:MM");
    let minutes = h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap();
    venue_zone()
        .instant(date, minutes)
        .expect("a date")
        .expect("a time that exists")
}

async fn sessions_of(p: &Platform, staff: &Person, program: &str) -> Vec<t::Session> {
    p.training_as(&staff.token)
        .list_sessions(t::ListSessionsRequest {
            program_id: program.into(),
            ..Default::default()
        })
        .await
        .expect("list sessions")
        .into_inner()
        .sessions
}

async fn session(p: &Platform, staff: &Person, id: &str) -> t::Session {
    p.training_as(&staff.token)
        .get_session(t::GetSessionRequest {
            session_id: id.into(),
        })
        .await
        .expect("get session")
        .into_inner()
        .session
        .expect("the session")
}

/// The form's fields: two days, then what `over` changes.
fn fields<'a>(
    program: &'a str,
    days: &'a [(String, &'a str, &'a str)],
    window: &'a (String, String),
    over: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![
        ("program", program),
        ("kind", "training_session"),
        ("title_ar", "ورشة العرائض"),
        ("title_fr", "Atelier pétitions"),
        ("province", "laayoune"),
        ("address", "مقر مجلس الجهة"),
        ("capacity", "25"),
        ("opens", window.0.as_str()),
        ("closes", window.1.as_str()),
        ("eligibility", "open"),
    ];
    for (date, start, end) in days {
        all.push(("day_date", date.as_str()));
        all.push(("day_start", start));
        all.push(("day_end", end));
    }
    for (name, value) in over {
        all.retain(|(n, _)| n != name);
        all.push((name, value));
    }
    all
}

pub async fn check_sessions_edit_desk(p: &Platform) {
    p.clock_to_today();
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let program = crate::scenario::program(p, &staff).await;
    let zone = venue_zone();
    let now = p.now();
    let (d1, d2) = (
        zone.date_of(now + 2 * 86_400_000),
        zone.date_of(now + 3 * 86_400_000),
    );
    let window = (local(now - 3_600_000), local(now + 86_400_000));
    let good = [
        (d1.clone(), "09:00", "17:00"),
        (d2.clone(), "10:00", "17:00"),
    ];

    // Anonymous: to sign in.
    let anonymous = crate::web::get(p.portal, "/fr/staff/sessions/new", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/fr/sign-in?next=%2Ffr%2Fstaff%2Fsessions%2Fnew"),
        "{:?}",
        anonymous.headers
    );

    // A citizen: refused, and their post writes nothing.
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    assert_eq!(as_citizen.get("/fr/staff/sessions/new").await.status, 403);
    let token = crate::web::form_token(&as_citizen.get("/fr/account").await);
    let mut posted = fields(&program, &good, &window, &[]);
    posted.push(("csrf", &token));
    let denied = as_citizen.post_raw("/fr/staff/sessions/new", &posted).await;
    assert_eq!(denied.status, 403);
    assert!(sessions_of(p, &staff, &program).await.is_empty());

    // Bad input: each refusal beside its field, the second day's end named by its day.
    let mut as_staff = sign_in(p, &staff, "fr").await;
    let form = as_staff.get("/fr/staff/sessions/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_localized(&form, "fr");
    assert!(form.body.contains(&format!("value=\"{program}\"")));
    let bad_days = [
        (d1.clone(), "09:00", "17:00"),
        (d2.clone(), "10:00", "09:00"),
    ];
    let bad = as_staff
        .submit(
            "/fr/staff/sessions/new",
            "/fr/staff/sessions/new",
            &fields(&program, &bad_days, &window, &[("capacity", "0")]),
        )
        .await;
    assert_ne!(bad.status, 303, "{}", bad.body);
    assert_beside(&bad, "day1_end", "Journée 2");
    assert_beside(&bad, "capacity", "entre 1 et 100");
    assert!(!bad.plain().contains("day0_end-error"));
    assert!(bad.body.contains("value=\"10:00\""), "what was typed stays");
    assert!(sessions_of(p, &staff, &program).await.is_empty());

    // Scheduled: read back through gRPC, with the days' local times.
    let done = as_staff
        .submit(
            "/fr/staff/sessions/new",
            "/fr/staff/sessions/new",
            &fields(&program, &good, &window, &[]),
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(done.header("location").ends_with("done=scheduled"));
    assert!(
        as_staff
            .follow(&done)
            .await
            .plain()
            .contains("La session est programmée.")
    );
    let listed = sessions_of(p, &staff, &program).await;
    assert_eq!(listed.len(), 1);
    let id = listed[0].session_id.clone();
    let details = listed[0].details.clone().expect("details");
    assert_eq!(details.capacity, 25);
    assert_eq!(details.title.as_ref().unwrap().fr, "Atelier pétitions");
    assert_eq!(details.eligibility, t::Eligibility::Open as i32);
    assert_eq!(details.venue.as_ref().unwrap().province_code, "laayoune");
    let times: Vec<(String, String, String)> = details
        .schedule
        .iter()
        .map(|d| {
            (
                dates::date_str(d.date.as_ref().unwrap()).unwrap(),
                d.start.clone(),
                d.end.clone(),
            )
        })
        .collect();
    assert_eq!(
        times,
        vec![
            (d1.clone(), "09:00".into(), "17:00".into()),
            (d2.clone(), "10:00".into(), "17:00".into()),
        ]
    );
    assert_eq!(
        dates::millis(details.registration_opens_at.as_ref().unwrap()),
        instant(&window.0)
    );

    // Edited: the form filled in; the first day's times kept, the second's end moved.
    let edit_path = format!("/ar/staff/sessions/{id}/edit");
    let edit = as_staff.get(&edit_path).await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    assert_localized(&edit, "ar");
    assert!(edit.body.contains("value=\"Atelier pétitions\""));
    assert!(edit.body.contains("value=\"09:00\"") && edit.body.contains(&window.0));
    let refused = as_staff
        .submit(
            &edit_path,
            &edit_path,
            &fields(&program, &good, &window, &[("title_fr", " ")]),
        )
        .await;
    assert_ne!(refused.status, 303, "{}", refused.body);
    assert_beside(&refused, "title_fr", "بالفرنسية");
    let edited_days = [
        (d1.clone(), "09:00", "17:00"),
        (d2.clone(), "10:00", "16:30"),
    ];
    let saved = as_staff
        .submit(
            &edit_path,
            &edit_path,
            &fields(
                &program,
                &edited_days,
                &window,
                &[("title_fr", "Atelier des pétitions"), ("capacity", "40")],
            ),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.header("location").ends_with("done=saved"));
    let after = session(p, &staff, &id).await.details.expect("details");
    assert_eq!(after.capacity, 40);
    assert_eq!(after.title.as_ref().unwrap().fr, "Atelier des pétitions");
    assert_eq!(
        (
            after.schedule[0].start.as_str(),
            after.schedule[0].end.as_str()
        ),
        ("09:00", "17:00")
    );
    assert_eq!(after.schedule[1].end, "16:30");

    // Cancelled: a confirmation page; a reason is required; a citizen cannot.
    let cancel_path = format!("/fr/staff/sessions/{id}/cancel");
    let token = crate::web::form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(&cancel_path, &[("csrf", &token), ("reason", "Non")])
        .await;
    assert_eq!(denied.status, 403);
    let confirm = as_staff.get(&cancel_path).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_localized(&confirm, "fr");
    let empty = as_staff
        .submit(&cancel_path, &cancel_path, &[("reason", "  ")])
        .await;
    assert_ne!(empty.status, 303, "{}", empty.body);
    assert_beside(&empty, "reason", "motif");
    assert_eq!(
        session(p, &staff, &id).await.status,
        t::SessionStatus::Scheduled as i32
    );
    let reason = "La salle n’est plus disponible";
    let cancelled = as_staff
        .submit(&cancel_path, &cancel_path, &[("reason", reason)])
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert!(cancelled.header("location").ends_with("done=cancelled"));
    let gone = session(p, &staff, &id).await;
    assert_eq!(gone.status, t::SessionStatus::Cancelled as i32);
    assert_eq!(gone.cancel_reason, reason);
    assert_eq!(as_staff.get(&edit_path).await.status, 404);

    check_certificates(p, &staff, &mut as_staff, &mut as_citizen).await;
}

/// Certificates of a held session: one to the participant who attended, none to the one who
/// did not, none twice.
async fn check_certificates(
    p: &Platform,
    staff: &Person,
    as_staff: &mut Browser,
    as_citizen: &mut Browser,
) {
    let id = training_pages::schedule(p, staff, 10, false).await;
    let attendee = p
        .resident_named(staff, "laayoune", "Participant Test")
        .await;
    let absent = p.resident_named(staff, "laayoune", "Absent Test").await;
    training_pages::register_via_api(p, &attendee, &id).await;
    training_pages::register_via_api(p, &absent, &id).await;
    let mut st = p.training_as(&staff.token);
    let registration = st
        .list_registrations(t::ListRegistrationsRequest {
            session_id: id.clone(),
            ..Default::default()
        })
        .await
        .expect("registrations")
        .into_inner()
        .registrations
        .into_iter()
        .find(|r| r.account_id == attendee.id)
        .expect("the registration")
        .registration_id;
    st.check_in(t::CheckInRequest {
        registration_id: registration,
        day: Some(venue_today(p.now())),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
    })
    .await
    .expect("check in");
    let path = format!("/fr/staff/sessions/{id}/certificates");
    let before = as_staff.get(&path).await;
    assert_eq!(before.status, 200, "{}", before.body);
    assert!(
        !before.body.contains(&format!("action=\"{path}\"")),
        "not held yet"
    );
    st.mark_session_held(t::MarkSessionHeldRequest {
        session_id: id.clone(),
    })
    .await
    .expect("held");

    let certificates = |person: &Person| {
        let person = person.clone();
        async move {
            p.training_as(&person.token)
                .export_my_data(t::ExportMyDataRequest::default())
                .await
                .expect("export")
                .into_inner()
                .certificates
        }
    };
    let token = crate::web::form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen.post_raw(&path, &[("csrf", &token)]).await;
    assert_eq!(denied.status, 403);
    assert!(certificates(&attendee).await.is_empty());

    let page = as_staff.get(&path).await;
    assert_localized(&page, "fr");
    let key = page
        .body
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the form's key")
        .to_string();
    let issued = as_staff.submit(&path, &path, &[("key", &key)]).await;
    assert_eq!(issued.status, 303, "{}", issued.body);
    assert!(
        issued
            .header("location")
            .ends_with("?issued=1&already=0&refused=1"),
        "{:?}",
        issued.headers
    );
    let shown = as_staff.follow(&issued).await;
    assert!(
        shown.plain().contains("1 attestation délivrée."),
        "{}",
        shown.body
    );
    let held = certificates(&attendee).await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].session_id, id);
    assert!(certificates(&absent).await.is_empty());

    // Again: nobody has a second one.
    let again = as_staff.submit(&path, &path, &[]).await;
    assert!(
        again
            .header("location")
            .ends_with("?issued=0&already=1&refused=1")
    );
    assert_eq!(certificates(&attendee).await.len(), 1);
}
