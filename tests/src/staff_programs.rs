//! The programs desk and the certificate names desk of the staff console: a program created
//! (its fields required beside them, the milestone checked by training), a name asked for by
//! an unverified participant approved as corrected. Anonymous sent to sign in, a citizen
//! refused with nothing written, every effect read back through gRPC.

use tachawor_proto::training as t;

use crate::{
    Person, Platform,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::{Browser, form_token},
};

async fn programs(p: &Platform, staff: &Person) -> Vec<t::Program> {
    p.training_as(&staff.token)
        .list_programs(t::ListProgramsRequest {
            page: Some(tachawor_proto::common::PageRequest {
                page_size: 200,
                page_token: String::new(),
            }),
            milestone_ref: String::new(),
        })
        .await
        .expect("list programs")
        .into_inner()
        .programs
}

async fn pending(p: &Platform, staff: &Person) -> Vec<t::Certificate> {
    p.training_as(&staff.token)
        .list_pending_certificate_names(t::ListPendingCertificateNamesRequest {
            page: Some(tachawor_proto::common::PageRequest {
                page_size: 200,
                page_token: String::new(),
            }),
        })
        .await
        .expect("list pending names")
        .into_inner()
        .certificates
}

const TITLE_FR: &str = "Dialogue citoyen et budget régional";

/// The program form's fields, `milestone` and `audience` as given.
fn program_fields<'a>(milestone: &'a str, audience: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title_ar", "الحوار المواطن والميزانية الجهوية"),
        ("title_fr", TITLE_FR),
        ("objectives_ar", "فهم مراحل إعداد الميزانية"),
        ("objectives_fr", "Comprendre les étapes du budget"),
        ("audience", audience),
        ("audience", "women"),
        ("milestone", milestone),
        ("province", "laayoune"),
        ("province", "tarfaya"),
    ]
}

/// Creates a program on the desk (refusals first); its id.
async fn create_program(p: &Platform, staff: &Person, as_staff: &mut Browser) -> String {
    let home = as_staff.get("/fr/staff").await;
    assert!(
        home.body.contains("href=\"/fr/staff/programs\""),
        "{}",
        home.body
    );
    let desk = as_staff.get("/fr/staff/programs").await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert_localized(&desk, "fr");
    let before = programs(p, staff).await.len();
    let missing = as_staff
        .submit(
            "/ar/staff/programs/new",
            "/ar/staff/programs",
            &[("title_ar", ""), ("title_fr", TITLE_FR), ("milestone", "")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_localized(&missing, "ar");
    assert_beside(&missing, "title_ar", "اكتب العنوان بالعربية.");
    assert_beside(&missing, "objectives_fr", "اكتب الأهداف بالفرنسية.");
    assert_beside(&missing, "audience", "اختر جمهورا واحدا على الأقل.");
    assert_beside(&missing, "milestone", "اختر المرحلة التي يخدمها البرنامج.");
    assert!(missing.plain().contains(&format!("value=\"{TITLE_FR}\"")));
    // Training's own check: a milestone that is none, an audience it does not know.
    let refused = as_staff
        .submit(
            "/fr/staff/programs/new",
            "/fr/staff/programs",
            &program_fields("pas un jalon", "aliens"),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_localized(&refused, "fr");
    assert_beside(&refused, "milestone", "Choisissez un jalon de la liste.");
    assert_beside(&refused, "audience", "Cochez des publics de la liste.");
    assert!(
        refused
            .body
            .contains("id=\"province-tarfaya\" name=\"province\" value=\"tarfaya\" checked"),
        "the provinces ticked are kept"
    );
    assert_eq!(programs(p, staff).await.len(), before, "nothing written");
    // The form offers reporting's milestones.
    let form = as_staff.get("/fr/staff/programs/new").await;
    assert!(
        form.body.contains("<option value=\"MALAA0004-1\""),
        "{}",
        form.body
    );
    let created = as_staff
        .submit(
            "/fr/staff/programs/new",
            "/fr/staff/programs",
            &program_fields("MALAA0004-1", "youth"),
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let shown = as_staff.follow(&created).await;
    assert!(shown.plain().contains("Le programme est créé"));
    assert!(shown.plain().contains(TITLE_FR));
    let program = programs(p, staff)
        .await
        .into_iter()
        .find(|p| p.title.as_ref().is_some_and(|t| t.fr == TITLE_FR))
        .expect("the program, read back");
    assert_eq!(
        program.audiences,
        vec![t::Audience::Youth as i32, t::Audience::Women as i32]
    );
    assert_eq!(program.milestone_ref, "MALAA0004-1");
    assert_eq!(program.province_codes, vec!["laayoune", "tarfaya"]);
    program.program_id
}

/// A certificate whose name, asked for by an unverified participant, awaits approval: its id.
pub(crate) async fn pending_certificate(
    p: &Platform,
    staff: &Person,
    name: &str,
) -> t::Certificate {
    let session = crate::training_pages::schedule(p, staff, 10, false).await;
    let participant = p.citizen().await;
    crate::training_pages::register_via_api(p, &participant, &session).await;
    let mut st = p.training_as(&staff.token);
    let registration = st
        .list_registrations(t::ListRegistrationsRequest {
            session_id: session.clone(),
            ..Default::default()
        })
        .await
        .expect("list registrations")
        .into_inner()
        .registrations
        .into_iter()
        .find(|r| r.account_id == participant.id)
        .expect("the registration")
        .registration_id;
    st.check_in(t::CheckInRequest {
        registration_id: registration,
        day: Some(crate::scenario::venue_today(p.now())),
        idempotency_key: String::new(),
    })
    .await
    .expect("check in");
    st.mark_session_held(t::MarkSessionHeldRequest {
        session_id: session.clone(),
    })
    .await
    .expect("mark held");
    p.training_as(&participant.token)
        .issue_certificate(t::IssueCertificateRequest {
            session_id: session,
            account_id: String::new(),
            certificate_name: name.into(),
            idempotency_key: String::new(),
        })
        .await
        .expect("certificate")
        .into_inner()
        .certificate
        .expect("certificate")
}

async fn check_names_desk(p: &Platform, staff: &Person, as_staff: &mut Browser) {
    let asked = "Salma El Ouali";
    let certificate = pending_certificate(p, staff, asked).await;
    assert_eq!(
        certificate.name_status,
        t::CertificateNameStatus::Pending as i32
    );
    let id = certificate.certificate_id.clone();
    let approve = format!("/ar/staff/certificate-names/{id}/approve");

    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "ar").await;
    let refused = as_citizen.get("/ar/staff/certificate-names").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let token = form_token(&as_citizen.get("/ar/account").await);
    let denied = as_citizen
        .post_raw(&approve, &[("csrf", &token), ("holder_name", asked)])
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert!(
        pending(p, staff)
            .await
            .iter()
            .any(|c| c.certificate_id == id),
        "still awaiting approval"
    );

    let desk = as_staff.get("/ar/staff/certificate-names").await;
    assert_eq!(desk.status, 200, "{}", desk.body);
    assert_localized(&desk, "ar");
    assert!(
        desk.body.contains(&format!("value=\"{asked}\"")),
        "the name asked for, ready to approve: {}",
        desk.body
    );
    assert!(
        desk.plain().contains("ورشة الميزانية التشاركية"),
        "its session"
    );
    let missing = as_staff
        .submit(
            "/ar/staff/certificate-names",
            &approve,
            &[("holder_name", " ")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(&missing, &format!("name-{id}"), "اكتب الاسم الذي يُطبع.");
    let too_long = "n".repeat(201);
    let refused = as_staff
        .submit(
            "/fr/staff/certificate-names",
            &approve.replace("/ar/", "/fr/"),
            &[("holder_name", &too_long)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_beside(&refused, &format!("name-{id}"), "au plus 200 caractères");
    assert!(
        pending(p, staff)
            .await
            .iter()
            .any(|c| c.certificate_id == id),
        "nothing approved"
    );
    let corrected = "Salma El Ouali Idrissi";
    let approved = as_staff
        .submit(
            "/ar/staff/certificate-names",
            &approve,
            &[("holder_name", corrected)],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert!(
        as_staff
            .follow(&approved)
            .await
            .plain()
            .contains("صودق على الاسم")
    );
    assert!(
        !pending(p, staff)
            .await
            .iter()
            .any(|c| c.certificate_id == id),
        "no longer awaiting"
    );
    let verified = p
        .training_as(&citizen.token)
        .verify_certificate(t::VerifyCertificateRequest {
            verification_code: certificate.verification_code.clone(),
        })
        .await
        .expect("verify")
        .into_inner();
    assert_eq!(verified.holder_name, corrected);
    assert_eq!(
        verified.name_status,
        t::CertificateNameStatus::Approved as i32
    );
}

/// The programs and certificate names desks; the program created, for the Forum's session.
pub async fn check_programs_and_names(p: &Platform, staff: &Person) -> String {
    let anonymous = crate::web::get(p.portal, "/fr/staff/programs", &[]).await;
    assert_eq!(anonymous.status, 303);
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    for path in ["/fr/staff/programs", "/fr/staff/programs/new"] {
        let refused = as_citizen.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    let before = programs(p, staff).await.len();
    let token = form_token(&as_citizen.get("/fr/account").await);
    let mut fields = program_fields("MALAA0004-1", "youth");
    fields.push(("csrf", &token));
    let denied = as_citizen.post_raw("/fr/staff/programs", &fields).await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(programs(p, staff).await.len(), before, "nothing created");

    let mut as_staff = sign_in(p, staff, "fr").await;
    let program = create_program(p, staff, &mut as_staff).await;
    check_names_desk(p, staff, &mut as_staff).await;
    program
}
