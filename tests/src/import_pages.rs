//! The imports desk through the portal: only staff open it; a file with bad rows lists every
//! one (line, column, reason in the page's language) and writes nothing; a good file is
//! checked, then imported with a progress line per batch, and importing it again changes
//! nothing; what was imported shows as recorded after the fact.

use tachawor_proto::identity::{
    Association, GetInstanceRequest, ListAssociationsRequest, ListInstancesRequest,
};

use crate::{
    Person, Platform,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::{self, Browser, Page},
};

fn suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_string()
}

/// The value of the hidden field `name` of a page's form, as a browser sends it back.
pub(crate) fn hidden(page: &Page, name: &str) -> String {
    let mut value = web::hidden(page, name);
    for (entity, c) in [
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&#60;", "<"),
        ("&#62;", ">"),
        ("&amp;", "&"),
        ("&#38;", "&"),
    ] {
        value = value.replace(entity, c);
    }
    value
}

async fn associations(p: &Platform, staff: &Person, prefix: &str) -> Vec<Association> {
    let mut all = Vec::new();
    let mut token = String::new();
    loop {
        let page = p
            .identity_as(&staff.token)
            .list_associations(ListAssociationsRequest {
                page: Some(tachawor_proto::common::PageRequest {
                    page_size: 200,
                    page_token: token,
                }),
                ..Default::default()
            })
            .await
            .expect("associations")
            .into_inner();
        all.extend(
            page.associations
                .into_iter()
                .filter(|a| a.registration_number.starts_with(prefix)),
        );
        if page.next_page_token.is_empty() {
            return all;
        }
        token = page.next_page_token;
    }
}

async fn members(p: &Platform, staff: &Person, instance_id: &str) -> usize {
    p.identity_as(&staff.token)
        .get_instance(GetInstanceRequest {
            instance_id: instance_id.into(),
        })
        .await
        .expect("instance")
        .into_inner()
        .instance
        .expect("instance")
        .members
        .len()
}

pub(crate) async fn upload(browser: &mut Browser, lang: &str, kind: &str, csv: &str) -> Page {
    let desk = browser.get(&format!("/{lang}/staff/imports")).await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    let token = web::form_token(&desk);
    browser
        .post_file(
            &format!("/{lang}/staff/imports/{kind}/check"),
            &[("csrf", &token)],
            ("file", &format!("{kind}.csv"), csv.as_bytes()),
        )
        .await
}

/// Confirms a checked file as its page's form does.
pub(crate) async fn confirm(browser: &mut Browser, lang: &str, kind: &str, checked: &Page) -> Page {
    let token = web::form_token(checked);
    let file = hidden(checked, "file");
    browser
        .post_raw(
            &format!("/{lang}/staff/imports/{kind}/run"),
            &[("csrf", &token), ("file", &file)],
        )
        .await
}

pub async fn check_who_opens_the_desk(p: &Platform) {
    let admin = p.admin().await;
    let citizen = p.citizen().await;
    let anonymous = web::get(p.portal, "/fr/staff/imports", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/fr/sign-in?next=%2Ffr%2Fstaff%2Fimports"),
        "{:?}",
        anonymous.headers
    );
    let mut as_citizen = sign_in(p, &citizen, "ar").await;
    let refused = as_citizen.get("/ar/staff/imports").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let token = web::form_token(&as_citizen.get("/ar/account").await);
    let number = format!("CIT-{}", suffix());
    let csv = format!(
        "registration_number,name_ar,name_fr,founded_on,province_code,fields_of_activity\n\
         {number},جمعية,Association,2010-01-01,laayoune,youth\n"
    );
    let posted = as_citizen
        .post_file(
            "/ar/staff/imports/associations/check",
            &[("csrf", &token)],
            ("file", "a.csv", csv.as_bytes()),
        )
        .await;
    assert_eq!(posted.status, 403, "{}", posted.body);
    let posted = as_citizen
        .post_raw(
            "/ar/staff/imports/associations/run",
            &[("csrf", &token), ("file", &csv)],
        )
        .await;
    assert_eq!(posted.status, 403, "{}", posted.body);
    assert!(associations(p, &admin, &number).await.is_empty());
}

pub async fn check_bad_files_write_nothing(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let member = p.citizen().await;
    let instance = p
        .identity_as(&staff.token)
        .list_instances(ListInstancesRequest::default())
        .await
        .expect("instances")
        .into_inner()
        .instances
        .remove(0)
        .instance_id;
    let before = members(p, &staff, &instance).await;
    let mut browser = sign_in(p, &staff, "fr").await;

    let missing = upload(
        &mut browser,
        "fr",
        "members",
        "instance_id,role\nx,member\n",
    )
    .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, "file-members", "account_id, started_on");
    assert_localized(&missing, "fr");

    let unknown = uuid::Uuid::now_v7().to_string();
    let csv = format!(
        "instance_id,account_id,role,started_on,ended_on\n\
         {instance},{},member,2025-01-10,\n\
         {instance},{unknown},member,2025-01-10,\n\
         {instance},{},chair,2025-02-30,\n\
         \"{instance}\",\"{}\",member,2025-01-10,2024-01-01\n",
        member.id, member.id, member.id
    );
    for lang in ["fr", "ar"] {
        let checked = upload(&mut browser, lang, "members", &csv).await;
        assert_eq!(checked.status, 422, "{}", checked.body);
        assert_localized(&checked, lang);
        let text = checked.plain();
        for (line, column) in [
            (3, "account_id"),
            (4, "role"),
            (4, "started_on"),
            (5, "ended_on"),
        ] {
            assert!(
                text.contains(&format!(
                    "<tr><td>{line}</td><td><code dir=\"ltr\">{column}</code></td>"
                )),
                "line {line}, {column}: {text}"
            );
        }
        assert_eq!(text.matches("<tr><td>").count(), 4, "{text}");
        assert!(!text.contains("name=\"file\""), "no import offered");
    }
    let reasons = upload(&mut browser, "fr", "members", &csv).await.plain();
    assert!(
        reasons.contains("Introuvable sur la plateforme."),
        "{reasons}"
    );
    assert_eq!(
        members(p, &staff, &instance).await,
        before,
        "nothing written"
    );
}

pub async fn check_import_with_progress_then_again(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let prefix = format!("IMP-{}-", suffix());
    let mut csv = String::from(
        "registration_number,name_ar,name_fr,name_en,founded_on,province_code,fields_of_activity\r\n",
    );
    // More than one batch, so the run writes several progress lines.
    for i in 0..1203 {
        csv.push_str(&format!(
            "{prefix}{i},\"جمعية \"\"{i}\"\"\",\"Association {i}, Laâyoune\",,2008-05-0{},laayoune,youth;culture\r\n",
            1 + i % 9
        ));
    }
    let mut browser = sign_in(p, &staff, "ar").await;
    let checked = upload(&mut browser, "ar", "associations", &csv).await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert_localized(&checked, "ar");
    assert_eq!(hidden(&checked, "file"), csv, "the file travels back whole");
    assert!(
        associations(p, &staff, &prefix).await.is_empty(),
        "a check writes nothing"
    );

    let run = confirm(&mut browser, "ar", "associations", &checked).await;
    assert_eq!(run.status, 200, "{}", run.body);
    assert_eq!(run.header("cache-control"), "no-store");
    assert_localized(&run, "ar");
    let text = run.plain();
    assert_eq!(text.matches("<progress ").count(), 2, "{text}");
    assert!(text.contains("max=\"2\" value=\"2\""), "{text}");
    assert!(text.contains("role=\"status\""), "{text}");
    assert!(text.contains("</html>"), "the page ends");
    let imported = associations(p, &staff, &prefix).await;
    assert_eq!(imported.len(), 1203);
    assert!(imported.iter().all(|a| a.recorded_after_the_fact));
    let first = imported
        .iter()
        .find(|a| a.registration_number == format!("{prefix}0"))
        .expect("line 2");
    assert_eq!(first.name.as_ref().unwrap().ar, "جمعية \"0\"");
    assert_eq!(first.name.as_ref().unwrap().fr, "Association 0, Laâyoune");
    assert_eq!(first.fields_of_activity, ["youth", "culture"]);

    // Again, in French: checked as all already recorded, and run without change.
    let mut browser = sign_in(p, &staff, "fr").await;
    let checked = upload(&mut browser, "fr", "associations", &csv).await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert!(checked.plain().contains("0 à ajouter"), "{}", checked.body);
    let run = confirm(&mut browser, "fr", "associations", &checked).await;
    assert!(
        run.plain().contains("0 ajoutées, 1.203 déjà enregistrées"),
        "{}",
        run.body
    );
    assert_eq!(associations(p, &staff, &prefix).await.len(), 1203);
}
