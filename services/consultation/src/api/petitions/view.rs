//! A petition as the contract shows it: the rules in force, its progress against them and its
//! answer, read from its row, which keeps its signatures counted per province.

use tachawor_errors::Error;
use tachawor_proto::consultation::{Petition, PetitionRules, Receipt};

use crate::{
    context::Context,
    domain::{
        self,
        petition::{self as rules_of, Kind, Progress, Status},
        timestamp,
    },
    store::petitions::{self as rows, PetitionRow},
};

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
pub(super) fn progress(
    ctx: &Context,
    row: &PetitionRow,
    rules: &PetitionRules,
) -> Result<Progress, Error> {
    Ok(rules_of::progress_of(
        Kind::from_sql(&row.kind)?,
        Status::from_sql(&row.status)?,
        rules,
        ctx.region.provinces.iter().map(|p| p.code.as_str()),
        &rows::tally(row)?,
    ))
}

/// A page of petitions as the contract has them, the rules in force built once.
pub(crate) fn messages(ctx: &Context, found: Vec<PetitionRow>) -> Result<Vec<Petition>, Error> {
    let rules = rules(ctx);
    found
        .into_iter()
        .map(|row| message_under(ctx, row, rules))
        .collect()
}

/// A petition as the contract has it.
pub(crate) fn message(ctx: &Context, row: PetitionRow) -> Result<Petition, Error> {
    message_under(ctx, row, rules(ctx))
}

fn message_under(ctx: &Context, row: PetitionRow, rules: PetitionRules) -> Result<Petition, Error> {
    let progress = progress(ctx, &row, &rules)?;
    let status = Status::from_sql(&row.status)?;
    let overdue = status == Status::Deposited && rules_of::is_late(ctx.now(), row.answer_due_at);
    Ok(Petition {
        petition_id: row.petition_id,
        kind: domain::petition_kind(&row.kind) as i32,
        title: row.title,
        object: row.object,
        subject_field: row.subject_field,
        agent_id: row.agent_id,
        association_id: row.association_id.unwrap_or_default(),
        status: status.to_proto() as i32,
        rules: Some(rules),
        progress: Some(progress.into_proto()),
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
    })
}

/// The petition as it is now, else NOT_FOUND.
pub(super) async fn load(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    petition_id: &str,
) -> Result<Petition, Error> {
    let row = rows::find(conn, petition_id)
        .await?
        .ok_or_else(|| Error::not_found("petition"))?;
    message(ctx, row)
}
