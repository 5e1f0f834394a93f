//! The portal for a signed-in person: registering, signing in and out, the session cookie,
//! form tokens, pages loaded at once on an expiring session, and sign-in limits that follow
//! the person's address rather than the portal's.

use tachawor_identity::testing::PASSWORD;

use crate::{
    Platform,
    web::{Browser, Page},
};

fn session_cookie(browser: &Browser) -> Option<&String> {
    browser.cookies.get("tachawor-session")
}

fn set_cookie<'a>(page: &'a Page, name: &str) -> Option<&'a str> {
    page.headers
        .iter()
        .find(|(n, v)| n == "set-cookie" && v.starts_with(&format!("{name}=")))
        .map(|(_, v)| v.as_str())
}

/// Registers through the portal; the browser is then signed in.
pub async fn register(p: &Platform, lang: &str, name: &str) -> (Browser, String) {
    let mut browser = Browser::new(p.portal);
    let email = format!("{}@portal.test", uuid::Uuid::new_v4().simple());
    let done = browser
        .submit(
            &format!("/{lang}/register"),
            &format!("/{lang}/register"),
            &[
                ("display_name", name),
                ("email", &email),
                ("phone", ""),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.header("location"),
        format!("/{lang}/account?welcome=1")
    );
    (browser, email)
}

pub async fn check_register_sign_in_and_out(p: &Platform) {
    // A personal page sends a visitor to sign in, and back afterwards.
    let mut visitor = Browser::new(p.portal);
    let to_sign_in = visitor.get("/fr/account").await;
    assert_eq!(to_sign_in.status, 303);
    assert_eq!(
        to_sign_in.header("location"),
        "/fr/sign-in?next=%2Ffr%2Faccount"
    );

    let (mut browser, email) = register(p, "fr", "Salma Ouali").await;
    let cookie = session_cookie(&browser).expect("registering signs the person in");
    assert!(!cookie.is_empty());
    let account = browser.get("/fr/account?welcome=1").await;
    assert_eq!(account.status, 200, "{}", account.body);
    let text = account.plain();
    assert!(
        text.contains("Salma Ouali") && text.contains(&email),
        "{text}"
    );
    assert!(text.contains("Votre compte est créé"), "{text}");
    assert_eq!(account.header("cache-control"), "no-store");

    // A form without its token is refused, and nothing happens.
    let forged = browser.post_raw("/fr/sign-out", &[]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(forged.plain().contains("Ce formulaire a expiré"));
    let mut other_site = browser.clone();
    other_site
        .headers
        .push(("Sec-Fetch-Site".into(), "cross-site".into()));
    let token = crate::web::form_token(&account);
    let cross = other_site
        .post_raw("/fr/sign-out", &[("csrf", &token)])
        .await;
    assert_eq!(cross.status, 403, "a post from another site is refused");
    assert_eq!(
        browser.get("/fr/account").await.status,
        200,
        "still signed in"
    );

    let out = browser.submit("/fr/account", "/fr/sign-out", &[]).await;
    assert_eq!(out.status, 303);
    assert!(set_cookie(&out, "tachawor-session").is_some_and(|c| c.contains("Max-Age=0")));
    assert!(session_cookie(&browser).is_none());
    assert_eq!(browser.get("/fr/account").await.status, 303);

    // Signing in: a wrong password is a message beside the field, in the page's language.
    let wrong = browser
        .submit(
            "/ar/sign-in",
            "/ar/sign-in",
            &[
                ("identifier", &email),
                ("password", "not the password"),
                ("next", "/ar/petitions"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    let text = wrong.plain();
    assert!(text.contains("كلمة المرور غير صحيحة"), "{text}");
    assert!(
        text.contains("error-summary") && text.contains("href=\"#identifier\""),
        "{text}"
    );
    assert!(
        !text.contains("not the password"),
        "a password is never shown back"
    );
    let right = browser
        .submit(
            "/ar/sign-in",
            "/ar/sign-in",
            &[
                ("identifier", &email),
                ("password", PASSWORD),
                ("next", "/ar/petitions"),
            ],
        )
        .await;
    assert_eq!(right.status, 303, "{}", right.body);
    assert_eq!(right.header("location"), "/ar/petitions");
    let set = set_cookie(&right, "tachawor-session").expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );

    // Elsewhere than this portal is no way back.
    let elsewhere = Browser::new(p.portal)
        .submit(
            "/fr/sign-in?next=https://evil.example",
            "/fr/sign-in",
            &[
                ("identifier", &email),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(elsewhere.status, 303);
    assert_eq!(elsewhere.header("location"), "/fr/account");
}

pub async fn check_form_errors(p: &Platform) {
    let mut browser = Browser::new(p.portal);
    let empty = browser
        .submit(
            "/ar/register",
            "/ar/register",
            &[
                ("display_name", ""),
                ("email", ""),
                ("phone", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(empty.status, 422);
    let text = empty.plain();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(
        text.contains("<title>خطأ"),
        "the title says there is an error: {text}"
    );
    for field in ["display_name", "email", "password"] {
        assert!(
            text.contains(&format!("href=\"#{field}\"")),
            "{field} in the summary"
        );
        assert!(
            text.contains(&format!("id=\"{field}-error\"")),
            "{field} message beside it"
        );
    }
    // The service's own check (password too short) comes back as the page's sentence.
    let short = browser
        .submit(
            "/fr/register",
            "/fr/register",
            &[
                ("display_name", "Nabil"),
                ("email", "nabil@portal.test"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, 422, "{}", short.body);
    let text = short.plain();
    assert!(text.contains("au moins 10 caractères"), "{text}");
    assert!(
        text.contains("value=\"nabil@portal.test\""),
        "what was typed is kept"
    );
    assert!(!text.to_lowercase().contains("invalid argument"), "{text}");
}

/// Pages loaded at once when the access token is due for renewal all renew with the same
/// refresh token; none may sign the person out.
pub async fn check_pages_at_once_on_an_expiring_session(p: &Platform) {
    let (mut browser, _) = register(p, "ar", "Yassine").await;
    let cookie = session_cookie(&browser).unwrap().clone();
    // The access token's expiry is the cookie's first field: make it due.
    let (_, rest) = cookie.split_once('~').unwrap();
    browser
        .cookies
        .insert("tachawor-session".into(), format!("0~{rest}"));
    let mut pages = Vec::new();
    for _ in 0..6 {
        let mut tab = browser.clone();
        pages.push(tokio::spawn(async move {
            let page = tab.get("/ar/account").await;
            (page, tab)
        }));
    }
    let mut renewed = Vec::new();
    for page in pages {
        let (page, tab) = page.await.unwrap();
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            set_cookie(&page, "tachawor-session").is_some(),
            "each page renews"
        );
        renewed.push(tab);
    }
    // Whichever cookie the browser keeps, the person is still signed in.
    for mut tab in renewed {
        let page = tab.get("/ar/account").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            set_cookie(&page, "tachawor-session").is_none(),
            "no renewal needed now"
        );
    }
}

/// Identity counts failed sign-ins per address; through the portal that is the person's
/// address (from the trusted proxy's `X-Forwarded-For`), not the portal's. The platform's
/// identity allows `failures_per_peer` failures per address.
pub async fn check_sign_in_limits_per_person(p: &Platform, failures_per_peer: usize) {
    let (_, email) = register(p, "fr", "Hind").await;
    let mut guesser = Browser::new(p.portal);
    guesser
        .headers
        .push(("X-Forwarded-For".into(), "198.51.100.7".into()));
    let mut limited = false;
    for i in 0..=failures_per_peer {
        let page = guesser
            .submit(
                "/fr/sign-in",
                "/fr/sign-in",
                &[
                    ("identifier", &format!("guess{i}@portal.test")),
                    ("password", "wrong guess"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", page.body);
        limited = page.plain().contains("Trop de tentatives");
    }
    assert!(limited, "the guesser's address is limited");
    // Someone else behind the same portal signs in.
    let mut neighbour = Browser::new(p.portal);
    neighbour
        .headers
        .push(("X-Forwarded-For".into(), "198.51.100.8".into()));
    let page = neighbour
        .submit(
            "/fr/sign-in",
            "/fr/sign-in",
            &[("identifier", &email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

/// Signs `person` in through the portal's sign-in page; the browser keeps the session.
pub async fn sign_in(p: &Platform, person: &crate::Person, lang: &str) -> Browser {
    let mut browser = Browser::new(p.portal);
    let page = browser
        .submit(
            &format!("/{lang}/sign-in"),
            &format!("/{lang}/sign-in"),
            &[("identifier", &person.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, 303, "sign in: {}", page.body);
    browser
}

/// A citizen verified by `staff` as living in `province`, signed in through the portal.
pub async fn resident_in_browser(
    p: &Platform,
    staff: &crate::Person,
    province: &str,
    lang: &str,
) -> (Browser, crate::Person) {
    let person = p.resident(staff, province).await;
    (sign_in(p, &person, lang).await, person)
}

/// My account: name and language, the statistics consent, the data export, deletion.
pub async fn check_my_account(p: &Platform) {
    let (mut browser, email) = register(p, "ar", "Karima").await;

    // Name and language: saved, and the account page answers in the language chosen.
    let saved = browser
        .submit(
            "/ar/account/profile",
            "/ar/account/profile",
            &[("display_name", "Karima B."), ("language", "fr")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.header("location"), "/fr/account?updated=1");
    let account = browser.follow(&saved).await;
    assert!(account.plain().contains("Karima B."));
    assert!(
        account
            .plain()
            .contains("Vos modifications sont enregistrées")
    );
    let empty = browser
        .submit(
            "/fr/account/profile",
            "/fr/account/profile",
            &[("display_name", " ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.plain().contains("id=\"display_name-error\""));
    assert!(empty.plain().contains("Choisissez une langue"));

    // Statistics: shared under consent, then withdrawn, which erases them.
    let shared = browser
        .submit(
            "/fr/account/statistics",
            "/fr/account/statistics",
            &[
                ("share", "yes"),
                ("gender", "female"),
                ("age_band", "25-34"),
                ("province", "laayoune"),
            ],
        )
        .await;
    assert_eq!(shared.status, 303, "{}", shared.body);
    let form = browser.get("/fr/account/statistics").await.plain();
    for checked in [
        "value=\"yes\" checked",
        "value=\"female\" checked",
        "value=\"25-34\" selected",
        "value=\"laayoune\" selected",
    ] {
        assert!(form.contains(checked), "{checked}: {form}");
    }
    let withdrawn = browser
        .submit(
            "/fr/account/statistics",
            "/fr/account/statistics",
            &[("share", "no")],
        )
        .await;
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    let form = browser.get("/fr/account/statistics").await.plain();
    assert!(form.contains("value=\"no\" checked") && !form.contains("value=\"female\" checked"));
    let unknown = browser
        .submit(
            "/ar/account/statistics",
            "/ar/account/statistics",
            &[("share", "yes"), ("province", "NOWHERE")],
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.plain().contains("id=\"province-error\""));

    // The export: one JSON file with what each service holds, under the contract's names.
    let export = browser
        .submit("/fr/account/export", "/fr/account/export", &[])
        .await;
    assert_eq!(export.status, 200, "{}", export.body);
    assert!(export.header("content-disposition").contains("attachment"));
    assert_eq!(export.header("cache-control"), "no-store");
    let data: serde_json::Value = serde_json::from_str(&export.body).expect("the export is JSON");
    assert_eq!(data["identity"]["account"]["email"], email.as_str());
    assert_eq!(data["identity"]["account"]["display_name"], "Karima B.");
    let consents = data["identity"]["consents"].as_array().expect("consents");
    assert_eq!(consents.len(), 2, "granted, then withdrawn: {consents:?}");
    assert!(
        data["consultation"].is_object() && data["training"].is_object(),
        "{data}"
    );

    // Deleting: the password again; a wrong one changes nothing.
    let wrong = browser
        .submit(
            "/fr/account/delete",
            "/fr/account/delete",
            &[("password", "not mine at all")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.plain().contains("Le mot de passe est incorrect"));
    assert_eq!(browser.get("/fr/account").await.status, 200);
    let deleted = browser
        .submit(
            "/fr/account/delete",
            "/fr/account/delete",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert_eq!(deleted.header("location"), "/fr/account/deleted");
    assert!(session_cookie(&browser).is_none());
    assert_eq!(browser.follow(&deleted).await.status, 200);
    let again = Browser::new(p.portal)
        .submit(
            "/fr/sign-in",
            "/fr/sign-in",
            &[("identifier", &email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, 422, "a deleted account cannot sign in");
}
