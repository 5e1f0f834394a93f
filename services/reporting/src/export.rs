//! Files: indicators and progress reports as CSV, JSON and Markdown. Aggregates only; what is
//! suppressed for the caller stays suppressed here.

use serde_json::{Value, json};
use tachawor_proto::csv::line as csv_line;
use tachawor_proto::reporting::{
    Commitment, CompletionLevel, Dimension, ExportFormat, GetIndicatorsResponse, Milestone,
    MilestoneEvidence, MilestoneStatus,
};

use crate::{
    measures::dimension_name,
    tracker::{level_name, status_name},
};

pub(crate) struct File {
    pub content: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

const CSV: &str = "text/csv; charset=utf-8";
const JSON: &str = "application/json";
const MARKDOWN: &str = "text/markdown; charset=utf-8";

/// A figure as text: integers without a decimal point.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.4}")
    }
}

pub(crate) fn indicators(
    figures: &GetIndicatorsResponse,
    split: Dimension,
    format: ExportFormat,
) -> File {
    let dimension = dimension_name(split);
    match format {
        ExportFormat::Json => {
            let cells: Vec<Value> = figures
                .cells
                .iter()
                .map(|c| {
                    json!({
                        "indicator": c.indicator,
                        "month": c.month,
                        "group": c.group,
                        "value": if c.suppressed { Value::Null } else { json!(c.value) },
                        "people": if c.suppressed { Value::Null } else { json!(c.people) },
                        "suppressed": c.suppressed,
                    })
                })
                .collect();
            let definitions: Vec<Value> = figures
                .definitions
                .iter()
                .map(|d| json!({ "name": d.name, "description": d.description }))
                .collect();
            let gains: Vec<Value> = figures
                .learning_gains
                .iter()
                .map(|g| {
                    json!({
                        "program_id": g.program_id,
                        "participants": if g.suppressed { Value::Null } else { json!(g.participants) },
                        "average_gain": if g.suppressed { Value::Null } else { json!(g.average_gain) },
                        "suppressed": g.suppressed,
                    })
                })
                .collect();
            let body = json!({
                "exact": figures.exact,
                "split_by": dimension,
                "definitions": definitions,
                "cells": cells,
                "learning_gains": gains,
            });
            File {
                content: serde_json::to_vec_pretty(&body).unwrap_or_default(),
                content_type: JSON,
                file_name: "indicators.json".into(),
            }
        }
        _ => {
            let mut out = csv_line(
                &[
                    "indicator",
                    "month",
                    "dimension",
                    "group",
                    "value",
                    "people",
                    "suppressed",
                ]
                .map(String::from),
            );
            for c in &figures.cells {
                out.push_str(&csv_line(&[
                    c.indicator.clone(),
                    c.month.clone(),
                    if c.group.is_empty() {
                        String::new()
                    } else {
                        dimension.into()
                    },
                    c.group.clone(),
                    if c.suppressed {
                        String::new()
                    } else {
                        number(c.value)
                    },
                    if c.suppressed {
                        String::new()
                    } else {
                        c.people.to_string()
                    },
                    c.suppressed.to_string(),
                ]));
            }
            // The gain per program over the whole period: no month, the program as its group
            // (empty for every program together), its participants as the people.
            for g in &figures.learning_gains {
                let shown = |v: String| if g.suppressed { String::new() } else { v };
                out.push_str(&csv_line(&[
                    "learning_gain_by_program".into(),
                    String::new(),
                    "program".into(),
                    g.program_id.clone(),
                    shown(number(g.average_gain)),
                    shown(g.participants.to_string()),
                    g.suppressed.to_string(),
                ]));
            }
            File {
                content: out.into_bytes(),
                content_type: CSV,
                file_name: "indicators.csv".into(),
            }
        }
    }
}

fn status(v: i32) -> &'static str {
    status_name(MilestoneStatus::try_from(v).unwrap_or_default())
}

fn level(v: i32) -> &'static str {
    level_name(CompletionLevel::try_from(v).unwrap_or_default())
}

fn date(d: &Option<tachawor_proto::common::Date>) -> String {
    d.as_ref()
        .and_then(tachawor_proto::dates::date_str)
        .unwrap_or_default()
}

fn title(t: &Option<tachawor_proto::common::LocalizedText>, lang: &str) -> String {
    t.as_ref()
        .map(|t| match lang {
            "ar" => t.ar.clone(),
            "fr" => t.fr.clone(),
            _ => t.en.clone(),
        })
        .unwrap_or_default()
}

/// A count as shown: withheld counts (-1) as "<threshold".
fn count(n: i64) -> String {
    if n < 0 {
        "suppressed".into()
    } else {
        n.to_string()
    }
}

pub(crate) fn progress_report(c: &Commitment, format: ExportFormat, today: &str) -> File {
    let stem = format!("{}-progress-{today}", c.commitment_id.to_lowercase());
    match format {
        ExportFormat::Json => {
            let milestones: Vec<Value> = c.milestones.iter().map(milestone_json).collect();
            let body = json!({
                "commitment_id": c.commitment_id,
                "title": {
                    "ar": title(&c.title, "ar"), "fr": title(&c.title, "fr"),
                    "en": title(&c.title, "en"),
                },
                "starts_on": date(&c.starts_on),
                "ends_on": date(&c.ends_on),
                "ogp_value": c.ogp_value,
                "as_of": today,
                "milestones": milestones,
            });
            File {
                content: serde_json::to_vec_pretty(&body).unwrap_or_default(),
                content_type: JSON,
                file_name: format!("{stem}.json"),
            }
        }
        ExportFormat::Markdown => File {
            content: markdown(c, today).into_bytes(),
            content_type: MARKDOWN,
            file_name: format!("{stem}.md"),
        },
        _ => {
            let mut out = csv_line(
                &[
                    "commitment_id",
                    "milestone_id",
                    "number",
                    "title_en",
                    "title_fr",
                    "starts_on",
                    "ends_on",
                    "status",
                    "proposed_status",
                    "late",
                    "completion_level",
                    "sessions_scheduled",
                    "sessions_held",
                    "forums_held",
                    "participants",
                    "certificates",
                    "consultations_opened",
                    "platform_contributions",
                    "measure",
                    "target",
                    "target_set_by",
                    "learning_gain_participants",
                    "learning_gain_average",
                    "justification",
                ]
                .map(String::from),
            );
            for m in &c.milestones {
                let e = m.evidence.unwrap_or_default();
                out.push_str(&csv_line(&[
                    c.commitment_id.clone(),
                    m.milestone_id.clone(),
                    m.number.to_string(),
                    title(&m.title, "en"),
                    title(&m.title, "fr"),
                    date(&m.starts_on),
                    date(&m.ends_on),
                    status(m.status).into(),
                    status(m.proposed_status).into(),
                    m.late.to_string(),
                    level(m.completion_level).into(),
                    count(e.sessions_scheduled),
                    count(e.sessions_held),
                    count(e.forums_held),
                    count(e.participants),
                    count(e.certificates),
                    count(e.consultations_opened),
                    count(e.platform_contributions),
                    count(e.measure),
                    e.target.to_string(),
                    target_set_by(&e).into(),
                    count(e.learning_gain_participants),
                    gain(&e),
                    m.justification.clone(),
                ]));
            }
            File {
                content: out.into_bytes(),
                content_type: CSV,
                file_name: format!("{stem}.csv"),
            }
        }
    }
}

/// The mean learning gain as shown: empty with no participant, "suppressed" when withheld.
fn gain(e: &MilestoneEvidence) -> String {
    match e.learning_gain_participants {
        n if n < 0 => "suppressed".into(),
        0 => String::new(),
        _ => number(e.learning_gain_average),
    }
}

/// Who chose the target, as the exports spell it.
fn target_set_by(e: &MilestoneEvidence) -> &'static str {
    if e.target_set_by_region {
        "region"
    } else {
        "commitment"
    }
}

fn milestone_json(m: &Milestone) -> Value {
    let e = m.evidence.unwrap_or_default();
    let n = |v: i64| if v < 0 { Value::Null } else { json!(v) };
    json!({
        "milestone_id": m.milestone_id,
        "number": m.number,
        "title": {
            "ar": title(&m.title, "ar"), "fr": title(&m.title, "fr"), "en": title(&m.title, "en"),
        },
        "starts_on": date(&m.starts_on),
        "ends_on": date(&m.ends_on),
        "status": status(m.status),
        "justification": m.justification,
        "proposed_status": status(m.proposed_status),
        "late": m.late,
        "completion_level": level(m.completion_level),
        "evidence": {
            "sessions_scheduled": n(e.sessions_scheduled),
            "sessions_held": n(e.sessions_held),
            "forums_held": n(e.forums_held),
            "participants": n(e.participants),
            "certificates": n(e.certificates),
            "consultations_opened": n(e.consultations_opened),
            "platform_contributions": n(e.platform_contributions),
            "measure": n(e.measure),
            "target": e.target,
            "target_set_by": target_set_by(&e),
            "learning_gain_participants": n(e.learning_gain_participants),
            "learning_gain_average": if e.learning_gain_participants > 0 {
                json!(e.learning_gain_average)
            } else {
                Value::Null
            },
        },
    })
}

fn markdown(c: &Commitment, today: &str) -> String {
    let mut out = format!(
        "# {} — {}\n\n{} – {} · OGP value: {} · progress as of {today}\n\n",
        c.commitment_id,
        title(&c.title, "en"),
        date(&c.starts_on),
        date(&c.ends_on),
        c.ogp_value,
    );
    out.push_str(
        "| # | Milestone | Dates | Status | Proposed | IRM level | Late |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for m in &c.milestones {
        let set = status(m.status);
        out.push_str(&format!(
            "| {} | {} | {} – {} | {} | {} | {} | {} |\n",
            m.number,
            title(&m.title, "en").replace('|', "/"),
            date(&m.starts_on),
            date(&m.ends_on),
            if set.is_empty() { "not set" } else { set },
            status(m.proposed_status),
            level(m.completion_level),
            if m.late { "yes" } else { "no" },
        ));
    }
    for m in &c.milestones {
        let e = m.evidence.unwrap_or_default();
        out.push_str(&format!(
            "\n## {}. {}\n\n{}\n\n- Sessions and events scheduled: {}\n- Held: {} (forums: {})\n\
             - Participants who attended: {}\n- Certificates issued: {}\n\
             - Consultations opened in the window: {}\n\
             - Contributions on the platform in the window: {}\n\
             - Regional Forum in the window: {} editions set up, {} held, {} contributions, \
             {} recommendations ({} decided, {} accepted)\n\
             - Learning gain (post-test minus pre-test score): {} over {} participants with \
             both scores\n- Progress: {} of {}{}\n",
            m.number,
            title(&m.title, "en"),
            if m.justification.is_empty() {
                "No status has been set by the council yet.".to_string()
            } else {
                format!("Status `{}`: {}", status(m.status), m.justification)
            },
            count(e.sessions_scheduled),
            count(e.sessions_held),
            count(e.forums_held),
            count(e.participants),
            count(e.certificates),
            count(e.consultations_opened),
            count(e.platform_contributions),
            count(e.forum_editions),
            count(e.forum_editions_held),
            count(e.forum_contributions),
            count(e.forum_recommendations),
            count(e.forum_recommendations_answered),
            count(e.forum_recommendations_accepted),
            gain(&e),
            count(e.learning_gain_participants),
            count(e.measure),
            e.target,
            if e.target_set_by_region {
                " (a target the region set: the commitment names none)"
            } else {
                ""
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_without_needless_decimals() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.5), "0.5000");
    }
}
