//! An instance's member proposes a consultation through the portal, and staff approve or
//! reject it on the consultations desk: the member's instances page and form (their refusals
//! beside the fields, nothing written), a citizen refused, the proposal waiting for staff,
//! rejected with a reason the member reads, another approved into a draft; each step read back
//! through gRPC.

use tachawor_proto::{
    consultation::{self as c, Consultation, ConsultationStatus},
    identity::{AddInstanceMemberRequest, ListInstancesRequest, MemberRole},
};

use crate::{
    Person, Platform,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::form_token,
};

/// The consultations `instance` launched, as staff read them (proposals and rejections too).
async fn launched(p: &Platform, staff: &Person, instance: &str) -> Vec<Consultation> {
    p.consultation_as(&staff.token)
        .list_consultations(c::ListConsultationsRequest {
            launched_by_instance_id: instance.into(),
            ..Default::default()
        })
        .await
        .expect("list the instance's consultations")
        .into_inner()
        .consultations
}

fn status(c: &Consultation) -> ConsultationStatus {
    ConsultationStatus::try_from(c.status).expect("a known status")
}

/// A new member of the region's second instance, signed in again so their token names it; the
/// instance's id and its French name.
async fn member(p: &Platform, staff: &Person) -> (Person, String, String) {
    let mut identity = p.identity_as(&staff.token);
    let instance = identity
        .list_instances(ListInstancesRequest::default())
        .await
        .expect("list instances")
        .into_inner()
        .instances
        .into_iter()
        .nth(1)
        .expect("the region has several instances");
    let person = p.resident(staff, "tarfaya").await;
    identity
        .add_instance_member(AddInstanceMemberRequest {
            instance_id: instance.instance_id.clone(),
            account_id: person.id.clone(),
            role: MemberRole::Member as i32,
            ..Default::default()
        })
        .await
        .expect("add instance member");
    let name = instance.name.unwrap_or_default().fr;
    (p.relogin(&person).await, instance.instance_id, name)
}

/// `text` without its HTML entities and the characters a page escapes, to compare a name with
/// the page that shows it.
fn words(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = match rest[at..].find(';') {
            Some(end) if end <= 8 => &rest[at + end + 1..],
            _ => &rest[at + 1..],
        };
    }
    out.push_str(rest);
    out.chars().filter(|c| !"'’\"<>".contains(*c)).collect()
}

pub async fn check_proposals(p: &Platform, staff: &Person) {
    let (member, instance, name) = member(p, staff).await;
    let before = launched(p, staff, &instance).await.len();
    let form = format!("/fr/account/instances/{instance}/propose");

    // A citizen sits on no instance: no link, a page saying so, the form refused, nothing
    // written.
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    let account = as_citizen.get("/fr/account").await;
    assert!(
        !account.body.contains("/fr/account/instances"),
        "{}",
        account.body
    );
    let none = as_citizen.get("/fr/account/instances").await;
    assert_eq!(none.status, 200, "{}", none.body);
    assert!(
        none.plain()
            .contains("Vous ne siégez dans aucune instance consultative."),
        "{}",
        none.body
    );
    let refused = as_citizen.get(&form).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let token = form_token(&account);
    let refused = as_citizen
        .post_raw(
            &form,
            &[
                ("csrf", &token),
                ("title_ar", "عنوان"),
                ("title_fr", "Titre"),
                ("body_ar", "نص"),
                ("body_fr", "Texte"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(launched(p, staff, &instance).await.len(), before);

    // The member: a link from their account to their instances, then the form.
    let mut browser = sign_in(p, &member, "fr").await;
    let account = browser.get("/fr/account").await;
    assert!(
        account.body.contains("href=\"/fr/account/instances\""),
        "{}",
        account.body
    );
    let page = browser.get("/fr/account/instances").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    assert_localized(&page, "fr");
    // The instance, under its name (compared without what HTML escapes).
    let plain_name = words(&name);
    assert!(
        page.body.contains(&format!("id=\"instance-{instance}\"")),
        "{}",
        page.body
    );
    assert!(words(&page.plain()).contains(&plain_name), "{}", page.body);
    assert!(
        page.body.contains(&format!("href=\"{form}\"")),
        "{}",
        page.body
    );
    let empty = browser.get(&form).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(empty.header("cache-control"), "no-store");
    assert_localized(&empty, "fr");
    assert!(
        words(&empty.plain()).contains(&plain_name),
        "the instance is named"
    );

    // The French title missing: said beside its field, what was typed kept, nothing written.
    let typed = [
        ("title_ar", "النقل المدرسي في طرفاية"),
        ("title_fr", ""),
        ("title_zgh", "ⴰⵎⵓⵙⵙⵓ ⵏ ⵜⵉⵏⵎⵉⵍⵉⵏ"),
        ("body_ar", "ما هي احتياجاتكم؟"),
        ("body_fr", "Quels sont vos besoins ?"),
        ("audience", "public"),
        ("provinces", "tarfaya"),
        ("participation", "verified_only"),
    ];
    let refused = browser.submit(&form, &form, &typed).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "fr");
    assert_beside(&refused, "title_fr", "Écrivez le titre français");
    assert!(refused.plain().contains("ⴰⵎⵓⵙⵙⵓ ⵏ ⵜⵉⵏⵎⵉⵍⵉⵏ"), "kept");
    assert_eq!(launched(p, staff, &instance).await.len(), before);
    // Without its form token: refused.
    let forged = browser.post_raw(&form, &typed).await;
    assert_eq!(forged.status, 403, "{}", forged.body);

    let mut fields = typed.to_vec();
    fields[1] = ("title_fr", "Le transport scolaire à Tarfaya");
    let sent = browser.submit(&form, &form, &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.header("location"), "/fr/account/instances?proposed=1");
    let followed = browser.follow(&sent).await;
    let text = followed.plain();
    assert!(text.contains("Votre proposition est envoyée."), "{text}");
    assert!(text.contains("Le transport scolaire à Tarfaya"), "{text}");
    assert!(
        text.contains("Proposée, en attente d’approbation"),
        "{text}"
    );
    let mine = launched(p, staff, &instance).await;
    assert_eq!(mine.len(), before + 1);
    let proposed = mine
        .iter()
        .find(|c| {
            c.title
                .as_ref()
                .is_some_and(|t| t.fr == "Le transport scolaire à Tarfaya")
        })
        .expect("the proposal");
    assert_eq!(status(proposed), ConsultationStatus::Proposed);
    let title = proposed.title.clone().unwrap_or_default();
    assert_eq!(title.zgh, "ⴰⵎⵓⵙⵙⵓ ⵏ ⵜⵉⵏⵎⵉⵍⵉⵏ");
    assert_eq!(proposed.province_codes, ["tarfaya"]);
    assert_eq!(
        proposed.participation,
        c::Participation::VerifiedOnly as i32
    );
    let first = proposed.consultation_id.clone();
    // Unseen by the public.
    let public = crate::web::get(p.portal, &format!("/fr/consultations/{first}"), &[]).await;
    assert_eq!(public.status, 404, "{}", public.body);

    // Staff find it among the proposals, and reject it: the reason is required.
    let mut desk = sign_in(p, staff, "ar").await;
    let list = desk.get("/ar/staff/consultations?state=proposed").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&first), "listed: {}", list.body);
    let page = format!("/ar/staff/consultations/{first}");
    let opened = desk.get(&page).await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    let text = opened.plain();
    assert!(text.contains("أطلقتها الهيئة الاستشارية"), "{text}");
    assert!(
        text.contains(&format!("action=\"{page}/approve\"")),
        "{text}"
    );
    assert!(
        text.contains(&format!("action=\"{page}/reject\"")),
        "{text}"
    );
    // A citizen cannot approve.
    let token = form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(
            &format!("/fr/staff/consultations/{first}/approve"),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    let no_reason = desk
        .submit(&page, &format!("{page}/reject"), &[("reason", "  ")])
        .await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    assert_localized(&no_reason, "ar");
    assert_beside(&no_reason, "reason", "اذكر سبب الرفض.");
    let unchanged = launched(p, staff, &instance).await;
    let unchanged = unchanged
        .iter()
        .find(|c| c.consultation_id == first)
        .expect("kept");
    assert_eq!(
        status(unchanged),
        ConsultationStatus::Proposed,
        "nothing written"
    );
    let reason = "النقل المدرسي من اختصاص الإقليم.";
    let rejected = desk
        .submit(&page, &format!("{page}/reject"), &[("reason", reason)])
        .await;
    assert_eq!(rejected.status, 303, "{}", rejected.body);
    assert_eq!(rejected.header("location"), format!("{page}?done=rejected"));
    let after = desk.follow(&rejected).await;
    assert!(after.plain().contains("رُفض الاقتراح."), "{}", after.body);
    assert!(after.plain().contains(reason), "{}", after.body);
    let read = launched(p, staff, &instance).await;
    let read = read
        .iter()
        .find(|c| c.consultation_id == first)
        .expect("kept");
    assert_eq!(status(read), ConsultationStatus::Rejected);
    assert_eq!(read.rejection_reason, reason);
    // The member reads the reason.
    let mine = browser.get("/fr/account/instances").await.plain();
    assert!(mine.contains("Proposition refusée"), "{mine}");
    assert!(mine.contains(reason), "{mine}");

    // Another proposal, approved: a draft staff complete and open.
    let mut fields = typed.to_vec();
    fields[0] = ("title_ar", "الملاعب الرياضية للقرب");
    fields[1] = ("title_fr", "Les terrains de sport de proximité");
    let sent = browser.submit(&form, &form, &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let second = launched(p, staff, &instance)
        .await
        .into_iter()
        .find(|c| {
            c.title
                .as_ref()
                .is_some_and(|t| t.fr.starts_with("Les terrains"))
        })
        .expect("the second proposal")
        .consultation_id;
    let page = format!("/fr/staff/consultations/{second}");
    let approved = desk.submit(&page, &format!("{page}/approve"), &[]).await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    let after = desk.follow(&approved).await;
    assert!(
        after.plain().contains("La proposition est approuvée"),
        "{}",
        after.body
    );
    let read = launched(p, staff, &instance).await;
    let read = read
        .iter()
        .find(|c| c.consultation_id == second)
        .expect("kept");
    assert_eq!(status(read), ConsultationStatus::Draft);
    let mine = browser.get("/fr/account/instances").await.plain();
    assert!(mine.contains("Brouillon"), "{mine}");
}

/// For the browser's tour: a member (to sign in as), their instance, and a proposal of theirs
/// waiting for staff.
pub async fn seed_for_browser(p: &Platform, staff: &Person) -> serde_json::Value {
    let (member, instance, _) = member(p, staff).await;
    let proposal = p
        .consultation_as(&member.token)
        .propose_consultation(c::ProposeConsultationRequest {
            instance_id: instance.clone(),
            title: Some(tachawor_proto::common::LocalizedText {
                ar: "الماء الصالح للشرب في القرى".into(),
                fr: "L’eau potable dans les villages".into(),
                ..Default::default()
            }),
            body: Some(tachawor_proto::common::LocalizedText {
                ar: "ما هي الأولويات؟".into(),
                fr: "Quelles priorités ?".into(),
                ..Default::default()
            }),
            audience: c::Audience::Public as i32,
            ..Default::default()
        })
        .await
        .expect("propose a consultation")
        .into_inner()
        .consultation
        .expect("the proposal")
        .consultation_id;
    serde_json::json!({
        "member": {"email": member.email, "password": tachawor_identity::testing::PASSWORD},
        "instance": instance,
        "consultation": proposal,
    })
}
