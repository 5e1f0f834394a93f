//! The Forum desk of the staff console and the Forum contributions in the moderation queue:
//! an edition created, its theme, a workshop hosted by a forum session chosen from training's
//! list, and a recommendation; a reported contribution hidden with a reason and restored.
//! Anonymous sent to sign in, a citizen refused with nothing written, required fields reported
//! beside their field in Arabic and French, every effect read back through gRPC.

use tachawor_proto::{consultation as c, training as t};

use crate::{
    Person, Platform,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::{Browser, form_token},
};

async fn editions(p: &Platform, staff: &Person) -> Vec<c::ForumEdition> {
    p.consultation_as(&staff.token)
        .list_forum_editions(c::ListForumEditionsRequest {
            page: Some(tachawor_proto::common::PageRequest {
                page_size: 200,
                page_token: String::new(),
            }),
        })
        .await
        .expect("list forum editions")
        .into_inner()
        .editions
}

pub async fn edition(p: &Platform, staff: &Person, id: &str) -> c::ForumEdition {
    p.consultation_as(&staff.token)
        .get_forum_edition(c::GetForumEditionRequest {
            edition_id: id.into(),
        })
        .await
        .expect("get forum edition")
        .into_inner()
        .edition
        .expect("edition")
}

fn workshops(e: &c::ForumEdition) -> Vec<c::ForumWorkshop> {
    e.themes.iter().flat_map(|t| t.workshops.clone()).collect()
}

/// A session of kind forum under `program`, today, open to anyone; its id.
pub async fn forum_session(p: &Platform, staff: &Person, program: &str) -> String {
    let now = p.now();
    p.training_as(&staff.token)
        .schedule_session(t::ScheduleSessionRequest {
            program_id: program.into(),
            details: Some(t::SessionDetails {
                kind: t::SessionKind::Forum as i32,
                title: Some(tachawor_proto::common::LocalizedText {
                    ar: "جلسة المنتدى حول الماء".into(),
                    fr: "Séance du Forum sur l’eau".into(),
                    en: String::new(),
                    zgh: String::new(),
                }),
                days: vec![crate::scenario::venue_today(now)],
                venue: Some(t::Venue {
                    province_code: "laayoune".into(),
                    address: "قصر المؤتمرات".into(),
                }),
                capacity: 50,
                registration_opens_at: Some(tachawor_proto::dates::timestamp(now - 3_600_000)),
                registration_closes_at: Some(tachawor_proto::dates::timestamp(
                    now + 30 * 86_400_000,
                )),
                eligibility: t::Eligibility::Open as i32,
                ..Default::default()
            }),
            idempotency_key: String::new(),
        })
        .await
        .expect("schedule a forum session")
        .into_inner()
        .session
        .expect("session")
        .session_id
}

/// Who may open the Forum desk and its edition pages: a citizen is refused, and so are their
/// posts, with nothing written.
async fn check_refused(p: &Platform, staff: &Person, edition_id: &str) {
    let anonymous = crate::web::get(p.portal, "/ar/staff/forum", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/ar/sign-in?next=%2Far%2Fstaff%2Fforum"),
        "{:?}",
        anonymous.headers
    );
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    let edition_path = format!("/fr/staff/forum/{edition_id}");
    for path in [
        "/fr/staff/forum",
        "/fr/staff/forum/new",
        edition_path.as_str(),
    ] {
        let refused = as_citizen.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    let before = editions(p, staff).await.len();
    let themes_before = edition(p, staff, edition_id).await.themes.len();
    let token = form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(
            "/fr/staff/forum",
            &[
                ("csrf", &token),
                ("title_ar", "منتدى"),
                ("title_fr", "Forum"),
                ("year", "2027"),
                ("starts_on", "2027-05-01"),
                ("ends_on", "2027-05-02"),
            ],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    let denied = as_citizen
        .post_raw(
            &format!("{edition_path}/themes"),
            &[
                ("csrf", &token),
                ("theme_title_ar", "محور"),
                ("theme_title_fr", "Thème"),
            ],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(editions(p, staff).await.len(), before, "nothing created");
    assert_eq!(
        edition(p, staff, edition_id).await.themes.len(),
        themes_before,
        "no theme added"
    );
}

/// Creates an edition on the desk (refusals first); its id.
async fn create_edition(p: &Platform, staff: &Person, as_staff: &mut Browser) -> String {
    let home = as_staff.get("/ar/staff").await;
    assert!(
        home.body.contains("href=\"/ar/staff/forum\""),
        "{}",
        home.body
    );
    let desk = as_staff.get("/ar/staff/forum").await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert_localized(&desk, "ar");
    assert_eq!(desk.header("cache-control"), "no-store");
    assert!(
        desk.body
            .contains("href=\"/ar/staff/forum\" aria-current=\"page\""),
        "the desk is current in the navigation"
    );
    let before = editions(p, staff).await.len();
    let form = "/ar/staff/forum/new";
    let missing = as_staff
        .submit(
            form,
            "/ar/staff/forum",
            &[
                ("title_ar", " "),
                ("title_fr", ""),
                ("year", ""),
                ("starts_on", ""),
                ("ends_on", "2027-13-40"),
            ],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_localized(&missing, "ar");
    assert_beside(&missing, "title_ar", "اكتب العنوان بالعربية.");
    assert_beside(&missing, "title_fr", "اكتب العنوان بالفرنسية.");
    assert_beside(&missing, "year", "اكتب سنة الدورة.");
    assert_beside(&missing, "starts_on", "حدد اليوم الأول.");
    assert_beside(&missing, "ends_on", "يجب أن يكون اليوم الأخير تاريخا صحيحا");
    // The service's own check: the last day before the first, and a year out of range.
    let fields = |ends: &'static str, year: &'static str| {
        [
            ("title_ar", "المنتدى الجهوي 2027"),
            ("title_fr", "Forum régional 2027"),
            ("year", year),
            ("starts_on", "2027-05-12"),
            ("ends_on", ends),
        ]
    };
    let refused = as_staff
        .submit(
            "/fr/staff/forum/new",
            "/fr/staff/forum",
            &fields("2027-05-10", "1999"),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "fr");
    assert_beside(&refused, "ends_on", "au plus tôt le premier jour");
    assert_beside(&refused, "year", "entre 2000 et 2200");
    assert!(
        refused.plain().contains("value=\"Forum régional 2027\""),
        "the title is kept"
    );
    assert_eq!(editions(p, staff).await.len(), before, "nothing written");
    let created = as_staff
        .submit(
            "/fr/staff/forum/new",
            "/fr/staff/forum",
            &fields("2027-05-14", "2027"),
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let shown = as_staff.follow(&created).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.plain().contains("L’édition est créée."));
    let id = created
        .header("location")
        .trim_start_matches("/fr/staff/forum/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let e = edition(p, staff, &id).await;
    assert_eq!(e.year, 2027);
    let title = e.title.clone().expect("title");
    assert_eq!(
        (title.ar.as_str(), title.fr.as_str()),
        ("المنتدى الجهوي 2027", "Forum régional 2027")
    );
    assert_eq!(
        e.ends_on,
        Some(tachawor_proto::common::Date {
            year: 2027,
            month: 5,
            day: 14
        })
    );
    let listed = as_staff.get("/ar/staff/forum").await;
    assert!(
        listed
            .body
            .contains(&format!("href=\"/ar/staff/forum/{id}\"")),
        "{}",
        listed.body
    );
    id
}

/// Adds a theme, a workshop hosted by `session` and one without a session, and a
/// recommendation on the edition's page; the workshop without a session, for contributions.
async fn fill_edition(
    p: &Platform,
    staff: &Person,
    as_staff: &mut Browser,
    id: &str,
    session: &str,
) -> String {
    let page = format!("/ar/staff/forum/{id}");
    let missing = as_staff
        .submit(
            &page,
            &format!("{page}/themes"),
            &[("theme_title_ar", ""), ("theme_title_fr", "L’eau")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, "theme_title_ar", "اكتب عنوان المحور بالعربية.");
    assert!(
        edition(p, staff, id).await.themes.is_empty(),
        "no theme yet"
    );
    let added = as_staff
        .submit(
            &page,
            &format!("{page}/themes"),
            &[("theme_title_ar", "الماء"), ("theme_title_fr", "L’eau")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let theme = edition(p, staff, id).await.themes[0].theme_id.clone();

    // The workshop's session is chosen from training's forum sessions.
    let shown = as_staff.get(&page).await;
    assert_localized(&shown, "ar");
    assert!(
        shown.body.contains(&format!("<option value=\"{session}\"")),
        "the forum session is offered: {}",
        shown.body
    );
    let missing = as_staff
        .submit(
            &page,
            &format!("{page}/workshops"),
            &[
                ("workshop_theme", &theme),
                ("workshop_title_ar", "تحلية مياه البحر"),
                ("workshop_title_fr", "Dessalement"),
                ("workshop_province", ""),
                ("workshop_session", session),
            ],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, "workshop_province", "اختر إقليم الورشة.");
    assert!(
        missing.plain().contains("value=\"Dessalement\""),
        "the title is kept"
    );
    assert!(workshops(&edition(p, staff, id).await).is_empty());
    // The consultation service learns of training's sessions from its events: until it has,
    // the session is refused as unknown (beside its list), and nothing is written.
    let mut tries = 0;
    let added = loop {
        let sent = as_staff
            .submit(
                &page,
                &format!("{page}/workshops"),
                &[
                    ("workshop_theme", &theme),
                    ("workshop_title_ar", "تحلية مياه البحر"),
                    ("workshop_title_fr", "Dessalement"),
                    ("workshop_province", "laayoune"),
                    ("workshop_session", session),
                ],
            )
            .await;
        if sent.status != 422 || tries == 100 {
            break sent;
        }
        assert_beside(&sent, "workshop_session", "غير معروفة لدى المنتدى");
        tries += 1;
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(added.status, 303, "{}", added.body);
    let open = as_staff
        .submit(
            &page,
            &format!("{page}/workshops"),
            &[
                ("workshop_theme", &theme),
                ("workshop_title_ar", "الماء في الواحات"),
                ("workshop_title_fr", "L’eau des oasis"),
                ("workshop_province", "tarfaya"),
                ("workshop_session", ""),
            ],
        )
        .await;
    assert_eq!(open.status, 303, "{}", open.body);
    let found = workshops(&edition(p, staff, id).await);
    assert_eq!(found.len(), 2);
    let hosted = found
        .iter()
        .find(|w| w.session_id == session)
        .expect("the hosted workshop");
    assert_eq!(hosted.province_code, "laayoune");
    let open = found
        .iter()
        .find(|w| w.session_id.is_empty())
        .expect("the open workshop")
        .workshop_id
        .clone();

    // A recommendation (French): its text required, then recorded; answered elsewhere.
    let fr_page = page.replace("/ar/", "/fr/");
    let missing = as_staff
        .submit(
            &fr_page,
            &format!("{fr_page}/recommendations"),
            &[
                ("recommendation_workshop", &hosted.workshop_id),
                ("recommendation_text", "  "),
            ],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_localized(&missing, "fr");
    assert_beside(
        &missing,
        "recommendation_text",
        "Écrivez le texte de la recommandation.",
    );
    let text = "Étudier une station de dessalement avant 2028.";
    let recorded = as_staff
        .submit(
            &fr_page,
            &format!("{fr_page}/recommendations"),
            &[
                ("recommendation_workshop", &hosted.workshop_id),
                ("recommendation_text", text),
            ],
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let shown = as_staff.follow(&recorded).await;
    assert!(
        shown
            .body
            .contains(&format!("href=\"/fr/staff/answers/forum/{id}\"")),
        "the answers desk is linked: {}",
        shown.body
    );
    let recs: Vec<_> = workshops(&edition(p, staff, id).await)
        .into_iter()
        .flat_map(|w| w.recommendations)
        .collect();
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0].text, text);
    assert_eq!(recs[0].workshop_id, hosted.workshop_id);
    open
}

/// Whether `contribution` is hidden, and why, as staff read it.
async fn contribution(
    p: &Platform,
    staff: &Person,
    workshop: &str,
    id: &str,
) -> c::ForumContribution {
    p.consultation_as(&staff.token)
        .list_forum_contributions(c::ListForumContributionsRequest {
            workshop_id: workshop.into(),
            page: None,
        })
        .await
        .expect("list contributions")
        .into_inner()
        .contributions
        .into_iter()
        .find(|c| c.contribution_id == id)
        .expect("the contribution")
}

/// A reported contribution in the moderation queue beside the comments: refused to a citizen,
/// hidden with a reason (required) and restored by staff.
async fn check_moderation(p: &Platform, staff: &Person, as_staff: &mut Browser, workshop: &str) {
    let author = p.citizen().await;
    let body = "محطة تحلية قرب الميناء";
    let id = p
        .consultation_as(&author.token)
        .add_forum_contribution(c::AddForumContributionRequest {
            workshop_id: workshop.into(),
            body: body.into(),
        })
        .await
        .expect("contribute")
        .into_inner()
        .contribution
        .expect("contribution")
        .contribution_id;
    let reporter = p.citizen().await;
    p.consultation_as(&reporter.token)
        .report_forum_contribution(c::ReportForumContributionRequest {
            contribution_id: id.clone(),
            reason: "إشهار".into(),
        })
        .await
        .expect("report");

    let mut as_reporter = sign_in(p, &reporter, "ar").await;
    let token = form_token(&as_reporter.get("/ar/account").await);
    let denied = as_reporter
        .post_raw(
            &format!("/ar/staff/moderation/contributions/{id}/hide"),
            &[("csrf", &token), ("reason", "x")],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert!(!contribution(p, staff, workshop, &id).await.hidden);

    let desk = as_staff.get("/ar/staff/moderation").await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert_localized(&desk, "ar");
    assert!(desk.plain().contains(body), "{}", desk.plain());
    assert!(desk.plain().contains("مساهمة في المنتدى"));
    let hide = format!("/ar/staff/moderation/contributions/{id}/hide");
    let field = format!("reason-{id}");
    let missing = as_staff
        .submit("/ar/staff/moderation", &hide, &[("reason", " ")])
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, &field, "اذكر سبب إخفاء هذه المساهمة.");
    assert!(!contribution(p, staff, workshop, &id).await.hidden);
    let hidden = as_staff
        .submit("/ar/staff/moderation", &hide, &[("reason", "إشهار تجاري")])
        .await;
    assert_eq!(hidden.status, 303, "{}", hidden.body);
    assert!(hidden.header("location").contains("done=hidden"));
    let now = contribution(p, staff, workshop, &id).await;
    assert!(now.hidden);
    assert_eq!(now.hidden_reason, "إشهار تجاري");
    let shown = as_staff.follow(&hidden).await;
    assert!(shown.plain().contains("أُخفيت المساهمة"));
    let restored = as_staff
        .submit(
            "/fr/staff/moderation",
            &format!("/fr/staff/moderation/contributions/{id}/restore"),
            &[],
        )
        .await;
    assert_eq!(restored.status, 303, "{}", restored.body);
    assert!(!contribution(p, staff, workshop, &id).await.hidden);
    // Restoring what is not hidden: a sentence, nothing changed.
    let token = form_token(&as_staff.get("/fr/account").await);
    let again = as_staff
        .post_raw(
            &format!("/fr/staff/moderation/contributions/{id}/restore"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(again.status, 303, "{}", again.body);
    assert!(
        as_staff
            .follow(&again)
            .await
            .plain()
            .contains("déjà été traitée")
    );
}

/// The Forum desk and the moderation queue's contributions; `program` hosts the forum session.
/// The workshop correction form's fields, hosted by `session` (none when empty).
fn workshop_fields(session: &str) -> [(&'static str, &str); 4] {
    [
        ("workshop_title_ar", "الماء في الواحات"),
        ("workshop_title_fr", "L’eau des oasis"),
        ("workshop_province", "tarfaya"),
        ("workshop_session", session),
    ]
}

/// A theme's title corrected, and the workshop without a session given one then left without
/// it again, on their own pages linked from the edition's; a citizen refused.
async fn check_corrections(
    p: &Platform,
    staff: &Person,
    as_staff: &mut Browser,
    id: &str,
    session: &str,
    open: &str,
) {
    let e = edition(p, staff, id).await;
    let theme = e.themes[0].theme_id.clone();
    let theme_page = format!("/fr/staff/forum/{id}/themes/{theme}");
    let workshop_page = format!("/ar/staff/forum/{id}/workshops/{open}");
    let shown = as_staff.get(&format!("/fr/staff/forum/{id}")).await;
    assert!(
        shown.body.contains(&format!("href=\"{theme_page}\"")),
        "{}",
        shown.body
    );
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    assert_eq!(as_citizen.get(&theme_page).await.status, 403);
    assert_eq!(as_citizen.get(&workshop_page).await.status, 403);

    let form = as_staff.get(&theme_page).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_localized(&form, "fr");
    assert!(
        form.plain().contains("value=\"L’eau\""),
        "the title is filled in"
    );
    let missing = as_staff
        .submit(
            &theme_page,
            &theme_page,
            &[("theme_title_ar", "الماء"), ("theme_title_fr", " ")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(
        &missing,
        "theme_title_fr",
        "Indiquez le titre du thème en français.",
    );
    let saved = as_staff
        .submit(
            &theme_page,
            &theme_page,
            &[
                ("theme_title_ar", "الماء"),
                ("theme_title_fr", "L’eau et ses usages"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        as_staff
            .follow(&saved)
            .await
            .plain()
            .contains("Le thème est corrigé.")
    );
    let title = edition(p, staff, id).await.themes[0]
        .title
        .clone()
        .expect("title");
    assert_eq!(
        (title.ar.as_str(), title.fr.as_str()),
        ("الماء", "L’eau et ses usages")
    );

    // The workshop created without a session is given one, then none again.
    let form = as_staff.get(&workshop_page).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert_localized(&form, "ar");
    assert!(
        form.body.contains(&format!("<option value=\"{session}\"")),
        "{}",
        form.body
    );
    let saved = as_staff
        .submit(&workshop_page, &workshop_page, &workshop_fields(session))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let hosted = workshops(&edition(p, staff, id).await);
    let w = hosted
        .iter()
        .find(|w| w.workshop_id == open)
        .expect("the workshop");
    assert_eq!(w.session_id, session);
    let saved = as_staff
        .submit(&workshop_page, &workshop_page, &workshop_fields(""))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let again = workshops(&edition(p, staff, id).await);
    let w = again
        .iter()
        .find(|w| w.workshop_id == open)
        .expect("the workshop");
    assert_eq!(w.session_id, "");
}

pub async fn check_forum_desk(p: &Platform, staff: &Person, program: &str) {
    let mut as_staff = sign_in(p, staff, "ar").await;
    let id = create_edition(p, staff, &mut as_staff).await;
    check_refused(p, staff, &id).await;
    let session = forum_session(p, staff, program).await;
    let open = fill_edition(p, staff, &mut as_staff, &id, &session).await;
    check_corrections(p, staff, &mut as_staff, &id, &session, &open).await;
    check_moderation(p, staff, &mut as_staff, &open).await;
}

/// What the browser's tour of the Forum, programs and names desks needs: an edition with a
/// workshop and a recommendation, a reported contribution in the moderation queue, and a name
/// awaiting approval.
pub async fn seed_for_browser(p: &Platform, staff: &Person) -> serde_json::Value {
    let (edition, workshop) = crate::portal::seed_forum(p, staff).await;
    let author = p.citizen().await;
    let contribution = p
        .consultation_as(&author.token)
        .add_forum_contribution(c::AddForumContributionRequest {
            workshop_id: workshop.clone(),
            body: "اقتراح إشهاري لا علاقة له بالورشة".into(),
        })
        .await
        .expect("contribute")
        .into_inner()
        .contribution
        .expect("contribution")
        .contribution_id;
    p.consultation_as(&p.citizen().await.token)
        .report_forum_contribution(c::ReportForumContributionRequest {
            contribution_id: contribution.clone(),
            reason: "إشهار".into(),
        })
        .await
        .expect("report");
    let certificate = crate::staff_programs::pending_certificate(p, staff, "Salma El Ouali").await;
    serde_json::json!({
        "edition": edition,
        "workshop": workshop,
        "contribution": contribution,
        "certificate": certificate.certificate_id,
    })
}

/// What the browser did on those desks, read back: the contribution hidden in Arabic, then
/// restored in French (restoring clears its reports: it leaves the queue), the name approved.
pub async fn check_done_in_browser(p: &Platform, staff: &Person, seeded: &serde_json::Value) {
    let id = seeded["contribution"].as_str().expect("contribution");
    let queue = p
        .consultation_as(&staff.token)
        .list_moderation_queue(c::ListModerationQueueRequest { page: None })
        .await
        .expect("moderation queue")
        .into_inner()
        .items;
    assert!(
        !queue
            .iter()
            .filter_map(|i| i.forum_contribution.as_ref())
            .any(|c| c.contribution_id == id),
        "restored through the browser: no longer reported nor hidden"
    );
    let audit = p
        .consultation_as(&staff.token)
        .list_audit_log(c::ListAuditLogRequest {
            target_id: id.to_string(),
            ..Default::default()
        })
        .await
        .expect("audit log")
        .into_inner()
        .entries;
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["forum_contribution.restore", "forum_contribution.hide"],
        "hidden, then restored, newest first"
    );
    let certificate = seeded["certificate"].as_str().expect("certificate");
    let pending = p
        .training_as(&staff.token)
        .list_pending_certificate_names(t::ListPendingCertificateNamesRequest { page: None })
        .await
        .expect("pending names")
        .into_inner()
        .certificates;
    assert!(
        !pending.iter().any(|c| c.certificate_id == certificate),
        "approved through the browser"
    );
}
