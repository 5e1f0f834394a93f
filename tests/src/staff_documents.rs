//! The documents staff attach to what they manage, through the portal's upload form: a
//! consultation's program uploaded, listed on its staff page and its public page, downloaded
//! as the same bytes, then removed; a file of a refused type, and an empty choice, said beside
//! the file field in Arabic and French with nothing written; a citizen refused with nothing
//! written; a petition's, an opinion's and a session's documents listed on their public pages.

use tachawor_proto::{consultation as c, training as t};

use crate::{
    Person, Platform, scenario,
    signed_in::sign_in,
    staff_answers::adopted_opinion,
    take_part_pages::{assert_beside, assert_localized},
    training_pages,
    web::{Browser, Page, form_token},
};

/// A small PDF, recognised by its content.
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {text}\n%%EOF\n").into_bytes()
}

async fn consultation_documents(p: &Platform, staff: &Person, id: &str) -> Vec<String> {
    p.consultation_as(&staff.token)
        .list_attachments(c::ListAttachmentsRequest {
            parent: c::AttachmentParent::Consultation as i32,
            parent_id: id.into(),
            page: None,
        })
        .await
        .expect("list attachments")
        .into_inner()
        .attachments
        .into_iter()
        .map(|a| a.name)
        .collect()
}

/// Uploads `file` as `name` on the documents page at `path`, with the page's form token.
async fn upload(browser: &mut Browser, path: &str, name: &str, file: &[u8]) -> Page {
    let page = browser.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    let token = form_token(&page);
    browser
        .post_file(path, &[("csrf", &token)], ("file", name, file))
        .await
}

/// The download links a page lists, in order (not the links to the staff's documents pages).
fn download_links(page: &Page) -> Vec<String> {
    page.body
        .match_indices("href=\"/")
        .map(|(at, _)| {
            let start = at + "href=\"".len();
            let end = page.body[start..].find('"').expect("a closing quote") + start;
            page.body[start..end].to_string()
        })
        .filter(|href| href.contains("/documents/") && !href.contains("/staff/"))
        .collect()
}

pub async fn check_documents(p: &Platform, staff: &Person) {
    // A draft consultation: staff attach before opening it.
    let consultation = p
        .consultation_as(&staff.token)
        .create_consultation(c::CreateConsultationRequest {
            title: Some(tachawor_proto::common::LocalizedText {
                ar: "برنامج العمل الجهوي".into(),
                fr: "Programme d’action régional".into(),
                ..Default::default()
            }),
            body: Some(tachawor_proto::common::LocalizedText {
                ar: "ما رأيكم في البرنامج؟".into(),
                fr: "Que pensez-vous du programme ?".into(),
                ..Default::default()
            }),
            organizer: Some(c::Organizer {
                kind: c::OrganizerKind::Council as i32,
                instance_id: String::new(),
            }),
            audience: c::Audience::Public as i32,
            ..Default::default()
        })
        .await
        .expect("create consultation")
        .into_inner()
        .consultation
        .expect("consultation")
        .consultation_id;
    let desk = format!("/ar/staff/documents/consultation/{consultation}");

    // A citizen: refused, on the page and on its post, and nothing is written.
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "ar").await;
    let refused = as_citizen.get(&desk).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let token = form_token(&as_citizen.get("/ar/account").await);
    let refused = as_citizen
        .post_file(&desk, &[("csrf", &token)], ("file", "p.pdf", &pdf("x")))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        consultation_documents(p, staff, &consultation)
            .await
            .is_empty()
    );
    // Anonymous: to sign in.
    let anonymous = crate::web::get(p.portal, &desk, &[]).await;
    assert_eq!(anonymous.status, 303);

    let mut browser = sign_in(p, staff, "ar").await;
    // The consultation's desk leads to its documents.
    let consultation_desk = browser
        .get(&format!("/ar/staff/consultations/{consultation}"))
        .await;
    assert!(
        consultation_desk.body.contains(&format!("href=\"{desk}\"")),
        "{}",
        consultation_desk.body
    );
    let empty = browser.get(&desk).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(empty.header("cache-control"), "no-store");
    assert_localized(&empty, "ar");
    let body = empty.plain();
    assert!(
        body.contains("برنامج العمل الجهوي"),
        "the parent is named: {body}"
    );
    assert!(body.contains("enctype=\"multipart/form-data\""), "{body}");
    assert!(
        body.contains("aria-describedby=\"file-hint\""),
        "the file field is described by its hint: {body}"
    );
    assert!(
        body.contains("10 ميغابايت"),
        "the size limit is said: {body}"
    );

    // Without its form token: refused, nothing written.
    let forged = browser
        .post_file(&desk, &[], ("file", "p.pdf", &pdf("x")))
        .await;
    assert_eq!(forged.status, 403, "{}", forged.body);

    // No file chosen: said beside the field.
    let none = upload(&mut browser, &desk, "", b"").await;
    assert_eq!(none.status, 422, "{}", none.body);
    assert_beside(&none, "file", "اختر الملف المراد إرفاقه.");

    // A program disguised as a PDF: refused by its content, beside the field, in Arabic then
    // French, and nothing is written.
    let disguised = b"MZ\x90\0 a Windows program".to_vec();
    let refused = upload(&mut browser, &desk, "programme.pdf", &disguised).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "ar");
    assert!(refused.plain().contains("<title>خطأ:"), "{}", refused.body);
    assert_beside(&refused, "file", "هذا الملف غير مقبول");
    let desk_fr = format!("/fr/staff/documents/consultation/{consultation}");
    let refused = upload(&mut browser, &desk_fr, "programme.pdf", &disguised).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "fr");
    assert_beside(&refused, "file", "Ce fichier n’est pas accepté");
    // Over the limit (10 MiB in the tests' settings): said beside the field.
    let mut large = pdf("large");
    large.resize(10 * 1024 * 1024 + 1, b' ');
    let refused = upload(&mut browser, &desk_fr, "grand.pdf", &large).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_beside(
        &refused,
        "file",
        "Ce fichier est trop volumineux : 10\u{a0}Mo au plus.",
    );
    assert!(
        consultation_documents(p, staff, &consultation)
            .await
            .is_empty()
    );

    // The program: uploaded, listed with its name, type and size, downloaded whole.
    let program = pdf("Programme d'action 2027-2032");
    let added = upload(&mut browser, &desk, "programme-2027.pdf", &program).await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(added.header("location"), format!("{desk}?done=added"));
    let listed = browser.follow(&added).await;
    let text = listed.plain();
    assert!(text.contains("أُرفقت الوثيقة."), "{text}");
    assert!(text.contains("<bdi>programme-2027.pdf</bdi>"), "{text}");
    assert!(text.contains("<bdi>PDF</bdi>"), "{text}");
    assert_eq!(
        consultation_documents(p, staff, &consultation).await,
        ["programme-2027.pdf"]
    );
    let links = download_links(&listed);
    assert_eq!(links.len(), 1, "{links:?}");
    let download = browser.download(&links[0]).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert_eq!(download.body, program, "the same bytes come back");
    assert_eq!(
        download.header("cache-control"),
        "no-store",
        "a draft's document, read by staff, is kept by no cache"
    );

    // Once open, the public page lists it.
    p.consultation_as(&staff.token)
        .open_consultation(c::OpenConsultationRequest {
            consultation_id: consultation.clone(),
            closes_at: Some(tachawor_proto::dates::timestamp(p.now() + 14 * 86_400_000)),
        })
        .await
        .expect("open the consultation");
    let public = crate::web::get(p.portal, &format!("/fr/consultations/{consultation}"), &[]).await;
    assert!(
        public.plain().contains("<bdi>programme-2027.pdf</bdi>"),
        "{}",
        public.body
    );

    // Removed: gone from the list.
    let page = browser.get(&desk).await;
    let token = form_token(&page);
    let id = links[0].rsplit('/').next().expect("an id").to_string();
    let removed = browser
        .post_raw(&format!("{desk}/{id}/remove"), &[("csrf", &token)])
        .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let after = browser.follow(&removed).await;
    assert!(after.plain().contains("سُحبت الوثيقة."), "{}", after.body);
    assert!(
        consultation_documents(p, staff, &consultation)
            .await
            .is_empty()
    );

    // A petition's, an adopted opinion's and a session's documents, each from its own desk,
    // listed on the public pages.
    let agent = p.resident(staff, "laayoune").await;
    let petition = scenario::collecting_petition(p, &agent).await;
    let opinion = adopted_opinion(p, staff).await.opinion_id;
    let session = training_pages::schedule(p, staff, 10, false).await;
    for (parent, id, from, public) in [
        (
            "petition",
            &petition,
            format!("/fr/staff/petitions/{petition}"),
            format!("/fr/petitions/{petition}"),
        ),
        (
            "opinion",
            &opinion,
            format!("/fr/staff/answers/opinions/{opinion}"),
            "/fr/opinions".to_string(),
        ),
        (
            "session",
            &session,
            "/fr/staff/sessions".to_string(),
            format!("/fr/training/sessions/{session}"),
        ),
    ] {
        let desk = format!("/fr/staff/documents/{parent}/{id}");
        let from_page = browser.get(&from).await;
        assert!(
            from_page.body.contains(&format!("href=\"{desk}\"")),
            "{from} leads to {desk}: {}",
            from_page.body
        );
        let name = format!("{parent}-annexe.pdf");
        let content = pdf(parent);
        let added = upload(&mut browser, &desk, &name, &content).await;
        assert_eq!(added.status, 303, "{parent}: {}", added.body);
        let listed = browser.follow(&added).await;
        assert!(
            listed.plain().contains("Le document est joint."),
            "{}",
            listed.body
        );
        // Read signed in: the portal's short cache of anonymous pages may hold an older copy.
        let page = browser.get(&public).await;
        assert_eq!(page.status, 200, "{public}");
        assert!(
            page.plain().contains(&format!("<bdi>{name}</bdi>")),
            "{public} lists {name}: {}",
            page.body
        );
        let link = download_links(&page)
            .into_iter()
            .find(|l| {
                l.contains(if parent == "session" {
                    "/documents/training/"
                } else {
                    "/documents/consultation/"
                })
            })
            .expect("a download link");
        let download = Browser::new(p.portal).download(&link).await;
        assert_eq!(download.body, content, "{parent}: the same bytes");
    }
    // The session's document, read back through training.
    let listed = p
        .training_as(&staff.token)
        .list_attachments(t::ListAttachmentsRequest {
            session_id: session,
            page: None,
        })
        .await
        .expect("list the session's documents")
        .into_inner()
        .attachments;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "session-annexe.pdf");
}
