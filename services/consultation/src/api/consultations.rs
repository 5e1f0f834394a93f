//! Consultations: staff create them as drafts, open them for a window, close them and publish a
//! synthesis. Everyone reads public ones past draft; consultations for associations or
//! instance members are read by them (and staff).

use prost::Message;
use serde_json::json;
use tachawor_auth::{AccountCaller, Role};
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    common::LocalizedText,
    consultation::{
        AnswerConsultationRequest, AnswerConsultationResponse, Audience, CloseConsultationRequest,
        CloseConsultationResponse, Consultation, ConsultationStatus, CreateConsultationRequest,
        CreateConsultationResponse, GetConsultationRequest, GetConsultationResponse,
        ListConsultationsRequest, ListConsultationsResponse, OpenConsultationRequest,
        OpenConsultationResponse, Organizer, OrganizerKind, Participation,
        UpdateConsultationRequest, UpdateConsultationResponse,
    },
    events::{ConsultationAnswered, ConsultationClosed, ConsultationOpened},
};
use tachawor_storage::{
    Transaction,
    kept::{self, Keep},
};

use super::{
    access::{consultation_id, readable_with_questions},
    surveys,
};
use tachawor_runtime::audit;

use crate::{
    context::{Call, Context, STAFF, person, reads_as_staff},
    domain::{self, consultation::Status, timestamp},
    store::consultations::{self as rows, ConsultationRow, Viewer},
    validate,
};

const TITLE_MAX: usize = 300;
const BODY_MAX: usize = 20_000;
const ORGANIZER_INSTANCE: &str = "organizer.instance_id";

pub(crate) fn message(row: ConsultationRow, questions: Vec<rows::QuestionRow>) -> Consultation {
    let provinces: Vec<String> = serde_json::from_str(&row.province_codes).unwrap_or_default();
    let shown = Status::from_sql(&row.status).is_ok_and(Status::shows_synthesis);
    let synthesis = shown.then_some(LocalizedText {
        ar: row.synthesis_ar,
        fr: row.synthesis_fr,
        en: row.synthesis_en,
        zgh: row.synthesis_zgh,
    });
    Consultation {
        consultation_id: row.consultation_id,
        title: Some(LocalizedText {
            ar: row.title_ar,
            fr: row.title_fr,
            en: row.title_en,
            zgh: row.title_zgh,
        }),
        body: Some(LocalizedText {
            ar: row.body_ar,
            fr: row.body_fr,
            en: row.body_en,
            zgh: row.body_zgh,
        }),
        organizer: Some(Organizer {
            kind: domain::organizer_kind(&row.organizer_kind) as i32,
            instance_id: row.instance_id.unwrap_or_default(),
        }),
        audience: domain::audience(&row.audience) as i32,
        province_codes: provinces,
        status: domain::consultation_status(&row.status) as i32,
        opens_at: domain::opt_timestamp(row.opens_at),
        closes_at: domain::opt_timestamp(row.closes_at),
        synthesis,
        questions: questions
            .into_iter()
            .map(surveys::question_message)
            .collect(),
        created_at: Some(timestamp(row.created_at)),
        answered_at: domain::opt_timestamp(row.answered_at),
        participation: if row.verified_only != 0 {
            Participation::VerifiedOnly
        } else {
            Participation::AnyAccount
        } as i32,
        launched_by_instance_id: row.launched_by.unwrap_or_default(),
        rejection_reason: row.rejection_reason,
    }
}

/// Consultation `id` as it is now.
pub(crate) async fn load(
    conn: &mut sqlx::AnyConnection,
    consultation_id: &str,
) -> Result<Consultation, Error> {
    let row = rows::find(conn, consultation_id)
        .await?
        .ok_or_else(|| Error::not_found("consultation"))?;
    let questions = rows::questions(conn, consultation_id).await?;
    Ok(message(row, questions))
}

/// Consultation `id` as it is now, written as lists show it (`listed`). Every change to a
/// consultation, its row or its questions, ends with it in its transaction: a page of
/// consultations reads that one value per consultation.
pub(crate) async fn kept(
    conn: &mut sqlx::AnyConnection,
    consultation_id: &str,
) -> Result<Consultation, Error> {
    let consultation = load(conn, consultation_id).await?;
    rows::keep_listed(conn, consultation_id, consultation.encode_to_vec()).await?;
    Ok(consultation)
}

/// Writes `listed` for consultations from before it, `batch` to a transaction; how many.
pub async fn fill_listed(db: &tachawor_storage::Database, batch: i64) -> Result<usize, Error> {
    let keep = |mut tx: Transaction, id: String| -> Keep<'_, Error> {
        Box::pin(async move {
            kept(&mut tx, &id).await?;
            Ok(tx)
        })
    };
    kept::fill(
        db,
        "consultations",
        "consultation_id",
        "listed",
        batch,
        keep,
    )
    .await
}

/// What CreateConsultation sets and UpdateConsultation replaces, checked and spelled for SQL.
pub(crate) struct Fields {
    title: LocalizedText,
    body: LocalizedText,
    organizer_kind: String,
    instance_id: Option<String>,
    audience: String,
    /// JSON list of province codes, each once.
    province_codes: String,
    /// Only verified people take part; `None`: not said (the region's default on creation,
    /// unchanged on update).
    verified_only: Option<bool>,
}

impl Fields {
    /// `row` with these fields in place of its own.
    pub(crate) fn apply(self, row: ConsultationRow) -> ConsultationRow {
        ConsultationRow {
            title_ar: self.title.ar,
            title_fr: self.title.fr,
            title_en: self.title.en,
            title_zgh: self.title.zgh,
            body_ar: self.body.ar,
            body_fr: self.body.fr,
            body_en: self.body.en,
            body_zgh: self.body.zgh,
            organizer_kind: self.organizer_kind,
            instance_id: self.instance_id,
            audience: self.audience,
            province_codes: self.province_codes,
            verified_only: self.verified_only.map_or(row.verified_only, i64::from),
            ..row
        }
    }
}

/// Checks the fields a consultation is drafted with (UpdateConsultation's and
/// ProposeConsultation's are the same), adding every problem to `v`. `instance_field` names
/// the organizing instance's id in the request (`organizer.instance_id`, or ProposeConsultation's
/// `instance_id`).
pub(crate) fn fields(
    ctx: &Context,
    v: &mut Violations,
    req: CreateConsultationRequest,
    instance_field: &str,
) -> Result<Fields, Error> {
    let CreateConsultationRequest {
        title,
        body,
        organizer,
        audience,
        province_codes,
        participation,
        idempotency_key: _,
    } = req;
    let audience = Audience::try_from(audience).unwrap_or_default();
    let participation = Participation::try_from(participation);
    v.check(
        participation.is_ok(),
        "participation",
        "must be any_account or verified_only (or unset)",
    );
    let organizer = organizer.unwrap_or_default();
    let organizer_kind = OrganizerKind::try_from(organizer.kind).unwrap_or_default();
    validate::localized(v, "title", title.as_ref(), TITLE_MAX);
    validate::localized(v, "body", body.as_ref(), BODY_MAX);
    v.check(
        organizer_kind != OrganizerKind::Unspecified,
        "organizer.kind",
        "must be council or instance",
    );
    match organizer_kind {
        OrganizerKind::Instance => {
            validate::uuid(v, instance_field, &organizer.instance_id);
        }
        _ => {
            v.check(
                organizer.instance_id.is_empty(),
                "organizer.instance_id",
                "only when an instance organizes",
            );
        }
    }
    v.check(
        audience != Audience::Unspecified,
        "audience",
        "must be public, associations or instance_members",
    );
    v.check(
        province_codes.iter().all(|p| ctx.region.has_province(p)),
        "province_codes",
        "each must be a province of this region",
    );
    let mut provinces: Vec<String> = Vec::new();
    for p in province_codes {
        if !provinces.contains(&p) {
            provinces.push(p);
        }
    }
    Ok(Fields {
        title: validate::trimmed(title),
        body: validate::trimmed(body),
        organizer_kind: domain::organizer_kind_str(organizer_kind)
            .unwrap_or_default()
            .into(),
        instance_id: (!organizer.instance_id.is_empty()).then_some(organizer.instance_id),
        audience: domain::audience_str(audience).unwrap_or_default().into(),
        province_codes: serde_json::to_string(&provinces).map_err(Error::internal)?,
        verified_only: match participation {
            Ok(Participation::AnyAccount) => Some(false),
            Ok(Participation::VerifiedOnly) => Some(true),
            _ => None,
        },
    })
}

pub async fn create_consultation(
    ctx: &Context,
    call: &Call,
    req: CreateConsultationRequest,
) -> Result<CreateConsultationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    let key = req.idempotency_key.clone();
    let f = fields(ctx, &mut v, req, ORGANIZER_INSTANCE)?;
    validate::idempotency_key(&mut v, &key);
    v.finish()?;
    let row = f.apply(new_row(ctx, &staff.account_id, Status::Draft));
    ctx.writer
        .idempotent(&staff.account_id, "CreateConsultation", &key, |tx| {
            Box::pin(async {
                let mut tx = tx;
                rows::insert(&mut tx, &row).await?;
                audit::record(
                    &mut tx,
                    audit::Change {
                        actor_id: &staff.account_id,
                        action: "consultation.create",
                        target_type: "consultation",
                        target_id: &row.consultation_id,
                        before: json!(null),
                        after: json!({
                            "status": Status::Draft.as_sql(),
                            "audience": row.audience,
                            "verified_only": row.verified_only != 0,
                        }),
                    },
                    row.created_at,
                )
                .await?;
                let response = CreateConsultationResponse {
                    consultation: Some(kept(&mut tx, &row.consultation_id).await?),
                };
                Ok((tx, response))
            })
        })
        .await
}

/// A new consultation's row in `status`, created now by `author`, its fields blank for
/// [`Fields::apply`] to fill.
pub(crate) fn new_row(ctx: &Context, author: &str, status: Status) -> ConsultationRow {
    ConsultationRow {
        consultation_id: uuid::Uuid::now_v7().to_string(),
        title_ar: String::new(),
        title_fr: String::new(),
        title_en: String::new(),
        title_zgh: String::new(),
        body_ar: String::new(),
        body_fr: String::new(),
        body_en: String::new(),
        body_zgh: String::new(),
        organizer_kind: String::new(),
        instance_id: None,
        audience: String::new(),
        province_codes: String::new(),
        status: status.as_sql().into(),
        opens_at: None,
        closes_at: None,
        synthesis_ar: String::new(),
        synthesis_fr: String::new(),
        synthesis_en: String::new(),
        synthesis_zgh: String::new(),
        created_by: author.into(),
        created_at: ctx.now(),
        answered_at: None,
        verified_only: i64::from(ctx.region.participation.verified_only),
        launched_by: None,
        rejection_reason: String::new(),
    }
}

/// The audited view of a consultation's editable fields.
fn edited(row: &ConsultationRow) -> serde_json::Value {
    json!({
        "title": { "ar": row.title_ar, "fr": row.title_fr, "en": row.title_en },
        "organizer_kind": row.organizer_kind,
        "instance_id": row.instance_id,
        "audience": row.audience,
        "province_codes": row.province_codes,
        "verified_only": row.verified_only != 0,
    })
}

/// Replaces a draft's fields. No event: nothing outside knows of a draft until it opens, and
/// `consultation.opened` carries the fields as they are then.
pub async fn update_consultation(
    ctx: &Context,
    call: &Call,
    req: UpdateConsultationRequest,
) -> Result<UpdateConsultationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    let f = fields(
        ctx,
        &mut v,
        CreateConsultationRequest {
            title: req.title,
            body: req.body,
            organizer: req.organizer,
            audience: req.audience,
            province_codes: req.province_codes,
            participation: req.participation,
            idempotency_key: String::new(),
        },
        ORGANIZER_INSTANCE,
    )?;
    v.finish()?;
    let mut tx = ctx.begin().await?;
    if !rows::lock(&mut tx, &req.consultation_id).await? {
        return Err(Error::not_found("consultation"));
    }
    let before = rows::find(&mut tx, &req.consultation_id)
        .await?
        .ok_or_else(|| Error::not_found("consultation"))?;
    domain::consultation::check_edit(Status::from_sql(&before.status)?)?;
    let after = f.apply(before.clone());
    rows::update_draft(&mut tx, &after).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "consultation.update",
            target_type: "consultation",
            target_id: &req.consultation_id,
            before: edited(&before),
            after: edited(&after),
        },
        ctx.now(),
    )
    .await?;
    let consultation = kept(&mut tx, &req.consultation_id).await?;
    ctx.commit(tx).await?;
    Ok(UpdateConsultationResponse {
        consultation: Some(consultation),
    })
}

/// Starts moving a consultation to `to`: takes its row lock, checks the transition and audits
/// it. The caller writes the change and commits.
pub(crate) async fn transition(
    ctx: &Context,
    staff: &AccountCaller,
    consultation_id: &str,
    to: Status,
) -> Result<(Transaction, ConsultationRow), Error> {
    let mut tx = ctx.begin().await?;
    if !rows::lock(&mut tx, consultation_id).await? {
        return Err(Error::not_found("consultation"));
    }
    let row = rows::find(&mut tx, consultation_id)
        .await?
        .ok_or_else(|| Error::not_found("consultation"))?;
    let from = Status::from_sql(&row.status)?;
    from.transition(to)?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: &format!("consultation.{to}"),
            target_type: "consultation",
            target_id: consultation_id,
            before: json!({ "status": from.as_sql() }),
            after: json!({ "status": to.as_sql() }),
        },
        ctx.now(),
    )
    .await?;
    Ok((tx, row))
}

pub async fn open_consultation(
    ctx: &Context,
    call: &Call,
    req: OpenConsultationRequest,
) -> Result<OpenConsultationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let now = ctx.now();
    let closes_at =
        domain::consultation::closing_time(req.closes_at.as_ref().and_then(domain::millis_of), now);
    const CLOSES_AT: &str = "is required and must be in the future";
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.check(closes_at.is_some(), "closes_at", CLOSES_AT);
    let closes_at = validate::finish_with(v, closes_at, "closes_at", CLOSES_AT)?;
    let (mut tx, row) = transition(ctx, &staff, &req.consultation_id, Status::Open).await?;
    rows::open(&mut tx, &req.consultation_id, now, closes_at).await?;
    let provinces: Vec<String> = serde_json::from_str(&row.province_codes).unwrap_or_default();
    ctx.emit(
        &mut tx,
        catalogue::CONSULTATION_OPENED,
        &req.consultation_id,
        &ConsultationOpened {
            consultation_id: req.consultation_id.clone(),
            organizer_kind: row.organizer_kind.clone(),
            instance_id: row.instance_id.clone().unwrap_or_default(),
            audience: row.audience.clone(),
            province_codes: provinces,
            closes_at: Some(timestamp(closes_at)),
            launched_by_instance_id: row.launched_by.clone().unwrap_or_default(),
        },
    )
    .await?;
    let consultation = kept(&mut tx, &req.consultation_id).await?;
    ctx.commit(tx).await?;
    Ok(OpenConsultationResponse {
        consultation: Some(consultation),
    })
}

pub async fn close_consultation(
    ctx: &Context,
    call: &Call,
    req: CloseConsultationRequest,
) -> Result<CloseConsultationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.finish()?;
    let now = ctx.now();
    let (mut tx, _) = transition(ctx, &staff, &req.consultation_id, Status::Closed).await?;
    rows::close(&mut tx, &req.consultation_id, now).await?;
    ctx.emit(
        &mut tx,
        catalogue::CONSULTATION_CLOSED,
        &req.consultation_id,
        &ConsultationClosed {
            consultation_id: req.consultation_id.clone(),
        },
    )
    .await?;
    let consultation = kept(&mut tx, &req.consultation_id).await?;
    ctx.commit(tx).await?;
    Ok(CloseConsultationResponse {
        consultation: Some(consultation),
    })
}

pub async fn answer_consultation(
    ctx: &Context,
    call: &Call,
    req: AnswerConsultationRequest,
) -> Result<AnswerConsultationResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    validate::localized(&mut v, "synthesis", req.synthesis.as_ref(), BODY_MAX);
    v.finish()?;
    let s = validate::trimmed(req.synthesis);
    let now = ctx.now();
    let (mut tx, _) = transition(ctx, &staff, &req.consultation_id, Status::Answered).await?;
    let synthesis = [s.ar.as_str(), &s.fr, &s.en, &s.zgh];
    rows::answer(&mut tx, &req.consultation_id, synthesis, now).await?;
    ctx.emit(
        &mut tx,
        catalogue::CONSULTATION_ANSWERED,
        &req.consultation_id,
        &ConsultationAnswered {
            consultation_id: req.consultation_id.clone(),
        },
    )
    .await?;
    let consultation = kept(&mut tx, &req.consultation_id).await?;
    ctx.commit(tx).await?;
    Ok(AnswerConsultationResponse {
        consultation: Some(consultation),
    })
}

pub async fn get_consultation(
    ctx: &Context,
    call: &Call,
    req: GetConsultationRequest,
) -> Result<GetConsultationResponse, Error> {
    let mut v = Violations::new();
    consultation_id(&mut v, &req.consultation_id);
    v.finish()?;
    let viewer = person(call);
    let mut conn = ctx.read().await?;
    let (row, questions) =
        readable_with_questions(&mut conn, &req.consultation_id, viewer.as_ref()).await?;
    Ok(GetConsultationResponse {
        consultation: Some(message(row, questions)),
    })
}

pub async fn list_consultations(
    ctx: &Context,
    call: &Call,
    req: ListConsultationsRequest,
) -> Result<ListConsultationsResponse, Error> {
    let status = ConsultationStatus::try_from(req.status).ok();
    let mut v = Violations::new();
    v.check(status.is_some(), "status", "is not a known status");
    let page = validate::page(&mut v, req.page.as_ref());
    validate::optional_uuid(
        &mut v,
        "launched_by_instance_id",
        &req.launched_by_instance_id,
    );
    v.finish()?;
    let status = status
        .and_then(domain::consultation_status_str)
        .unwrap_or("");
    let caller = person(call);
    let launched_by = req.launched_by_instance_id.as_str();
    let viewer = Viewer {
        staff: reads_as_staff(caller.as_ref()),
        representative: caller
            .as_ref()
            .is_some_and(|c| c.has(Role::AssociationRepresentative)),
        member: caller.as_ref().is_some_and(|c| c.has(Role::InstanceMember)),
        launcher: !launched_by.is_empty()
            && caller
                .as_ref()
                .is_some_and(|c| c.has_scope(&tachawor_auth::instance_scope(launched_by))),
    };
    let mut conn = ctx.read().await?;
    let (limit, offset) = (page.fetch_limit(), page.offset);
    let mut found = rows::list(&mut conn, status, launched_by, &viewer, limit, offset).await?;
    let next_page_token = page.finish(&mut found);
    let mut consultations = Vec::with_capacity(found.len());
    for (id, listed) in found {
        consultations.push(match listed {
            Some(bytes) => Consultation::decode(bytes.as_slice()).map_err(Error::internal)?,
            // Written when the service starts; read whole until then.
            None => load(&mut conn, &id).await?,
        });
    }
    Ok(ListConsultationsResponse {
        consultations,
        next_page_token,
    })
}
