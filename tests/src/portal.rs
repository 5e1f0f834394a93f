//! The portal read as a visitor reads it: content made through the services' APIs, then every
//! public page fetched in Arabic and in French and checked for what each page must be.

use tachawor_proto::{
    common::LocalizedText,
    consultation as c,
    identity::{AddInstanceMemberRequest, ListInstancesRequest, MemberRole},
    training as t,
};

use crate::{Platform, scenario, web};

/// What [`seed`] made, for the pages to show.
pub struct Seeded {
    pub consultation: String,
    pub petition: String,
    pub session: String,
    /// A forum edition, and one of its workshops with a contribution and a recommendation.
    pub forum: String,
    pub workshop: String,
    /// An open consultation an instance launched, and the instance's name.
    pub launched: String,
    pub instance_name: LocalizedText,
    /// The consultation's program (a PDF over 4 MiB, past gRPC's default message size) and the
    /// session's poster (a JPEG), as attachments.
    pub program: String,
    pub poster: String,
}

/// The seeded program's bytes: a PDF of 4.5 MiB.
pub fn program_pdf() -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n% Programme de developpement regional\n".to_vec();
    pdf.resize(4_718_592, b' ');
    pdf.extend_from_slice(b"\n%%EOF\n");
    pdf
}

/// The seeded poster's bytes: a JPEG of 35,000 bytes.
pub fn poster_jpeg() -> Vec<u8> {
    let mut jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec();
    jpeg.resize(35_000, 0);
    jpeg
}

fn both(ar: &str, fr: &str) -> Option<LocalizedText> {
    Some(LocalizedText {
        ar: ar.into(),
        fr: fr.into(),
        en: String::new(),
        zgh: String::new(),
    })
}

fn with_tamazight(text: Option<LocalizedText>, zgh: &str) -> Option<LocalizedText> {
    text.map(|t| LocalizedText {
        zgh: zgh.into(),
        ..t
    })
}

/// An open consultation with a question and a supported proposal, a petition collecting with
/// one signature, and a session scheduled next month.
pub async fn seed(p: &Platform) -> Seeded {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let mut sc = p.consultation_as(&staff.token);
    let consultation = sc
        .create_consultation(c::CreateConsultationRequest {
            // With a Tamazight version, which the page shows under its own heading.
            title: with_tamazight(
                both(
                    "برنامج التنمية الجهوية",
                    "Programme de développement régional",
                ),
                "ⴰⵖⴰⵡⴰⵙ ⵏ ⵜⵏⴼⵍⵉⵜ ⵏ ⵜⵎⵏⴰⴹⵜ",
            ),
            body: with_tamazight(
                both("ما هي أولوياتكم؟", "Quelles sont vos priorités ?"),
                "ⵎⴰⵏⵉ ⵜⵉⵎⵣⵡⵓⵔⴰ ⵏⵏⵓⵏ?",
            ),
            organizer: Some(c::Organizer {
                kind: c::OrganizerKind::Council as i32,
                instance_id: String::new(),
            }),
            audience: c::Audience::Public as i32,
            province_codes: vec!["laayoune".into(), "tarfaya".into()],
            ..Default::default()
        })
        .await
        .expect("create consultation")
        .into_inner()
        .consultation
        .expect("consultation")
        .consultation_id;
    sc.add_question(c::AddQuestionRequest {
        consultation_id: consultation.clone(),
        kind: c::QuestionKind::SingleChoice as i32,
        // The answer form shows the Tamazight prompt and labels beside the page's language.
        prompt: with_tamazight(
            both("ما القطاع الأهم؟", "Quel secteur compte le plus ?"),
            "ⵎⴰ ⵉⴳⴰⵏ ⴰⵙⵡⵓⵔ ⵉⵖⵓⴷⴰⵏ?",
        ),
        options: vec![
            with_tamazight(both("النقل", "Transport"), "ⴰⵙⵎⵓⵙⵙⵓ").unwrap(),
            with_tamazight(both("الماء", "Eau"), "ⴰⵎⴰⵏ").unwrap(),
        ],
        required: true,
        ..Default::default()
    })
    .await
    .expect("add question");
    sc.open_consultation(c::OpenConsultationRequest {
        consultation_id: consultation.clone(),
        closes_at: Some(tachawor_proto::dates::timestamp(p.now() + 14 * 86_400_000)),
    })
    .await
    .expect("open consultation");

    let resident = p.resident(&staff, "laayoune").await;
    let title = "خط حافلات بين الأقاليم";
    let body = "ربط العيون وطرفاية بخط منتظم.";
    let proposal = scenario::submit_proposal(p, &resident.token, &consultation, title, body).await;
    let mut rc = p.consultation_as(&resident.token);
    rc.support_proposal(c::SupportProposalRequest {
        proposal_id: proposal,
        ..Default::default()
    })
    .await
    .expect("support");

    let petition = scenario::collecting_petition(p, &resident).await;
    rc.sign_petition(c::SignPetitionRequest {
        petition_id: petition.clone(),
        ..Default::default()
    })
    .await
    .expect("sign");

    // An opinion of one of the region's instances, adopted, one recommendation answered.
    let mut staff_identity = p.identity_as(&staff.token);
    let first_instance = staff_identity
        .list_instances(ListInstancesRequest::default())
        .await
        .expect("list instances")
        .into_inner()
        .instances
        .into_iter()
        .next()
        .expect("the region's instances exist from the first start");
    let instance = first_instance.instance_id;
    let instance_name = first_instance.name.expect("an instance's name");
    let member = p.resident(&staff, "boujdour").await;
    staff_identity
        .add_instance_member(AddInstanceMemberRequest {
            instance_id: instance.clone(),
            account_id: member.id.clone(),
            role: MemberRole::Member as i32,
            ..Default::default()
        })
        .await
        .expect("add instance member");
    let member = p.relogin(&member).await;
    let mut mc = p.consultation_as(&member.token);
    let draft = mc
        .draft_opinion(c::DraftOpinionRequest {
            instance_id: instance.clone(),
            matter: "Accès des jeunes aux emplois régionaux".into(),
            referral: c::Referral::Council as i32,
            consultation_id: consultation.clone(),
            body: "L'instance recommande deux mesures.".into(),
            recommendations: vec!["Stages dans les services".into(), "Un guichet".into()],
        })
        .await
        .expect("draft opinion")
        .into_inner()
        .opinion
        .expect("opinion");
    // Adoption is by the members' vote: the instance's only member votes for.
    mc.cast_opinion_vote(c::CastOpinionVoteRequest {
        opinion_id: draft.opinion_id.clone(),
        choice: c::VoteChoice::For as i32,
    })
    .await
    .expect("vote on the opinion");
    let adopted = mc
        .adopt_opinion(c::AdoptOpinionRequest {
            opinion_id: draft.opinion_id,
        })
        .await
        .expect("adopt opinion")
        .into_inner()
        .opinion
        .expect("opinion");
    sc.answer_recommendation(c::AnswerRecommendationRequest {
        recommendation_id: adopted.recommendations[0].recommendation_id.clone(),
        answer: c::RecommendationAnswer::Accepted as i32,
        reasons: "Inscrit au budget 2027".into(),
    })
    .await
    .expect("answer recommendation");

    // A consultation the instance launched: proposed by its member, approved and opened by
    // staff.
    let launched = mc
        .propose_consultation(c::ProposeConsultationRequest {
            instance_id: instance,
            title: both(
                "تشغيل الشباب في الجهة",
                "L’emploi des jeunes dans la région",
            ),
            body: both("ما التكوين الأولى؟", "Quelles formations d’abord ?"),
            audience: c::Audience::Public as i32,
            ..Default::default()
        })
        .await
        .expect("propose consultation")
        .into_inner()
        .consultation
        .expect("consultation")
        .consultation_id;
    sc.approve_consultation(c::ApproveConsultationRequest {
        consultation_id: launched.clone(),
    })
    .await
    .expect("approve consultation");
    sc.open_consultation(c::OpenConsultationRequest {
        consultation_id: launched.clone(),
        closes_at: Some(tachawor_proto::dates::timestamp(p.now() + 14 * 86_400_000)),
    })
    .await
    .expect("open the launched consultation");

    let mut st = p.training_as(&staff.token);
    let program = st
        .create_program(t::CreateProgramRequest {
            title: both("تكوين أعضاء الهيئات", "Formation des membres des instances"),
            objectives: both("الآليات التشاركية", "Les mécanismes participatifs"),
            audiences: vec![t::Audience::Associations as i32],
            milestone_ref: "MALAA0004-3".into(),
            province_codes: vec!["laayoune".into()],
            idempotency_key: String::new(),
        })
        .await
        .expect("create program")
        .into_inner()
        .program
        .expect("program")
        .program_id;
    let day = tachawor_proto::dates::date_of_millis(p.now() + 30 * 86_400_000);
    let session = st
        .schedule_session(t::ScheduleSessionRequest {
            program_id: program,
            details: Some(t::SessionDetails {
                kind: t::SessionKind::TrainingSession as i32,
                title: both(
                    "ورشة الديمقراطية التشاركية",
                    "Atelier démocratie participative",
                ),
                days: vec![tachawor_proto::dates::date_from_str(&day).expect("a date")],
                venue: Some(t::Venue {
                    province_code: "laayoune".into(),
                    address: "مقر مجلس الجهة".into(),
                }),
                capacity: 30,
                registration_opens_at: Some(tachawor_proto::dates::timestamp(p.now())),
                registration_closes_at: Some(tachawor_proto::dates::timestamp(
                    p.now() + 20 * 86_400_000,
                )),
                facilitators: vec!["Fatima Zahra".into()],
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
        .session_id;
    let (forum, workshop) = seed_forum(p, &staff).await;
    let program = sc
        .add_attachment(c::AddAttachmentRequest {
            parent: c::AttachmentParent::Consultation as i32,
            parent_id: consultation.clone(),
            name: "Programme régional — البرنامج.pdf".into(),
            content: program_pdf(),
        })
        .await
        .expect("attach the program")
        .into_inner()
        .attachment
        .expect("attachment")
        .attachment_id;
    let poster = st
        .add_attachment(t::AddAttachmentRequest {
            session_id: session.clone(),
            name: "affiche.jpg".into(),
            content: poster_jpeg(),
        })
        .await
        .expect("attach the poster")
        .into_inner()
        .attachment
        .expect("attachment")
        .attachment_id;
    Seeded {
        consultation,
        petition,
        session,
        forum,
        workshop,
        launched,
        instance_name,
        program,
        poster,
    }
}

/// A forum edition with a theme, a workshop, a contribution and a recommendation.
pub(crate) async fn seed_forum(p: &Platform, staff: &crate::Person) -> (String, String) {
    let mut sc = p.consultation_as(&staff.token);
    let date = |month, day| {
        Some(tachawor_proto::common::Date {
            year: 2026,
            month,
            day,
        })
    };
    let edition = sc
        .create_forum_edition(c::CreateForumEditionRequest {
            year: 2026,
            title: both("المنتدى الجهوي 2026", "Forum régional 2026"),
            starts_on: date(12, 10),
            ends_on: date(12, 12),
            idempotency_key: String::new(),
        })
        .await
        .expect("forum edition")
        .into_inner()
        .edition
        .expect("edition")
        .edition_id;
    let theme = sc
        .add_forum_theme(c::AddForumThemeRequest {
            edition_id: edition.clone(),
            title: both("الماء", "L’eau"),
            idempotency_key: String::new(),
        })
        .await
        .expect("theme")
        .into_inner()
        .theme
        .expect("theme")
        .theme_id;
    let workshop = sc
        .add_forum_workshop(c::AddForumWorkshopRequest {
            theme_id: theme,
            title: both("تحلية مياه البحر", "Dessalement"),
            province_code: "laayoune".into(),
            ..Default::default()
        })
        .await
        .expect("workshop")
        .into_inner()
        .workshop
        .expect("workshop")
        .workshop_id;
    sc.add_forum_contribution(c::AddForumContributionRequest {
        workshop_id: workshop.clone(),
        body: "محطة قرب الميناء".into(),
    })
    .await
    .expect("contribution");
    sc.add_forum_recommendation(c::AddForumRecommendationRequest {
        workshop_id: workshop.clone(),
        text: "دراسة محطة للتحلية قبل 2028".into(),
        idempotency_key: String::new(),
    })
    .await
    .expect("recommendation");
    (edition, workshop)
}

/// English a page in Arabic or French must never show (status names, framework defaults).
const ENGLISH: [&str; 6] = [
    "Not Found",
    "Internal Server Error",
    "Service Unavailable",
    " the ",
    "Error:",
    "Status {",
];

/// Every public page, in both languages: the frame, headers, and no untranslated text.
pub async fn check_pages(p: &Platform, s: &Seeded) {
    let ids: Vec<String> = tachawor_portal::i18n::Messages::ids(tachawor_portal::i18n::Lang::Ar);
    let pages = [
        String::new(),
        "consultations".into(),
        format!("consultations/{}", s.consultation),
        format!("consultations/{}", s.launched),
        "petitions".into(),
        format!("petitions/{}", s.petition),
        "training".into(),
        format!("training/sessions/{}", s.session),
        "opinions".into(),
        "forum".into(),
        format!("forum/{}", s.forum),
        format!("forum/{}/workshops/{}", s.forum, s.workshop),
        "transparency".into(),
        "verify".into(),
    ];
    for (lang, dir) in [("ar", "rtl"), ("fr", "ltr")] {
        for rest in &pages {
            let path = format!("/{lang}/{rest}");
            let page = web::get(p.portal, &path, &[("Cookie", &format!("lang={lang}"))]).await;
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            let body = &page.body;
            assert!(
                body.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
                "{path} declares its language and direction"
            );
            assert_eq!(body.matches("<h1").count(), 1, "{path} has one h1");
            assert_eq!(
                body.matches("<main id=\"main-content\"").count(),
                1,
                "{path}"
            );
            assert!(
                body.find("class=\"skip-link\"") < body.find("<nav"),
                "{path}: the skip link comes before any navigation"
            );
            for id in &ids {
                assert!(
                    !body.contains(id.as_str()),
                    "{path} shows the message id {id}"
                );
            }
            for english in ENGLISH {
                assert!(!body.contains(english), "{path} shows English: {english:?}");
            }
            assert!(
                body.contains(&format!(
                    "hreflang=\"{}\"",
                    if lang == "ar" { "fr" } else { "ar" }
                )),
                "{path} links to the other language"
            );
            let expected_cache = if rest == "verify" {
                "no-store"
            } else {
                "public, max-age=30"
            };
            assert_eq!(page.header("cache-control"), expected_cache, "{path}");
            assert!(
                page.header("content-security-policy")
                    .contains("frame-ancestors 'none'"),
                "{path}"
            );
            assert_eq!(page.header("x-content-type-options"), "nosniff");
        }
    }
}

/// What the pages say about the seeded content.
pub async fn check_content(p: &Platform, s: &Seeded) {
    let ar = |rest: String| async move {
        web::get(p.portal, &format!("/ar/{rest}"), &[("Cookie", "lang=ar")]).await
    };
    let fr = |rest: String| async move {
        web::get(p.portal, &format!("/fr/{rest}"), &[("Cookie", "lang=fr")]).await
    };
    let home = ar(String::new()).await.plain();
    assert!(
        home.contains("برنامج التنمية الجهوية"),
        "the open consultation is on the home page"
    );
    assert!(
        home.contains("Un service de bus régional"),
        "the collecting petition too"
    );
    assert!(
        home.contains("ورشة الديمقراطية التشاركية"),
        "and the coming session"
    );

    let consultation = fr(format!("consultations/{}", s.consultation))
        .await
        .plain();
    assert!(consultation.contains("Programme de développement régional"));
    assert!(consultation.contains("Quel secteur compte le plus ?"));
    assert!(
        consultation.contains("Laâyoune, Tarfaya"),
        "French lists are separated as French writes them"
    );
    assert!(
        consultation.contains("خط حافلات بين الأقاليم"),
        "the proposal is listed"
    );
    assert!(consultation.contains("1 soutien"), "{consultation}");
    assert!(
        !consultation.contains("Lancée par"),
        "the council's consultation names no instance"
    );

    // The consultation an instance launched says so, with the instance's name, in both
    // languages.
    let launched = fr(format!("consultations/{}", s.launched)).await.plain();
    assert!(launched.contains("L’emploi des jeunes dans la région"));
    // The name as HTML writes it (an apostrophe is escaped, one way or the other).
    let said = |apostrophe: &str| {
        format!(
            "Lancée par l’instance consultative <strong lang=\"fr\" dir=\"ltr\">{}</strong>",
            s.instance_name.fr.replace('\'', apostrophe)
        )
    };
    assert!(
        launched.contains(&said("&#39;")) || launched.contains(&said("&#x27;")),
        "{launched}"
    );
    let launched = ar(format!("consultations/{}", s.launched)).await.plain();
    assert!(
        launched.contains(&format!(
            "أطلقتها الهيئة الاستشارية <strong lang=\"ar\" dir=\"rtl\">{}</strong>",
            s.instance_name.ar
        )),
        "{launched}"
    );
    // Its program, as a download link with its format and size written the French way.
    assert!(
        consultation.contains(&format!(
            "href=\"/fr/documents/consultation/{}\"",
            s.program
        )),
        "the program is linked"
    );
    assert!(consultation.contains("Programme régional — البرنامج.pdf"));
    assert!(consultation.contains("PDF"));
    assert!(consultation.contains("4,5\u{a0}Mo"), "{consultation}");
    let session = ar(format!("training/sessions/{}", s.session)).await.plain();
    assert!(session.contains("وثائق الدورة"), "the session's documents");
    assert!(session.contains("affiche.jpg"));
    assert!(session.contains("35 كيلوبايت"), "the size in Arabic");
    // The bytes come through the portal whole, with their type and name.
    let mut browser = web::Browser::new(p.portal);
    let program = browser
        .download(&format!("/fr/documents/consultation/{}", s.program))
        .await;
    assert_eq!(program.status, 200);
    assert_eq!(program.header("content-type"), "application/pdf");
    assert_eq!(
        program.header("content-disposition"),
        "attachment; filename=\"Programme r_gional _ ________.pdf\"; \
         filename*=UTF-8''Programme%20r%C3%A9gional%20%E2%80%94%20%D8%A7%D9%84%D8%A8%D8%B1%D9%86%D8%A7%D9%85%D8%AC.pdf"
    );
    assert_eq!(program.header("x-content-type-options"), "nosniff");
    assert!(program.body == program_pdf(), "the program's bytes, whole");
    let poster = browser
        .download(&format!("/ar/documents/training/{}", s.poster))
        .await;
    assert_eq!(poster.header("content-type"), "image/jpeg");
    assert!(poster.body == poster_jpeg());
    let unknown = browser
        .download(&format!("/fr/documents/training/{}", s.program))
        .await;
    assert_eq!(
        unknown.status, 404,
        "a consultation's document is not a session's"
    );
    let elsewhere = browser.download("/fr/documents/forum/x").await;
    assert_eq!(elsewhere.status, 404);

    let petition = ar(format!("petitions/{}", s.petition)).await.plain();
    assert!(
        petition.contains("توقيع واحد"),
        "one signature, in Arabic's singular"
    );
    assert!(
        petition.contains("<progress"),
        "progress is a native progress bar"
    );
    assert_eq!(
        petition.matches("<th scope=\"row\">").count(),
        4,
        "a row per province"
    );
    assert!(
        petition.contains("451.028"),
        "the region's population, grouped as in Morocco"
    );

    let opinions = fr("opinions".into()).await.plain();
    assert!(opinions.contains("Accès des jeunes aux emplois régionaux"));
    assert!(
        opinions.contains("Inscrit au budget 2027"),
        "the council's answer is public"
    );
    assert!(opinions.contains("Acceptée"));
    assert!(
        opinions.contains("Le Conseil n’a pas encore répondu"),
        "and what it has not answered"
    );
    assert!(
        opinions.contains("1 pour, 0 contre, 0 abstention, sur 1 membre"),
        "the members' vote is public once adopted: {opinions}"
    );
    assert!(
        opinions.contains("(instance régionale)"),
        "with the instance's level"
    );
    let opinions_ar = ar("opinions".into()).await.plain();
    assert!(
        opinions_ar.contains("1 مع، 0 ضد، 0 امتناع، من أصل عضو واحد"),
        "{opinions_ar}"
    );
    assert!(opinions_ar.contains("(هيئة جهوية)"));

    let transparency = ar("transparency".into()).await.plain();
    assert!(
        transparency.contains("MALAA0004-1"),
        "milestones are named by their id"
    );
    assert_eq!(
        transparency.matches("<figure class=\"chart\">").count(),
        6,
        "a chart per headline indicator"
    );
    assert!(
        transparency.contains("<th scope=\"row\">"),
        "each chart has its table"
    );

    let session = fr(format!("training/sessions/{}", s.session)).await.plain();
    assert!(session.contains("Atelier démocratie participative"));
    assert!(session.contains("30 places restantes"), "{session}");

    // The forum: the edition's themes and workshops, then a workshop's contributions.
    let edition = fr(format!("forum/{}", s.forum)).await.plain();
    assert!(edition.contains("Forum régional 2026") && edition.contains("Dessalement"));
    assert!(edition.contains("1 contribution") && edition.contains("دراسة محطة للتحلية"));
    assert!(
        edition.contains("Du 10 décembre 2026 au 12 décembre 2026"),
        "{edition}"
    );
    let workshop = web::get(
        p.portal,
        &format!("/ar/forum/{}/workshops/{}", s.forum, s.workshop),
        &[],
    )
    .await;
    assert!(workshop.plain().contains("محطة قرب الميناء"));
    let elsewhere = web::get(
        p.portal,
        &format!("/ar/forum/{}/workshops/{}", s.forum, s.consultation),
        &[],
    )
    .await;
    assert_eq!(
        elsewhere.status, 404,
        "a workshop of no edition, or of another, is not found"
    );
}

/// Redirects, errors, the JSON twins and the OpenAPI document.
pub async fn check_edges(p: &Platform, s: &Seeded) {
    let root = web::get(p.portal, "/", &[]).await;
    assert_eq!((root.status, root.header("location")), (303, "/ar/"));
    let root = web::get(p.portal, "/", &[("Accept-Language", "fr-FR,fr;q=0.9")]).await;
    assert_eq!(root.header("location"), "/fr/");
    let root = web::get(
        p.portal,
        "/",
        &[("Cookie", "lang=fr"), ("Accept-Language", "ar")],
    )
    .await;
    assert_eq!(
        root.header("location"),
        "/fr/",
        "the remembered choice wins"
    );
    let chosen = web::get(p.portal, "/fr/petitions", &[("Cookie", "lang=ar")]).await;
    assert!(chosen.header("set-cookie").starts_with("lang=fr;"));
    assert_eq!(
        chosen.header("cache-control"),
        "no-store",
        "a cookie is never cached"
    );

    let missing = web::get(p.portal, "/fr/petitions/no-such-petition", &[]).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page introuvable"));
    assert_eq!(missing.header("cache-control"), "no-store");
    let missing = web::get(p.portal, "/ar/nothing/here", &[]).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("الصفحة غير موجودة"));
    let missing = web::get(p.portal, "/xx/petitions", &[]).await;
    assert_eq!(missing.status, 404);

    let refused = web::get(p.portal, "/ar/verify?code=%3Cscript%3E", &[]).await;
    assert_eq!(refused.status, 200);
    assert!(
        refused.body.contains("<title>خطأ:"),
        "the title says error first"
    );
    assert!(
        refused.body.contains("href=\"#code\""),
        "the summary links to the field"
    );
    assert!(
        refused
            .body
            .contains("aria-describedby=\"code-hint code-error\"")
    );
    assert!(!refused.body.contains("<script>"), "input is escaped");
    let unknown = web::get(p.portal, "/fr/verify/NOPE-0000", &[]).await;
    assert!(unknown.body.contains("Aucune attestation ne porte ce code"));

    let json = web::get(p.portal, &format!("/api/v1/petitions/{}", s.petition), &[]).await;
    assert_eq!(json.status, 200);
    assert!(json.header("content-type").starts_with("application/json"));
    let value: serde_json::Value = serde_json::from_str(&json.body).expect("JSON");
    assert_eq!(value["signatures"], 1);
    assert_eq!(value["status"], "collecting");
    assert_eq!(value["provinces"][0]["province_code"], "laayoune");
    let list = web::get(p.portal, "/api/v1/consultations", &[]).await;
    let value: serde_json::Value = serde_json::from_str(&list.body).expect("JSON");
    let item = |id: &str| {
        value["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("{id} is listed: {value}"))
    };
    let council = item(&s.consultation);
    assert_eq!(
        council["title"]["fr"],
        "Programme de développement régional"
    );
    assert!(council["launched_by_instance_id"].is_null());
    // The consultation the instance launched names it.
    assert!(
        item(&s.launched)["launched_by_instance_id"]
            .as_str()
            .is_some_and(|id| id.len() == 36)
    );
    // The forum's twins: the edition with its workshops, then a workshop's contributions.
    let edition = web::get(p.portal, &format!("/api/v1/forum/{}", s.forum), &[]).await;
    assert_eq!(edition.status, 200, "{}", edition.body);
    let edition: serde_json::Value = serde_json::from_str(&edition.body).expect("JSON");
    assert_eq!(edition["year"], 2026);
    assert_eq!(edition["starts_on"], "2026-12-10");
    let workshop = &edition["themes"][0]["workshops"][0];
    assert_eq!(workshop["title"]["fr"], "Dessalement");
    assert_eq!(workshop["contribution_count"], 1);
    let contributions = web::get(
        p.portal,
        &format!("/api/v1/forum/workshops/{}/contributions", s.workshop),
        &[],
    )
    .await;
    let contributions: serde_json::Value = serde_json::from_str(&contributions.body).expect("JSON");
    assert_eq!(contributions["items"][0]["body"], "محطة قرب الميناء");
    let editions = web::get(p.portal, "/api/v1/forum", &[]).await;
    assert!(editions.body.contains(&s.forum), "{}", editions.body);
    let opinions = web::get(p.portal, "/api/v1/opinions", &[]).await;
    assert_eq!(opinions.status, 200, "{}", opinions.body);
    let opinions: serde_json::Value = serde_json::from_str(&opinions.body).expect("JSON");
    let opinion = &opinions["items"][0];
    assert_eq!(opinion["matter"], "Accès des jeunes aux emplois régionaux");
    assert_eq!(opinion["referral"], "council");
    assert!(
        !opinion["instance"]["ar"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{opinion}"
    );
    // The members' vote: the instance's only member voted for, against the instance's rule.
    let tally = &opinion["tally"];
    assert_eq!(tally["votes_for"], 1, "{opinion}");
    assert_eq!(tally["votes_against"], 0);
    assert_eq!(tally["abstentions"], 0);
    assert_eq!(tally["members"], 1);
    assert!(
        tally["quorum_percent"]
            .as_i64()
            .is_some_and(|q| (1..=100).contains(&q)),
        "{tally}"
    );
    assert!(
        ["simple", "two_thirds", "absolute"].contains(&tally["majority"].as_str().unwrap_or("")),
        "{tally}"
    );
    let recommendation = &opinion["recommendations"][0];
    assert_eq!(recommendation["answer"], "accepted");
    assert_eq!(recommendation["answer_reasons"], "Inscrit au budget 2027");

    let missing = web::get(p.portal, "/api/v1/sessions/nope", &[]).await;
    assert_eq!(missing.status, 404);
    let value: serde_json::Value = serde_json::from_str(&missing.body).expect("JSON error");
    assert_eq!(value["error"]["code"], "not_found");

    let report = web::get(
        p.portal,
        "/api/v1/exports/progress-report-MALAA0004.md",
        &[],
    )
    .await;
    assert_eq!(report.status, 200);
    assert!(report.body.contains("MALAA0004"));
    assert!(
        report
            .header("content-disposition")
            .starts_with("attachment;")
    );
    let csv = web::get(p.portal, "/api/v1/exports/indicators.csv", &[]).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let unknown = web::get(p.portal, "/api/v1/exports/everything.zip", &[]).await;
    assert_eq!(unknown.status, 404);

    let ics = web::get(
        p.portal,
        &format!("/fr/training/sessions/{}/calendar.ics", s.session),
        &[],
    )
    .await;
    assert_eq!(ics.status, 200);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert!(ics.body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(
        ics.body
            .contains("SUMMARY:Atelier démocratie participative")
    );
    assert!(ics.body.contains("DTSTART;VALUE=DATE:"));
    let feed = web::get(p.portal, "/ar/training/calendar.ics", &[]).await;
    assert_eq!(
        feed.body.matches("BEGIN:VEVENT").count(),
        1,
        "one coming session, one day"
    );

    let openapi = web::get(p.portal, "/api/openapi.json", &[]).await;
    validate_openapi(&openapi.body);
    let document: serde_json::Value = serde_json::from_str(&openapi.body).expect("JSON");
    assert_eq!(document["openapi"], "3.1.0");
    for path in [
        "/api/v1/consultations",
        "/api/v1/consultations/{id}",
        "/api/v1/petitions",
        "/api/v1/petitions/{id}",
        "/api/v1/sessions",
        "/api/v1/sessions/{id}",
        "/api/v1/certificates/{code}",
        "/api/v1/exports/{file}",
        "/api/v1/opinions",
        "/api/v1/forum",
        "/api/v1/forum/{id}",
        "/api/v1/forum/workshops/{id}/contributions",
    ] {
        assert!(document["paths"][path].is_object(), "{path} is described");
    }
    // The opinion's tally is described, each of its fields.
    let schemas = &document["components"]["schemas"];
    assert!(
        schemas["Opinion"]["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|f| f == "tally")),
        "{}",
        schemas["Opinion"]
    );
    assert_eq!(
        schemas["Opinion"]["properties"]["tally"]["oneOf"][0]["$ref"],
        "#/components/schemas/OpinionTally"
    );
    for field in tally.as_object().expect("a tally").keys() {
        assert!(
            schemas["OpinionTally"]["properties"][field].is_object(),
            "the tally's {field} is described"
        );
    }
}

/// Checks the OpenAPI document with openapi-spec-validator (PyPI), which `make test` installs
/// into `target/tools/openapi` (scripts/browser-deps.sh).
fn validate_openapi(document: &str) {
    let validator = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/tools/openapi/bin/openapi-spec-validator");
    assert!(
        validator.exists(),
        "{} is missing: run scripts/browser-deps.sh (make test does)",
        validator.display()
    );
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(file.path(), document).expect("write the document");
    let output = std::process::Command::new(&validator)
        .arg(file.path())
        .output()
        .expect("the validator runs");
    assert!(
        output.status.success(),
        "the OpenAPI document is invalid: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
