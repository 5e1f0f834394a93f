//! The commitment tracker: commitments, milestones, statuses set by staff, the progress report.

use serde_json::json;
use tachawor_errors::{Error, Violations, checks};
use tachawor_proto::{
    dates,
    reporting::{
        Commitment, ExportFormat, ExportProgressReportRequest, ExportProgressReportResponse,
        GetCommitmentRequest, GetCommitmentResponse, ListCommitmentsRequest,
        ListCommitmentsResponse, Milestone, MilestoneStatus, SetMilestoneStatusRequest,
        SetMilestoneStatusResponse,
    },
};

use tachawor_runtime::audit;

use crate::{
    context::{Call, Context},
    export,
    store::{evidence::Snapshot, milestones},
    tracker::{self, CommitmentConfig, MilestoneConfig},
};

/// A status staff set.
struct StatusRow {
    status: MilestoneStatus,
    justification: String,
    set_at: i64,
}

impl From<milestones::StatusRow> for StatusRow {
    fn from(r: milestones::StatusRow) -> Self {
        StatusRow {
            status: tracker::status_of_name(&r.status),
            justification: r.justification,
            set_at: r.set_at,
        }
    }
}

async fn status_of(
    conn: &mut sqlx::AnyConnection,
    milestone_id: &str,
) -> Result<Option<StatusRow>, Error> {
    Ok(milestones::find_status(conn, milestone_id)
        .await?
        .map(StatusRow::from))
}

/// A milestone as shown: its status, evidence, proposed status, late flag and IRM level. In
/// public output, counts of people under the threshold are withheld (-1).
fn milestone(
    ctx: &Context,
    read: &Snapshot,
    m: &MilestoneConfig,
    set: Option<StatusRow>,
    exact: bool,
) -> Milestone {
    let now = ctx.now();
    let mut evidence = tracker::evidence(read, m);
    let proposed = tracker::proposed_status(m, &evidence, now);
    let status = set.as_ref().map(|s| s.status).unwrap_or_default();
    let effective = if status == MilestoneStatus::Unspecified {
        proposed
    } else {
        status
    };
    let late = tracker::is_late(m, effective, now);
    let level = tracker::completion_level(m, effective, &evidence);
    if !exact {
        let min = ctx.settings.reporting.min_cell_size;
        for count in [
            &mut evidence.participants,
            &mut evidence.certificates,
            &mut evidence.platform_contributions,
            &mut evidence.forum_contributions,
        ] {
            if *count > 0 && *count < min {
                *count = -1;
            } else if min > 0 {
                // These counts add months together: exact, a month's withheld cells would be
                // the count minus the months shown. Rounded down, they no longer are.
                *count -= *count % min;
            }
        }
        if m.evidence == tracker::EvidenceKind::Platform {
            evidence.measure = evidence.platform_contributions;
        }
        if evidence.learning_gain_participants > 0 && !tracker::learning_gain_shown(read, m, min) {
            evidence.learning_gain_participants = -1;
            evidence.learning_gain_average = 0.0;
        }
    }
    Milestone {
        milestone_id: m.id.clone(),
        number: m.number,
        title: Some(m.title.proto()),
        starts_on: tracker::date(&m.starts_on),
        ends_on: tracker::date(&m.ends_on),
        status: status as i32,
        justification: set
            .as_ref()
            .map(|s| s.justification.clone())
            .unwrap_or_default(),
        status_set_at: set.as_ref().map(|s| dates::timestamp(s.set_at)),
        evidence: Some(evidence),
        proposed_status: proposed as i32,
        late,
        completion_level: level as i32,
    }
}

/// `commitments` as shown, from one read of the statuses staff set and one snapshot of the
/// evidence, on one connection: the same few statements whatever the number of commitments and
/// milestones.
pub(crate) async fn commitments(
    ctx: &Context,
    commitments: &[&CommitmentConfig],
    exact: bool,
) -> Result<Vec<Commitment>, Error> {
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut set = milestones::statuses(&mut conn).await?;
    let read = tracker::snapshot(
        &mut conn,
        commitments.iter().flat_map(|c| c.milestones.iter()),
    )
    .await?;
    drop(conn);
    Ok(commitments
        .iter()
        .map(|c| Commitment {
            commitment_id: c.id.clone(),
            title: Some(c.title.proto()),
            starts_on: tracker::date(&c.starts_on),
            ends_on: tracker::date(&c.ends_on),
            ogp_value: c.ogp_value.clone(),
            milestones: c
                .milestones
                .iter()
                .map(|m| {
                    let status = set.remove(&m.id).map(StatusRow::from);
                    milestone(ctx, &read, m, status, exact)
                })
                .collect(),
        })
        .collect())
}

pub(crate) async fn commitment(
    ctx: &Context,
    c: &CommitmentConfig,
    exact: bool,
) -> Result<Commitment, Error> {
    let mut found = commitments(ctx, &[c], exact).await?;
    Ok(found.remove(0))
}

fn find_commitment<'a>(ctx: &'a Context, id: &str) -> Result<&'a CommitmentConfig, Error> {
    let mut v = Violations::new();
    v.check(
        checks::is_id(id),
        "commitment_id",
        "must be a commitment id",
    );
    v.finish()?;
    ctx.commitments
        .commitment(id)
        .ok_or_else(|| Error::not_found("commitment"))
}

/// Anyone.
pub async fn list_commitments(
    ctx: &Context,
    call: &Call,
    _req: ListCommitmentsRequest,
) -> Result<ListCommitmentsResponse, Error> {
    let exact = super::sees_exact(call);
    let all: Vec<&CommitmentConfig> = ctx.commitments.commitments.iter().collect();
    Ok(ListCommitmentsResponse {
        commitments: commitments(ctx, &all, exact).await?,
    })
}

/// Anyone.
pub async fn get_commitment(
    ctx: &Context,
    call: &Call,
    req: GetCommitmentRequest,
) -> Result<GetCommitmentResponse, Error> {
    let c = find_commitment(ctx, &req.commitment_id)?;
    Ok(GetCommitmentResponse {
        commitment: Some(commitment(ctx, c, super::sees_exact(call)).await?),
    })
}

/// Council staff and administrators; audited.
pub async fn set_milestone_status(
    ctx: &Context,
    call: &Call,
    req: SetMilestoneStatusRequest,
) -> Result<SetMilestoneStatusResponse, Error> {
    let staff = call.require_any(super::STAFF)?;
    let status = MilestoneStatus::try_from(req.status).unwrap_or_default();
    let mut v = Violations::new();
    v.check(
        checks::is_id(&req.milestone_id),
        "milestone_id",
        "must be a milestone id, for example MALAA0004-1",
    );
    v.check(
        status != MilestoneStatus::Unspecified,
        "status",
        "must be not_started, in_progress, stuck, finished or incomplete",
    );
    v.check(
        checks::is_text(&req.justification, 10, 2000),
        "justification",
        "must be 10 to 2000 characters",
    );
    v.finish()?;
    let (_, m) = ctx
        .commitments
        .milestone(&req.milestone_id)
        .ok_or_else(|| Error::not_found("milestone"))?;

    let now = ctx.now();
    let justification = req.justification.trim().to_string();
    let mut tx = ctx.begin().await?;
    let before = status_of(&mut tx, &m.id).await?;
    milestones::set_status(
        &mut tx,
        &m.id,
        tracker::status_name(status),
        &justification,
        &staff.account_id,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "set_milestone_status",
            target_type: "milestone",
            target_id: &m.id,
            before: match before {
                Some(b) => json!({
                    "status": tracker::status_name(b.status),
                    "justification": b.justification,
                }),
                None => json!(null),
            },
            after: json!({
                "status": tracker::status_name(status),
                "justification": justification,
            }),
        },
        now,
    )
    .await?;
    ctx.commit(tx).await?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let read = tracker::snapshot(&mut conn, [m]).await?;
    Ok(SetMilestoneStatusResponse {
        milestone: Some(milestone(
            ctx,
            &read,
            m,
            Some(StatusRow {
                status,
                justification,
                set_at: now,
            }),
            true,
        )),
    })
}

/// Anyone; CSV, JSON or Markdown.
pub async fn export_progress_report(
    ctx: &Context,
    call: &Call,
    req: ExportProgressReportRequest,
) -> Result<ExportProgressReportResponse, Error> {
    let format = ExportFormat::try_from(req.format).unwrap_or_default();
    let mut v = Violations::new();
    v.check(
        checks::is_id(&req.commitment_id),
        "commitment_id",
        "must be a commitment id",
    );
    v.check(
        format != ExportFormat::Unspecified,
        "format",
        "must be CSV, JSON or MARKDOWN",
    );
    v.finish()?;
    let c = find_commitment(ctx, &req.commitment_id)?;
    let report = commitment(ctx, c, super::sees_exact(call)).await?;
    let file = export::progress_report(&report, format, &dates::date_of_millis(ctx.now()));
    Ok(ExportProgressReportResponse {
        content: file.content,
        content_type: file.content_type.to_string(),
        file_name: file.file_name,
    })
}
