//! The petitions desk of the staff console: the petitions awaiting a decision first (deposit,
//! deadline, late flag), admitting one onto a named session, rejecting one with reasons (both
//! required beside their field), closing an answered one, and signatures on paper recorded by
//! staff under the online rules, each refusal as a sentence beside its field; anonymous sent
//! to sign in, a citizen refused with nothing written; every effect read back through gRPC.

use std::time::Duration;

use tachawor_proto::consultation::{
    self as c, GetPetitionRequest, ListSignaturesRequest, Petition, PetitionStatus, Signature,
};

use super::assert_no_store;
use crate::{
    Person, Platform, scenario,
    signed_in::sign_in,
    take_part_pages::{assert_beside, assert_localized},
    web::{form_token, hidden},
};

/// The petition minimum the desk's checks run with (settings `petitions.minimum_signatures`),
/// so a petition is deposited with a few signers: add [`PETITION_SETTINGS`] to the all-in-one's
/// settings, or this value to the separate servers' consultation settings.
pub const PETITION_MINIMUM: &str = "8";

/// The all-in-one settings the desk's checks need: the petition minimum lowered to
/// [`PETITION_MINIMUM`], and room for the signers' accounts, all registered from one address.
pub const PETITION_SETTINGS: &str = "
[petitions]
minimum_signatures = 8

[register_limits]
max_per_peer = 100000
";

const PROVINCES: [&str; 4] = ["laayoune", "boujdour", "tarfaya", "es-semara"];

async fn petition(p: &Platform, staff: &Person, id: &str) -> Petition {
    p.consultation_as(&staff.token)
        .get_petition(GetPetitionRequest {
            petition_id: id.into(),
        })
        .await
        .expect("get petition")
        .into_inner()
        .petition
        .expect("petition")
}

async fn signatures(p: &Platform, staff: &Person, id: &str) -> Vec<Signature> {
    p.consultation_as(&staff.token)
        .list_signatures(ListSignaturesRequest {
            petition_id: id.into(),
            page: None,
        })
        .await
        .expect("list signatures")
        .into_inner()
        .signatures
}

fn status(p: &Petition) -> PetitionStatus {
    PetitionStatus::try_from(p.status).expect("a known status")
}

/// Enough residents to meet the rules in force: the minimum, each province its share.
async fn signers(p: &Platform, staff: &Person) -> Vec<Person> {
    let rules = p
        .consultation_as("")
        .get_petition_rules(c::GetPetitionRulesRequest {})
        .await
        .expect("petition rules")
        .into_inner()
        .rules
        .expect("rules");
    let share = rules.province_minimum.max(1) as usize;
    let first = (rules.minimum_signatures as usize)
        .saturating_sub(3 * share)
        .max(share);
    let counts: Vec<(&str, usize)> = PROVINCES
        .iter()
        .enumerate()
        .map(|(i, province)| (*province, if i == 0 { first } else { share }))
        .collect();
    p.residents(staff, &counts).await
}

/// A collecting petition by `agent` signed by every signer, then deposited by the agent.
async fn deposited(p: &Platform, agent: &Person, signers: &[Person]) -> String {
    let id = scenario::collecting_petition(p, agent).await;
    for signer in signers {
        p.consultation_as(&signer.token)
            .sign_petition(c::SignPetitionRequest {
                petition_id: id.clone(),
                ..Default::default()
            })
            .await
            .expect("sign");
    }
    let petition = p
        .consultation_as(&agent.token)
        .deposit_petition(c::DepositPetitionRequest {
            petition_id: id.clone(),
        })
        .await
        .expect("deposit")
        .into_inner()
        .petition
        .expect("petition");
    assert_eq!(status(&petition), PetitionStatus::Deposited);
    id
}

/// The petitions desk, on a platform started with the petition minimum [`PETITION_MINIMUM`].
/// On a platform with a manual clock, it moves the clock past the answer period last (the
/// late flag), so it runs after the checks that need today's date.
pub async fn check_petitions_desk(p: &Platform) {
    let admin = p.admin().await;
    let staff = p.staff(&admin).await;
    let agent = p.resident(&staff, "laayoune").await;
    let signers = signers(p, &staff).await;
    let collecting = scenario::collecting_petition(p, &agent).await;
    let (to_admit, to_reject, awaiting) = (
        deposited(p, &agent, &signers).await,
        deposited(p, &agent, &signers).await,
        deposited(p, &agent, &signers).await,
    );

    // Who may open it: anonymous to sign in; a citizen refused, and their post writes nothing.
    let anonymous = crate::web::get(p.portal, "/ar/staff/petitions", &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(
        anonymous
            .header("location")
            .starts_with("/ar/sign-in?next=%2Far%2Fstaff%2Fpetitions"),
        "{:?}",
        anonymous.headers
    );
    let citizen = p.citizen().await;
    let mut as_citizen = sign_in(p, &citizen, "fr").await;
    for path in [
        "/fr/staff/petitions".to_string(),
        format!("/fr/staff/petitions/{to_admit}"),
    ] {
        let refused = as_citizen.get(&path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
        assert_no_store(&refused, &path);
    }
    let token = form_token(&as_citizen.get("/fr/account").await);
    let denied = as_citizen
        .post_raw(
            &format!("/fr/staff/petitions/{to_admit}/admit"),
            &[("csrf", &token), ("session", "Session de mars")],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    let denied = as_citizen
        .post_raw(
            &format!("/fr/staff/petitions/{collecting}/paper"),
            &[("csrf", &token), ("who", &signers[0].email)],
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(
        status(&petition(p, &staff, &to_admit).await),
        PetitionStatus::Deposited
    );
    assert!(signatures(p, &staff, &collecting).await.is_empty());

    // The list: those awaiting a decision first, with their deposit and deadline; others by
    // state, in both languages.
    let mut as_staff = sign_in(p, &staff, "ar").await;
    let list = as_staff.get("/ar/staff/petitions").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_localized(&list, "ar");
    assert_no_store(&list, "the petitions list");
    assert!(
        list.body
            .contains("href=\"/ar/staff/petitions\" aria-current=\"page\""),
        "the desk is current in the console's navigation"
    );
    let receipt = petition(p, &staff, &awaiting)
        .await
        .receipt
        .expect("a receipt")
        .number;
    for id in [&to_admit, &to_reject, &awaiting] {
        assert!(
            list.body
                .contains(&format!("href=\"/ar/staff/petitions/{id}\"")),
            "{id} awaits a decision: {}",
            list.body
        );
    }
    assert!(!list.body.contains(&collecting), "only deposited first");
    let text = list.plain();
    assert!(
        text.contains(&receipt) && text.contains("أودعت في"),
        "{text}"
    );
    assert!(text.contains("القرار مستحق في أجل أقصاه"), "{text}");
    let collecting_list = as_staff.get("/fr/staff/petitions?state=collecting").await;
    assert_eq!(collecting_list.status, 200);
    assert_localized(&collecting_list, "fr");
    assert!(
        collecting_list
            .body
            .contains(&format!("href=\"/fr/staff/petitions/{collecting}\""))
            && !collecting_list.body.contains(&awaiting),
        "{}",
        collecting_list.body
    );
    let home = as_staff.get("/fr/staff").await;
    assert!(home.body.contains("href=\"/fr/staff/petitions\""));

    // Admit: the session is required, beside its field; then admitted, read back through gRPC.
    let desk = format!("/ar/staff/petitions/{to_admit}");
    let page = as_staff.get(&desk).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_localized(&page, "ar");
    assert_no_store(&page, "a petition's desk");
    // Arabic's "few" form: the minimum is 8.
    let online_count = format!("{} توقيعات عبر الإنترنت", signers.len());
    assert!(page.plain().contains(&online_count), "{}", page.plain());
    assert!(page.plain().contains("لا توقيع ورقي"));
    // What the law asks, with the period in force (two months by default).
    assert!(
        page.plain()
            .contains("ويجيب الوكيل داخل أجل شهرين من تاريخ الإيداع")
    );
    let admit = format!("{desk}/admit");
    let missing = as_staff.submit(&desk, &admit, &[("session", "  ")]).await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(
        &missing,
        "session",
        "سمِّ الدورة العادية التي تدرج فيها العريضة.",
    );
    assert!(missing.plain().contains("<title>خطأ: "));
    assert_eq!(
        status(&petition(p, &staff, &to_admit).await),
        PetitionStatus::Deposited
    );
    let session = "الدورة العادية لشهر مارس";
    let admitted = as_staff
        .submit(&desk, &admit, &[("session", session)])
        .await;
    assert_eq!(admitted.status, 303, "{}", admitted.body);
    let shown = as_staff.follow(&admitted).await;
    assert!(
        shown.plain().contains("صُرّح بقبول العريضة"),
        "{}",
        shown.plain()
    );
    assert!(shown.body.contains(session));
    let now = petition(p, &staff, &to_admit).await;
    assert_eq!(status(&now), PetitionStatus::Admissible);
    assert_eq!(now.session, session);
    assert!(!now.late, "answered within the period");
    // Answered once: admitting again is refused with the rule as a sentence, nothing changed.
    let again = as_staff
        .submit(&desk, &admit, &[("session", "Autre session")])
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(
        again.plain().contains("لم يبت فيها بعد"),
        "{}",
        again.plain()
    );
    assert_eq!(petition(p, &staff, &to_admit).await.session, session);

    // Close, where the service allows it (answered); a second time is refused.
    let close = format!("{desk}/close");
    let closed = as_staff.submit(&desk, &close, &[]).await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    assert!(
        as_staff
            .follow(&closed)
            .await
            .plain()
            .contains("أغلقت العريضة.")
    );
    assert_eq!(
        status(&petition(p, &staff, &to_admit).await),
        PetitionStatus::Closed
    );
    // (A closed petition's desk has no form: the token from another page.)
    let token = form_token(
        &as_staff
            .get(&format!("/ar/staff/petitions/{awaiting}"))
            .await,
    );
    let refused = as_staff.post_raw(&close, &[("csrf", &token)]).await;
    assert_eq!(refused.status, 303);
    assert!(refused.header("location").ends_with("done=refused"));

    // Reject: reasons required (French), then rejected with them.
    let desk = format!("/fr/staff/petitions/{to_reject}");
    let reject = format!("{desk}/reject");
    let missing = as_staff.submit(&desk, &reject, &[("reasons", "")]).await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_localized(&missing, "fr");
    assert_beside(&missing, "reasons", "Indiquez les motifs du rejet.");
    assert_eq!(
        status(&petition(p, &staff, &to_reject).await),
        PetitionStatus::Deposited
    );
    let reasons = "La demande ne relève pas des compétences du Conseil régional.";
    let rejected = as_staff
        .submit(&desk, &reject, &[("reasons", reasons)])
        .await;
    assert_eq!(rejected.status, 303, "{}", rejected.body);
    let shown = as_staff.follow(&rejected).await;
    assert!(shown.plain().contains("La pétition est rejetée"));
    let now = petition(p, &staff, &to_reject).await;
    assert_eq!(status(&now), PetitionStatus::Rejected);
    assert_eq!(now.rejection_reasons, reasons);

    // Paper signatures, under the online rules: each refusal beside its field or as a
    // sentence, nothing written; then one recorded, once however often posted.
    let desk = format!("/fr/staff/petitions/{collecting}");
    let paper = format!("{desk}/paper");
    let unverified = p.citizen().await;
    let online = p.resident(&staff, "tarfaya").await;
    p.consultation_as(&online.token)
        .sign_petition(c::SignPetitionRequest {
            petition_id: collecting.clone(),
            ..Default::default()
        })
        .await
        .expect("sign online");
    let missing = as_staff.submit(&desk, &paper, &[("who", " ")]).await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_beside(
        &missing,
        "who",
        "Saisissez l’adresse e-mail ou le numéro de téléphone du compte du signataire.",
    );
    let unknown = as_staff
        .submit(&desk, &paper, &[("who", "nobody@people.test")])
        .await;
    assert_eq!(unknown.status, 422);
    assert_beside(
        &unknown,
        "who",
        "Aucun compte actif n’a cette adresse e-mail ou ce numéro de téléphone.",
    );
    let not_verified = as_staff
        .submit(&desk, &paper, &[("who", &unverified.email)])
        .await;
    assert_eq!(not_verified.status, 422, "{}", not_verified.body);
    assert!(
        not_verified
            .plain()
            .contains("L’identité de ce compte n’est pas vérifiée"),
        "{}",
        not_verified.plain()
    );
    assert_localized(&not_verified, "fr");
    assert!(
        not_verified.body.contains(&unverified.email),
        "the account typed is kept"
    );
    let twice = as_staff
        .submit(&desk, &paper, &[("who", &online.email)])
        .await;
    assert_eq!(twice.status, 422);
    assert!(
        twice
            .plain()
            .contains("Cette personne a déjà signé la pétition")
    );
    let bad_province = as_staff
        .submit(
            &desk,
            &paper,
            &[
                ("who", &signers[0].email),
                ("declared_activity_province_code", "paris"),
            ],
        )
        .await;
    assert_eq!(bad_province.status, 422);
    assert_beside(
        &bad_province,
        "declared_activity_province_code",
        "Choisissez une province de la région.",
    );
    let deposited_desk = format!("/ar/staff/petitions/{awaiting}");
    let closed_list = as_staff
        .submit(
            &deposited_desk,
            &format!("{deposited_desk}/paper"),
            &[("who", &signers[0].email)],
        )
        .await;
    assert_eq!(closed_list.status, 422);
    assert!(
        closed_list
            .plain()
            .contains("هذه العريضة لا تجمع التوقيعات الآن"),
        "{}",
        closed_list.plain()
    );
    assert_eq!(signatures(p, &staff, &collecting).await.len(), 1);

    let form = as_staff.get(&desk).await;
    let key = hidden(&form, "idempotency_key");
    let fields = [
        ("csrf", form_token(&form)),
        ("who", signers[0].email.clone()),
        ("idempotency_key", key),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let recorded = as_staff.post_raw(&paper, &fields).await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let shown = as_staff.follow(&recorded).await;
    assert!(
        shown
            .plain()
            .contains("La signature sur papier est enregistrée.")
    );
    assert!(
        shown.plain().contains("1 signature sur papier"),
        "{}",
        shown.plain()
    );
    assert!(shown.plain().contains("1 signature en ligne"));
    // The same form posted again (a double click) records nothing more.
    let resent = as_staff.post_raw(&paper, &fields).await;
    assert_eq!(resent.status, 303, "{}", resent.body);
    let list = signatures(p, &staff, &collecting).await;
    assert_eq!(list.len(), 2, "{list:?}");
    let on_paper: Vec<_> = list.iter().filter(|s| s.paper).collect();
    assert_eq!(on_paper.len(), 1, "{list:?}");
    assert_eq!(on_paper[0].account_id, signers[0].id);
    assert_eq!(on_paper[0].recorded_by, staff.id);
    assert_eq!(on_paper[0].province_code, signers[0].province);

    // The late flag: past the answer period, a petition still awaiting a decision is marked
    // late, in the list and on its page (a platform whose clock can be moved).
    if let Some(clock) = &p.manual {
        let list = as_staff.get("/fr/staff/petitions").await;
        assert!(!list.plain().contains("En retard"), "{}", list.plain());
        clock.advance(Duration::from_secs(70 * 86_400));
        assert!(petition(p, &staff, &awaiting).await.late);
        let list = as_staff.get("/fr/staff/petitions").await;
        assert!(list.plain().contains("En retard"), "{}", list.plain());
        let page = as_staff
            .get(&format!("/ar/staff/petitions/{awaiting}"))
            .await;
        assert!(
            page.plain().contains("تجاوز الأجل القانوني للجواب"),
            "{}",
            page.plain()
        );
    } else {
        assert!(!petition(p, &staff, &awaiting).await.late);
        let page = as_staff
            .get(&format!("/ar/staff/petitions/{awaiting}"))
            .await;
        assert!(!page.plain().contains("متأخرة"), "{}", page.plain());
    }
}
