//! Transparency: the commitment tracker (milestones, status, evidence, IRM level) and the
//! headline indicators by month, each as a chart drawn on the server with its table; and the
//! open-data downloads reporting produces.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use tachawor_proto::{
    dates,
    reporting::{
        CompletionLevel, Dimension, ExportFormat, ExportIndicatorsRequest,
        ExportProgressReportRequest, GetIndicatorsRequest, IndicatorCell, ListCommitmentsRequest,
        Milestone, MilestoneStatus,
    },
};

use super::{AppState, lang_of};
use crate::{
    error::PageError,
    i18n::{Lang, Tr, number},
    page::{Frame, Section, html, with_policy},
    view::{Text, enum_code},
};

/// The indicators the page shows, in this order.
pub const HEADLINE: [&str; 6] = [
    "participants",
    "registrations",
    "certificates",
    "responses",
    "proposals",
    "signatures",
];

/// Months the charts cover, the current one included.
const MONTHS: usize = 12;

pub struct MilestoneView {
    pub id: String,
    pub title: Text,
    pub period: String,
    pub status_label: String,
    pub proposed_label: String,
    pub level_label: String,
    pub late: bool,
    pub evidence: Vec<(String, String)>,
}

impl MilestoneView {
    fn of(m: &Milestone, tr: Tr) -> Self {
        let status = |s: i32| match MilestoneStatus::try_from(s).unwrap_or_default() {
            MilestoneStatus::Unspecified => tr.t("milestone-status-none"),
            other => tr.t(&format!(
                "milestone-status-{}",
                enum_code(other.as_str_name(), "MILESTONE_STATUS_")
            )),
        };
        let level = enum_code(
            CompletionLevel::try_from(m.completion_level)
                .unwrap_or_default()
                .as_str_name(),
            "COMPLETION_LEVEL_",
        );
        let date = |d: Option<&tachawor_proto::common::Date>| {
            d.and_then(dates::date_str)
                .map(|d| tr.date(&d))
                .unwrap_or_default()
        };
        let e = m.evidence.unwrap_or_default();
        Self {
            id: m.milestone_id.clone(),
            title: Text::of(m.title.as_ref(), tr.lang),
            period: tr.with(
                "milestone-period",
                &[
                    ("from", date(m.starts_on.as_ref())),
                    ("to", date(m.ends_on.as_ref())),
                ],
            ),
            status_label: status(m.status),
            proposed_label: status(m.proposed_status),
            level_label: tr.t(&format!("completion-{level}")),
            late: m.late,
            evidence: [
                ("evidence-sessions-held", e.sessions_held),
                ("evidence-participants", e.participants),
                ("evidence-certificates", e.certificates),
                ("evidence-consultations", e.consultations_opened),
                ("evidence-contributions", e.platform_contributions),
            ]
            .into_iter()
            // Reporting answers -1 for a count it suppresses in public output.
            .map(|(id, n)| {
                let shown = if n < 0 {
                    tr.t("indicator-suppressed")
                } else {
                    number(n)
                };
                (tr.t(id), shown)
            })
            .collect(),
        }
    }
}

/// One bar of a chart and one row of its table.
pub struct Bar {
    pub month: String,
    pub shown: String,
    pub suppressed: bool,
    /// Where the bar starts along the chart, in the chart's units: time runs in the page's
    /// reading direction, so right to left in Arabic.
    pub x: i64,
    /// The bar's width and height in the chart's units (100 × 40).
    pub width: i64,
    pub height: i64,
}

impl Bar {
    /// The bar's top, in the chart's units.
    pub fn y(&self) -> i64 {
        40 - self.height
    }
}

pub struct Chart {
    pub title: String,
    pub description: String,
    pub bars: Vec<Bar>,
}

/// The last [`MONTHS`] months, oldest first, as `YYYY-MM`.
fn months_until(now_millis: i64) -> Vec<String> {
    let today = dates::date_of_millis(now_millis);
    let (year, month): (i32, i32) = (
        today[..4].parse().unwrap_or(1970),
        today[5..7].parse().unwrap_or(1),
    );
    let index = year * 12 + month - 1;
    (0..MONTHS as i32)
        .rev()
        .map(|back| {
            let i = index - back;
            format!("{:04}-{:02}", i / 12, i % 12 + 1)
        })
        .collect()
}

fn chart(name: &str, months: &[String], cells: &[IndicatorCell], tr: Tr) -> Chart {
    let value = |month: &str| {
        cells
            .iter()
            .find(|c| c.indicator == name && c.month == month && c.group.is_empty())
    };
    let max = months
        .iter()
        .filter_map(|m| value(m))
        .filter(|c| !c.suppressed)
        .map(|c| c.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let slot = 100 / months.len().max(1) as i64;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, month)| {
            let cell = value(month);
            let suppressed = cell.is_some_and(|c| c.suppressed);
            let v = cell.filter(|c| !c.suppressed).map_or(0.0, |c| c.value);
            Bar {
                month: tr.month(month),
                shown: if suppressed {
                    tr.t("indicator-suppressed")
                } else {
                    number(v.round() as i64)
                },
                suppressed,
                x: match tr.lang {
                    Lang::Ar => 100 - (i as i64 + 1) * slot,
                    Lang::Fr => i as i64 * slot,
                },
                width: slot - 2,
                height: ((v / max) * 38.0).round() as i64,
            }
        })
        .collect();
    Chart {
        title: tr.t(&format!("indicator-{name}")),
        description: tr.t(&format!("indicator-{name}-about")),
        bars,
    }
}

#[derive(Template)]
#[template(path = "transparency.html")]
struct TransparencyPage {
    frame: Frame,
    commitment_id: String,
    commitment_title: Text,
    milestones: Vec<MilestoneView>,
    charts: Vec<Chart>,
    exact: bool,
}

pub async fn page(
    State(app): State<AppState>,
    Path(lang): Path<String>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let now = super::now_millis();
    let months = months_until(now);
    let (mut tracker, mut figures) = (app.services.reporting(), app.services.reporting());
    let (commitments, indicators) = tokio::join!(
        tracker.list_commitments(ListCommitmentsRequest {}),
        figures.get_indicators(GetIndicatorsRequest {
            indicators: HEADLINE.iter().map(|s| s.to_string()).collect(),
            from_month: months.first().cloned().unwrap_or_default(),
            to_month: months.last().cloned().unwrap_or_default(),
            split_by: Dimension::Unspecified as i32,
        }),
    );
    let fail = |s: tonic::Status| PageError::from_status(&s, lang);
    let commitments = commitments.map_err(fail)?.into_inner().commitments;
    let indicators = indicators.map_err(fail)?.into_inner();
    let tr = Tr::new(lang);
    let first = commitments.first();
    let page = TransparencyPage {
        frame: Frame::new(
            lang,
            tr.t("transparency-title"),
            Section::Transparency,
            "transparency",
        ),
        commitment_id: first.map(|c| c.commitment_id.clone()).unwrap_or_default(),
        commitment_title: Text::of(first.and_then(|c| c.title.as_ref()), lang),
        milestones: first
            .map(|c| {
                c.milestones
                    .iter()
                    .map(|m| MilestoneView::of(m, tr))
                    .collect()
            })
            .unwrap_or_default(),
        charts: HEADLINE
            .iter()
            .map(|name| chart(name, &months, &indicators.cells, tr))
            .collect(),
        exact: indicators.exact,
    };
    html(&page, StatusCode::OK, app.public(), lang)
}

/// `/api/v1/exports/{file}`: the open data reporting produces, as a download.
/// `indicators.csv`, `indicators.json`, and `progress-report-{commitment}.{md,csv,json}`.
pub async fn export(
    State(app): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let not_found = || PageError::not_found(Lang::Ar).json();
    let (stem, extension) = file.rsplit_once('.').ok_or_else(not_found)?;
    let format = match extension {
        "csv" => ExportFormat::Csv,
        "json" => ExportFormat::Json,
        "md" => ExportFormat::Markdown,
        _ => return Err(not_found()),
    };
    let mut reporting = app.services.reporting();
    let fail = |s: tonic::Status| PageError::from_lookup(&s, Lang::Ar).json();
    let (content, content_type, file_name) =
        if stem == "indicators" && format != ExportFormat::Markdown {
            let answer = reporting
                .export_indicators(ExportIndicatorsRequest {
                    format: format as i32,
                    ..Default::default()
                })
                .await
                .map_err(fail)?
                .into_inner();
            (answer.content, answer.content_type, answer.file_name)
        } else if let Some(commitment) = stem.strip_prefix("progress-report-") {
            let answer = reporting
                .export_progress_report(ExportProgressReportRequest {
                    commitment_id: commitment.to_string(),
                    format: format as i32,
                })
                .await
                .map_err(fail)?
                .into_inner();
            (answer.content, answer.content_type, answer.file_name)
        } else {
            return Err(not_found());
        };
    let mut response = ([(header::CONTENT_TYPE, content_type)], content).into_response();
    let disposition = format!(
        "attachment; filename=\"{}\"",
        file_name.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-' && c != '_',
            ""
        )
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(with_policy(response, app.public()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_cover_the_last_twelve_months() {
        // 2026-11-30
        let months = months_until(1_796_000_000_000);
        assert_eq!(months.len(), 12);
        assert_eq!(months.last().map(String::as_str), Some("2026-11"));
        assert_eq!(months.first().map(String::as_str), Some("2025-12"));
    }

    #[test]
    fn bars_scale_to_the_largest_and_suppressed_cells_stay_empty() {
        let months = vec!["2026-10".to_string(), "2026-11".to_string()];
        let cell = |month: &str, value: f64, suppressed: bool| IndicatorCell {
            indicator: "signatures".into(),
            month: month.into(),
            group: String::new(),
            value,
            people: 0,
            suppressed,
        };
        let cells = vec![cell("2026-10", 20.0, false), cell("2026-11", 0.0, true)];
        let chart = chart("signatures", &months, &cells, Tr::new(Lang::Fr));
        assert_eq!(chart.bars[0].height, 38, "the largest bar fills the chart");
        assert_eq!(chart.bars[0].shown, "20");
        assert!(chart.bars[1].suppressed);
        assert_eq!(chart.bars[1].height, 0);
        assert!(
            chart.bars[0].x < chart.bars[1].x,
            "time runs left to right in French"
        );
        let chart = super::chart("signatures", &months, &cells, Tr::new(Lang::Ar));
        assert!(
            chart.bars[0].x > chart.bars[1].x,
            "and right to left in Arabic"
        );
    }
}
