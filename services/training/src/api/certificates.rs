//! Certificates: for attendance, never for registration alone. Each carries a public
//! verification code anyone can check without an account.

use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    events::TrainingCertificateIssued,
    training::{
        IssueCertificateRequest, IssueCertificateResponse, VerifyCertificateRequest,
        VerifyCertificateResponse,
    },
};
use tachawor_runtime::idempotency;

use super::{check_uuid, is_staff, participant};
use crate::{
    context::{Call, Context},
    domain,
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
    if for_other && !is_staff(&caller) {
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
        (1..=NAME_MAX).contains(&name.chars().count()) && !name.chars().any(char::is_control),
        "certificate_name",
        "is required (at most 200 characters)",
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
    let mut tx = ctx.begin().await?;
    if let Some(done) =
        idempotency::replay(&mut tx, &caller.account_id, "IssueCertificate", key).await?
    {
        return Ok(done);
    }
    let session = sessions::find(&mut tx, &req.session_id)
        .await?
        .ok_or_else(|| Error::not_found("session"))?;
    if session.status != "held" {
        return Err(Error::rule(
            "certificate.session_not_held",
            "certificates are issued once the session is held",
        ));
    }
    let registration = registrations::find_for(&mut tx, &req.session_id, &holder)
        .await?
        .filter(|r| r.status == domain::CONFIRMED)
        .ok_or_else(|| {
            Error::rule(
                "certificate.not_a_participant",
                "only confirmed participants receive a certificate",
            )
        })?;
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
    let required = session.days_required();
    if attended < required {
        return Err(Error::rule(
            "certificate.attendance_below_threshold",
            format!("attended {attended} of the {required} days required"),
        ));
    }
    let program = programs::find(&mut tx, &session.program_id)
        .await?
        .ok_or_else(|| Error::not_found("program"))?;
    let row = CertificateRow {
        certificate_id: uuid::Uuid::now_v7().to_string(),
        registration_id: registration.registration_id.clone(),
        session_id: session.session_id.clone(),
        account_id: holder,
        holder_name: name.to_string(),
        verification_code: domain::verification_code(),
        issued_by: caller.account_id.clone(),
        issued_at: now,
    };
    certificates::insert(&mut tx, &row).await?;
    ctx.emit(
        &mut tx,
        "training.certificate.issued",
        &row.certificate_id,
        &TrainingCertificateIssued {
            certificate_id: row.certificate_id.clone(),
            session_id: row.session_id.clone(),
            program_id: program.program_id.clone(),
            milestone_ref: program.milestone_ref.clone(),
            participant: Some(participant(&registration)),
        },
    )
    .await?;
    let response = IssueCertificateResponse {
        certificate: Some(row.to_proto()),
    };
    idempotency::remember(
        &mut tx,
        &caller.account_id,
        "IssueCertificate",
        key,
        &response,
        now,
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(response)
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
        holder_name: row.holder_name,
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
