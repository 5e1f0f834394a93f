//! Petitions to the regional council (Constitution Art. 139, Organic Law 111-14 Art. 118-122).
//!
//! A person (the agent) drafts a petition, opens it for signatures and deposits it once the
//! rules in force are met; staff answer it (admissible, on a named ordinary session, or
//! rejected with reasons) and close it. Every rule is configuration (`[petitions]`), returned
//! with each petition so a citizen sees why it can or cannot be deposited. The signature list
//! is personal data: only staff read it; everyone else sees counts per province.
//!
//! - `lifecycle`: creating, opening, depositing, answering and closing a petition.
//! - `signatures`: signing, withdrawing, the staff's list of signatures.
//! - `view`: the petition as the contract shows it, with its progress.
//!
//! The rules themselves are in `domain::petition`.

mod lifecycle;
mod signatures;
mod view;

pub use lifecycle::{
    admit_petition, close_petition, create_petition, deposit_petition, reject_petition,
    start_collecting,
};
pub use signatures::{list_signatures, record_paper_signature, sign_petition, withdraw_signature};
pub(crate) use view::messages;

use tachawor_errors::{Error, Violations};
use tachawor_proto::consultation::{
    GetPetitionRequest, GetPetitionResponse, GetPetitionRulesRequest, GetPetitionRulesResponse,
    ListPetitionsRequest, ListPetitionsResponse, PetitionStatus,
};

use super::participants::Participant;
use crate::{
    context::{Call, Context, person, reads_as_staff},
    domain::{self, petition::Status},
    store::petitions::{self as rows, PetitionRow},
    validate,
};

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

/// Someone else's petition: a draft does not exist for them, anything else is not theirs to act on.
fn not_visible_or_denied(status: Status) -> Error {
    if status == Status::Draft {
        Error::not_found("petition")
    } else {
        Error::PermissionDenied("only the petition's agent may do this".into())
    }
}

/// The association conditions against what identity says of the agent now.
fn check_association(
    ctx: &Context,
    agent: &Participant,
    association_id: &str,
    subject_field: &str,
) -> Result<(), Error> {
    let represented = agent
        .eligibility
        .associations
        .iter()
        .find(|a| a.association_id == association_id);
    domain::petition::check_association(
        &view::rules(ctx),
        represented,
        &ctx.today(),
        |province| ctx.region.has_province(province),
        subject_field,
    )?;
    Ok(())
}

pub async fn get_petition_rules(
    ctx: &Context,
    _call: &Call,
    _req: GetPetitionRulesRequest,
) -> Result<GetPetitionRulesResponse, Error> {
    Ok(GetPetitionRulesResponse {
        rules: Some(view::rules(ctx)),
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
    if !Status::from_sql(&row.status)?.visible_to(own, reads_as_staff(viewer.as_ref())) {
        return Err(Error::not_found("petition"));
    }
    Ok(GetPetitionResponse {
        petition: Some(view::message(ctx, row)?),
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
        reads_as_staff(viewer.as_ref()),
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut found);
    let petitions = view::messages(ctx, found)?;
    Ok(ListPetitionsResponse {
        petitions,
        next_page_token,
    })
}
