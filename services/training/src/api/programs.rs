//! Programs: what a series of sessions is for and which commitment milestone it serves.

use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    events::TrainingProgramCreated,
    training::{
        Audience, CreateProgramRequest, CreateProgramResponse, GetProgramRequest,
        GetProgramResponse, ListProgramsRequest, ListProgramsResponse,
    },
};
use tachawor_runtime::idempotency;

use super::{STAFF, check_text, check_uuid, page, trimmed};
use crate::{
    context::{Call, Context},
    domain,
    store::programs::{self, ProgramRow},
};

const TITLE_MAX: usize = 200;
const OBJECTIVES_MAX: usize = 4000;

/// `MALAA0004-1`: a commitment code, a dash, the milestone's number.
fn is_milestone_ref(s: &str) -> bool {
    match s.split_once('-') {
        Some((code, n)) => {
            (2..=20).contains(&code.len())
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && (1..=2).contains(&n.len())
                && n.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

pub async fn create_program(
    ctx: &Context,
    call: &Call,
    req: CreateProgramRequest,
) -> Result<CreateProgramResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    check_text(&mut v, "title", req.title.as_ref(), TITLE_MAX);
    check_text(
        &mut v,
        "objectives",
        req.objectives.as_ref(),
        OBJECTIVES_MAX,
    );
    let audiences: Vec<Option<&'static str>> = req
        .audiences
        .iter()
        .map(|a| Audience::try_from(*a).ok().and_then(domain::audience_str))
        .collect();
    v.check(
        !audiences.is_empty() && audiences.iter().all(Option::is_some),
        "audiences",
        "at least one known audience is required",
    );
    v.check(
        is_milestone_ref(&req.milestone_ref),
        "milestone_ref",
        "must name a commitment milestone, for example MALAA0004-1",
    );
    v.check(
        req.province_codes
            .iter()
            .all(|p| ctx.region.has_province(p)),
        "province_codes",
        "each must be a province of this region",
    );
    idempotency::check_key(&mut v, "idempotency_key", &req.idempotency_key);
    v.finish()?;
    let mut audience_names: Vec<String> = Vec::new();
    for a in audiences.into_iter().flatten() {
        if !audience_names.iter().any(|n| n == a) {
            audience_names.push(a.to_string());
        }
    }
    let mut provinces = req.province_codes.clone();
    provinces.sort();
    provinces.dedup();
    let (title_ar, title_fr, title_en) = trimmed(req.title);
    let (objectives_ar, objectives_fr, objectives_en) = trimmed(req.objectives);
    let row = ProgramRow {
        program_id: uuid::Uuid::now_v7().to_string(),
        title_ar,
        title_fr,
        title_en,
        objectives_ar,
        objectives_fr,
        objectives_en,
        audiences: domain::to_json(&audience_names),
        milestone_ref: req.milestone_ref,
        province_codes: domain::to_json(&provinces),
        created_by: staff.account_id.clone(),
        created_at: ctx.now(),
    };
    ctx.writer
        .idempotent(
            &staff.account_id,
            "CreateProgram",
            &req.idempotency_key,
            |tx| {
                Box::pin(async {
                    let mut tx = tx;
                    programs::insert(&mut tx, &row).await?;
                    ctx.emit(
                        &mut tx,
                        catalogue::PROGRAM_CREATED,
                        &row.program_id,
                        &TrainingProgramCreated {
                            program_id: row.program_id.clone(),
                            audiences: audience_names,
                            milestone_ref: row.milestone_ref.clone(),
                            province_codes: provinces,
                        },
                    )
                    .await?;
                    let response = CreateProgramResponse {
                        program: Some(row.to_proto()),
                    };
                    Ok((tx, response))
                })
            },
        )
        .await
}

pub async fn get_program(
    ctx: &Context,
    _call: &Call,
    req: GetProgramRequest,
) -> Result<GetProgramResponse, Error> {
    let mut v = Violations::new();
    check_uuid(&mut v, "program_id", &req.program_id);
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let row = programs::find(&mut conn, &req.program_id)
        .await?
        .ok_or_else(|| Error::not_found("program"))?;
    Ok(GetProgramResponse {
        program: Some(row.to_proto()),
    })
}

pub async fn list_programs(
    ctx: &Context,
    _call: &Call,
    req: ListProgramsRequest,
) -> Result<ListProgramsResponse, Error> {
    let mut v = Violations::new();
    let page = page(&mut v, req.page.as_ref());
    v.check(
        req.milestone_ref.is_empty() || is_milestone_ref(&req.milestone_ref),
        "milestone_ref",
        "must name a commitment milestone, for example MALAA0004-1",
    );
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = programs::list(
        &mut conn,
        &req.milestone_ref,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    Ok(ListProgramsResponse {
        programs: rows.iter().map(ProgramRow::to_proto).collect(),
        next_page_token,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn milestone_refs() {
        assert!(super::is_milestone_ref("MALAA0004-1"));
        assert!(!super::is_milestone_ref("MALAA0004"));
        assert!(!super::is_milestone_ref("malaa0004-1"));
        assert!(!super::is_milestone_ref("MALAA0004-x"));
    }
}
