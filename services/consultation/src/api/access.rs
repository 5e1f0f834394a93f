//! Who reads a consultation and who takes part in it, shared by every area that hangs off a
//! consultation (surveys, proposals, comments, opinions): the facts come from the caller's
//! token and identity, the decision from `domain::consultation`.

use tachawor_auth::{AccountCaller, Role};
use tachawor_errors::{Error, Violations};

use super::participants::Participant;
use crate::{
    context::{Context, reads_as_staff},
    domain::consultation::{self, Audience, Reader, Status, Taker},
    store::consultations::{self as rows, ConsultationRow},
    validate,
};

/// Whether `viewer` may read the consultation (by the roles in the token).
pub(crate) fn may_read(
    row: &ConsultationRow,
    viewer: Option<&AccountCaller>,
) -> Result<bool, Error> {
    let reader = Reader {
        staff: reads_as_staff(viewer),
        representative: viewer.is_some_and(|c| c.has(Role::AssociationRepresentative)),
        member: viewer.is_some_and(|c| c.has(Role::InstanceMember)),
        // The token's scope: a proposal is read by its instance's members as their drafts are.
        launcher: row.launched_by.as_deref().is_some_and(|instance| {
            viewer.is_some_and(|c| c.has_scope(&tachawor_auth::instance_scope(instance)))
        }),
    };
    Ok(consultation::may_read(
        Status::from_sql(&row.status)?,
        Audience::from_sql(&row.audience)?,
        reader,
    ))
}

/// A consultation the caller may read, else NOT_FOUND.
pub(crate) async fn readable(
    conn: &mut sqlx::AnyConnection,
    consultation_id: &str,
    viewer: Option<&AccountCaller>,
) -> Result<ConsultationRow, Error> {
    match rows::find(conn, consultation_id).await? {
        Some(row) if may_read(&row, viewer)? => Ok(row),
        _ => Err(Error::not_found("consultation")),
    }
}

/// As [`readable`], with the consultation's questions, in one statement.
pub(crate) async fn readable_with_questions(
    conn: &mut sqlx::AnyConnection,
    consultation_id: &str,
    viewer: Option<&AccountCaller>,
) -> Result<(ConsultationRow, Vec<rows::QuestionRow>), Error> {
    match rows::find_with_questions(conn, consultation_id).await? {
        Some((row, questions)) if may_read(&row, viewer)? => Ok((row, questions)),
        _ => Err(Error::not_found("consultation")),
    }
}

/// Checks a participant may take part now: the consultation is open, inside its window, meant
/// for them, and they are verified when it admits only verified people (staff always may).
pub(crate) fn check_participation(
    ctx: &Context,
    row: &ConsultationRow,
    who: &Participant,
) -> Result<(), Error> {
    let open = consultation::is_open_at(
        Status::from_sql(&row.status)?,
        row.opens_at,
        row.closes_at,
        ctx.now(),
    );
    let taker = Taker {
        staff: who.caller.is_staff(),
        represents_any: who.represents_any(),
        member: match row.instance_id.as_deref() {
            Some(instance) => who.sits_on(instance),
            None => who.sits_on_any(),
        },
        verified: who.eligibility.verified,
    };
    consultation::check_participation(
        open,
        Audience::from_sql(&row.audience)?,
        row.verified_only != 0,
        taker,
    )?;
    Ok(())
}

pub(crate) fn consultation_id(v: &mut Violations, id: &str) {
    validate::uuid(v, "consultation_id", id);
}
