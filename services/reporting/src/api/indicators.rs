//! Indicators and their export.

use tachawor_errors::{Error, Violations};
use tachawor_proto::reporting::{
    Dimension, ExportFormat, ExportIndicatorsRequest, ExportIndicatorsResponse,
    GetIndicatorsRequest, GetIndicatorsResponse,
};

use crate::{
    context::{Call, Context},
    domain::is_month,
    export,
    measures::{self, INDICATORS, Indicator, Query},
};

/// The most indicator names a request may hold (there are about twenty indicators).
const MAX_NAMES: usize = 50;
/// How many unknown names an error repeats.
const SHOWN_UNKNOWN: usize = 5;

/// The indicators asked for, checked, with the violations of every bad field.
fn checked(
    v: &mut Violations,
    names: &[String],
    from: &str,
    to: &str,
    split_by: i32,
) -> (Vec<&'static Indicator>, Dimension) {
    let mut chosen = Vec::new();
    let mut unknown = Vec::new();
    for name in names {
        match measures::find(name) {
            Some(i) if !chosen.iter().any(|c: &&Indicator| c.name == i.name) => chosen.push(i),
            Some(_) => {}
            None => unknown.push(name.as_str()),
        }
    }
    v.check(names.len() <= MAX_NAMES, "indicators", "at most 50 names");
    if !unknown.is_empty() {
        // Named back in part only: the answer stays small whatever was sent.
        let shown: Vec<String> = unknown
            .iter()
            .take(SHOWN_UNKNOWN)
            .map(|n| tachawor_errors::bounded(n, 40))
            .collect();
        let more = unknown.len().saturating_sub(SHOWN_UNKNOWN);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        v.add(
            "indicators",
            format!("unknown indicators: {}{more}", shown.join(", ")),
        );
    }
    if names.is_empty() {
        chosen = INDICATORS.iter().collect();
    }
    v.check(
        from.is_empty() || is_month(from),
        "from_month",
        "must be YYYY-MM",
    );
    v.check(to.is_empty() || is_month(to), "to_month", "must be YYYY-MM");
    if is_month(from) && is_month(to) {
        v.check(from <= to, "to_month", "must not be before from_month");
    }
    let split = Dimension::try_from(split_by);
    v.check(split.is_ok(), "split_by", "must be a known dimension");
    (chosen, split.unwrap_or(Dimension::Unspecified))
}

async fn compute(
    ctx: &Context,
    call: &Call,
    chosen: Vec<&'static Indicator>,
    from: &str,
    to: &str,
    split_by: Dimension,
) -> Result<GetIndicatorsResponse, Error> {
    let exact = super::sees_exact(call);
    let query = Query {
        indicators: chosen.clone(),
        from_month: from,
        to_month: to,
        split_by,
        min_cell_size: (!exact).then_some(ctx.settings.reporting.min_cell_size),
    };
    let mut conn = ctx.db.pool().acquire().await?;
    let cells = measures::compute(&mut conn, &query).await?;
    let learning_gains = if chosen.iter().any(|i| i.name == "learning_gain") {
        measures::learning_gains(&mut conn, query.min_cell_size).await?
    } else {
        Vec::new()
    };
    Ok(GetIndicatorsResponse {
        cells,
        exact,
        definitions: chosen.into_iter().map(measures::definition).collect(),
        learning_gains,
    })
}

/// Anyone; exact figures for staff, suppressed small cells for everyone else.
pub async fn get_indicators(
    ctx: &Context,
    call: &Call,
    req: GetIndicatorsRequest,
) -> Result<GetIndicatorsResponse, Error> {
    let mut v = Violations::new();
    let (chosen, split) = checked(
        &mut v,
        &req.indicators,
        &req.from_month,
        &req.to_month,
        req.split_by,
    );
    v.finish()?;
    compute(ctx, call, chosen, &req.from_month, &req.to_month, split).await
}

/// As [`get_indicators`], as a CSV or JSON file.
pub async fn export_indicators(
    ctx: &Context,
    call: &Call,
    req: ExportIndicatorsRequest,
) -> Result<ExportIndicatorsResponse, Error> {
    let mut v = Violations::new();
    let (chosen, split) = checked(
        &mut v,
        &req.indicators,
        &req.from_month,
        &req.to_month,
        req.split_by,
    );
    let format = ExportFormat::try_from(req.format).unwrap_or(ExportFormat::Unspecified);
    v.check(
        matches!(format, ExportFormat::Csv | ExportFormat::Json),
        "format",
        "must be CSV or JSON",
    );
    v.finish()?;
    let figures = compute(ctx, call, chosen, &req.from_month, &req.to_month, split).await?;
    let file = export::indicators(&figures, split, format);
    Ok(ExportIndicatorsResponse {
        content: file.content,
        content_type: file.content_type.to_string(),
        file_name: file.file_name,
    })
}
