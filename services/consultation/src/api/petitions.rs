//! Petitions to the regional council (Constitution Art. 139, Organic Law 111-14 Art. 118-122).
//!
//! A person (the agent) drafts a petition, opens it for signatures and deposits it once the
//! rules in force are met; staff answer it (admissible, on a named ordinary session, or
//! rejected with reasons) and close it. Every rule is configuration (`[petitions]`), returned
//! with each petition so a citizen sees why it can or cannot be deposited. The signature list
//! is personal data: only staff read it; everyone else sees counts per province.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    consultation::{
        AdmitPetitionRequest, AdmitPetitionResponse, ClosePetitionRequest, ClosePetitionResponse,
        CreatePetitionRequest, CreatePetitionResponse, DepositPetitionRequest,
        DepositPetitionResponse, GetPetitionRequest, GetPetitionResponse, GetPetitionRulesRequest,
        GetPetitionRulesResponse, ListPetitionsRequest, ListPetitionsResponse,
        ListSignaturesRequest, ListSignaturesResponse, Petition, PetitionKind, PetitionProgress,
        PetitionRules, PetitionStatus, ProvinceCount, Receipt, RejectPetitionRequest,
        RejectPetitionResponse, SignPetitionRequest, SignPetitionResponse, Signature,
        StartCollectingRequest, StartCollectingResponse, WithdrawSignatureRequest,
        WithdrawSignatureResponse,
    },
    events::{
        PetitionAdmitted, PetitionAnsweredLate, PetitionCreated, PetitionDeposited,
        PetitionRejected, PetitionSignatureWithdrawn, PetitionSigned,
    },
    identity::AssociationStatus,
};
use tachawor_runtime::idempotency;

use super::participants::Participant;
use tachawor_runtime::audit;

use crate::{
    context::{Call, Context, STAFF, is_staff, person},
    domain::{self, timestamp},
    store::{
        self,
        petitions::{self as rows, PetitionRow},
    },
    validate,
};

const TITLE_MAX: usize = 200;
const OBJECT_MAX: usize = 5000;
const REASONS_MAX: usize = 2000;
const SESSION_MAX: usize = 200;

/// The rules in force, from settings and the region's population.
pub(crate) fn rules(ctx: &Context) -> PetitionRules {
    let p = &ctx.settings.petitions;
    let population = ctx.region.population;
    PetitionRules {
        region_population: population as i64,
        minimum_signatures: p.minimum_signatures(population),
        province_share_percent: p.province_share_percent,
        province_minimum: p.province_minimum(population),
        signer_must_be_verified: p.signer_must_be_verified,
        signer_must_reside_or_work_in_region: p.signer_must_reside_or_work_in_region,
        declared_activity_accepted: p.declared_activity_accepted,
        association_min_years: p.association_min_years,
        association_must_be_in_good_standing: p.association_must_be_in_good_standing,
        association_activity_must_match: p.association_activity_must_match,
        answer_period_months: p.answer_period_months,
    }
}

/// Where a petition stands against the rules: counts per province and what blocks deposit.
async fn progress(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    row: &PetitionRow,
    rules: &PetitionRules,
) -> Result<PetitionProgress, Error> {
    let counts = rows::counts(conn, &row.petition_id).await?;
    Ok(progress_of(ctx, row, rules, &counts))
}

/// A petition's progress given its signatures per province.
fn progress_of(
    ctx: &Context,
    row: &PetitionRow,
    rules: &PetitionRules,
    counts: &[(String, i64)],
) -> PetitionProgress {
    let count_of = |code: &str| {
        counts
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let citizen = row.kind == "citizen";
    let provinces: Vec<ProvinceCount> = ctx
        .region
        .provinces
        .iter()
        .map(|p| ProvinceCount {
            province_code: p.code.clone(),
            signatures: count_of(&p.code),
            minimum: if citizen { rules.province_minimum } else { 0 },
        })
        .collect();
    let mut unmet = Vec::new();
    if row.status != "collecting" {
        unmet.push("petition.not_collecting".to_string());
    }
    if citizen {
        if total < rules.minimum_signatures {
            unmet.push("petition.minimum_signatures".to_string());
        }
        if provinces.iter().any(|p| p.signatures < p.minimum) {
            unmet.push("petition.province_share".to_string());
        }
    }
    PetitionProgress {
        signatures: total,
        provinces,
        can_deposit: unmet.is_empty(),
        unmet_rules: unmet,
    }
}

pub(crate) async fn message(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    row: PetitionRow,
) -> Result<Petition, Error> {
    let counts = rows::counts(conn, &row.petition_id).await?;
    Ok(message_with(ctx, row, &counts))
}

/// A page of petitions, their signatures counted in one statement.
pub(crate) async fn messages(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    found: Vec<PetitionRow>,
) -> Result<Vec<Petition>, Error> {
    let ids: Vec<&str> = found.iter().map(|r| r.petition_id.as_str()).collect();
    let mut counts = rows::counts_of(conn, &ids).await?;
    Ok(found
        .into_iter()
        .map(|row| {
            let own = counts.remove(&row.petition_id).unwrap_or_default();
            message_with(ctx, row, &own)
        })
        .collect())
}

/// A petition as the contract has it, given its signatures per province.
fn message_with(ctx: &Context, row: PetitionRow, counts: &[(String, i64)]) -> Petition {
    let rules = rules(ctx);
    let progress = progress_of(ctx, &row, &rules, counts);
    let overdue = row.status == "deposited" && row.answer_due_at.is_some_and(|d| ctx.now() > d);
    Petition {
        petition_id: row.petition_id,
        kind: domain::petition_kind(&row.kind) as i32,
        title: row.title,
        object: row.object,
        subject_field: row.subject_field,
        agent_id: row.agent_id,
        association_id: row.association_id.unwrap_or_default(),
        status: domain::petition_status(&row.status) as i32,
        rules: Some(rules),
        progress: Some(progress),
        receipt: row.receipt_number.map(|number| Receipt {
            number,
            deposited_at: domain::opt_timestamp(row.deposited_at),
        }),
        answer_due_at: domain::opt_timestamp(row.answer_due_at),
        session: row.session,
        rejection_reasons: row.rejection_reasons,
        answered_at: domain::opt_timestamp(row.answered_at),
        late: row.late != 0 || overdue,
        created_at: Some(timestamp(row.created_at)),
    }
}

async fn load(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    petition_id: &str,
) -> Result<Petition, Error> {
    let row = rows::find(conn, petition_id)
        .await?
        .ok_or_else(|| Error::not_found("petition"))?;
    message(ctx, conn, row).await
}

/// Locks the petition and returns its row.
async fn locked(conn: &mut sqlx::AnyConnection, petition_id: &str) -> Result<PetitionRow, Error> {
    if !rows::lock(conn, petition_id).await? {
        return Err(Error::not_found("petition"));
    }
    rows::find(conn, petition_id)
        .await?
        .ok_or_else(|| Error::not_found("petition"))
}

fn petition_id(v: &mut Violations, id: &str) {
    validate::uuid(v, "petition_id", id);
}

/// The association conditions: the agent represents it, it is in good standing, founded more
/// than the required years ago, seated in the region, and active in the petition's field.
fn check_association(
    ctx: &Context,
    agent: &Participant,
    association_id: &str,
    subject_field: &str,
) -> Result<(), Error> {
    let p = &ctx.settings.petitions;
    let Some(a) = agent
        .eligibility
        .associations
        .iter()
        .find(|a| a.association_id == association_id)
    else {
        return Err(Error::rule(
            "petition.association_representative",
            "only a representative of the association may petition in its name",
        ));
    };
    if p.association_must_be_in_good_standing && a.status != AssociationStatus::Verified as i32 {
        return Err(Error::rule(
            "petition.association_good_standing",
            "the association must be verified and not suspended",
        ));
    }
    let founded = a
        .founded_on
        .as_ref()
        .and_then(domain::date_str)
        .unwrap_or_default();
    let limit = domain::years_before(&domain::date_of_millis(ctx.now()), p.association_min_years);
    if founded.is_empty() || founded >= limit {
        return Err(Error::rule(
            "petition.association_age",
            format!(
                "the association must have been constituted more than {} years ago",
                p.association_min_years
            ),
        ));
    }
    if !ctx.region.has_province(&a.province_code) {
        return Err(Error::rule(
            "petition.association_in_region",
            "the association must have its seat or a branch in the region",
        ));
    }
    if p.association_activity_must_match && !a.fields_of_activity.iter().any(|f| f == subject_field)
    {
        return Err(Error::rule(
            "petition.association_activity",
            "the association's fields of activity must include the petition's subject",
        ));
    }
    Ok(())
}

pub async fn get_petition_rules(
    ctx: &Context,
    _call: &Call,
    _req: GetPetitionRulesRequest,
) -> Result<GetPetitionRulesResponse, Error> {
    Ok(GetPetitionRulesResponse {
        rules: Some(rules(ctx)),
    })
}

pub async fn create_petition(
    ctx: &Context,
    call: &Call,
    req: CreatePetitionRequest,
) -> Result<CreatePetitionResponse, Error> {
    call.account()?;
    let kind = PetitionKind::try_from(req.kind).unwrap_or_default();
    let mut v = Violations::new();
    v.check(
        kind != PetitionKind::Unspecified,
        "kind",
        "must be citizen or association",
    );
    v.check(
        validate::is_text(&req.title, TITLE_MAX),
        "title",
        "is required (at most 200 characters)",
    );
    v.check(
        validate::is_text(&req.object, OBJECT_MAX),
        "object",
        "is required (at most 5000 characters)",
    );
    v.check(
        validate::is_slug(&req.subject_field),
        "subject_field",
        "must be a short lowercase word",
    );
    match kind {
        PetitionKind::Association => {
            validate::uuid(&mut v, "association_id", &req.association_id);
        }
        _ => {
            v.check(
                req.association_id.is_empty(),
                "association_id",
                "only for association petitions",
            );
        }
    }
    v.finish()?;
    let agent = Participant::of(ctx, call).await?;
    if kind == PetitionKind::Association {
        check_association(ctx, &agent, &req.association_id, &req.subject_field)?;
    }
    let row = PetitionRow {
        petition_id: uuid::Uuid::now_v7().to_string(),
        kind: domain::petition_kind_str(kind).unwrap_or_default().into(),
        title: req.title.trim().into(),
        object: req.object.trim().into(),
        subject_field: req.subject_field.clone(),
        agent_id: agent.id().into(),
        association_id: (!req.association_id.is_empty()).then_some(req.association_id.clone()),
        status: "draft".into(),
        receipt_number: None,
        deposited_at: None,
        answer_due_at: None,
        session: String::new(),
        rejection_reasons: String::new(),
        answered_at: None,
        late: 0,
        created_at: ctx.now(),
    };
    let mut tx = ctx.begin().await?;
    rows::insert(&mut tx, &row).await?;
    ctx.emit(
        &mut tx,
        catalogue::PETITION_CREATED,
        &row.petition_id,
        &PetitionCreated {
            petition_id: row.petition_id.clone(),
            kind: row.kind.clone(),
            association_id: req.association_id,
            subject_field: row.subject_field.clone(),
            agent_province_code: agent.province().into(),
            agent_actor_kind: agent.actor_kind(),
        },
    )
    .await?;
    let petition = message(ctx, &mut tx, row).await?;
    ctx.commit(tx).await?;
    Ok(CreatePetitionResponse {
        petition: Some(petition),
    })
}

pub async fn start_collecting(
    ctx: &Context,
    call: &Call,
    req: StartCollectingRequest,
) -> Result<StartCollectingResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.petition_id).await?;
    if row.agent_id != caller.account_id {
        return Err(not_visible_or_denied(&row, &caller.account_id));
    }
    if row.status != "draft" {
        return Err(Error::rule(
            "petition.transition",
            format!("a petition that is {} cannot start collecting", row.status),
        ));
    }
    rows::set_status(&mut tx, &req.petition_id, "collecting").await?;
    let petition = load(ctx, &mut tx, &req.petition_id).await?;
    ctx.commit(tx).await?;
    Ok(StartCollectingResponse {
        petition: Some(petition),
    })
}

/// Someone else's petition: a draft does not exist for them, anything else is not theirs to act on.
fn not_visible_or_denied(row: &PetitionRow, _caller: &str) -> Error {
    if row.status == "draft" {
        Error::not_found("petition")
    } else {
        Error::PermissionDenied("only the petition's agent may do this".into())
    }
}

pub async fn sign_petition(
    ctx: &Context,
    call: &Call,
    req: SignPetitionRequest,
) -> Result<SignPetitionResponse, Error> {
    call.account()?;
    let declared = req.declared_activity_province_code.trim();
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.check(
        declared.is_empty() || ctx.region.has_province(declared),
        "declared_activity_province_code",
        "is not a province of this region",
    );
    validate::idempotency_key(&mut v, &req.idempotency_key);
    v.finish()?;
    let signer = Participant::of(ctx, call).await?;
    let rules = &ctx.settings.petitions;
    let mut tx = ctx.begin().await?;
    if let Some(done) = idempotency::replay::<SignPetitionResponse>(
        &mut tx,
        signer.id(),
        "SignPetition",
        &req.idempotency_key,
    )
    .await?
    {
        return Ok(done);
    }
    let row = locked(&mut tx, &req.petition_id).await?;
    if row.status == "draft" && row.agent_id != signer.id() {
        return Err(Error::not_found("petition"));
    }
    if row.status != "collecting" {
        return Err(Error::rule(
            "petition.not_collecting",
            "signatures are collected only while the petition is collecting",
        ));
    }
    if rules.signer_must_be_verified && !signer.eligibility.verified {
        return Err(Error::rule(
            "petition.signer_verified",
            "only a verified person may sign a petition",
        ));
    }
    let residence = signer.province();
    let (province, by_activity) = if ctx.region.has_province(residence) {
        (residence.to_string(), false)
    } else if rules.declared_activity_accepted && !declared.is_empty() {
        (declared.to_string(), true)
    } else if rules.signer_must_reside_or_work_in_region {
        return Err(Error::rule(
            "petition.signer_residence",
            "signers must live in the region or carry on an activity there",
        ));
    } else {
        (String::new(), false)
    };
    let person_key = &signer.eligibility.person_key;
    if !rows::sign(
        &mut tx,
        &req.petition_id,
        signer.id(),
        (!person_key.is_empty()).then_some(person_key.as_str()),
        &province,
        by_activity,
        ctx.now(),
    )
    .await?
    {
        return Err(Error::AlreadyExists(
            "this person has already signed the petition".into(),
        ));
    }
    ctx.emit(
        &mut tx,
        catalogue::PETITION_SIGNED,
        &req.petition_id,
        &PetitionSigned {
            petition_id: req.petition_id.clone(),
            account_id: signer.id().into(),
            province_code: province,
            actor_kind: signer.actor_kind(),
            by_declared_activity: by_activity,
        },
    )
    .await?;
    let response = SignPetitionResponse {
        petition: Some(message(ctx, &mut tx, row).await?),
    };
    idempotency::remember(
        &mut tx,
        signer.id(),
        "SignPetition",
        &req.idempotency_key,
        &response,
        ctx.now(),
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(response)
}

pub async fn withdraw_signature(
    ctx: &Context,
    call: &Call,
    req: WithdrawSignatureRequest,
) -> Result<WithdrawSignatureResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.petition_id).await?;
    if row.status != "collecting" {
        return Err(Error::rule(
            "petition.withdrawal_closed",
            "a signature can be withdrawn only until the petition is deposited",
        ));
    }
    let Some((province, signed_at)) =
        rows::withdraw(&mut tx, &req.petition_id, &caller.account_id).await?
    else {
        return Err(Error::not_found("signature"));
    };
    ctx.emit(
        &mut tx,
        catalogue::PETITION_SIGNATURE_WITHDRAWN,
        &req.petition_id,
        &PetitionSignatureWithdrawn {
            petition_id: req.petition_id.clone(),
            account_id: caller.account_id.clone(),
            province_code: province,
            signed_at: Some(crate::domain::timestamp(signed_at)),
        },
    )
    .await?;
    let petition = message(ctx, &mut tx, row).await?;
    ctx.commit(tx).await?;
    Ok(WithdrawSignatureResponse {
        petition: Some(petition),
    })
}

pub async fn deposit_petition(
    ctx: &Context,
    call: &Call,
    req: DepositPetitionRequest,
) -> Result<DepositPetitionResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let agent = Participant::of(ctx, call).await?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.petition_id).await?;
    if row.agent_id != agent.id() {
        return Err(not_visible_or_denied(&row, agent.id()));
    }
    if row.status != "collecting" {
        return Err(Error::rule(
            "petition.transition",
            format!("a petition that is {} cannot be deposited", row.status),
        ));
    }
    if let Some(association_id) = &row.association_id {
        check_association(ctx, &agent, association_id, &row.subject_field)?;
    }
    let rules = rules(ctx);
    let progress = progress(ctx, &mut tx, &row, &rules).await?;
    if let Some(rule) = progress.unmet_rules.first() {
        let message = match rule.as_str() {
            "petition.minimum_signatures" => format!(
                "{} signatures are needed, {} collected",
                rules.minimum_signatures, progress.signatures
            ),
            _ => format!(
                "each province must supply at least {} signatures",
                rules.province_minimum
            ),
        };
        return Err(Error::rule(rule.clone(), message));
    }
    let now = ctx.now();
    let year = &domain::date_of_millis(now)[..4];
    let seq = store::next_in_sequence(&mut tx, &format!("petition_receipt_{year}")).await?;
    let receipt = format!("PET-{year}-{seq:06}");
    let due = domain::add_months(now, rules.answer_period_months);
    rows::deposit(&mut tx, &req.petition_id, &receipt, now, due).await?;
    ctx.emit(
        &mut tx,
        catalogue::PETITION_DEPOSITED,
        &req.petition_id,
        &PetitionDeposited {
            petition_id: req.petition_id.clone(),
            kind: row.kind.clone(),
            signatures: progress.signatures,
            receipt_number: receipt,
            answer_due_at: Some(timestamp(due)),
        },
    )
    .await?;
    let petition = load(ctx, &mut tx, &req.petition_id).await?;
    ctx.commit(tx).await?;
    Ok(DepositPetitionResponse {
        petition: Some(petition),
    })
}

/// The council's answer to a deposited petition; a late one is flagged and announced.
async fn answer(
    ctx: &Context,
    staff_id: &str,
    petition_id: &str,
    admissible: bool,
    text: &str,
) -> Result<Petition, Error> {
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, petition_id).await?;
    if row.status != "deposited" {
        return Err(Error::rule(
            "petition.transition",
            format!("a petition that is {} cannot be answered", row.status),
        ));
    }
    let now = ctx.now();
    let due = row.answer_due_at.unwrap_or(i64::MAX);
    let late = now > due;
    let (status, session, reasons) = if admissible {
        ("admissible", text, "")
    } else {
        ("rejected", "", text)
    };
    rows::answer(&mut tx, petition_id, status, session, reasons, now, late).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: staff_id,
            action: if admissible {
                "petition.admit"
            } else {
                "petition.reject"
            },
            target_type: "petition",
            target_id: petition_id,
            before: json!({ "status": row.status }),
            after: json!({ "status": status, "session": session, "reasons": reasons, "late": late }),
        },
        now,
    )
    .await?;
    let id = petition_id.to_string();
    if admissible {
        let event = PetitionAdmitted {
            petition_id: id.clone(),
            late,
        };
        ctx.emit(&mut tx, catalogue::PETITION_ADMITTED, petition_id, &event)
            .await?;
    } else {
        let event = PetitionRejected {
            petition_id: id.clone(),
            late,
        };
        ctx.emit(&mut tx, catalogue::PETITION_REJECTED, petition_id, &event)
            .await?;
    }
    if late {
        let event = PetitionAnsweredLate {
            petition_id: id,
            answer_due_at: Some(timestamp(due)),
            answered_at: Some(timestamp(now)),
        };
        ctx.emit(
            &mut tx,
            catalogue::PETITION_ANSWERED_LATE,
            petition_id,
            &event,
        )
        .await?;
    }
    let petition = load(ctx, &mut tx, petition_id).await?;
    ctx.commit(tx).await?;
    Ok(petition)
}

pub async fn admit_petition(
    ctx: &Context,
    call: &Call,
    req: AdmitPetitionRequest,
) -> Result<AdmitPetitionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.check(
        validate::is_text(&req.session, SESSION_MAX),
        "session",
        "is required: the ordinary session the petition is placed on (at most 200 characters)",
    );
    v.finish()?;
    let petition = answer(
        ctx,
        &staff.account_id,
        &req.petition_id,
        true,
        req.session.trim(),
    )
    .await?;
    Ok(AdmitPetitionResponse {
        petition: Some(petition),
    })
}

pub async fn reject_petition(
    ctx: &Context,
    call: &Call,
    req: RejectPetitionRequest,
) -> Result<RejectPetitionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.check(
        validate::is_text(&req.reasons, REASONS_MAX),
        "reasons",
        "are required (at most 2000 characters)",
    );
    v.finish()?;
    let petition = answer(
        ctx,
        &staff.account_id,
        &req.petition_id,
        false,
        req.reasons.trim(),
    )
    .await?;
    Ok(RejectPetitionResponse {
        petition: Some(petition),
    })
}

pub async fn close_petition(
    ctx: &Context,
    call: &Call,
    req: ClosePetitionRequest,
) -> Result<ClosePetitionResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = locked(&mut tx, &req.petition_id).await?;
    if row.status != "admissible" && row.status != "rejected" {
        return Err(Error::rule(
            "petition.transition",
            format!("a petition that is {} cannot be closed", row.status),
        ));
    }
    rows::set_status(&mut tx, &req.petition_id, "closed").await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "petition.close",
            target_type: "petition",
            target_id: &req.petition_id,
            before: json!({ "status": row.status }),
            after: json!({ "status": "closed" }),
        },
        ctx.now(),
    )
    .await?;
    let petition = load(ctx, &mut tx, &req.petition_id).await?;
    ctx.commit(tx).await?;
    Ok(ClosePetitionResponse {
        petition: Some(petition),
    })
}

pub async fn get_petition(
    ctx: &Context,
    call: &Call,
    req: GetPetitionRequest,
) -> Result<GetPetitionResponse, Error> {
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    v.finish()?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    let row = rows::find(&mut conn, &req.petition_id)
        .await?
        .ok_or_else(|| Error::not_found("petition"))?;
    let own = viewer
        .as_ref()
        .is_some_and(|c| c.account_id == row.agent_id);
    if row.status == "draft" && !own && !is_staff(viewer.as_ref()) {
        return Err(Error::not_found("petition"));
    }
    Ok(GetPetitionResponse {
        petition: Some(message(ctx, &mut conn, row).await?),
    })
}

pub async fn list_petitions(
    ctx: &Context,
    call: &Call,
    req: ListPetitionsRequest,
) -> Result<ListPetitionsResponse, Error> {
    let status = PetitionStatus::try_from(req.status).ok();
    let mut v = Violations::new();
    v.check(status.is_some(), "status", "is not a known status");
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let status = status.and_then(domain::petition_status_str).unwrap_or("");
    let viewer = person(call);
    let viewer_id = viewer
        .as_ref()
        .map(|c| c.account_id.clone())
        .unwrap_or_default();
    let mut conn = ctx.read().await?;
    let mut found = rows::list(
        &mut conn,
        status,
        &viewer_id,
        is_staff(viewer.as_ref()),
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    let petitions = messages(ctx, &mut conn, found).await?;
    Ok(ListPetitionsResponse {
        petitions,
        next_page_token,
    })
}

pub async fn list_signatures(
    ctx: &Context,
    call: &Call,
    req: ListSignaturesRequest,
) -> Result<ListSignaturesResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    petition_id(&mut v, &req.petition_id);
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.read().await?;
    rows::find(&mut conn, &req.petition_id)
        .await?
        .ok_or_else(|| Error::not_found("petition"))?;
    let mut found =
        rows::signatures(&mut conn, &req.petition_id, page.fetch_limit(), page.offset).await?;
    let next_page_token = page.finish(&mut found);
    Ok(ListSignaturesResponse {
        signatures: found
            .into_iter()
            .map(|s| Signature {
                account_id: s.account_id,
                province_code: s.province_code,
                by_declared_activity: s.by_declared_activity != 0,
                signed_at: Some(timestamp(s.signed_at)),
            })
            .collect(),
        next_page_token,
    })
}
