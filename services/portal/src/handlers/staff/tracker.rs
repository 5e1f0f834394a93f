//! The commitment tracker desk: each commitment's milestones with their status, justification
//! and evidence as reporting computes them; a form per milestone to set its status with a
//! justification; the progress report to download as Markdown (Arabic or French), CSV or JSON.
//!
//! CSV and JSON are reporting's own files. The Markdown is written here from the commitment
//! reporting returns, in the page's language with the portal's messages (reporting's own
//! Markdown is in English); milestones are named by their id (`MALAA0004-1`).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    dates,
    reporting::{
        Commitment, CompletionLevel, ExportFormat, ExportProgressReportRequest,
        GetCommitmentRequest, ListCommitmentsRequest, Milestone, MilestoneStatus,
        SetMilestoneStatusRequest,
    },
};

use super::{Staff, StaffNav, StaffReader, frame};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{AppState, encode_query, lang_of},
    i18n::{Lang, Tr, number},
    page::{CachePolicy, Frame, html, with_policy},
    person::Posted,
    services::as_person,
    view::{Choice, Text, enum_code},
};

/// The statuses staff may set, in OGP's order.
const STATUSES: [MilestoneStatus; 5] = [
    MilestoneStatus::NotStarted,
    MilestoneStatus::InProgress,
    MilestoneStatus::Stuck,
    MilestoneStatus::Finished,
    MilestoneStatus::Incomplete,
];

fn status_code(s: MilestoneStatus) -> String {
    enum_code(s.as_str_name(), "MILESTONE_STATUS_")
}

fn status_label(v: i32, tr: Tr) -> String {
    match MilestoneStatus::try_from(v).unwrap_or_default() {
        MilestoneStatus::Unspecified => tr.t("milestone-status-none"),
        other => tr.t(&format!("milestone-status-{}", status_code(other))),
    }
}

fn level_label(v: i32, tr: Tr) -> String {
    let level = enum_code(
        CompletionLevel::try_from(v)
            .unwrap_or_default()
            .as_str_name(),
        "COMPLETION_LEVEL_",
    );
    tr.t(&format!("completion-{level}"))
}

fn date_of(d: Option<&tachawor_proto::common::Date>, tr: Tr) -> String {
    d.and_then(dates::date_str)
        .map(|d| tr.date(&d))
        .unwrap_or_default()
}

/// A count reporting gave: -1 when withheld (public output only; staff see exact figures).
fn count(n: i64, tr: Tr) -> String {
    if n < 0 {
        tr.t("indicator-suppressed")
    } else {
        number(n)
    }
}

/// Everything reporting tells about a milestone's evidence, labelled.
fn evidence(m: &Milestone, tr: Tr) -> Vec<(String, String)> {
    let e = m.evidence.unwrap_or_default();
    let mut rows: Vec<(String, String)> = [
        ("staff-tracker-evidence-scheduled", e.sessions_scheduled),
        ("evidence-sessions-held", e.sessions_held),
        ("staff-tracker-evidence-forums", e.forums_held),
        ("evidence-participants", e.participants),
        ("evidence-certificates", e.certificates),
        ("evidence-consultations", e.consultations_opened),
        ("evidence-contributions", e.platform_contributions),
    ]
    .into_iter()
    .map(|(id, n)| (tr.t(id), count(n, tr)))
    .collect();
    let mut progress = format!("{} / {}", count(e.measure, tr), number(e.target));
    if e.target_set_by_region {
        // The commitment names no figure: a reader must not take the target for a promise.
        progress = format!("{progress} ({})", tr.t("staff-tracker-target-by-region"));
    }
    rows.push((tr.t("staff-tracker-evidence-progress"), progress));
    rows
}

/// A milestone as the desk shows it, with its form.
pub struct MilestoneRow {
    pub id: String,
    pub title: Text,
    pub period: String,
    pub status_label: String,
    pub justification: String,
    /// When the status was set, empty if never.
    pub set_on: String,
    pub proposed_label: String,
    pub level_label: String,
    pub late: bool,
    pub evidence: Vec<(String, String)>,
    /// The form's status choices, the current (or the one just tried) selected.
    pub statuses: Vec<Choice>,
    /// The justification in the form: the one just tried when refused, else empty.
    pub draft: String,
}

impl MilestoneRow {
    fn of(m: &Milestone, tr: Tr, attempt: &Attempt) -> Self {
        let tried = attempt.milestone_id == m.milestone_id;
        let chosen = if tried {
            attempt.status.clone()
        } else {
            match MilestoneStatus::try_from(m.status).unwrap_or_default() {
                MilestoneStatus::Unspecified => String::new(),
                s => status_code(s),
            }
        };
        Self {
            id: m.milestone_id.clone(),
            title: Text::of(m.title.as_ref(), tr.lang),
            period: tr.with(
                "milestone-period",
                &[
                    ("from", date_of(m.starts_on.as_ref(), tr)),
                    ("to", date_of(m.ends_on.as_ref(), tr)),
                ],
            ),
            status_label: status_label(m.status, tr),
            justification: m.justification.clone(),
            set_on: tr.timestamp_date(m.status_set_at.as_ref()),
            proposed_label: status_label(m.proposed_status, tr),
            level_label: level_label(m.completion_level, tr),
            late: m.late,
            evidence: evidence(m, tr),
            statuses: STATUSES
                .iter()
                .map(|s| {
                    let code = status_code(*s);
                    Choice {
                        label: tr.t(&format!("milestone-status-{code}")),
                        selected: code == chosen,
                        value: code,
                    }
                })
                .collect(),
            draft: if tried {
                attempt.justification.clone()
            } else {
                String::new()
            },
        }
    }

    /// The ids of the form's fields on the page.
    pub fn status_field(&self) -> String {
        format!("status-{}", self.id)
    }

    pub fn justification_field(&self) -> String {
        format!("justification-{}", self.id)
    }
}

pub struct CommitmentView {
    pub id: String,
    pub title: Text,
    pub period: String,
    pub milestones: Vec<MilestoneRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `status` after a milestone's status was set.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_commitments.html")]
struct ListPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    commitments: Vec<CommitmentView>,
    notice: Option<String>,
    errors: FormErrors,
    /// An observer reads the tracker without the forms.
    read_only: bool,
}

/// What the page shows besides the milestones: the form just refused, kept as typed.
#[derive(Default)]
struct Attempt {
    milestone_id: String,
    status: String,
    justification: String,
    errors: FormErrors,
}

async fn list_page<const READ_ONLY: bool>(
    state: &AppState,
    staff: &Staff<READ_ONLY>,
    lang: Lang,
    query: ListQuery,
    attempt: Attempt,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let commitments = state
        .services
        .reporting()
        .list_commitments(as_person(&staff.session, ListCommitmentsRequest {}))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner()
        .commitments;
    let status = attempt.errors.status();
    let page = ListPage {
        frame: frame(lang, "staff-tracker-title", "staff/commitments").with_errors(&attempt.errors),
        nav: StaffNav::reading(lang, "commitments", staff.roles),
        csrf: staff.visitor.form_token(),
        commitments: commitments
            .iter()
            .map(|c| CommitmentView {
                id: c.commitment_id.clone(),
                title: Text::of(c.title.as_ref(), lang),
                period: tr.with(
                    "milestone-period",
                    &[
                        ("from", date_of(c.starts_on.as_ref(), tr)),
                        ("to", date_of(c.ends_on.as_ref(), tr)),
                    ],
                ),
                milestones: c
                    .milestones
                    .iter()
                    .map(|m| MilestoneRow::of(m, tr, &attempt))
                    .collect(),
            })
            .collect(),
        notice: (query.done.as_deref() == Some("status")).then(|| tr.t("staff-tracker-saved")),
        errors: attempt.errors,
        read_only: !staff.roles.staff,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    staff: StaffReader,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    list_page(&state, &staff, lang, query, Attempt::default()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    justification: String,
}

/// Sets a milestone's status. A missing status or justification, or one reporting refuses,
/// shows the page again with the message beside that milestone's field and the answers kept.
pub async fn set_status(
    State(state): State<AppState>,
    Path((_, milestone)): Path<(String, String)>,
    staff: Staff,
    posted: Posted<StatusForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let status_field = format!("status-{milestone}");
    let justification_field = format!("justification-{milestone}");
    let chosen = STATUSES
        .iter()
        .copied()
        .find(|s| status_code(*s) == form.status);
    let mut errors = FormErrors::new();
    if chosen.is_none() {
        errors.field(&status_field, tr.t("staff-tracker-status-missing"));
    }
    if form.justification.trim().is_empty() {
        errors.field(
            &justification_field,
            tr.t("staff-tracker-justification-missing"),
        );
    }
    if let (Some(status), false) = (chosen, errors.has_errors()) {
        let request = SetMilestoneStatusRequest {
            milestone_id: milestone.clone(),
            status: status as i32,
            justification: form.justification.trim().to_string(),
        };
        match state
            .services
            .reporting()
            .set_milestone_status(as_person(&staff.session, request))
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/{}/staff/commitments?done=status#milestone-{}",
                    lang.code(),
                    encode_query(&milestone)
                ))
                .into_response());
            }
            Err(status) => {
                errors = FormErrors::from_status(
                    &status,
                    tr,
                    "staff-tracker",
                    &[
                        ("status", status_field.as_str()),
                        ("justification", justification_field.as_str()),
                    ],
                )?;
                // Reporting's field names carry the milestone on the page: name the message
                // by the field it is about, not by that id.
                errors = reword(errors, tr, &milestone);
            }
        }
    }
    let attempt = Attempt {
        milestone_id: milestone,
        status: form.status,
        justification: form.justification,
        errors,
    };
    list_page(&state, &staff, lang, ListQuery::default(), attempt).await
}

/// The messages of reporting's refusals, as this desk words them for each field.
fn reword(errors: FormErrors, tr: Tr, milestone: &str) -> FormErrors {
    let mut out = FormErrors::new();
    for e in errors.items() {
        match e.field.as_deref() {
            Some(f) if f == format!("justification-{milestone}") => {
                out.field(f, tr.t("staff-tracker-justification-invalid"));
            }
            Some(f) if f == format!("status-{milestone}") => {
                out.field(f, tr.t("staff-tracker-status-missing"));
            }
            Some(f) => {
                out.field(f, e.message.clone());
            }
            None => {
                out.general(e.message.clone());
            }
        }
    }
    out
}

// ---- The progress report ------------------------------------------------------------------

/// The progress report of commitment `id` as `file`: `progress-ar.md`, `progress-fr.md`,
/// `progress.csv` or `progress.json`.
pub async fn progress_report(
    State(state): State<AppState>,
    Path((lang, id, file)): Path<(String, String, String)>,
    staff: StaffReader,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let (content_type, file_name, body) = match file.as_str() {
        "progress-ar.md" | "progress-fr.md" => {
            let report_lang = if file == "progress-ar.md" {
                Lang::Ar
            } else {
                Lang::Fr
            };
            let commitment = state
                .services
                .reporting()
                .get_commitment(as_person(
                    &staff.session,
                    GetCommitmentRequest {
                        commitment_id: id.clone(),
                    },
                ))
                .await
                .map_err(|s| PageError::from_lookup(&s, lang))?
                .into_inner()
                .commitment
                .ok_or_else(|| PageError::not_found(lang))?;
            let today = dates::date_of_millis(crate::handlers::now_millis());
            (
                "text/markdown; charset=utf-8".to_string(),
                format!(
                    "{}-progress-{}-{today}.md",
                    commitment.commitment_id.to_lowercase(),
                    report_lang.code()
                ),
                markdown(&commitment, Tr::new(report_lang), &today).into_bytes(),
            )
        }
        "progress.csv" | "progress.json" => {
            let format = if file == "progress.csv" {
                ExportFormat::Csv
            } else {
                ExportFormat::Json
            };
            let export = state
                .services
                .reporting()
                .export_progress_report(as_person(
                    &staff.session,
                    ExportProgressReportRequest {
                        commitment_id: id.clone(),
                        format: format as i32,
                    },
                ))
                .await
                .map_err(|s| PageError::from_lookup(&s, lang))?
                .into_inner();
            (export.content_type, export.file_name, export.content)
        }
        _ => return Err(PageError::not_found(lang)),
    };
    // The name stays a plain token whatever reporting or the commitment's id holds.
    let name: String = file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    Ok(with_policy(
        (
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            body,
        )
            .into_response(),
        CachePolicy::NoStore,
    ))
}

/// A table cell's text: one line, no column separator.
fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "/")
}

/// The progress report in `tr`'s language, as Markdown. Aggregates only, as reporting gives
/// them; the justification is the council's own public text.
fn markdown(c: &Commitment, tr: Tr, today: &str) -> String {
    let title = |t| Text::of(t, tr.lang).text;
    let yes_no = |b: bool| {
        tr.t(if b {
            "staff-tracker-md-yes"
        } else {
            "staff-tracker-md-no"
        })
    };
    let mut out = format!(
        "# {} — {}\n\n{} {} – {} · {} {}\n\n",
        c.commitment_id,
        title(c.title.as_ref()),
        tr.t("staff-tracker-md-period"),
        date_of(c.starts_on.as_ref(), tr),
        date_of(c.ends_on.as_ref(), tr),
        tr.t("staff-tracker-md-as-of"),
        tr.date(today),
    );
    let headers = [
        "staff-tracker-md-milestone",
        "staff-tracker-md-title",
        "staff-tracker-md-dates",
        "milestone-status",
        "milestone-proposed",
        "milestone-level",
        "staff-tracker-md-late",
    ];
    out.push_str(&format!(
        "| {} |\n|{}\n",
        headers.map(|h| tr.t(h)).join(" | "),
        "---|".repeat(headers.len())
    ));
    for m in &c.milestones {
        out.push_str(&format!(
            "| {} | {} | {} – {} | {} | {} | {} | {} |\n",
            m.milestone_id,
            cell(&title(m.title.as_ref())),
            date_of(m.starts_on.as_ref(), tr),
            date_of(m.ends_on.as_ref(), tr),
            status_label(m.status, tr),
            status_label(m.proposed_status, tr),
            level_label(m.completion_level, tr),
            yes_no(m.late),
        ));
    }
    for m in &c.milestones {
        out.push_str(&format!(
            "\n## {} — {}\n\n",
            m.milestone_id,
            title(m.title.as_ref())
        ));
        if m.justification.is_empty() {
            out.push_str(&tr.t("staff-tracker-md-no-status"));
        } else {
            out.push_str(&format!(
                "**{}: {}** — {}",
                tr.t("milestone-status"),
                status_label(m.status, tr),
                m.justification.trim()
            ));
        }
        out.push_str("\n\n");
        for (label, value) in evidence(m, tr) {
            out.push_str(&format!("- {label}: {value}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tachawor_proto::{
        common::{Date, LocalizedText},
        reporting::MilestoneEvidence,
    };

    fn commitment() -> Commitment {
        let text = |ar: &str, fr: &str| LocalizedText {
            ar: ar.into(),
            fr: fr.into(),
            en: "English".into(),
            zgh: String::new(),
        };
        let day = |y, m| Date {
            year: y,
            month: m,
            day: 1,
        };
        Commitment {
            commitment_id: "MALAA0004".into(),
            title: Some(text("التزام", "Engagement")),
            starts_on: Some(day(2025, 6)),
            ends_on: Some(day(2027, 6)),
            ogp_value: "civic_participation".into(),
            milestones: vec![Milestone {
                milestone_id: "MALAA0004-1".into(),
                number: 1,
                title: Some(text("تكوين | الأعضاء", "Formation des membres")),
                status: MilestoneStatus::InProgress as i32,
                justification: "Deux sessions tenues".into(),
                evidence: Some(MilestoneEvidence {
                    sessions_held: 2,
                    participants: 1234,
                    target: 10,
                    measure: 2,
                    target_set_by_region: true,
                    ..Default::default()
                }),
                ..Default::default()
            }],
        }
    }

    #[test]
    fn the_markdown_report_is_in_the_asked_language_and_names_milestones_by_id() {
        let fr = markdown(&commitment(), Tr::new(Lang::Fr), "2026-12-01");
        assert!(fr.starts_with("# MALAA0004 — Engagement\n"), "{fr}");
        assert!(
            fr.contains("| MALAA0004-1 | Formation des membres |"),
            "{fr}"
        );
        assert!(
            fr.contains("## MALAA0004-1 — Formation des membres"),
            "{fr}"
        );
        assert!(fr.contains("En cours** — Deux sessions tenues"), "{fr}");
        assert!(fr.contains("1.234"), "{fr}");
        assert!(fr.contains("décembre 2026"), "{fr}");
        assert!(
            fr.contains("2 / 10 (cible fixée par la région : l’engagement n’en donne pas)"),
            "{fr}"
        );
        assert!(!fr.contains("English"), "{fr}");
        let ar = markdown(&commitment(), Tr::new(Lang::Ar), "2026-12-01");
        assert!(ar.contains("| MALAA0004-1 | تكوين / الأعضاء |"), "{ar}");
        assert!(ar.contains("## MALAA0004-1 — تكوين | الأعضاء"), "{ar}");
        assert!(!ar.contains("Formation"), "{ar}");
        assert!(ar.contains("هدف حددته الجهة"), "{ar}");
        // Fluent's isolation marks stay out of the file.
        assert!(!ar.contains('\u{2068}') && !fr.contains('\u{2068}'));
    }
}
