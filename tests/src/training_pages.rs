//! The portal's training pages for a signed-in person, driven as a browser without script
//! would: register (a seat, or the waitlist), my registrations, check in with the day's code,
//! evaluate, download the certificate as a PDF, cancel; visitors sent to sign in, refusals in
//! the page's language, forms without their token refused, nothing written when refused.

use std::process::Command;

use tachawor_proto::{common::LocalizedText, dates, training as t};

use crate::{
    Person, Platform,
    signed_in::{register, sign_in},
    web::{self, Browser, Page},
};

const HOLDER: &str = "سلمى الوالي";

fn both(ar: &str, fr: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: ar.into(),
        fr: fr.into(),
        en: String::new(),
        zgh: String::new(),
    })
}

/// English and message ids a page in Arabic or French must never show.
fn assert_localized(page: &Page, what: &str) {
    let text = page.plain();
    for english in [
        "Not Found",
        "Internal Server Error",
        " the ",
        "Error:",
        "Status {",
        "must be",
        "already",
        "has closed",
        "this is not",
        "registration",
        "only confirmed",
    ] {
        let shown = text
            .split('<')
            .filter_map(|tag| tag.split_once('>').map(|(_, t)| t))
            .any(|t| t.contains(english));
        assert!(!shown, "{what} shows English {english:?}: {text}");
    }
    let ids = tachawor_portal::i18n::Messages::ids(tachawor_portal::i18n::Lang::Ar);
    for id in ids.iter().filter(|id| id.contains('-')) {
        assert!(
            !text.contains(&format!(">{id}<")) && !text.contains(&format!(" {id}<")),
            "{what} shows the message id {id}"
        );
    }
}

/// A citizen verified by `staff` with a legal name in Arabic, signed in through the portal.
async fn named_resident(p: &Platform, staff: &Person, lang: &str) -> (Browser, Person) {
    let person = p.resident_named(staff, "laayoune", HOLDER).await;
    (sign_in(p, &person, lang).await, person)
}

/// A program for the sessions these checks schedule; its id.
pub async fn create_program(p: &Platform, staff: &Person) -> String {
    p.training_as(&staff.token)
        .create_program(t::CreateProgramRequest {
            title: both(
                "برنامج تقوية القدرات",
                "Programme de renforcement des capacités",
            ),
            objectives: both("الآليات التشاركية", "Les mécanismes participatifs"),
            audiences: vec![t::Audience::Public as i32],
            milestone_ref: "MALAA0004-1".into(),
            province_codes: vec![],
            idempotency_key: String::new(),
        })
        .await
        .expect("create program")
        .into_inner()
        .program
        .expect("program")
        .program_id
}

/// A one-day session today with `capacity` seats, registration open from an hour ago for
/// `window_days` (negative: closed yesterday).
pub async fn schedule(p: &Platform, staff: &Person, capacity: i32, closed: bool) -> String {
    let mut st = p.training_as(&staff.token);
    let program = create_program(p, staff).await;
    let now = p.now();
    let day = crate::scenario::venue_today(now);
    let (opens, closes) = if closed {
        (now - 2 * 86_400_000, now - 86_400_000)
    } else {
        (now - 3_600_000, now + 3650 * 86_400_000)
    };
    st.schedule_session(t::ScheduleSessionRequest {
        program_id: program,
        details: Some(t::SessionDetails {
            kind: t::SessionKind::TrainingSession as i32,
            title: both("ورشة الميزانية التشاركية", "Atelier budget participatif"),
            days: vec![day],
            venue: Some(t::Venue {
                province_code: "laayoune".into(),
                address: "مقر مجلس الجهة".into(),
            }),
            capacity,
            registration_opens_at: Some(dates::timestamp(opens)),
            registration_closes_at: Some(dates::timestamp(closes)),
            eligibility: t::Eligibility::Open as i32,
            ..Default::default()
        }),
        idempotency_key: String::new(),
    })
    .await
    .expect("schedule session")
    .into_inner()
    .session
    .expect("session")
    .session_id
}

/// `person` registers for `session` through training's API.
pub async fn register_via_api(p: &Platform, person: &Person, session: &str) {
    p.training_as(&person.token)
        .register(t::RegisterRequest {
            session_id: session.into(),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
        })
        .await
        .expect("register");
}

/// A session's page shows each day with its local times in both languages, and its calendar
/// file has them as UTC instants.
pub async fn check_session_times(p: &Platform) {
    p.clock_to_today();
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let zone = crate::scenario::venue_zone();
    let now = p.now();
    let tomorrow = zone.date_of(now + 86_400_000);
    let after = zone.date_of(now + 2 * 86_400_000);
    let mut st = p.training_as(&staff.token);
    let mut details = t::SessionDetails {
        kind: t::SessionKind::TrainingSession as i32,
        title: both("ورشة العرائض", "Atelier pétitions"),
        venue: Some(t::Venue {
            province_code: "laayoune".into(),
            address: "مقر مجلس الجهة".into(),
        }),
        capacity: 20,
        registration_opens_at: Some(dates::timestamp(now - 3_600_000)),
        registration_closes_at: Some(dates::timestamp(now + 86_400_000)),
        eligibility: t::Eligibility::Open as i32,
        ..Default::default()
    };
    for (day, start, end) in [(&tomorrow, "09:00", "12:30"), (&after, "14:00", "18:00")] {
        details.schedule.push(t::SessionDay {
            date: dates::date_from_str(day),
            start: start.into(),
            end: end.into(),
            ..Default::default()
        });
    }
    let program = create_program(p, &staff).await;
    let session = st
        .schedule_session(t::ScheduleSessionRequest {
            program_id: program,
            details: Some(details),
            idempotency_key: String::new(),
        })
        .await
        .expect("schedule session")
        .into_inner()
        .session
        .expect("session")
        .session_id;

    let tr_ar = tachawor_portal::i18n::Tr::new(tachawor_portal::i18n::Lang::Ar);
    let tr_fr = tachawor_portal::i18n::Tr::new(tachawor_portal::i18n::Lang::Fr);
    let ar = web::get(p.portal, &format!("/ar/training/sessions/{session}"), &[]).await;
    assert_eq!(ar.status, 200);
    let ar = ar.plain();
    for expected in [
        format!("{}، من 09:00 إلى 12:30", tr_ar.date(&tomorrow)),
        format!("{}، من 14:00 إلى 18:00", tr_ar.date(&after)),
        "الأوقات بالتوقيت المحلي (Africa/Casablanca)".to_string(),
    ] {
        assert!(ar.contains(&expected), "{expected:?} in {ar}");
    }
    let fr = web::get(p.portal, &format!("/fr/training/sessions/{session}"), &[]).await;
    assert_eq!(fr.status, 200);
    let fr = fr.plain();
    for expected in [
        format!("{}, de 9\u{a0}h à 12\u{a0}h\u{a0}30", tr_fr.date(&tomorrow)),
        format!("{}, de 14\u{a0}h à 18\u{a0}h", tr_fr.date(&after)),
        "Heures locales (Africa/Casablanca)".to_string(),
    ] {
        assert!(fr.contains(&expected), "{expected:?} in {fr}");
    }
    // The list shows the times too.
    let list = web::get(p.portal, "/fr/training", &[]).await.plain();
    assert!(list.contains("de 9\u{a0}h à 12\u{a0}h\u{a0}30"), "{list}");

    let ics = web::get(
        p.portal,
        &format!("/fr/training/sessions/{session}/calendar.ics"),
        &[],
    )
    .await;
    let utc = |date: &str, minutes: u32| {
        let millis = zone
            .instant(date, minutes)
            .expect("a date")
            .expect("not skipped");
        let secs = millis / 1000;
        format!(
            "{}T{:02}{:02}00Z",
            dates::date_of_millis(millis).replace('-', ""),
            secs % 86_400 / 3600,
            secs % 3600 / 60
        )
    };
    for line in [
        format!("DTSTART:{}", utc(&tomorrow, 9 * 60)),
        format!("DTEND:{}", utc(&tomorrow, 12 * 60 + 30)),
        format!("DTSTART:{}", utc(&after, 14 * 60)),
    ] {
        assert!(ics.body.contains(&line), "{line} in {}", ics.body);
    }
    let json = web::get(p.portal, &format!("/api/v1/sessions/{session}"), &[]).await;
    assert_eq!(json.status, 200, "{}", json.body);
    let json: serde_json::Value = serde_json::from_str(&json.body).expect("JSON");
    assert_eq!(json["time_zone"], "Africa/Casablanca");
    assert_eq!(json["schedule"][0]["start"], "09:00");
    assert_eq!(json["schedule"][1]["end"], "18:00");
}

async fn registrations_of(p: &Platform, person: &Person) -> Vec<t::Registration> {
    p.training_as(&person.token)
        .list_my_registrations(t::ListMyRegistrationsRequest { page: None })
        .await
        .expect("list my registrations")
        .into_inner()
        .registrations
}

fn assert_refused_beside(page: &Page, field: &str, message: &str) {
    assert_eq!(page.status, 422, "{}", page.body);
    let text = page.plain();
    assert!(text.contains("error-summary"), "a summary: {text}");
    assert!(
        text.contains(&format!("href=\"#{field}\"")),
        "the summary links to {field}: {text}"
    );
    assert!(
        text.contains(&format!("id=\"{field}-error\"")),
        "the message is beside {field}: {text}"
    );
    assert!(
        text.contains(&format!("{field}-error\"")) && text.contains("aria-describedby"),
        "{text}"
    );
    assert!(text.contains(message), "{message:?} in {text}");
}

fn assert_general(page: &Page, message: &str) {
    assert_eq!(page.status, 422, "{}", page.body);
    let text = page.plain();
    assert!(text.contains("error-summary"), "{text}");
    assert!(text.contains(message), "{message:?} in {text}");
}

/// Runs a poppler tool; a missing one fails the test with what to install.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}): install poppler-utils (apt install poppler-utils)")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn out_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/training-pages")
        .canonicalize()
        .unwrap_or_else(|_| {
            let d =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/training-pages");
            std::fs::create_dir_all(&d).expect("create the output folder");
            d
        });
    std::fs::create_dir_all(&dir).expect("create the output folder");
    dir
}

/// Keeps a page's HTML for looking at it (next to the style sheet it links).
fn keep(page: &Page, name: &str) {
    let _ = std::fs::write(out_dir().join(format!("{name}.html")), &page.body);
}

/// Register → my registrations → check in → evaluate → certificate PDF; the waitlist and
/// cancelling; refusals and bad input in both languages.
pub async fn check_journey(p: &Platform, tag: &str) {
    p.clock_to_today();
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let session = schedule(p, &staff, 1, false).await;
    let base = |lang: &str, action: &str| format!("/{lang}/training/sessions/{session}/{action}");

    // Visitors are sent to sign in, and back afterwards.
    let mut visitor = Browser::new(p.portal);
    for action in [
        "register",
        "cancel",
        "check-in",
        "evaluate",
        "certificate.pdf",
    ] {
        let page = visitor.get(&base("ar", action)).await;
        assert_eq!(page.status, 303, "{action}");
        assert!(
            page.header("location")
                .starts_with("/ar/sign-in?next=%2Far%2Ftraining"),
            "{action}: {}",
            page.header("location")
        );
    }
    let page = visitor.get("/fr/training/registrations").await;
    assert_eq!(page.status, 303);
    assert_eq!(
        page.header("location"),
        "/fr/sign-in?next=%2Ffr%2Ftraining%2Fregistrations"
    );

    // The public page links to registering and to my registrations, the same for everyone.
    let public = web::get(p.portal, &format!("/ar/training/sessions/{session}"), &[]).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains(&format!(
        "href=\"/ar/training/sessions/{session}/register\""
    )));
    assert!(public.body.contains("href=\"/ar/training/registrations\""));
    assert!(public.plain().contains("التسجيل في هذه الدورة"));

    let (mut salma, salma_person) = named_resident(p, &staff, "ar").await;
    let seen = salma.get(&format!("/ar/training/sessions/{session}")).await;
    // A signed-in reader's copy differs only by the header's inbox link, and is never stored.
    assert_eq!(seen.header("cache-control"), "no-store");
    assert_ne!(seen.body, public.body, "the header links to the inbox");
    assert_eq!(
        web::without_inbox_link(&seen.body),
        public.body,
        "no personal state on the public page but the header's inbox link"
    );

    // A form without its token is refused, and nothing is written.
    let forged = salma.post_raw(&base("ar", "register"), &[]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(registrations_of(p, &salma_person).await.is_empty());

    // Registering: the page says what it means; the POST redirects to a confirmation.
    let form = salma.get(&base("ar", "register")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(form.header("cache-control"), "no-store");
    assert!(form.plain().contains("مقعد واحد متبق"), "{}", form.plain());
    assert!(form.body.contains("<button type=\"submit\""));
    assert_localized(&form, "register (ar)");
    keep(&form, &format!("{tag}-register-ar"));
    let done = salma
        .submit(&base("ar", "register"), &base("ar", "register"), &[])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), base("ar", "registered"));
    let confirmed = salma.follow(&done).await;
    assert_eq!(confirmed.status, 200);
    assert!(
        confirmed.plain().contains("تم تسجيلك في هذه الدورة"),
        "{}",
        confirmed.plain()
    );
    keep(&confirmed, &format!("{tag}-registered-ar"));

    // The second person finds the session full: the waitlist, with their position.
    let (mut nadia, _) = register(p, "fr", "Nadia Berrada").await;
    let form = nadia.get(&base("fr", "register")).await;
    assert!(form.plain().contains("liste d’attente"), "{}", form.plain());
    let done = nadia
        .submit(&base("fr", "register"), &base("fr", "register"), &[])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let waitlisted = nadia.follow(&done).await;
    let text = waitlisted.plain();
    assert!(text.contains("liste d’attente, en position 1"), "{text}");
    assert_localized(&waitlisted, "waitlisted (fr)");

    // My registrations: the status and what applies now.
    let mine = salma.get("/ar/training/registrations").await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(mine.header("cache-control"), "no-store");
    let text = mine.plain();
    assert!(
        text.contains("ورشة الميزانية التشاركية") && text.contains(">مسجل<"),
        "{text}"
    );
    assert!(text.contains(&format!("{session}/check-in\"")), "{text}");
    assert!(text.contains(&format!("{session}/cancel\"")), "{text}");
    assert!(
        !text.contains(&format!("{session}/certificate.pdf\"")),
        "{text}"
    );
    assert_localized(&mine, "my registrations (ar)");
    let theirs = nadia.get("/fr/training/registrations").await;
    let text = theirs.plain();
    assert!(text.contains("Sur liste d’attente (position 1)"), "{text}");
    assert!(
        !text.contains("check-in\""),
        "no check-in while waitlisted: {text}"
    );

    // Checking in: bad input beside the field, in Arabic and French, nothing written.
    let empty = salma
        .submit(
            &base("ar", "check-in"),
            &base("ar", "check-in"),
            &[("code", "")],
        )
        .await;
    assert_refused_beside(&empty, "code", "أدخل الرمز المعروض في مكان انعقاد الدورة");
    assert_localized(&empty, "check-in empty (ar)");
    assert!(empty.plain().contains("<title>خطأ"), "{}", empty.plain());
    keep(&empty, &format!("{tag}-check-in-empty-ar"));
    let short = salma
        .submit(
            &base("fr", "check-in"),
            &base("fr", "check-in"),
            &[("code", "12")],
        )
        .await;
    assert_refused_beside(&short, "code", "Le code compte exactement 6 chiffres");
    assert!(
        short.body.contains("value=\"12\""),
        "what was typed is kept"
    );
    assert_localized(&short, "check-in short (fr)");

    let issued = p
        .training_as(&staff.token)
        .issue_check_in_code(t::IssueCheckInCodeRequest {
            session_id: session.clone(),
        })
        .await
        .expect("issue the day's code")
        .into_inner()
        .code;
    let wrong = if issued == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = salma
        .submit(
            &base("ar", "check-in"),
            &base("ar", "check-in"),
            &[("code", wrong)],
        )
        .await;
    assert_refused_beside(&refused, "code", "هذا الرمز غير صحيح");
    assert_localized(&refused, "check-in wrong code (ar)");
    let not_seated = nadia
        .submit(
            &base("fr", "check-in"),
            &base("fr", "check-in"),
            &[("code", &issued)],
        )
        .await;
    assert_general(&not_seated, "Seuls les participants ayant une place");
    assert_localized(&not_seated, "check-in waitlisted (fr)");
    let regs = registrations_of(p, &salma_person).await;
    assert!(regs[0].attended_days.is_empty(), "nothing recorded yet");

    let checked = salma
        .submit(
            &base("ar", "check-in"),
            &base("ar", "check-in"),
            &[("code", &issued)],
        )
        .await;
    assert_eq!(checked.status, 303, "{}", checked.body);
    let mine = salma.follow(&checked).await;
    let text = mine.plain();
    assert!(text.contains("تم تسجيل حضورك لهذا اليوم"), "{text}");
    assert!(
        text.contains(">حاضر<") && text.contains("حضرت يوما واحدا"),
        "{text}"
    );
    assert!(text.contains(&format!("{session}/evaluate\"")), "{text}");
    assert_eq!(
        registrations_of(p, &salma_person).await[0]
            .attended_days
            .len(),
        1
    );

    // Evaluating: radios in a fieldset; a missing rating beside it; then sent once.
    let form = salma.get(&base("fr", "evaluate")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("<fieldset id=\"satisfaction\"") && form.body.contains("<legend>"));
    assert_eq!(form.body.matches("type=\"radio\"").count(), 5);
    assert!(form.body.contains("<textarea id=\"comment\""));
    keep(&form, &format!("{tag}-evaluate-fr"));
    let missing = salma
        .submit(
            &base("fr", "evaluate"),
            &base("fr", "evaluate"),
            &[
                ("satisfaction", ""),
                ("comment", "Très utile"),
                ("pre_test_score", "120"),
            ],
        )
        .await;
    assert_refused_beside(
        &missing,
        "satisfaction",
        "Choisissez votre niveau de satisfaction",
    );
    assert_refused_beside(&missing, "pre_test_score", "de 0 à 100");
    assert!(
        missing.plain().contains("Très utile"),
        "the comment is kept"
    );
    assert_localized(&missing, "evaluate missing (fr)");
    let missing_ar = salma
        .submit(
            &base("ar", "evaluate"),
            &base("ar", "evaluate"),
            &[("comment", "مفيدة")],
        )
        .await;
    assert_refused_beside(&missing_ar, "satisfaction", "اختر درجة رضاك عن الدورة");
    assert_localized(&missing_ar, "evaluate missing (ar)");
    let sent = salma
        .submit(
            &base("ar", "evaluate"),
            &base("ar", "evaluate"),
            &[
                ("satisfaction", "4"),
                ("comment", "ورشة مفيدة جدا"),
                ("pre_test_score", "40"),
                ("post_test_score", "85"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let again = salma
        .submit(
            &base("ar", "evaluate"),
            &base("ar", "evaluate"),
            &[("satisfaction", "5")],
        )
        .await;
    assert_general(&again, "أرسلت تقييمك لهذه الدورة من قبل");
    let summary = p
        .training_as(&staff.token)
        .get_evaluation_summary(t::GetEvaluationSummaryRequest {
            session_id: session.clone(),
        })
        .await
        .expect("summary")
        .into_inner();
    assert_eq!(summary.evaluation_count, 1, "one evaluation written");
    assert_eq!(summary.satisfaction_counts, vec![0, 0, 0, 1, 0]);

    // No certificate before the session is held: a sentence, not a broken PDF.
    let early = salma.download(&base("ar", "certificate.pdf")).await;
    assert_eq!(early.status, 409, "{}", early.text());
    assert!(early.header("content-type").starts_with("text/html"));
    assert!(
        early
            .text()
            .contains("تُسلَّم الشهادات بعد أن يسجل المجلس انعقاد الدورة"),
        "{}",
        early.text()
    );

    // Cancelling: the waitlisted person cancels; refused twice; refused after the session.
    let form = nadia.get(&base("fr", "cancel")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.plain().contains("Vous perdrez votre position"),
        "{}",
        form.plain()
    );
    keep(&form, &format!("{tag}-cancel-fr"));
    let token = web::form_token(&form);
    let cancelled = nadia
        .post_raw(&base("fr", "cancel"), &[("csrf", &token)])
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    let theirs = nadia.follow(&cancelled).await;
    let text = theirs.plain();
    assert!(
        text.contains("Votre inscription est annulée") && text.contains(">Annulée<"),
        "{text}"
    );
    let twice = nadia
        .post_raw(&base("fr", "cancel"), &[("csrf", &token)])
        .await;
    assert_general(&twice, "il n’y a rien à annuler");

    p.training_as(&staff.token)
        .mark_session_held(t::MarkSessionHeldRequest {
            session_id: session.clone(),
        })
        .await
        .expect("mark held");
    let late = salma
        .submit(&base("ar", "cancel"), &base("ar", "cancel"), &[])
        .await;
    assert_general(&late, "لم يعد الإلغاء ممكنا");
    assert_localized(&late, "cancel after the session (ar)");

    // The certificate: a PDF with the holder's verified name and its code.
    let mine = salma.get("/ar/training/registrations").await;
    assert!(
        mine.body.contains(&format!("{session}/certificate.pdf\"")),
        "{}",
        mine.body
    );
    keep(&mine, &format!("{tag}-registrations-ar"));
    let pdf = salma.download(&base("ar", "certificate.pdf")).await;
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert_eq!(pdf.header("cache-control"), "no-store");
    let disposition = pdf.header("content-disposition").to_string();
    let code = disposition
        .strip_prefix("attachment; filename=\"certificate-")
        .and_then(|rest| rest.strip_suffix(".pdf\""))
        .unwrap_or_else(|| panic!("{disposition}"))
        .to_string();
    assert_eq!(code.len(), 17, "{code}");
    assert!(pdf.body.starts_with(b"%PDF-"));
    let path = out_dir().join(format!("{tag}-certificate-ar.pdf"));
    std::fs::write(&path, &pdf.body).expect("write the PDF");
    let path_arg = path.to_str().unwrap();
    let text = poppler("pdftotext", &[path_arg, "-"]);
    assert!(text.contains(HOLDER), "the holder's name: {text}");
    assert!(text.contains(&code), "the code: {text}");
    let png = out_dir().join(format!("{tag}-certificate-ar"));
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path_arg,
            png.to_str().unwrap(),
        ],
    );
    assert!(png.with_extension("png").exists());
    // Downloading again gives the same certificate, not a second one.
    let again = salma.download(&base("fr", "certificate.pdf")).await;
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(
        again.header("content-disposition"),
        format!("attachment; filename=\"certificate-{code}.pdf\"")
    );
    let verified = p
        .training_as("")
        .verify_certificate(t::VerifyCertificateRequest {
            verification_code: code.clone(),
        })
        .await
        .expect("verify")
        .into_inner();
    assert_eq!(verified.holder_name, HOLDER);
}

/// Registration closed: the page says so without a button; a POST is refused in words and
/// writes nothing.
pub async fn check_registration_closed(p: &Platform) {
    p.clock_to_today();
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let session = schedule(p, &staff, 10, true).await;
    let public = web::get(p.portal, &format!("/fr/training/sessions/{session}"), &[]).await;
    assert!(
        !public.body.contains(&format!("{session}/register")),
        "no link while registration is closed"
    );
    let (mut browser, person) = named_resident(p, &staff, "fr").await;
    let path = format!("/fr/training/sessions/{session}/register");
    let form = browser.get(&path).await;
    assert_eq!(form.status, 200);
    assert!(form.plain().contains("ne sont pas ouvertes en ce moment"));
    assert!(
        !form
            .body
            .contains("<button type=\"submit\" class=\"button\">M’inscrire")
    );
    // A form shown elsewhere gives the person's token.
    let token = web::form_token(&browser.get("/fr/account").await);
    let refused = browser.post_raw(&path, &[("csrf", &token)]).await;
    assert_general(&refused, "Les inscriptions à cette session sont closes");
    assert_localized(&refused, "register closed (fr)");
    let refused = browser
        .post_raw(
            &format!("/ar/training/sessions/{session}/register"),
            &[("csrf", &token)],
        )
        .await;
    assert_general(&refused, "أُغلق التسجيل في هذه الدورة");
    assert!(
        registrations_of(p, &person).await.is_empty(),
        "nothing written"
    );
}
