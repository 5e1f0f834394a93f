//! The portal's staff console, driven as a browser without script would: who may open it
//! (anonymous sent to sign in, a citizen refused, staff and administrators in), the
//! verification desk (the CIN never shown back, even after an error), roles set by an
//! administrator only, and the sessions desk (registrations as CSV, the venue's screen with
//! the day's code and its QR code, the check-in page filled in from it, staff checking a
//! registrant in, marking held), and
//! the moderation desk (hide with a reason, restore).

use tachawor_proto::{
    consultation::PostCommentRequest,
    identity::{Account, Role, SearchAccountsRequest},
    training as t,
};

use crate::{
    Person, Platform,
    signed_in::sign_in,
    take_part_pages::{self, assert_beside, assert_localized},
    training_pages,
    web::{Browser, Page},
};

#[path = "staff_petitions.rs"]
mod petitions;
pub use petitions::{PETITION_MINIMUM, PETITION_SETTINGS, check_petitions_desk};

/// The account `person` as staff find it through identity.
async fn account(p: &Platform, staff: &Person, person: &Person) -> Account {
    p.identity_as(&staff.token)
        .search_accounts(SearchAccountsRequest {
            query: person.email.clone(),
            ..Default::default()
        })
        .await
        .expect("search")
        .into_inner()
        .accounts
        .into_iter()
        .find(|a| a.account_id == person.id)
        .expect("the account is found")
}

/// The administrator, signed in through the portal.
async fn admin_in_browser(p: &Platform, lang: &str) -> Browser {
    let mut browser = Browser::new(p.portal);
    let page = browser
        .submit(
            &format!("/{lang}/sign-in"),
            &format!("/{lang}/sign-in"),
            &[
                ("identifier", p.admin_email.as_str()),
                ("password", p.admin_password.as_str()),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "admin signs in: {}", page.body);
    browser
}

/// A value as a query string carries it.
fn query_value(value: &str) -> String {
    crate::web::form_encode(&[("v", value)])[2..].to_string()
}

fn assert_no_store(page: &Page, what: &str) {
    assert_eq!(page.header("cache-control"), "no-store", "{what}");
}

/// Who opens the console: anonymous to sign in, a citizen refused (and shown no link), staff
/// and administrators in, in both languages.
pub async fn check_who_opens_it(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let citizen = p.citizen().await;

    let anonymous = crate::web::get(p.portal, "/ar/staff", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/ar/sign-in?next=%2Far%2Fstaff"),
        "{:?}",
        anonymous.headers
    );

    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    for path in ["/fr/staff", "/fr/staff/accounts", "/fr/staff/sessions"] {
        let refused = as_citizen.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert!(refused.plain().contains("Vous ne pouvez pas faire cela"));
        assert_no_store(&refused, path);
    }
    let account_page = as_citizen.get("/fr/account").await;
    assert_eq!(account_page.status, 200);
    assert!(
        !account_page.body.contains("/fr/staff"),
        "no console link for a citizen"
    );

    for lang in ["ar", "fr"] {
        let mut as_staff = sign_in(p, &staff, lang).await;
        let home = as_staff.get(&format!("/{lang}/staff")).await;
        assert_eq!(home.status, 200, "{}", home.body);
        assert_localized(&home, lang);
        assert_no_store(&home, "the console's home");
        for desk in ["staff/accounts", "staff/sessions"] {
            assert!(
                home.body.contains(&format!("href=\"/{lang}/{desk}\"")),
                "{lang} home links {desk}"
            );
        }
        assert!(
            home.body
                .contains(&format!("href=\"/{lang}/staff\" aria-current=\"page\"")),
            "the console's link is current"
        );
        let account_page = as_staff.get(&format!("/{lang}/account")).await;
        assert!(
            account_page.body.contains(&format!("/{lang}/staff")),
            "staff see the console's link"
        );
    }
    let mut as_admin = admin_in_browser(p, "ar").await;
    let home = as_admin.get("/ar/staff").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.plain().contains("أنت مسؤول عن المنصة"));
}

/// The verification desk: find, verify with CIN and province (errors keep the other answers,
/// never the CIN), refusals as sentences, a form without its token refused; roles by an
/// administrator only.
pub async fn check_verification_desk(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let citizen = p.citizen().await;
    let target = p.citizen().await;
    let who = query_value(&target.email);

    let mut as_staff = sign_in(p, &staff, "ar").await;
    let found = as_staff.get(&format!("/ar/staff/accounts?q={who}")).await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_localized(&found, "ar");
    let verify_path = format!("/ar/staff/accounts/{}/verify?who={who}", target.id);
    assert!(
        found.body.contains(&verify_path),
        "a verify link: {}",
        found.body
    );
    assert!(
        !found.body.contains("/roles?who="),
        "staff are not offered roles"
    );
    let action = format!("/ar/staff/accounts/{}/verify", target.id);

    // Nothing typed: both required fields named, in Arabic, above the h1.
    let missing = as_staff
        .submit(
            &verify_path,
            &action,
            &[("who", &target.email), ("cin", "")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_localized(&missing, "ar");
    assert!(missing.plain().contains("<title>خطأ:"));
    assert_beside(&missing, "cin", "أدخل رقم البطاقة الوطنية.");
    assert_beside(&missing, "residence_province_code", "اختر إقليم الإقامة.");

    // A malformed CIN is refused by identity; the page says so and does not show it back.
    let bad_cin = "Q9-77-XZ";
    let refused = as_staff
        .submit(
            &verify_path,
            &action,
            &[
                ("who", &target.email),
                ("cin", bad_cin),
                ("residence_province_code", "laayoune"),
                ("legal_name", "سعاد"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_beside(&refused, "cin", "حرف أو حرفين متبوعين بأرقام");
    assert!(
        !refused.body.contains(bad_cin),
        "the CIN is never shown back"
    );
    assert!(refused.body.contains("value=\"سعاد\""), "the name is kept");
    assert!(
        refused.body.contains("value=\"laayoune\" selected"),
        "the province is kept"
    );
    assert!(!account(p, &staff, &target).await.verified);

    // Without the form's token: refused, nothing written.
    let forged = as_staff
        .post_raw(
            &action,
            &[
                ("csrf", "x"),
                ("who", &target.email),
                ("cin", "ZT90000001"),
                ("residence_province_code", "laayoune"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(!account(p, &staff, &target).await.verified);

    // A citizen posting the form with a genuine token: identity refuses, nothing written.
    let mut as_citizen = sign_in(p, &citizen, "ar").await;
    let token = crate::web::form_token(&as_citizen.get("/ar/account").await);
    let denied = as_citizen
        .post_raw(
            &action,
            &[
                ("csrf", &token),
                ("who", &target.email),
                ("cin", "ZT90000001"),
                ("residence_province_code", "laayoune"),
            ],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert!(!account(p, &staff, &target).await.verified);

    // Verified: back to the search with a notice; the CIN nowhere.
    let cin = format!("ZT{:08}", uuid::Uuid::new_v4().as_u128() % 100_000_000);
    let done = as_staff
        .submit(
            &verify_path,
            &action,
            &[
                ("who", &target.email),
                ("cin", &cin),
                ("residence_province_code", "laayoune"),
                ("legal_name", "سعاد العلوي"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let after = as_staff.follow(&done).await;
    assert_eq!(after.status, 200);
    assert!(after.plain().contains("تم التحقق من الحساب"));
    assert!(!after.body.contains(&cin));
    let verified = account(p, &staff, &target).await;
    assert!(verified.verified);
    assert_eq!(verified.residence_province_code, "laayoune");
    assert_eq!(verified.legal_name, "سعاد العلوي");

    // The same CIN for another account: refused as a sentence, still not shown.
    let other = p.citizen().await;
    let other_who = query_value(&other.email);
    let twice = as_staff
        .submit(
            &format!("/fr/staff/accounts/{}/verify?who={other_who}", other.id),
            &format!("/fr/staff/accounts/{}/verify", other.id),
            &[
                ("who", &other.email),
                ("cin", &cin),
                ("residence_province_code", "laayoune"),
            ],
        )
        .await;
    assert_eq!(twice.status, 422, "{}", twice.body);
    assert_localized(&twice, "fr");
    assert!(
        twice
            .plain()
            .contains("Un autre compte est déjà vérifié avec ce numéro")
    );
    assert!(!twice.body.contains(&cin));
    assert!(!account(p, &staff, &other).await.verified);

    // Roles: refused to staff, set by an administrator.
    let roles_path = format!("/fr/staff/accounts/{}/roles?who={who}", target.id);
    assert_eq!(as_staff.get(&roles_path).await.status, 403);
    let mut as_admin = admin_in_browser(p, "fr").await;
    let listed = as_admin.get(&format!("/fr/staff/accounts?q={who}")).await;
    assert!(listed.body.contains(&roles_path), "{}", listed.body);
    let roles_action = format!("/fr/staff/accounts/{}/roles", target.id);
    let none = as_admin
        .submit(&roles_path, &roles_action, &[("who", &target.email)])
        .await;
    assert_eq!(none.status, 422);
    assert_beside(&none, "roles", "Cochez au moins un rôle.");
    let set = as_admin
        .submit(
            &roles_path,
            &roles_action,
            &[
                ("who", &target.email),
                ("roles", "citizen"),
                ("roles", "council_staff"),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    assert!(
        as_admin
            .follow(&set)
            .await
            .plain()
            .contains("Les rôles du compte sont enregistrés")
    );
    let roles = account(p, &staff, &target).await.roles;
    assert!(roles.contains(&(Role::CouncilStaff as i32)), "{roles:?}");
}

/// The sessions desk: the list, registrations as CSV, the venue's screen with the day's code in
/// digits and as a QR code of the check-in page, that page filled in from the link, marking held.
pub async fn check_sessions_desk(p: &Platform) {
    // The portal counts today by its own clock: the services' must agree.
    p.clock_to_today();
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let session = training_pages::schedule(p, &staff, 10, false).await;
    let mut as_staff = sign_in(p, &staff, "fr").await;

    let list = as_staff.get("/fr/staff/sessions").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_localized(&list, "fr");
    assert!(
        list.body
            .contains(&format!("/fr/staff/sessions/{session}/screen"))
    );

    let csv = as_staff
        .download(&format!("/fr/staff/sessions/{session}/registrations.csv"))
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text());
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.header("content-disposition").starts_with("attachment"));
    assert_eq!(csv.header("cache-control"), "no-store");

    let screen_path = format!("/ar/staff/sessions/{session}/screen");
    let screen = as_staff.get(&screen_path).await;
    assert_eq!(screen.status, 200, "{}", screen.body);
    assert_localized(&screen, "ar");
    assert!(
        !screen.body.contains("<svg"),
        "no code before one is issued"
    );
    let issued = as_staff.submit(&screen_path, &screen_path, &[]).await;
    assert_eq!(issued.status, 303, "{}", issued.body);
    let location = issued.header("location").to_string();
    let code = location
        .rsplit_once("code=")
        .map(|(_, c)| c.to_string())
        .expect("the screen shows the code issued");
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    let shown = as_staff.follow(&issued).await;
    assert!(
        shown
            .body
            .contains(&format!("class=\"screen-code\" dir=\"ltr\">{code}<"))
    );
    assert!(shown.body.contains("<svg") && shown.body.contains("role=\"img\""));
    let check_in = format!("/ar/training/sessions/{session}/check-in?code={code}");
    assert!(shown.body.contains(&check_in), "the QR's link is shown too");

    // The link the QR code holds fills in the participant's check-in form.
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "ar").await;
    let form = as_citizen.get(&check_in).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains(&format!("value=\"{code}\"")),
        "{}",
        form.body
    );
    let junk = as_citizen
        .get(&format!(
            "/ar/training/sessions/{session}/check-in?code=%3Cb%3E"
        ))
        .await;
    assert!(junk.body.contains("name=\"code\" type=\"text\"") && !junk.body.contains("<b>"));
    // The citizen cannot open the screen nor issue a code.
    assert_eq!(as_citizen.get(&screen_path).await.status, 403);

    // The staff check-in list: a registrant checked in for today by staff, once.
    let attendee = p.citizen().await;
    training_pages::register_via_api(p, &attendee, &session).await;
    let attended = || async {
        p.training_as(&staff.token)
            .list_registrations(t::ListRegistrationsRequest {
                session_id: session.clone(),
                ..Default::default()
            })
            .await
            .expect("registrations")
            .into_inner()
            .registrations
            .into_iter()
            .find(|r| r.account_id == attendee.id)
            .expect("the registration")
    };
    let registration = attended().await.registration_id;
    let list_path = format!("/fr/staff/sessions/{session}/check-in");
    let action = format!("{list_path}/{registration}");
    let list = as_staff.get(&list_path).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_localized(&list, "fr");
    assert!(list.body.contains(&format!("action=\"{action}\"")));
    let token = crate::web::form_token(&as_citizen.get("/ar/account").await);
    let denied = as_citizen
        .post_raw(&action.replace("/fr/", "/ar/"), &[("csrf", &token)])
        .await;
    assert_eq!(denied.status, 403);
    assert!(attended().await.attended_days.is_empty());
    let checked = as_staff.submit(&list_path, &action, &[]).await;
    assert_eq!(checked.status, 303, "{}", checked.body);
    let after = as_staff.follow(&checked).await;
    assert!(
        checked.header("location").ends_with("done=checked-in"),
        "{:?}",
        checked.headers
    );
    assert!(after.plain().contains("La présence est enregistrée."));
    assert!(
        !after.body.contains(&format!("action=\"{action}\"")),
        "present now"
    );
    assert_eq!(attended().await.attended_days.len(), 1);

    let held = as_staff
        .submit(
            "/fr/staff/sessions",
            &format!("/fr/staff/sessions/{session}/held"),
            &[],
        )
        .await;
    assert_eq!(held.status, 303, "{}", held.body);
    assert!(
        held.header("location").ends_with("done=held"),
        "{:?}",
        held.headers
    );
}

/// The moderation desk: a consultation's comments, hiding one needs a reason (beside its
/// field), a citizen's post refused with nothing written, hidden then restored, read back
/// through gRPC.
pub async fn check_moderation_desk(p: &Platform) {
    let s = take_part_pages::seed(p).await;
    let author = p.resident(&s.staff, "laayoune").await;
    let body = "تعليق ينتظر الإشراف";
    p.consultation_as(&author.token)
        .post_comment(PostCommentRequest {
            consultation_id: s.open.clone(),
            body: body.into(),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            ..Default::default()
        })
        .await
        .expect("post a comment");
    let comment = || async {
        take_part_pages::comments(p, &s.staff, &s.open)
            .await
            .into_iter()
            .find(|c| c.body == body)
            .expect("the comment")
    };
    let cid = comment().await.comment_id;
    let mut as_staff = sign_in(p, &s.staff, "ar").await;

    let list = as_staff.get("/ar/staff/moderation").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_localized(&list, "ar");
    let page_path = format!("/ar/staff/moderation/{}", s.open);
    assert!(list.body.contains(&format!("href=\"{page_path}\"")));
    let page = as_staff.get(&page_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "ar");
    assert!(page.body.contains(body));

    let hide = format!("{page_path}/comments/{cid}/hide");
    let missing = as_staff.submit(&page_path, &hide, &[("reason", " ")]).await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(
        &missing,
        &format!("reason-{cid}"),
        "اذكر سبب إخفاء هذا التعليق.",
    );
    assert!(!comment().await.hidden);

    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "ar").await;
    let token = crate::web::form_token(&as_citizen.get("/ar/account").await);
    let denied = as_citizen
        .post_raw(&hide, &[("csrf", &token), ("reason", "سبب")])
        .await;
    assert_eq!(denied.status, 403);
    assert!(!comment().await.hidden);

    let hidden = as_staff
        .submit(&page_path, &hide, &[("reason", "إساءة لشخص")])
        .await;
    assert_eq!(hidden.status, 303, "{}", hidden.body);
    let shown = as_staff.follow(&hidden).await;
    assert!(shown.plain().contains("أُخفي التعليق"));
    assert!(shown.body.contains(body) && shown.body.contains("إساءة لشخص"));
    let now = comment().await;
    assert!(now.hidden && now.hidden_reason == "إساءة لشخص", "{now:?}");

    let restore = format!("/fr{}/comments/{cid}/restore", &page_path[3..]);
    let restored = as_staff
        .submit(&format!("/fr{}", &page_path[3..]), &restore, &[])
        .await;
    assert_eq!(restored.status, 303, "{}", restored.body);
    assert!(
        as_staff
            .follow(&restored)
            .await
            .plain()
            .contains("Le commentaire est rétabli.")
    );
    assert!(!comment().await.hidden);
}
