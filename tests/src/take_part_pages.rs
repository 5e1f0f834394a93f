//! Taking part through the portal: answering a consultation's survey and changing the answer,
//! proposing, supporting, commenting and reporting, each on its own signed-in page, with what
//! the consultation service refuses said in the page's language and nothing written.

use tachawor_proto::{
    common::LocalizedText,
    consultation as c,
    identity::{AddInstanceMemberRequest, ListInstancesRequest, MemberRole},
};
use tonic::Code;

use crate::{
    Person, Platform,
    platform::ConsultationClient,
    signed_in::sign_in,
    web::{self, Browser, Page, form_token},
};

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

/// What [`seed`] made.
pub struct Seeded {
    pub staff: Person,
    /// Open, public, with four questions: single (required), multiple, scale 1–5, free text.
    pub open: String,
    pub questions: Vec<String>,
    /// Closed, public, one question.
    pub closed: String,
    /// Open, for the members of one instance.
    pub members_only: String,
    /// A member of another instance.
    pub other_member: Person,
}

async fn consultation(
    sc: &mut ConsultationClient,
    title: &str,
    organizer: c::Organizer,
    audience: c::Audience,
) -> String {
    consultation_for(
        sc,
        title,
        organizer,
        audience,
        c::Participation::Unspecified,
    )
    .await
}

async fn consultation_for(
    sc: &mut ConsultationClient,
    title: &str,
    organizer: c::Organizer,
    audience: c::Audience,
    participation: c::Participation,
) -> String {
    sc.create_consultation(c::CreateConsultationRequest {
        title: both(
            &format!("استشارة {title}"),
            &format!("Consultation {title}"),
        ),
        body: both("ما رأيكم؟", "Qu’en pensez-vous ?"),
        organizer: Some(organizer),
        audience: audience as i32,
        province_codes: Vec::new(),
        participation: participation as i32,
        idempotency_key: String::new(),
    })
    .await
    .expect("create consultation")
    .into_inner()
    .consultation
    .expect("consultation")
    .consultation_id
}

async fn question(sc: &mut ConsultationClient, id: &str, request: c::AddQuestionRequest) -> String {
    sc.add_question(c::AddQuestionRequest {
        consultation_id: id.into(),
        ..request
    })
    .await
    .expect("add question")
    .into_inner()
    .question
    .expect("question")
    .question_id
}

async fn open(p: &Platform, sc: &mut ConsultationClient, id: &str) {
    sc.open_consultation(c::OpenConsultationRequest {
        consultation_id: id.into(),
        closes_at: Some(tachawor_proto::dates::timestamp(p.now() + 14 * 86_400_000)),
    })
    .await
    .expect("open consultation");
}

pub async fn seed(p: &Platform) -> Seeded {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let mut sc = p.consultation_as(&staff.token);
    let council = || c::Organizer {
        kind: c::OrganizerKind::Council as i32,
        instance_id: String::new(),
    };

    let open_id = consultation(&mut sc, "open", council(), c::Audience::Public).await;
    let mut questions = Vec::new();
    questions.push(
        question(
            &mut sc,
            &open_id,
            c::AddQuestionRequest {
                kind: c::QuestionKind::SingleChoice as i32,
                // In Tamazight too (the second option has no Tamazight label).
                prompt: with_tamazight(
                    both("ما القطاع الأهم؟", "Quel secteur compte le plus ?"),
                    "ⵎⴰ ⵉⴳⴰⵏ ⴰⵙⵡⵓⵔ ⵉⵖⵓⴷⴰⵏ?",
                ),
                options: vec![
                    with_tamazight(both("النقل", "Transport"), "ⴰⵙⵎⵓⵙⵙⵓ").unwrap(),
                    both("الماء", "Eau").unwrap(),
                ],
                required: true,
                ..Default::default()
            },
        )
        .await,
    );
    questions.push(
        question(
            &mut sc,
            &open_id,
            c::AddQuestionRequest {
                kind: c::QuestionKind::MultipleChoice as i32,
                prompt: both(
                    "ما الخدمات التي تستعملها؟",
                    "Quels services utilisez-vous ?",
                ),
                options: vec![
                    both("الحافلة", "Bus").unwrap(),
                    both("القطار", "Train").unwrap(),
                    both("سيارة الأجرة", "Taxi").unwrap(),
                ],
                ..Default::default()
            },
        )
        .await,
    );
    questions.push(
        question(
            &mut sc,
            &open_id,
            c::AddQuestionRequest {
                kind: c::QuestionKind::Scale as i32,
                prompt: both("ما مدى رضاك؟", "Êtes-vous satisfait ?"),
                scale_min: 1,
                scale_max: 5,
                ..Default::default()
            },
        )
        .await,
    );
    questions.push(
        question(
            &mut sc,
            &open_id,
            c::AddQuestionRequest {
                kind: c::QuestionKind::FreeText as i32,
                prompt: both("ملاحظات أخرى", "Autres remarques"),
                ..Default::default()
            },
        )
        .await,
    );
    open(p, &mut sc, &open_id).await;

    let closed = consultation(&mut sc, "closed", council(), c::Audience::Public).await;
    question(
        &mut sc,
        &closed,
        c::AddQuestionRequest {
            kind: c::QuestionKind::FreeText as i32,
            prompt: both("رأيك", "Votre avis"),
            required: true,
            ..Default::default()
        },
    )
    .await;
    open(p, &mut sc, &closed).await;
    sc.close_consultation(c::CloseConsultationRequest {
        consultation_id: closed.clone(),
    })
    .await
    .expect("close consultation");

    // An instance's consultation for its members, and a member of another instance.
    let mut staff_identity = p.identity_as(&staff.token);
    let instances: Vec<String> = staff_identity
        .list_instances(ListInstancesRequest::default())
        .await
        .expect("list instances")
        .into_inner()
        .instances
        .into_iter()
        .map(|i| i.instance_id)
        .collect();
    assert!(instances.len() >= 2, "the region has several instances");
    let members_only = consultation(
        &mut sc,
        "members",
        c::Organizer {
            kind: c::OrganizerKind::Instance as i32,
            instance_id: instances[0].clone(),
        },
        c::Audience::InstanceMembers,
    )
    .await;
    open(p, &mut sc, &members_only).await;
    let member = p.resident(&staff, "laayoune").await;
    staff_identity
        .add_instance_member(AddInstanceMemberRequest {
            instance_id: instances[1].clone(),
            account_id: member.id.clone(),
            role: MemberRole::Member as i32,
            ..Default::default()
        })
        .await
        .expect("add instance member");
    let other_member = p.relogin(&member).await;

    Seeded {
        staff,
        open: open_id,
        questions,
        closed,
        members_only,
        other_member,
    }
}

/// What a page in Arabic or French must never show: English, message ids, service texts.
pub fn assert_localized(page: &Page, lang: &str) {
    let text = page.plain();
    for bad in [
        " the ",
        "Error",
        "take-part-",
        ">field-",
        "rule-",
        "consultation.not_open",
        "consultation.audience",
        "is required",
        "not open",
    ] {
        assert!(!text.contains(bad), "{lang} page shows {bad:?}: {text}");
    }
    assert!(
        text.contains(&format!("<html lang=\"{lang}\"")),
        "the page is in {lang}"
    );
    assert_eq!(text.matches("<h1").count(), 1, "one h1: {text}");
}

/// The message beside `field`: its error paragraph, linked from the summary.
pub fn assert_beside(page: &Page, field: &str, message: &str) {
    let text = page.plain();
    assert!(
        text.contains("class=\"error-summary\"") && text.contains(&format!("href=\"#{field}\"")),
        "the summary links to {field}: {text}"
    );
    let at = text
        .find(&format!("id=\"{field}-error\""))
        .unwrap_or_else(|| panic!("a message beside {field}: {text}"));
    assert!(
        text[at..].contains(message),
        "beside {field}, {message:?}: {text}"
    );
    assert!(
        text.contains(&format!("{field}-error\"")),
        "{field} described by its message"
    );
}

async fn my_answers(p: &Platform, person: &Person, id: &str) -> Option<Vec<c::Answer>> {
    match p
        .consultation_as(&person.token)
        .get_my_response(c::GetMyResponseRequest {
            consultation_id: id.into(),
        })
        .await
    {
        Ok(r) => Some(r.into_inner().answers),
        Err(s) if s.code() == Code::NotFound => None,
        Err(s) => panic!("get my response: {s}"),
    }
}

async fn proposals(p: &Platform, id: &str) -> Vec<c::Proposal> {
    p.consultation_as("")
        .list_proposals(c::ListProposalsRequest {
            consultation_id: id.into(),
            page: None,
        })
        .await
        .expect("list proposals")
        .into_inner()
        .proposals
}

/// The comments staff see on consultation `id` (hidden ones too).
pub async fn comments(p: &Platform, staff: &Person, id: &str) -> Vec<c::Comment> {
    p.consultation_as(&staff.token)
        .list_comments(c::ListCommentsRequest {
            consultation_id: id.into(),
            proposal_id: String::new(),
            page: None,
        })
        .await
        .expect("list comments")
        .into_inner()
        .comments
}

/// Anonymous visitors are sent to sign in from every page, and their posts write nothing.
pub async fn check_anonymous(p: &Platform, s: &Seeded) {
    let mut visitor = Browser::new(p.portal);
    let id = &s.open;
    for path in [
        format!("/fr/consultations/{id}/answer"),
        format!("/fr/consultations/{id}/propose"),
        format!("/fr/consultations/{id}/comment"),
        format!("/ar/consultations/{id}/proposals/00000000-0000-7000-8000-000000000000/support"),
        format!("/ar/consultations/{id}/comments/00000000-0000-7000-8000-000000000000/report"),
    ] {
        let page = visitor.get(&path).await;
        assert_eq!(page.status, 303, "{path}: {}", page.body);
        let lang = &path[1..3];
        assert!(
            page.header("location")
                .starts_with(&format!("/{lang}/sign-in?next=%2F{lang}%2Fconsultations")),
            "{path}: {}",
            page.header("location")
        );
    }
    let before = proposals(p, id).await.len();
    let posted = visitor
        .post_raw(
            &format!("/fr/consultations/{id}/propose"),
            &[
                ("proposal_title", "Anonyme"),
                ("proposal_body", "Sans compte"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    assert!(posted.header("location").starts_with("/fr/sign-in"));
    assert_eq!(proposals(p, id).await.len(), before, "nothing written");
}

/// An unverified citizen answers in Arabic, is refused with messages beside the questions,
/// then changes the answer in French; another person sees none of it.
pub async fn check_answer(p: &Platform, s: &Seeded) {
    let citizen = p.citizen().await;
    let mut browser = sign_in(p, &citizen, "ar").await;
    let id = &s.open;
    let form_path = format!("/ar/consultations/{id}/answer");

    let form = browser.get(&form_path).await;
    assert_eq!(
        form.status,
        200,
        "{} {}",
        form.header("location"),
        form.body
    );
    assert_eq!(form.header("cache-control"), "no-store");
    assert_localized(&form, "ar");
    let body = form.plain();
    assert!(
        body.contains("<fieldset") && body.contains("<legend"),
        "{body}"
    );
    assert!(body.contains("type=\"radio\" value=\"0\""), "{body}");
    assert!(body.contains("type=\"checkbox\" value=\"2\""), "{body}");
    assert!(body.contains("<textarea id=\"q4\" name=\"q4\""), "{body}");
    assert!(!body.contains(" checked"), "nothing answered yet");
    // The Tamazight prompt and option label, in Tifinagh left to right, describe their fields
    // while the labels stay Arabic.
    assert!(
        body.contains(
            "<p class=\"other-script\" id=\"q1-zgh\" lang=\"zgh\" dir=\"ltr\">ⵎⴰ ⵉⴳⴰⵏ ⴰⵙⵡⵓⵔ ⵉⵖⵓⴷⴰⵏ?</p>"
        ),
        "{body}"
    );
    assert!(
        body.contains("<fieldset class=\"choices\" aria-describedby=\"q1-zgh\">"),
        "{body}"
    );
    assert!(
        body.contains("value=\"0\" aria-describedby=\"q1-option-zgh\">"),
        "the first option is described by its Tamazight label: {body}"
    );
    assert!(
        body.contains("id=\"q1-option-zgh\" lang=\"zgh\" dir=\"ltr\">ⴰⵙⵎⵓⵙⵙⵓ</p>"),
        "{body}"
    );
    assert!(
        body.contains("<label for=\"q1\" lang=\"ar\" dir=\"rtl\">النقل</label>"),
        "{body}"
    );
    assert!(
        !body.contains("id=\"q1-2-option-zgh\""),
        "an option without Tamazight has none: {body}"
    );

    // Nothing chosen for the required question, and a value off the scale.
    let refused = browser
        .submit(&form_path, &form_path, &[("q3", "9"), ("q4", "نص")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "ar");
    assert_beside(&refused, "q1", "اختر إجابة.");
    assert_beside(&refused, "q3", "هذه القيمة خارج السلّم: اختر من 1 إلى 5.");
    assert!(
        refused.plain().contains(">نص</textarea>"),
        "what was typed is kept"
    );
    assert_eq!(my_answers(p, &citizen, id).await, None, "nothing written");

    // Without its form token: refused, nothing written.
    let forged = browser
        .post_raw(&form_path, &[("q1", "0"), ("q4", "x")])
        .await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(my_answers(p, &citizen, id).await, None, "nothing written");

    let saved = browser
        .submit(
            &form_path,
            &form_path,
            &[
                ("q1", "1"),
                ("q2", "0"),
                ("q2", "2"),
                ("q3", "4"),
                ("q4", "المزيد من الحافلات"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), format!("{form_path}?saved=1"));
    let confirmed = browser.follow(&saved).await;
    assert_eq!(confirmed.status, 200);
    let text = confirmed.plain();
    assert!(
        text.contains("تم تسجيل إجابتك. يمكنك تعديلها إلى غاية"),
        "{text}"
    );
    assert!(
        text.contains("id=\"q1-2\" name=\"q1\" type=\"radio\" value=\"1\" checked"),
        "the answer is shown back: {text}"
    );
    let answers = my_answers(p, &citizen, id).await.expect("an answer");
    let of = |q: usize| {
        answers
            .iter()
            .find(|a| a.question_id == s.questions[q])
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(of(0).option_indexes, [1]);
    assert_eq!(of(1).option_indexes, [0, 2]);
    assert_eq!(of(2).scale_value, 4);
    assert_eq!(of(3).text, "المزيد من الحافلات");

    // Changed later, in French: the new answer replaces the old.
    let fr_path = format!("/fr/consultations/{id}/answer");
    let changed = browser
        .submit(&fr_path, &fr_path, &[("q1", "0"), ("answered", "1")])
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let confirmed = browser.follow(&changed).await;
    assert_localized(&confirmed, "fr");
    assert!(
        confirmed
            .plain()
            .contains("Votre réponse est enregistrée. Vous pouvez la modifier jusqu’au"),
        "{}",
        confirmed.body
    );
    assert!(confirmed.plain().contains("Enregistrer mes modifications"));
    let answers = my_answers(p, &citizen, id).await.expect("an answer");
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].option_indexes, [0]);

    // In French, the refusal is French.
    let refused = browser.submit(&fr_path, &fr_path, &[("q2", "7")]).await;
    assert_eq!(refused.status, 422);
    assert_localized(&refused, "fr");
    assert_beside(&refused, "q1", "Choisissez une réponse.");
    assert_beside(&refused, "q2", "Choisissez parmi les réponses proposées.");

    // Another person's answer is theirs: a resident's form starts empty.
    let resident = p.resident(&s.staff, "laayoune").await;
    let mut other = sign_in(p, &resident, "fr").await;
    let theirs = other.get(&fr_path).await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.plain().contains(" checked"), "{}", theirs.body);
    let sent = other.submit(&fr_path, &fr_path, &[("q1", "1")]).await;
    assert_eq!(sent.status, 303, "a verified resident answers too");
    assert_eq!(
        my_answers(p, &citizen, id).await.expect("kept")[0].option_indexes,
        [0],
        "another's answer leaves this one alone"
    );
}

/// Closed consultations and consultations for others: a sentence in the page's language.
pub async fn check_refusals(p: &Platform, s: &Seeded) {
    let citizen = p.citizen().await;
    let mut browser = sign_in(p, &citizen, "fr").await;
    // A form token the person's browser holds, from any form.
    let token_page = browser
        .get(&format!("/fr/consultations/{}/comment", s.open))
        .await;
    let token = form_token(&token_page);

    let closed = browser
        .get(&format!("/fr/consultations/{}/answer", s.closed))
        .await;
    assert_eq!(closed.status, 200);
    assert_localized(&closed, "fr");
    assert!(
        closed
            .plain()
            .contains("Cette consultation n’est plus ouverte"),
        "{}",
        closed.body
    );
    assert!(
        !closed
            .plain()
            .contains("<form method=\"post\" action=\"/fr/consultations")
    );

    for (lang, sentence) in [
        ("fr", "Cette consultation n’est pas ouverte"),
        ("ar", "هذه الاستشارة غير مفتوحة"),
    ] {
        let refused = browser
            .post_raw(
                &format!("/{lang}/consultations/{}/answer", s.closed),
                &[("csrf", &token), ("q1", "رأي")],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_localized(&refused, lang);
        assert!(refused.plain().contains(sentence), "{}", refused.body);
        let refused = browser
            .post_raw(
                &format!("/{lang}/consultations/{}/propose", s.closed),
                &[
                    ("csrf", &token),
                    ("proposal_title", "Titre"),
                    ("proposal_body", "Texte"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.plain().contains(sentence), "{}", refused.body);
    }
    assert_eq!(my_answers(p, &citizen, &s.closed).await, None);
    assert!(proposals(p, &s.closed).await.is_empty(), "nothing written");

    // A consultation for another instance's members: readable by a member, not theirs.
    let mut member = sign_in(p, &s.other_member, "ar").await;
    let path = format!("/ar/consultations/{}/comment", s.members_only);
    let refused = member
        .submit(&path, &path, &[("comment_body", "تعليق")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "ar");
    assert!(
        refused.plain().contains("هذه الاستشارة مخصصة لفئة أخرى"),
        "{}",
        refused.body
    );
    assert!(comments(p, &s.staff, &s.members_only).await.is_empty());
    // And a citizen cannot even read it.
    let hidden = browser
        .get(&format!("/fr/consultations/{}/comment", s.members_only))
        .await;
    assert_eq!(hidden.status, 404);
}

/// Proposing, supporting (twice), commenting and reporting (twice), with the links on the
/// public page.
pub async fn check_propose_support_comment_report(p: &Platform, s: &Seeded) {
    let id = &s.open;
    let author = p.citizen().await;
    let mut browser = sign_in(p, &author, "fr").await;
    let path = format!("/fr/consultations/{id}/propose");

    let refused = browser
        .submit(
            &path,
            &path,
            &[("proposal_title", "  "), ("proposal_body", "")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_localized(&refused, "fr");
    assert_beside(
        &refused,
        "proposal_title",
        "Donnez un titre à votre proposition.",
    );
    assert_beside(&refused, "proposal_body", "Décrivez votre proposition.");
    let long = "ب".repeat(201);
    let refused = browser
        .submit(
            &path.replace("/fr/", "/ar/"),
            &path.replace("/fr/", "/ar/"),
            &[("proposal_title", &long), ("proposal_body", "نص")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_localized(&refused, "ar");
    assert_beside(&refused, "proposal_title", "يجب ألا يتجاوز العنوان 200 حرف.");
    let before = proposals(p, id).await.len();
    let forged = browser
        .post_raw(
            &path,
            &[("proposal_title", "Titre"), ("proposal_body", "Texte")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(proposals(p, id).await.len(), before, "nothing written");

    let sent = browser
        .submit(
            &path,
            &path,
            &[
                ("proposal_title", "Des bus le soir"),
                ("proposal_body", "Prolonger les lignes après 21 h."),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let location = sent.header("location").to_string();
    let pid = location
        .strip_prefix(&format!("{path}?sent="))
        .unwrap_or_else(|| panic!("{location}"))
        .to_string();
    let confirmed = browser.follow(&sent).await;
    assert_eq!(confirmed.status, 200);
    assert_localized(&confirmed, "fr");
    let text = confirmed.plain();
    assert!(
        text.contains("Votre proposition est publiée") && text.contains("Des bus le soir"),
        "{text}"
    );
    assert!(text.contains(&format!("/fr/consultations/{id}#proposal-{pid}")));
    let written = proposals(p, id).await;
    assert!(
        written
            .iter()
            .any(|x| x.proposal_id == pid && x.supports == 0)
    );

    // A verified resident supports it; supporting again is a plain sentence.
    let resident = p.resident(&s.staff, "tarfaya").await;
    let mut supporter = sign_in(p, &resident, "ar").await;
    let support = format!("/ar/consultations/{id}/proposals/{pid}/support");
    let page = supporter.get(&support).await;
    assert_eq!(page.status, 200);
    assert_localized(&page, "ar");
    assert!(
        page.plain().contains("Des bus le soir") && page.plain().contains("<button"),
        "{}",
        page.body
    );
    let forged = supporter.post_raw(&support, &[]).await;
    assert_eq!(forged.status, 403);
    let done = supporter.submit(&support, &support, &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        format!("/ar/consultations/{id}#proposal-{pid}")
    );
    let again = supporter.submit(&support, &support, &[]).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_localized(&again, "ar");
    assert!(
        again.plain().contains("أنت تدعم هذا المقترح من قبل."),
        "{}",
        again.body
    );
    let supports = |list: Vec<c::Proposal>| {
        list.into_iter()
            .find(|x| x.proposal_id == pid)
            .map(|x| x.supports)
    };
    assert_eq!(supports(proposals(p, id).await), Some(1), "counted once");
    // A proposal of another consultation is not found under this one.
    let elsewhere = supporter
        .get(&format!(
            "/ar/consultations/{}/proposals/{pid}/support",
            s.closed
        ))
        .await;
    assert_eq!(elsewhere.status, 404);

    // Commenting.
    let comment = format!("/fr/consultations/{id}/comment");
    let refused = browser
        .submit(&comment, &comment, &[("comment_body", "")])
        .await;
    assert_eq!(refused.status, 422);
    assert_beside(&refused, "comment_body", "Écrivez votre commentaire.");
    let forged = browser
        .post_raw(&comment, &[("comment_body", "Sans jeton")])
        .await;
    assert_eq!(forged.status, 403);
    assert!(
        comments(p, &s.staff, id).await.is_empty(),
        "nothing written"
    );
    let sent = browser
        .submit(
            &comment,
            &comment,
            &[("comment_body", "Merci pour cette consultation.")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.header("location"), format!("{comment}?sent=1"));
    let confirmed = browser.follow(&sent).await;
    assert!(confirmed.plain().contains("Votre commentaire est publié"));
    let written = comments(p, &s.staff, id).await;
    assert_eq!(written.len(), 1);
    let cid = written[0].comment_id.clone();
    assert_eq!(written[0].body, "Merci pour cette consultation.");

    // Reporting it, with a reason; twice is a plain sentence.
    let report = format!("/ar/consultations/{id}/comments/{cid}/report");
    let page = supporter.get(&report).await;
    assert_eq!(page.status, 200);
    assert_localized(&page, "ar");
    assert!(page.plain().contains("Merci pour cette consultation."));
    let refused = supporter
        .submit(&report, &report, &[("report_reason", " ")])
        .await;
    assert_eq!(refused.status, 422);
    assert_localized(&refused, "ar");
    assert_beside(&refused, "report_reason", "اذكر سبب إبلاغك عن هذا التعليق.");
    let forged = supporter
        .post_raw(&report, &[("report_reason", "مسيء")])
        .await;
    assert_eq!(forged.status, 403);
    let done = supporter
        .submit(&report, &report, &[("report_reason", "خارج الموضوع")])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.header("location"), format!("{report}?sent=1"));
    assert!(
        supporter
            .follow(&done)
            .await
            .plain()
            .contains("تم تسجيل بلاغك")
    );
    let again = supporter
        .submit(
            &report.replace("/ar/", "/fr/"),
            &report.replace("/ar/", "/fr/"),
            &[("report_reason", "Encore")],
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(
        again
            .plain()
            .contains("Vous avez déjà signalé ce commentaire."),
        "{}",
        again.body
    );

    // The public page links to every action, the same for everyone.
    for lang in ["ar", "fr"] {
        // A reader who already reads in this language (no cookie to set).
        let mut reader = Browser::new(p.portal);
        reader.cookies.insert("lang".into(), lang.into());
        let public = reader
            .get(&format!("/{lang}/consultations/{id}?fresh={pid}"))
            .await;
        assert_eq!(public.status, 200, "{}", public.body);
        assert!(public.header("cache-control").starts_with("public"));
        let text = public.plain();
        for link in [
            format!("/{lang}/consultations/{id}/answer\""),
            format!("/{lang}/consultations/{id}/propose\""),
            format!("/{lang}/consultations/{id}/comment\""),
            format!("/{lang}/consultations/{id}/proposals/{pid}/support\""),
            format!("/{lang}/consultations/{id}/comments/{cid}/report\""),
            format!("id=\"proposal-{pid}\""),
            format!("id=\"comment-{cid}\""),
        ] {
            assert!(
                text.contains(&link),
                "{lang} public page has {link}: {text}"
            );
        }
        assert!(!text.contains("csrf"), "no form on a shared page");
        // A closed consultation offers no way to take part.
        let closed = Browser::new(p.portal)
            .get(&format!("/{lang}/consultations/{}", s.closed))
            .await;
        assert!(!closed.plain().contains("/answer\""), "{}", closed.body);
        assert!(!closed.plain().contains("/propose\""));
    }
}

/// Everything, in order.
/// A consultation for verified people only says so on its page, and an unverified account's
/// proposal is refused with the reason and how to get verified, in both languages.
pub async fn check_verified_only(p: &Platform, s: &Seeded) {
    let mut sc = p.consultation_as(&s.staff.token);
    let council = c::Organizer {
        kind: c::OrganizerKind::Council as i32,
        instance_id: String::new(),
    };
    let id = consultation_for(
        &mut sc,
        "vérifiée",
        council,
        c::Audience::Public,
        c::Participation::VerifiedOnly,
    )
    .await;
    open(p, &mut sc, &id).await;
    let citizen = p.citizen().await;
    for (lang, label, sentence) in [
        (
            "fr",
            "réservée aux personnes dont l’identité a été vérifiée",
            "Faites vérifier votre compte",
        ),
        (
            "ar",
            "مخصصة للأشخاص الذين تم التحقق من هويتهم",
            "يمكنك التحقق من حسابك",
        ),
    ] {
        let page = web::get(p.portal, &format!("/{lang}/consultations/{id}"), &[]).await;
        assert!(page.plain().contains(label), "{}", page.body);
        let mut browser = sign_in(p, &citizen, lang).await;
        let path = format!("/{lang}/consultations/{id}/propose");
        let refused = browser
            .submit(
                &path,
                &path,
                &[("proposal_title", "Titre"), ("proposal_body", "Texte")],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_localized(&refused, lang);
        assert!(refused.plain().contains(sentence), "{}", refused.body);
    }
    assert!(proposals(p, &id).await.is_empty(), "nothing written");
}

pub async fn check_all(p: &Platform) {
    p.clock_to_today();
    let s = seed(p).await;
    check_anonymous(p, &s).await;
    check_answer(p, &s).await;
    check_refusals(p, &s).await;
    check_verified_only(p, &s).await;
    check_propose_support_comment_report(p, &s).await;
}
