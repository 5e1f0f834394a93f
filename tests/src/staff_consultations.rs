//! The consultations desk of the staff console: anonymous sent to sign in, a citizen refused
//! with nothing written; a draft created (its refusals beside their fields), edited, given
//! questions, opened, closed and answered with its synthesis, each step read back through
//! gRPC; a citizen's free-text answer on the answers page and in the CSV.

use tachawor_proto::consultation::{
    self as c, Consultation, ConsultationStatus, GetConsultationRequest, ListConsultationsRequest,
    Participation, QuestionKind,
};

use crate::{
    Platform,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::{Page, form_token},
};

fn assert_no_store(page: &Page, what: &str) {
    assert_eq!(page.header("cache-control"), "no-store", "{what}");
}

async fn consultation(p: &Platform, token: &str, id: &str) -> Consultation {
    p.consultation_as(token)
        .get_consultation(GetConsultationRequest {
            consultation_id: id.into(),
        })
        .await
        .expect("get consultation")
        .into_inner()
        .consultation
        .expect("consultation")
}

fn status(c: &Consultation) -> ConsultationStatus {
    ConsultationStatus::try_from(c.status).expect("a known status")
}

async fn drafts(p: &Platform, token: &str) -> usize {
    p.consultation_as(token)
        .list_consultations(ListConsultationsRequest {
            status: ConsultationStatus::Draft as i32,
            page: None,
            ..Default::default()
        })
        .await
        .expect("list consultations")
        .into_inner()
        .consultations
        .len()
}

const TITLE_FR: &str = "Consultation sur les pistes cyclables";
const TITLE_AR: &str = "استشارة حول مسارات الدراجات";

pub async fn check_consultations_desk(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let before = drafts(p, &staff.token).await;

    // Anonymous: to sign in.
    let anonymous = crate::web::get(p.portal, "/ar/staff/consultations", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/ar/sign-in?next=%2Far%2Fstaff%2Fconsultations"),
        "{:?}",
        anonymous.headers
    );

    // A citizen: refused, and their post writes nothing.
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    for path in ["/fr/staff/consultations", "/fr/staff/consultations/new"] {
        let refused = as_citizen.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert_no_store(&refused, path);
    }
    let token = form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(
            "/fr/staff/consultations",
            &[
                ("csrf", &token),
                ("title_ar", TITLE_AR),
                ("title_fr", TITLE_FR),
                ("body_ar", "نص"),
                ("body_fr", "Texte"),
                ("organizer", "council"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(drafts(p, &staff.token).await, before, "nothing written");

    // Staff: the list and the form, in both languages.
    let mut as_staff = sign_in(p, &staff, "fr").await;
    for lang in ["ar", "fr"] {
        for path in [
            format!("/{lang}/staff/consultations"),
            format!("/{lang}/staff/consultations/new"),
        ] {
            let page = as_staff.get(&path).await;
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            assert_localized(&page, lang);
            assert_no_store(&page, &path);
        }
    }
    let home = as_staff.get("/fr/staff").await;
    assert!(
        home.body.contains("href=\"/fr/staff/consultations\""),
        "the console's home links to the desk"
    );

    // Bad input: the French title missing, said beside it; nothing written.
    let refused = as_staff
        .submit(
            "/fr/staff/consultations/new",
            "/fr/staff/consultations",
            &[
                ("title_ar", TITLE_AR),
                ("title_fr", ""),
                ("body_ar", "نص الاستشارة"),
                ("body_fr", "Le texte de la consultation."),
                ("organizer", "council"),
                ("audience", "public"),
                ("participation", "any_account"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_beside(&refused, "title_fr", "Écrivez le titre français");
    assert_eq!(drafts(p, &staff.token).await, before, "nothing written");

    // Created as a draft, for anyone signed in, on two provinces.
    let created = as_staff
        .submit(
            "/fr/staff/consultations/new",
            "/fr/staff/consultations",
            &[
                ("title_ar", TITLE_AR),
                ("title_fr", "Brouillon"),
                ("body_ar", "نص الاستشارة"),
                ("body_fr", "Le texte de la consultation."),
                ("organizer", "council"),
                ("audience", "public"),
                ("provinces", "laayoune"),
                ("provinces", "boujdour"),
                ("participation", "any_account"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.header("location").to_string();
    let id = location
        .strip_prefix("/fr/staff/consultations/")
        .and_then(|rest| rest.strip_suffix("?done=created"))
        .unwrap_or_else(|| panic!("to the desk page: {location}"))
        .to_string();
    let desk = as_staff.follow(&created).await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert!(desk.plain().contains("Le brouillon est enregistré"));
    let draft = consultation(p, &staff.token, &id).await;
    assert_eq!(status(&draft), ConsultationStatus::Draft);
    assert_eq!(draft.title.as_ref().expect("title").ar, TITLE_AR);
    assert_eq!(draft.province_codes, ["laayoune", "boujdour"]);
    assert_eq!(draft.participation, Participation::AnyAccount as i32);

    // Edited while a draft: the French title, the whole region.
    let desk_path = format!("/fr/staff/consultations/{id}");
    let edit = format!("{desk_path}/edit");
    let saved = as_staff
        .submit(
            &edit,
            &edit,
            &[
                ("title_ar", TITLE_AR),
                ("title_fr", TITLE_FR),
                ("body_ar", "نص الاستشارة"),
                ("body_fr", "Le texte de la consultation."),
                ("organizer", "council"),
                ("audience", "public"),
                ("participation", "any_account"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let draft = consultation(p, &staff.token, &id).await;
    assert_eq!(draft.title.as_ref().expect("title").fr, TITLE_FR);
    assert!(draft.province_codes.is_empty());

    // A Tamazight version: in Tifinagh, refused beside its field otherwise, and kept.
    let edited = |title_zgh: &'static str| {
        [
            ("title_ar", TITLE_AR),
            ("title_fr", TITLE_FR),
            ("body_ar", "نص الاستشارة"),
            ("body_fr", "Le texte de la consultation."),
            ("title_zgh", title_zgh),
            ("body_zgh", "ⴰⴹⵔⵉⵙ ⵏ ⵓⵙⵎⵓⵜⵜⴳ"),
            ("organizer", "council"),
            ("audience", "public"),
            ("participation", "any_account"),
        ]
    };
    let latin = as_staff.submit(&edit, &edit, &edited("Asmuttg")).await;
    assert_eq!(latin.status, 422, "{}", latin.body);
    assert_beside(&latin, "title_zgh", "tifinagh");
    let title = consultation(p, &staff.token, &id)
        .await
        .title
        .expect("title");
    assert_eq!(title.zgh, "", "nothing written");
    let saved = as_staff.submit(&edit, &edit, &edited("ⴰⵙⵎⵓⵜⵜⴳ")).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let draft = consultation(p, &staff.token, &id).await;
    assert_eq!(draft.title.as_ref().expect("title").zgh, "ⴰⵙⵎⵓⵜⵜⴳ");
    assert_eq!(draft.body.as_ref().expect("body").zgh, "ⴰⴹⵔⵉⵙ ⵏ ⵓⵙⵎⵓⵜⵜⴳ");
    let form = as_staff.get(&edit).await;
    assert!(
        form.body
            .contains("value=\"ⴰⵙⵎⵓⵜⵜⴳ\" lang=\"zgh\" dir=\"ltr\""),
        "{}",
        form.body
    );

    // Questions: a choice with its options in both languages, a free text; a choice whose
    // languages differ in number of options refused beside the field.
    let questions = format!("{desk_path}/questions");
    let mismatch = as_staff
        .submit(
            &desk_path,
            &questions,
            &[
                ("kind", "single_choice"),
                ("prompt_ar", "هل تستعمل الدراجة؟"),
                ("prompt_fr", "Utilisez-vous le vélo ?"),
                ("options_ar", "نعم\nلا"),
                ("options_fr", "Oui"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, 422, "{}", mismatch.body);
    assert_beside(&mismatch, "options_fr", "autant de réponses possibles");
    let no_prompt = as_staff
        .submit(
            &desk_path,
            &questions,
            &[
                ("kind", "free_text"),
                ("prompt_ar", "سؤال"),
                ("prompt_fr", ""),
            ],
        )
        .await;
    assert_eq!(no_prompt.status, 422, "{}", no_prompt.body);
    assert_beside(&no_prompt, "prompt_fr", "Écrivez la question en français");
    assert!(
        consultation(p, &staff.token, &id)
            .await
            .questions
            .is_empty()
    );
    for fields in [
        vec![
            ("kind", "single_choice"),
            ("prompt_ar", "هل تستعمل الدراجة؟"),
            ("prompt_fr", "Utilisez-vous le vélo ?"),
            ("options_ar", "نعم\nلا"),
            ("options_fr", "Oui\nNon"),
            ("required", "yes"),
        ],
        vec![
            ("kind", "free_text"),
            ("prompt_ar", "اقتراحاتك؟"),
            ("prompt_fr", "Vos suggestions ?"),
        ],
    ] {
        let added = as_staff.submit(&desk_path, &questions, &fields).await;
        assert_eq!(added.status, 303, "{}", added.body);
    }
    let draft = consultation(p, &staff.token, &id).await;
    assert_eq!(draft.questions.len(), 2);
    assert_eq!(draft.questions[0].kind, QuestionKind::SingleChoice as i32);
    assert!(draft.questions[0].required);
    assert_eq!(draft.questions[0].options[1].fr, "Non");
    assert_eq!(draft.questions[1].kind, QuestionKind::FreeText as i32);

    // Opened: a bad date beside its field, then a date to come.
    let open = format!("{desk_path}/open");
    let bad = as_staff
        .submit(&desk_path, &open, &[("closes_on", "demain")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_beside(&bad, "closes_on", "Choisissez un dernier jour à venir");
    assert_eq!(
        status(&consultation(p, &staff.token, &id).await),
        ConsultationStatus::Draft
    );
    let opened = as_staff
        .submit(&desk_path, &open, &[("closes_on", "2099-12-31")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let open_now = consultation(p, &staff.token, &id).await;
    assert_eq!(status(&open_now), ConsultationStatus::Open);
    assert!(open_now.closes_at.is_some());
    // Its page shows the Tamazight version under its own heading, in Tifinagh, left to right.
    for lang in ["ar", "fr"] {
        let public = as_citizen.get(&format!("/{lang}/consultations/{id}")).await;
        let at = public
            .body
            .find("<section class=\"tamazight\"")
            .expect("a Tamazight section");
        let section = &public.body[at..];
        let title = "<p class=\"other-script-title\" lang=\"zgh\" dir=\"ltr\">ⴰⵙⵎⵓⵜⵜⴳ</p>";
        let body = "<div class=\"prose\" lang=\"zgh\" dir=\"ltr\">ⴰⴹⵔⵉⵙ ⵏ ⵓⵙⵎⵓⵜⵜⴳ</div>";
        assert!(
            section.contains(title) && section.contains(body),
            "{section}"
        );
    }
    // No longer a draft: editing it is refused as a sentence, nothing changed.
    let late = as_staff
        .submit(
            &edit,
            &edit,
            &[
                ("title_ar", TITLE_AR),
                ("title_fr", "Autre titre"),
                ("body_ar", "نص"),
                ("body_fr", "Texte"),
                ("organizer", "council"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(late.status, 303, "{}", late.body);
    let page = as_staff.follow(&late).await;
    assert!(
        page.plain()
            .contains("tant que la consultation est un brouillon")
    );
    assert_eq!(
        consultation(p, &staff.token, &id)
            .await
            .title
            .expect("title")
            .fr,
        TITLE_FR
    );

    // A citizen answers, with a free text.
    let free_text = "Plus de pistes vers le port, s'il vous plaît, « merci »";
    let question_ids: Vec<String> = open_now
        .questions
        .iter()
        .map(|q| q.question_id.clone())
        .collect();
    p.consultation_as(&citizen.token)
        .submit_response(c::SubmitResponseRequest {
            consultation_id: id.clone(),
            answers: vec![
                c::Answer {
                    question_id: question_ids[0].clone(),
                    option_indexes: vec![0],
                    ..Default::default()
                },
                c::Answer {
                    question_id: question_ids[1].clone(),
                    text: free_text.into(),
                    ..Default::default()
                },
            ],
            idempotency_key: String::new(),
        })
        .await
        .expect("the citizen answers");
    let respondent = p
        .consultation_as(&staff.token)
        .list_survey_answers(c::ListSurveyAnswersRequest {
            consultation_id: id.clone(),
            ..Default::default()
        })
        .await
        .expect("survey answers")
        .into_inner()
        .answers[0]
        .respondent_id
        .clone();

    // The results on the desk page; the answer on the answers page and in the CSV.
    let desk = as_staff.get(&desk_path).await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert!(desk.plain().contains("1 réponse"), "{}", desk.body);
    assert!(desk.plain().contains("Oui : 1"), "{}", desk.body);
    let answers = as_staff.get(&format!("{desk_path}/answers")).await;
    assert_eq!(answers.status, 200, "{}", answers.body);
    assert_no_store(&answers, "the answers page");
    assert!(answers.body.contains(&respondent));
    assert!(
        answers
            .body
            .contains("Plus de pistes vers le port, s&#39;il vous plaît")
            || answers
                .body
                .contains("Plus de pistes vers le port, s&#x27;il vous plaît"),
        "{}",
        answers.body
    );
    let csv = as_staff.get(&format!("{desk_path}/answers.csv")).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.body.contains(&respondent) && csv.body.contains(free_text));
    assert!(!csv.body.contains(&citizen.email), "no one's contact");
    let refused = as_citizen
        .get(&format!("/fr/staff/consultations/{id}/answers.csv"))
        .await;
    assert_eq!(refused.status, 403);

    // Closed, then answered: the synthesis required in both languages.
    let closed = as_staff
        .submit(&desk_path, &format!("{desk_path}/close"), &[])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    assert_eq!(
        status(&consultation(p, &staff.token, &id).await),
        ConsultationStatus::Closed
    );
    let answer = format!("{desk_path}/answer");
    let half = as_staff
        .submit(
            &desk_path,
            &answer,
            &[("synthesis_ar", "الخلاصة"), ("synthesis_fr", "")],
        )
        .await;
    assert_eq!(half.status, 422, "{}", half.body);
    assert_beside(&half, "synthesis_fr", "Écrivez la synthèse en français");
    let answered = as_staff
        .submit(
            &desk_path,
            &answer,
            &[
                ("synthesis_ar", "الخلاصة بالعربية"),
                ("synthesis_fr", "La synthèse en français."),
            ],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let done = consultation(p, &staff.token, &id).await;
    assert_eq!(status(&done), ConsultationStatus::Answered);
    assert_eq!(
        done.synthesis.expect("synthesis").fr,
        "La synthèse en français."
    );
    let desk = as_staff.get(&format!("/ar{}", &desk_path[3..])).await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert_localized(&desk, "ar");
    assert!(desk.body.contains("الخلاصة بالعربية"));
}
