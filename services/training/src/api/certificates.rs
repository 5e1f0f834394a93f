//! Certificates: for attendance, never for registration alone. Each carries a public
//! verification code anyone can check without an account.

use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    events::TrainingCertificateIssued,
    training::{
        ApproveCertificateNameRequest, ApproveCertificateNameResponse, IssueCertificateRequest,
        IssueCertificateResponse, ListPendingCertificateNamesRequest,
        ListPendingCertificateNamesResponse, VerifyCertificateRequest, VerifyCertificateResponse,
    },
};
use tachawor_runtime::{audit, idempotency};

use super::{check_uuid, page};
use crate::{
    context::{Call, Context},
    domain::{
        self,
        certificate::{self as rules, NameStatus},
        rule::Rule,
    },
    store::{
        attendance,
        certificates::{self, CertificateRow},
        programs, registrations, sessions,
    },
};

const NAME_MAX: usize = 200;

pub async fn issue_certificate(
    ctx: &Context,
    call: &Call,
    req: IssueCertificateRequest,
) -> Result<IssueCertificateResponse, Error> {
    let caller = call.account()?;
    let for_other = !req.account_id.is_empty() && req.account_id != caller.account_id;
    if for_other && !caller.is_staff() {
        return Err(Error::PermissionDenied(
            "only council staff issue certificates to others".into(),
        ));
    }
    let name = req.certificate_name.trim();
    let mut v = Violations::new();
    check_uuid(&mut v, "session_id", &req.session_id);
    v.check(
        req.account_id.is_empty() || domain::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    v.check(
        name.chars().count() <= NAME_MAX && !name.chars().any(char::is_control),
        "certificate_name",
        "must be at most 200 characters, without control characters",
    );
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    let holder = if for_other {
        req.account_id.clone()
    } else {
        caller.account_id.clone()
    };
    let key = req.idempotency_key.as_str();
    let now = ctx.now();
    ctx.writer
        .idempotent(&caller.account_id, "IssueCertificate", key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                let session = sessions::find(&mut tx, &req.session_id)
                    .await?
                    .ok_or_else(|| Error::not_found("session"))?;
                rules::check_session_held(session.status)?;
                let found = registrations::find_for(&mut tx, &req.session_id, &holder).await?;
                rules::check_participant(found.as_ref().map(|r| r.status))?;
                let registration = found.ok_or(Rule::CertificateNotAParticipant)?;
                if certificates::find_by_registration(&mut tx, &registration.registration_id)
                    .await?
                    .is_some()
                {
                    return Err(Error::AlreadyExists(
                        "a certificate was already issued for this participation".into(),
                    ));
                }
                let attended = attendance::days_of(&mut tx, &registration.registration_id)
                    .await?
                    .len();
                rules::check_attendance(attended, session.days_required())?;
                let program = programs::find(&mut tx, &session.program_id)
                    .await?
                    .ok_or_else(|| Error::not_found("program"))?;
                // The printed name is identity's verified legal name; failing that, the name
                // asked for, pending until staff approve it.
                super::require_active(ctx, &holder).await?;
                let verified = ctx.eligibility.verified_name(&holder).await?;
                let (holder_name, name_status) = rules::printed_name(verified, name)?;
                let row = CertificateRow {
                    certificate_id: uuid::Uuid::now_v7().to_string(),
                    registration_id: registration.registration_id.clone(),
                    session_id: session.session_id.clone(),
                    account_id: holder.clone(),
                    holder_name,
                    verification_code: domain::verification_code(),
                    issued_by: caller.account_id.clone(),
                    issued_at: now,
                    name_status: name_status.as_sql().to_string(),
                };
                certificates::insert(&mut tx, &row).await?;
                // Who issued which certificate to which account; the printed name stays on
                // the certificate only.
                audit::record(
                    &mut tx,
                    audit::Change {
                        actor_id: &caller.account_id,
                        action: "certificate.issue",
                        target_type: "certificate",
                        target_id: &row.certificate_id,
                        before: serde_json::json!(null),
                        after: serde_json::json!({
                            "session_id": row.session_id,
                            "registration_id": row.registration_id,
                            "account_id": row.account_id,
                            "name_status": row.name_status,
                        }),
                    },
                    now,
                )
                .await?;
                ctx.emit(
                    &mut tx,
                    catalogue::CERTIFICATE_ISSUED,
                    &row.certificate_id,
                    &TrainingCertificateIssued {
                        certificate_id: row.certificate_id.clone(),
                        session_id: row.session_id.clone(),
                        program_id: program.program_id.clone(),
                        milestone_ref: program.milestone_ref.clone(),
                        participant: Some(registration.participant()),
                    },
                )
                .await?;
                let response = IssueCertificateResponse {
                    certificate: Some(row.to_proto()),
                };
                Ok((tx, response))
            })
        })
        .await
}

pub async fn verify_certificate(
    ctx: &Context,
    _call: &Call,
    req: VerifyCertificateRequest,
) -> Result<VerifyCertificateResponse, Error> {
    let code = req.verification_code.trim().to_ascii_uppercase();
    let mut v = Violations::new();
    v.check(
        code.len() == 17
            && code
                .split('-')
                .all(|g| g.len() == 5 && g.chars().all(|c| c.is_ascii_alphanumeric())),
        "verification_code",
        "must look like XXXXX-XXXXX-XXXXX",
    );
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let row = certificates::find_by_code(&mut conn, &code)
        .await?
        .ok_or_else(|| Error::not_found("certificate"))?;
    let session = sessions::find(&mut conn, &row.session_id)
        .await?
        .ok_or_else(|| Error::not_found("certificate"))?;
    let program = programs::find(&mut conn, &session.program_id)
        .await?
        .ok_or_else(|| Error::not_found("certificate"))?;
    Ok(VerifyCertificateResponse {
        holder_name: row.public_name().to_string(),
        name_status: certificates::name_status(&row.name_status) as i32,
        session_title: Some(session.title()),
        program_title: Some(program.title()),
        days: session
            .day_list()
            .iter()
            .map(|d| domain::date_from_str(d))
            .collect(),
        issued_at: Some(domain::timestamp(row.issued_at)),
    })
}

/// Staff approve the name an unverified participant asked for, or correct it.
pub async fn approve_certificate_name(
    ctx: &Context,
    call: &Call,
    req: ApproveCertificateNameRequest,
) -> Result<ApproveCertificateNameResponse, Error> {
    let staff = call.require_any(super::STAFF)?;
    let name = req.holder_name.trim();
    let mut v = Violations::new();
    check_uuid(&mut v, "certificate_id", &req.certificate_id);
    v.check(
        name.chars().count() <= NAME_MAX && !name.chars().any(char::is_control),
        "holder_name",
        "must be at most 200 characters, without control characters",
    );
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = certificates::find(&mut tx, &req.certificate_id)
        .await?
        .ok_or_else(|| Error::not_found("certificate"))?;
    // An unknown spelling is refused as an erased name: nothing to approve.
    let approved_status = NameStatus::from_sql(&row.name_status)
        .unwrap_or(NameStatus::Erased)
        .approve()?;
    let approved = if name.is_empty() {
        row.holder_name.clone()
    } else {
        name.to_string()
    };
    certificates::set_name(&mut tx, &row.certificate_id, &approved, approved_status).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "certificate.approve_name",
            target_type: "certificate",
            target_id: &row.certificate_id,
            // No name in the audit log: it is personal data kept on the certificate only.
            before: serde_json::json!({ "name_status": row.name_status }),
            after: serde_json::json!({
                "name_status": approved_status.as_sql(),
                "corrected": approved != row.holder_name,
            }),
        },
        ctx.now(),
    )
    .await?;
    let updated = certificates::find(&mut tx, &row.certificate_id)
        .await?
        .ok_or_else(|| Error::not_found("certificate"))?;
    ctx.commit(tx).await?;
    Ok(ApproveCertificateNameResponse {
        certificate: Some(updated.to_proto()),
    })
}

/// Staff: the names unverified participants asked for, awaiting approval. Names are personal
/// data: staff only, not observers, as for approving them.
pub async fn list_pending_certificate_names(
    ctx: &Context,
    call: &Call,
    req: ListPendingCertificateNamesRequest,
) -> Result<ListPendingCertificateNamesResponse, Error> {
    call.require_any(super::STAFF)?;
    let mut v = Violations::new();
    let page = page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = certificates::pending_names(&mut conn, page.fetch_limit(), page.offset).await?;
    let next_page_token = page.finish(&mut rows);
    Ok(ListPendingCertificateNamesResponse {
        certificates: rows.iter().map(CertificateRow::to_proto).collect(),
        next_page_token,
    })
}
