//! The portal's petition and association pages for a signed-in person, driven as a browser
//! without script would: start a petition, open it for signatures, sign and withdraw, and
//! register an association. Who may not do something is told why in the page's language, and
//! nothing is written; what was written is read back through the services' gRPC APIs.

use tachawor_proto::consultation as c;

use crate::{
    Platform,
    signed_in::{register, resident_in_browser},
    web::{self, Browser, Page},
};

/// English a page in Arabic or French must never show.
const ENGLISH: [&str; 7] = [
    "Not Found",
    "Internal Server Error",
    " the ",
    "Error:",
    "Status {",
    "must be",
    "is required",
];

/// One page of the portal in `lang`: its language, one h1, no message id and no English.
fn check_page(page: &Page, lang: &str, what: &str) {
    let body = &page.body;
    assert!(
        body.contains(&format!("<html lang=\"{lang}\"")),
        "{what} is in {lang}"
    );
    assert_eq!(body.matches("<h1").count(), 1, "{what} has one h1: {body}");
    let ids = tachawor_portal::i18n::Messages::ids(tachawor_portal::i18n::Lang::Ar);
    for id in ids.iter().filter(|id| *id != "error-summary-title") {
        assert!(
            !body.contains(id.as_str()),
            "{what} shows the message id {id}"
        );
    }
    for english in ENGLISH {
        assert!(!body.contains(english), "{what} shows English {english:?}");
    }
}

/// A refused form: 422, the error summary, and `sentence` in it.
fn check_refused(page: &Page, lang: &str, what: &str, sentence: &str) {
    assert_eq!(page.status, 422, "{what}: {}", page.body);
    check_page(page, lang, what);
    let text = page.plain();
    assert!(text.contains("class=\"error-summary\""), "{what}: {text}");
    assert!(text.contains(sentence), "{what} says {sentence:?}: {text}");
    assert_eq!(
        page.header("cache-control"),
        "no-store",
        "{what} is personal"
    );
}

async fn petition(p: &Platform, token: &str, id: &str) -> c::Petition {
    p.consultation_as(token)
        .get_petition(c::GetPetitionRequest {
            petition_id: id.into(),
        })
        .await
        .expect("get petition")
        .into_inner()
        .petition
        .expect("petition")
}

fn signatures(petition: &c::Petition) -> i64 {
    petition.progress.as_ref().map_or(0, |p| p.signatures)
}

/// Petitions whose agent is `account_id`, as that person sees them.
async fn petitions_of(p: &Platform, token: &str, account_id: &str) -> usize {
    p.consultation_as(token)
        .list_petitions(c::ListPetitionsRequest {
            status: 0,
            page: Some(tachawor_proto::common::PageRequest {
                page_size: 200,
                page_token: String::new(),
            }),
        })
        .await
        .expect("list petitions")
        .into_inner()
        .petitions
        .iter()
        .filter(|p| p.agent_id == account_id)
        .count()
}

/// The petition id in a redirect to `/{lang}/petitions/{id}/…`.
fn petition_id_in(location: &str) -> String {
    location
        .split('/')
        .nth(3)
        .expect("a petition id in the location")
        .to_string()
}

/// The whole journey, and who may not take each step.
pub async fn check_petition_journey(p: &Platform) {
    p.clock_to_today();
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let (mut author, author_person) = resident_in_browser(p, &staff, "laayoune", "fr").await;

    // Anonymous visitors are sent to sign in, and back.
    let mut anonymous = Browser::new(p.portal);
    for path in [
        "/fr/petitions/new",
        "/ar/petitions/mine",
        "/fr/associations",
        "/ar/associations/new",
    ] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(
            page.header("location")
                .starts_with(&format!("/{}/sign-in?next=", &path[1..3])),
            "{path}: {}",
            page.header("location")
        );
    }

    // The list of petitions invites to start one.
    let list = web::get(p.portal, "/fr/petitions", &[]).await;
    assert!(
        list.body.contains("href=\"/fr/petitions/new\""),
        "start link"
    );

    // The form shows the rules in plain words.
    let form = author.get("/fr/petitions/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    check_page(&form, "fr", "the new petition form");
    assert_eq!(form.header("cache-control"), "no-store");
    assert!(
        form.plain().contains("Au moins"),
        "the rules: {}",
        form.body
    );
    assert!(form.body.contains("<legend>"), "the kind is a fieldset");

    // Bad input: 422, the summary, each message beside its field, in both languages.
    for (lang, sentence) in [
        ("fr", "Saisissez le titre de la pétition."),
        ("ar", "أدخل عنوان العريضة."),
    ] {
        let empty = author
            .submit(
                &format!("/{lang}/petitions/new"),
                &format!("/{lang}/petitions/new"),
                &[
                    ("kind", "citizen"),
                    ("title", " "),
                    ("object", ""),
                    ("subject_field", ""),
                ],
            )
            .await;
        check_refused(&empty, lang, "an empty petition", sentence);
        for field in ["title", "object", "subject_field"] {
            assert!(
                empty.body.contains(&format!("href=\"#{field}\"")),
                "{field}"
            );
            assert!(
                empty.body.contains(&format!("id=\"{field}-error\"")),
                "{field} message beside it"
            );
            assert!(
                empty.body.contains(&format!("{field}-error\"")),
                "{field} described by its message"
            );
        }
    }
    // The service's own check (a title too long) comes back beside the field, what was typed kept.
    let long_title = "ا".repeat(201);
    let too_long = author
        .submit(
            "/ar/petitions/new",
            "/ar/petitions/new",
            &[
                ("kind", "citizen"),
                ("title", &long_title),
                ("object", "نص الطلب"),
                ("subject_field", "transport"),
            ],
        )
        .await;
    check_refused(
        &too_long,
        "ar",
        "a title too long",
        "يجب ألا يتجاوز العنوان 200 حرف.",
    );
    assert!(too_long.body.contains("id=\"title-error\""));
    assert!(too_long.body.contains("نص الطلب"), "what was typed is kept");
    assert_eq!(
        petitions_of(p, &author_person.token, &author_person.id).await,
        0,
        "nothing written"
    );

    // A POST without the form token: 403, nothing written.
    let forged = author
        .post_raw(
            "/fr/petitions/new",
            &[
                ("kind", "citizen"),
                ("title", "Sans jeton"),
                ("object", "Texte"),
                ("subject_field", "transport"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(
        petitions_of(p, &author_person.token, &author_person.id).await,
        0
    );

    // Created as a draft: the next page says so and offers to start collecting.
    let created = author
        .submit(
            "/fr/petitions/new",
            "/fr/petitions/new",
            &[
                ("kind", "citizen"),
                ("title", "Des abris aux arrêts de bus"),
                (
                    "object",
                    "Installer des abris ombragés aux arrêts de bus de Laâyoune.",
                ),
                ("subject_field", "transport"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.header("location").to_string();
    assert!(
        location.ends_with("/collect?created=1"),
        "to the draft's page: {location}"
    );
    let id = petition_id_in(&location);
    let draft = author.get(&location).await;
    assert_eq!(draft.status, 200, "{}", draft.body);
    check_page(&draft, "fr", "the draft's page");
    assert!(draft.plain().contains("brouillon"), "{}", draft.body);
    assert_eq!(
        petition(p, &author_person.token, &id).await.status,
        c::PetitionStatus::Draft as i32
    );
    let mine = author.get("/fr/petitions/mine").await;
    assert_eq!(mine.status, 200);
    check_page(&mine, "fr", "my petitions");
    assert!(mine.body.contains(&format!("/fr/petitions/{id}/collect")));

    // Not collecting yet: the sign page has no button, and a forced POST is refused in words.
    let early = author.get(&format!("/fr/petitions/{id}/sign")).await;
    assert_eq!(early.status, 200, "{}", early.body);
    assert!(!early.body.contains("<form"), "no button: {}", early.body);
    let token = web::form_token(&author.get("/fr/petitions/new").await);
    let early = author
        .post_raw(
            &format!("/fr/petitions/{id}/sign"),
            &[("csrf", token.as_str())],
        )
        .await;
    check_refused(
        &early,
        "fr",
        "signing a draft",
        "Cette pétition ne recueille pas de signatures en ce moment",
    );

    // Someone else cannot open the author's draft (for them it does not exist) and nothing changes.
    let (mut signer, signer_person) = resident_in_browser(p, &staff, "laayoune", "ar").await;
    let not_theirs = signer.get(&format!("/ar/petitions/{id}/collect")).await;
    assert_eq!(not_theirs.status, 404, "{}", not_theirs.body);
    check_page(&not_theirs, "ar", "someone else's draft");
    let token = web::form_token(&signer.get("/ar/petitions/new").await);
    let forced = signer
        .post_raw(
            &format!("/ar/petitions/{id}/collect"),
            &[("csrf", token.as_str())],
        )
        .await;
    assert!(
        matches!(forced.status, 403 | 404),
        "{}: {}",
        forced.status,
        forced.body
    );
    assert_eq!(
        petition(p, &author_person.token, &id).await.status,
        c::PetitionStatus::Draft as i32,
        "still a draft"
    );

    // The author opens it: to the public page.
    let opened = author
        .submit(
            &format!("/fr/petitions/{id}/collect"),
            &format!("/fr/petitions/{id}/collect"),
            &[],
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    assert_eq!(opened.header("location"), format!("/fr/petitions/{id}"));
    // Once collecting, someone else is refused the page.
    let other = signer.get(&format!("/ar/petitions/{id}/collect")).await;
    assert_eq!(other.status, 403, "{}", other.body);
    check_page(&other, "ar", "collecting someone else's petition");

    // The public page links to signing, the same for everyone.
    let public = web::get(
        p.portal,
        &format!("/fr/petitions/{id}"),
        &[("Cookie", "lang=fr")],
    )
    .await;
    assert_eq!(public.status, 200);
    assert!(public.header("cache-control").starts_with("public"));
    assert!(
        public
            .body
            .contains(&format!("href=\"/fr/petitions/{id}/sign\"")),
        "sign link"
    );
    assert!(
        public
            .body
            .contains(&format!("href=\"/fr/petitions/{id}/withdraw\"")),
        "withdraw link"
    );

    // An unverified citizen is told how to be verified, and a forced POST writes nothing.
    let (mut unverified, _) = register(p, "fr", "Karim Bennani").await;
    let told = unverified.get(&format!("/fr/petitions/{id}/sign")).await;
    assert_eq!(told.status, 200, "{}", told.body);
    check_page(&told, "fr", "the sign page of an unverified person");
    assert!(
        told.plain()
            .contains("Vous devez faire vérifier votre identité pour signer une pétition."),
        "{}",
        told.body
    );
    assert!(told.body.contains("href=\"/fr/account\""), "how to");
    let token = web::form_token(&unverified.get("/fr/petitions/new").await);
    let refused = unverified
        .post_raw(
            &format!("/fr/petitions/{id}/sign"),
            &[("csrf", token.as_str())],
        )
        .await;
    check_refused(
        &refused,
        "fr",
        "an unverified signature",
        "Vous devez faire vérifier votre identité pour signer",
    );
    assert_eq!(signatures(&petition(p, &author_person.token, &id).await), 0);

    // Anonymous visitors are sent to sign in from the sign page and its POST.
    let page = anonymous.get(&format!("/ar/petitions/{id}/sign")).await;
    assert_eq!(page.status, 303);
    assert!(page.header("location").starts_with("/ar/sign-in?next="));
    let page = anonymous
        .post_raw(&format!("/ar/petitions/{id}/sign"), &[])
        .await;
    assert!(matches!(page.status, 303 | 403), "{}", page.status);
    assert_eq!(signatures(&petition(p, &author_person.token, &id).await), 0);

    // A verified resident signs, in Arabic: what is signed, who may sign, what is recorded.
    let sign_page = signer.get(&format!("/ar/petitions/{id}/sign")).await;
    assert_eq!(sign_page.status, 200, "{}", sign_page.body);
    check_page(&sign_page, "ar", "the sign page");
    assert_eq!(sign_page.header("cache-control"), "no-store");
    let text = sign_page.plain();
    assert!(text.contains("Des abris aux arrêts de bus"), "the title");
    assert!(text.contains("من يحق له التوقيع"), "who may sign");
    assert!(text.contains("ما يُسجَّل عنك"), "what is recorded");
    assert!(text.contains("<button type=\"submit\" class=\"button\">وقّع هذه العريضة</button>"));

    // Without the form token: 403, nothing written.
    let forged = signer
        .post_raw(&format!("/ar/petitions/{id}/sign"), &[])
        .await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(signatures(&petition(p, &author_person.token, &id).await), 0);

    let signed = signer
        .submit(
            &format!("/ar/petitions/{id}/sign"),
            &format!("/ar/petitions/{id}/sign"),
            &[],
        )
        .await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    assert_eq!(
        signed.header("location"),
        format!("/ar/petitions/{id}/sign?signed=1")
    );
    let thanks = signer.follow(&signed).await;
    assert_eq!(thanks.status, 200);
    check_page(&thanks, "ar", "the signed page");
    assert!(thanks.plain().contains("لقد وقّعت على العريضة"));
    assert_eq!(signatures(&petition(p, &author_person.token, &id).await), 1);
    // The public page counts it once its 2 s cache has passed.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let public = web::get(
        p.portal,
        &format!("/ar/petitions/{id}"),
        &[("Cookie", "lang=ar")],
    )
    .await;
    assert!(public.plain().contains("توقيع واحد"), "{}", public.body);

    // Signing twice is refused in words.
    let twice = signer
        .submit(
            &format!("/ar/petitions/{id}/sign"),
            &format!("/ar/petitions/{id}/sign"),
            &[],
        )
        .await;
    check_refused(
        &twice,
        "ar",
        "a second signature",
        "لقد وقّعت على هذه العريضة من قبل.",
    );
    assert_eq!(signatures(&petition(p, &author_person.token, &id).await), 1);

    // Withdrawing: someone who did not sign is told so; the signer withdraws.
    let not_signed = author
        .submit(
            &format!("/fr/petitions/{id}/withdraw"),
            &format!("/fr/petitions/{id}/withdraw"),
            &[],
        )
        .await;
    check_refused(
        &not_signed,
        "fr",
        "withdrawing no signature",
        "Vous n’avez pas signé cette pétition.",
    );
    let confirm = signer.get(&format!("/ar/petitions/{id}/withdraw")).await;
    assert_eq!(confirm.status, 200);
    check_page(&confirm, "ar", "the withdraw page");
    let withdrawn = signer
        .submit(
            &format!("/ar/petitions/{id}/withdraw"),
            &format!("/ar/petitions/{id}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    let done = signer.follow(&withdrawn).await;
    assert_eq!(done.status, 200);
    check_page(&done, "ar", "the withdrawn page");
    assert_eq!(signatures(&petition(p, &author_person.token, &id).await), 0);
    let _ = signer_person;

    // The public page is the same for a signed-in reader as for anyone, but for the header's
    // link to their inbox, in a copy never stored.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let for_anyone = web::get(
        p.portal,
        &format!("/fr/petitions/{id}"),
        &[("Cookie", "lang=fr")],
    )
    .await;
    let for_signer = signer.get(&format!("/fr/petitions/{id}")).await;
    assert_eq!(for_signer.header("cache-control"), "no-store");
    assert_ne!(
        for_anyone.body, for_signer.body,
        "the header links to the inbox"
    );
    assert_eq!(
        for_anyone.body,
        web::without_inbox_link(&for_signer.body),
        "no per-person state but the header's inbox link"
    );
}

/// Registering an association through the portal: refused input in words, then pending.
pub async fn check_associations(p: &Platform) {
    p.clock_to_today();
    let (mut browser, _) = register(p, "ar", "Fatima Zahra").await;
    let empty = browser.get("/ar/associations").await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    check_page(&empty, "ar", "no associations");

    let form = browser.get("/fr/associations/new").await;
    assert_eq!(form.status, 200);
    check_page(&form, "fr", "the association form");
    for (lang, sentence) in [
        ("fr", "Cochez au moins un domaine d’activité."),
        ("ar", "اختر مجال نشاط واحدا على الأقل."),
    ] {
        let bad = browser
            .submit(
                &format!("/{lang}/associations/new"),
                &format!("/{lang}/associations/new"),
                &[
                    ("name_ar", "جمعية الساقية"),
                    ("name_fr", ""),
                    ("registration_number", "R-1"),
                    ("founded_on", "2015-02-30x"),
                    ("province_code", "laayoune"),
                ],
            )
            .await;
        check_refused(&bad, lang, "a bad association", sentence);
        for field in ["name_fr", "founded_on", "fields_of_activity"] {
            assert!(bad.body.contains(&format!("href=\"#{field}\"")), "{field}");
            assert!(
                bad.body.contains(&format!("id=\"{field}-error\"")),
                "{field}"
            );
        }
        assert!(bad.body.contains("جمعية الساقية"), "what was typed is kept");
    }
    // A date in the future is the service's refusal, beside the field.
    let number = format!("R-{}", uuid::Uuid::new_v4().simple());
    let future = browser
        .submit(
            "/fr/associations/new",
            "/fr/associations/new",
            &[
                ("name_ar", "جمعية الساقية"),
                ("name_fr", "Association Saquia"),
                ("registration_number", &number),
                ("founded_on", "2200-01-01"),
                ("province_code", "laayoune"),
                ("fields_of_activity", "culture"),
            ],
        )
        .await;
    check_refused(
        &future,
        "fr",
        "founded in the future",
        "Saisissez une date réelle, passée",
    );
    assert!(future.body.contains("id=\"founded_on-error\""));

    let registered = browser
        .submit(
            "/fr/associations/new",
            "/fr/associations/new",
            &[
                ("name_ar", "جمعية الساقية"),
                ("name_fr", "Association Saquia"),
                ("registration_number", &number),
                ("founded_on", "2015-03-09"),
                ("province_code", "laayoune"),
                ("fields_of_activity", "culture"),
                ("fields_of_activity", "transport"),
            ],
        )
        .await;
    assert_eq!(registered.status, 303, "{}", registered.body);
    assert_eq!(
        registered.header("location"),
        "/fr/associations?registered=1"
    );
    let list = browser.follow(&registered).await;
    assert_eq!(list.status, 200);
    check_page(&list, "fr", "my associations");
    let text = list.plain();
    assert!(text.contains("Association Saquia"), "{text}");
    assert!(text.contains("En attente de vérification"), "{text}");
    assert!(
        text.contains("Culture et patrimoine, Transport régional"),
        "{text}"
    );
    let ar = browser.get("/ar/associations").await;
    assert!(ar.plain().contains("في انتظار التحقق"), "{}", ar.body);

    // The same number again is refused in words.
    let again = browser
        .submit(
            "/ar/associations/new",
            "/ar/associations/new",
            &[
                ("name_ar", "جمعية أخرى"),
                ("name_fr", "Autre association"),
                ("registration_number", &number),
                ("founded_on", "2010-01-01"),
                ("province_code", "laayoune"),
                ("fields_of_activity", "sport"),
            ],
        )
        .await;
    check_refused(
        &again,
        "ar",
        "a registration number taken",
        "توجد جمعية مسجلة بنفس رقم وصل التصريح.",
    );

    // A pending association cannot petition yet: said in words.
    let form = browser.get("/fr/petitions/new").await;
    assert!(form.body.contains("Association Saquia"), "offered");
    let association_id = {
        let at = form.body.find(">Association Saquia<").expect("the option");
        let start = form.body[..at].rfind("value=\"").expect("its value") + "value=\"".len();
        form.body[start..start + 36].to_string()
    };
    let refused = browser
        .submit(
            "/fr/petitions/new",
            "/fr/petitions/new",
            &[
                ("kind", "association"),
                ("association_id", &association_id),
                ("title", "Un centre culturel"),
                ("object", "Ouvrir un centre culturel."),
                ("subject_field", "culture"),
            ],
        )
        .await;
    check_refused(
        &refused,
        "fr",
        "a pending association's petition",
        "Cette association n’est pas encore vérifiée par le Conseil",
    );
}
