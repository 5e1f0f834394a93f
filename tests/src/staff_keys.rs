//! A staff form sent twice creates once: each creating form of the console carries a key made
//! when the form is shown, and the same post sent again (a double click, a resent post) gets
//! the first answer back. Each form is loaded once, posted twice as it is, and what exists
//! afterwards is read back through gRPC: one edition, theme, workshop, recommendation,
//! consultation, question, article, program and session.

use tachawor_proto::{common::PageRequest, consultation as c, training as t};

use crate::{
    Person, Platform,
    scenario::venue_zone,
    signed_in::sign_in,
    staff_forum::edition,
    staff_sessions_edit::local,
    web::{Browser, form_token, hidden},
};

fn page() -> Option<PageRequest> {
    Some(PageRequest {
        page_size: 200,
        page_token: String::new(),
    })
}

/// Loads `form_page`, then posts `fields` to `action` twice with the same form token and key;
/// both answers are the same redirect, which is returned.
async fn sent_twice(
    browser: &mut Browser,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> String {
    let form = browser.get(form_page).await;
    assert_eq!(form.status, 200, "{form_page}: {}", form.body);
    let token = form_token(&form);
    let key = hidden(&form, "key");
    assert_eq!(key.len(), 43, "{form_page}: the form carries a key");
    let mut all = vec![("csrf", token.as_str()), ("key", key.as_str())];
    all.extend_from_slice(fields);
    let first = browser.post_raw(action, &all).await;
    let second = browser.post_raw(action, &all).await;
    assert_eq!(first.status, 303, "{action}: {}", first.body);
    assert_eq!(second.status, 303, "{action}, again: {}", second.body);
    assert_eq!(first.header("location"), second.header("location"));
    // A form shown again carries a new key: the next one sent is a new item.
    let again = browser.get(form_page).await;
    assert_ne!(
        hidden(&again, "key"),
        key,
        "{form_page}: a fresh key each time"
    );
    first.header("location").to_string()
}

/// The id in a redirect `…/{id}?done=…` after `prefix`.
fn id_after(location: &str, prefix: &str) -> String {
    location
        .trim_start_matches(prefix)
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The Forum desk's four forms: one edition, then on its page one theme, one workshop and one
/// recommendation.
async fn forum_forms(p: &Platform, staff: &Person, as_staff: &mut Browser, year: &str) {
    let title_fr = format!("Forum des clés {year}");
    let location = sent_twice(
        as_staff,
        "/ar/staff/forum/new",
        "/ar/staff/forum",
        &[
            ("title_ar", "منتدى المفاتيح"),
            ("title_fr", &title_fr),
            ("year", year),
            ("starts_on", "2027-06-01"),
            ("ends_on", "2027-06-02"),
        ],
    )
    .await;
    let id = id_after(&location, "/ar/staff/forum/");
    let editions = p
        .consultation_as(&staff.token)
        .list_forum_editions(c::ListForumEditionsRequest { page: page() })
        .await
        .expect("list forum editions")
        .into_inner()
        .editions;
    let same: Vec<_> = editions
        .iter()
        .filter(|e| e.title.as_ref().is_some_and(|t| t.fr == title_fr))
        .collect();
    assert_eq!(same.len(), 1, "one edition");
    assert_eq!(same[0].edition_id, id);

    let desk = format!("/fr/staff/forum/{id}");
    sent_twice(
        as_staff,
        &desk,
        &format!("{desk}/themes"),
        &[
            ("theme_title_ar", "الطاقة"),
            ("theme_title_fr", "L’énergie"),
        ],
    )
    .await;
    let e = edition(p, staff, &id).await;
    assert_eq!(e.themes.len(), 1, "one theme");
    let theme = e.themes[0].theme_id.clone();
    sent_twice(
        as_staff,
        &desk,
        &format!("{desk}/workshops"),
        &[
            ("workshop_theme", &theme),
            ("workshop_title_ar", "الطاقة الشمسية"),
            ("workshop_title_fr", "L’énergie solaire"),
            ("workshop_province", "boujdour"),
            ("workshop_session", ""),
        ],
    )
    .await;
    let e = edition(p, staff, &id).await;
    assert_eq!(e.themes[0].workshops.len(), 1, "one workshop");
    let workshop = e.themes[0].workshops[0].workshop_id.clone();
    sent_twice(
        as_staff,
        &desk,
        &format!("{desk}/recommendations"),
        &[
            ("recommendation_workshop", &workshop),
            (
                "recommendation_text",
                "Équiper les écoles de panneaux solaires",
            ),
        ],
    )
    .await;
    let e = edition(p, staff, &id).await;
    assert_eq!(
        e.themes[0].workshops[0].recommendations.len(),
        1,
        "one recommendation"
    );
}

/// The consultations desk's two creating forms: one draft, then one question on its desk.
async fn consultation_forms(p: &Platform, staff: &Person, as_staff: &mut Browser) {
    let location = sent_twice(
        as_staff,
        "/fr/staff/consultations/new",
        "/fr/staff/consultations",
        &[
            ("title_ar", "استشارة حول الطاقة"),
            ("title_fr", "Consultation sur l’énergie"),
            ("body_ar", "نص الاستشارة"),
            ("body_fr", "Le texte de la consultation."),
            ("organizer", "council"),
            ("audience", "public"),
            ("participation", "any_account"),
        ],
    )
    .await;
    let id = id_after(&location, "/fr/staff/consultations/");
    let drafts = p
        .consultation_as(&staff.token)
        .list_consultations(c::ListConsultationsRequest {
            status: c::ConsultationStatus::Draft as i32,
            page: page(),
            ..Default::default()
        })
        .await
        .expect("list consultations")
        .into_inner()
        .consultations;
    let same = drafts
        .iter()
        .filter(|d| {
            d.title
                .as_ref()
                .is_some_and(|t| t.fr == "Consultation sur l’énergie")
        })
        .count();
    assert_eq!(same, 1, "one draft");
    let desk = format!("/ar/staff/consultations/{id}");
    sent_twice(
        as_staff,
        &desk,
        &format!("{desk}/questions"),
        &[
            ("kind", "free_text"),
            ("prompt_ar", "ما رأيك؟"),
            ("prompt_fr", "Qu’en pensez-vous ?"),
        ],
    )
    .await;
    let draft = p
        .consultation_as(&staff.token)
        .get_consultation(c::GetConsultationRequest {
            consultation_id: id.clone(),
        })
        .await
        .expect("get consultation")
        .into_inner()
        .consultation
        .expect("consultation");
    assert_eq!(draft.questions.len(), 1, "one question");
}

/// The news desk's new article: one article.
async fn article_form(p: &Platform, staff: &Person, as_staff: &mut Browser, slug: &str) {
    sent_twice(
        as_staff,
        "/fr/staff/news/new",
        "/fr/staff/news",
        &[
            ("slug", slug),
            ("kind", "news"),
            ("fr_title", "Le Forum des clés"),
            ("fr_body", "Texte"),
        ],
    )
    .await;
    let articles = p
        .consultation_as(&staff.token)
        .list_articles(c::ListArticlesRequest {
            page: page(),
            include_unpublished: true,
            ..Default::default()
        })
        .await
        .expect("list articles")
        .into_inner()
        .articles;
    assert_eq!(
        articles.iter().filter(|a| a.slug == slug).count(),
        1,
        "one article"
    );
}

/// The programs desk's new program, then the sessions desk's new session in it: one each.
async fn training_forms(p: &Platform, staff: &Person, as_staff: &mut Browser, title_fr: &str) {
    sent_twice(
        as_staff,
        "/ar/staff/programs/new",
        "/ar/staff/programs",
        &[
            ("title_ar", "برنامج المفاتيح"),
            ("title_fr", title_fr),
            ("objectives_ar", "أهداف"),
            ("objectives_fr", "Objectifs"),
            ("audience", "youth"),
            ("milestone", "MALAA0004-1"),
            ("province", "laayoune"),
        ],
    )
    .await;
    let programs = p
        .training_as(&staff.token)
        .list_programs(t::ListProgramsRequest {
            page: page(),
            milestone_ref: "MALAA0004-1".into(),
        })
        .await
        .expect("list programs")
        .into_inner()
        .programs;
    let same: Vec<_> = programs
        .iter()
        .filter(|g| g.title.as_ref().is_some_and(|t| t.fr == title_fr))
        .collect();
    assert_eq!(same.len(), 1, "one program");
    let program = same[0].program_id.clone();

    let now = p.now();
    let day = venue_zone().date_of(now + 2 * 86_400_000);
    let (opens, closes) = (local(now - 3_600_000), local(now + 86_400_000));
    sent_twice(
        as_staff,
        "/fr/staff/sessions/new",
        "/fr/staff/sessions/new",
        &[
            ("program", &program),
            ("kind", "training_session"),
            ("title_ar", "ورشة المفاتيح"),
            ("title_fr", "Atelier des clés"),
            ("province", "laayoune"),
            ("address", "مقر مجلس الجهة"),
            ("capacity", "25"),
            ("opens", &opens),
            ("closes", &closes),
            ("eligibility", "open"),
            ("day_date", &day),
            ("day_start", "09:00"),
            ("day_end", "17:00"),
        ],
    )
    .await;
    let sessions = p
        .training_as(&staff.token)
        .list_sessions(t::ListSessionsRequest {
            page: page(),
            program_id: program,
            ..Default::default()
        })
        .await
        .expect("list sessions")
        .into_inner()
        .sessions;
    assert_eq!(sessions.len(), 1, "one session");
}

/// Every creating form of the console, each sent twice: one item each.
pub async fn check_forms_sent_twice(p: &Platform, staff: &Person) {
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let mut as_staff = sign_in(p, staff, "fr").await;
    // A year of its own, so both platforms' runs and reruns tell their editions apart.
    let year = (2100 + u32::from_str_radix(&run[..4], 16).unwrap_or(0) % 100).to_string();
    forum_forms(p, staff, &mut as_staff, &year).await;
    consultation_forms(p, staff, &mut as_staff).await;
    article_form(p, staff, &mut as_staff, &format!("keys-{run}")).await;
    training_forms(
        p,
        staff,
        &mut as_staff,
        &format!("Programme des clés {run}"),
    )
    .await;
}
