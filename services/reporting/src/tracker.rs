//! The commitment tracker: commitments and milestones from the region's file, the evidence of
//! real activity behind each milestone (from the facts), a status proposed from it, the late
//! flag and the IRM completion level. The gRPC handlers are in `api::commitments`.

use std::path::Path;

use serde::Deserialize;
use tachawor_proto::{
    common::{Date, LocalizedText},
    dates,
    reporting::{CompletionLevel, MilestoneEvidence, MilestoneStatus},
};

use crate::store::{evidence::Snapshot, gains::ProgramGain};

/// The commitments file.
#[derive(Debug, Clone, Deserialize)]
pub struct CommitmentsFile {
    pub commitments: Vec<CommitmentConfig>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Text {
    pub ar: String,
    pub fr: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    pub(crate) fn proto(&self) -> LocalizedText {
        LocalizedText {
            ar: self.ar.clone(),
            fr: self.fr.clone(),
            en: self.en.clone(),
            zgh: String::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CommitmentConfig {
    pub id: String,
    pub title: Text,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    pub ogp_value: String,
    pub milestones: Vec<MilestoneConfig>,
}

/// What activity shows a milestone's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Sessions and events held under programs tagged with the milestone.
    Sessions,
    /// The platform's use within the milestone's window.
    Platform,
    /// The Regional Forum: sessions of the milestone's kinds held (as `Sessions`) and, within
    /// its window, the Forum's editions, contributions and recommendations from consultation.
    Forum,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MilestoneConfig {
    /// What training programs name in `milestone_ref`, for example `MALAA0004-1`.
    pub id: String,
    pub number: i32,
    pub title: Text,
    pub starts_on: String,
    pub ends_on: String,
    pub evidence: EvidenceKind,
    /// Session kinds that count (empty: all).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// The measure at which the milestone is proposed `finished`.
    pub target: i64,
    /// Who chose `target`: the commitment's text, or the region where the text names no
    /// figure (MALAA0004 names none). Unstated, the region: a report never claims the
    /// commitment promised a number it does not give.
    #[serde(default)]
    pub target_set_by: TargetSetBy,
}

/// Who chose a milestone's target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSetBy {
    /// The commitment's text gives the figure.
    Commitment,
    /// The region chose it; the commitment gives none.
    #[default]
    Region,
}

impl CommitmentsFile {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("commitments file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("commitments file {}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let file: CommitmentsFile = toml::from_str(text)?;
        let mut ids = std::collections::BTreeSet::new();
        for c in &file.commitments {
            check_window(&c.id, &c.starts_on, &c.ends_on)?;
            anyhow::ensure!(
                ids.insert(c.id.clone()),
                "commitment {} appears twice",
                c.id
            );
            for m in &c.milestones {
                check_window(&m.id, &m.starts_on, &m.ends_on)?;
                anyhow::ensure!(ids.insert(m.id.clone()), "milestone {} appears twice", m.id);
                anyhow::ensure!(m.target > 0, "milestone {}: target must be positive", m.id);
            }
        }
        Ok(file)
    }

    pub fn commitment(&self, id: &str) -> Option<&CommitmentConfig> {
        self.commitments.iter().find(|c| c.id == id)
    }

    pub fn milestone(&self, id: &str) -> Option<(&CommitmentConfig, &MilestoneConfig)> {
        self.commitments
            .iter()
            .find_map(|c| c.milestones.iter().find(|m| m.id == id).map(|m| (c, m)))
    }
}

fn check_window(id: &str, start: &str, end: &str) -> anyhow::Result<()> {
    let (Some(s), Some(e)) = (dates::millis_of_date(start), dates::millis_of_date(end)) else {
        anyhow::bail!("{id}: dates must be YYYY-MM-DD");
    };
    anyhow::ensure!(s <= e, "{id}: starts after it ends");
    Ok(())
}

pub(crate) fn date(s: &str) -> Option<Date> {
    dates::date_from_str(s)
}

/// First and last instant (unix ms) of a milestone's window, its end day included.
fn window(m: &MilestoneConfig) -> (i64, i64) {
    let start = dates::millis_of_date(&m.starts_on).unwrap_or(0);
    let end = dates::millis_of_date(&m.ends_on).unwrap_or(0) + 86_400_000 - 1;
    (start, end)
}

/// The first and last month (`YYYY-MM`) of a milestone's window.
fn window_months(m: &MilestoneConfig) -> (String, String) {
    let (start, end) = window(m);
    (
        crate::domain::month_of_millis(start),
        crate::domain::month_of_millis(end),
    )
}

/// Platform use within a milestone's window.
const PLATFORM: [&str; 6] = [
    "responses",
    "proposals",
    "supports",
    "comments",
    "signatures",
    "forum_contributions",
];

/// The Regional Forum's figures, in `MilestoneEvidence`'s order.
const FORUM: [&str; 6] = [
    "forum_editions",
    "forum_editions_held",
    "forum_contributions",
    "forum_recommendations",
    "forum_recommendations_answered",
    "forum_recommendations_accepted",
];

/// Reads what the evidence of `milestones` needs, in a fixed number of statements.
pub(crate) async fn snapshot<'a>(
    conn: &mut sqlx::AnyConnection,
    milestones: impl IntoIterator<Item = &'a MilestoneConfig>,
) -> Result<Snapshot, sqlx::Error> {
    let windows: Vec<(String, String)> = milestones.into_iter().map(window_months).collect();
    let from = windows.iter().map(|w| w.0.as_str()).min().unwrap_or("");
    let to = windows.iter().map(|w| w.1.as_str()).max().unwrap_or("");
    let windowed: Vec<&str> = std::iter::once("consultations")
        .chain(PLATFORM)
        .chain(FORUM)
        .collect();
    Snapshot::load(conn, &windowed, from, to).await
}

/// The evidence of activity behind a milestone, from a snapshot of the read models taken for
/// it (see [`snapshot`]).
pub(crate) fn evidence(s: &Snapshot, m: &MilestoneConfig) -> MilestoneEvidence {
    let counts = |rows: &[(String, i64)]| -> i64 {
        rows.iter()
            .filter(|(kind, _)| m.kinds.is_empty() || m.kinds.contains(kind))
            .map(|(_, n)| n)
            .sum()
    };
    let held = s.totals_by_kind("sessions_held", &m.id);
    let forums_held = held
        .iter()
        .filter(|(k, _)| k == "forum")
        .map(|(_, n)| n)
        .sum();
    let sessions_held = counts(held);
    let sessions_scheduled = counts(s.totals_by_kind("sessions_scheduled", &m.id));
    let participants = counts(s.totals_by_kind("attendance_rate", &m.id));
    let certificates: i64 = s
        .totals_by_kind("certificates", &m.id)
        .iter()
        .map(|(_, n)| n)
        .sum();
    let (from, to) = window_months(m);
    let consultations_opened = s.total_in_months(&["consultations"], &from, &to);
    let platform_contributions = s.total_in_months(&PLATFORM, &from, &to);
    let [
        forum_editions,
        forum_editions_held,
        forum_contributions,
        forum_recommendations,
        forum_recommendations_answered,
        forum_recommendations_accepted,
    ] = FORUM.map(|indicator| s.total_in_months(&[indicator], &from, &to));
    let learning = s.programs_of(&m.id).fold(
        ProgramGain {
            program_id: String::new(),
            scored: 0,
            gain_sum: 0.0,
        },
        |sum, p| ProgramGain {
            scored: sum.scored + p.scored,
            gain_sum: sum.gain_sum + p.gain_sum,
            ..sum
        },
    );
    let measure = match m.evidence {
        EvidenceKind::Sessions => sessions_held,
        EvidenceKind::Platform => platform_contributions,
        // One Forum is often both an event in training and an edition here: the larger count,
        // never the sum.
        EvidenceKind::Forum => sessions_held.max(forum_editions_held),
    };
    MilestoneEvidence {
        sessions_scheduled,
        sessions_held,
        forums_held,
        participants,
        certificates,
        consultations_opened,
        platform_contributions,
        measure,
        target: m.target,
        target_set_by_region: m.target_set_by == TargetSetBy::Region,
        forum_editions,
        forum_editions_held,
        forum_contributions,
        forum_recommendations,
        forum_recommendations_answered,
        forum_recommendations_accepted,
        learning_gain_participants: learning.scored,
        learning_gain_average: learning.average(),
    }
}

/// Whether public output shows the milestone's learning gain: only when every program behind
/// it is shown in the public learning gains per program, so that subtracting the programs
/// shown from it gives back none withheld.
pub(crate) fn learning_gain_shown(s: &Snapshot, m: &MilestoneConfig, min_cell_size: i64) -> bool {
    let scored: Vec<ProgramGain> = s
        .programs
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.scored > 0)
        .cloned()
        .collect();
    let public = crate::measures::public_gains(scored, Some(min_cell_size));
    s.programs_of(&m.id).filter(|p| p.scored > 0).all(|p| {
        public
            .iter()
            .any(|g| g.program_id == p.program_id && !g.suppressed)
    })
}

/// Any activity at all: something scheduled, held or used.
fn has_activity(m: &MilestoneConfig, e: &MilestoneEvidence) -> bool {
    match m.evidence {
        EvidenceKind::Sessions => e.sessions_held > 0 || e.sessions_scheduled > 0,
        EvidenceKind::Platform => e.platform_contributions > 0 || e.consultations_opened > 0,
        EvidenceKind::Forum => {
            e.sessions_held > 0
                || e.sessions_scheduled > 0
                || e.forum_editions > 0
                || e.forum_contributions > 0
                || e.forum_recommendations > 0
        }
    }
}

/// The status the evidence suggests on `now` (unix ms):
/// - the measure reached the target: `finished`;
/// - past the end date: `incomplete`;
/// - some activity (scheduled or held): `in_progress`;
/// - none, and more than half the window gone: `stuck`;
/// - otherwise `not_started`.
pub(crate) fn proposed_status(
    m: &MilestoneConfig,
    e: &MilestoneEvidence,
    now: i64,
) -> MilestoneStatus {
    let (start, end) = window(m);
    if e.measure >= m.target {
        MilestoneStatus::Finished
    } else if now > end {
        MilestoneStatus::Incomplete
    } else if has_activity(m, e) {
        MilestoneStatus::InProgress
    } else if now > start + (end - start) / 2 {
        MilestoneStatus::Stuck
    } else {
        MilestoneStatus::NotStarted
    }
}

/// Past its end date and not finished (the status staff set, else the proposed one).
pub(crate) fn is_late(m: &MilestoneConfig, effective: MilestoneStatus, now: i64) -> bool {
    now > window(m).1 && effective != MilestoneStatus::Finished
}

/// The IRM completion level of a milestone:
/// - a status claiming progress (`in_progress`, `finished`, `incomplete`, `stuck`) with no
///   activity at all behind it: `no_evidence`;
/// - `not_started`: `not_started`;
/// - `finished` backed by the measure reaching its target: `complete`;
/// - otherwise by the measure against the target: under half `limited`, half or more
///   `substantial`.
pub(crate) fn completion_level(
    m: &MilestoneConfig,
    effective: MilestoneStatus,
    e: &MilestoneEvidence,
) -> CompletionLevel {
    match effective {
        MilestoneStatus::NotStarted | MilestoneStatus::Unspecified => {
            if has_activity(m, e) {
                CompletionLevel::Limited
            } else {
                CompletionLevel::NotStarted
            }
        }
        _ if !has_activity(m, e) => CompletionLevel::NoEvidence,
        _ if e.measure >= m.target => CompletionLevel::Complete,
        _ if e.measure * 2 >= m.target => CompletionLevel::Substantial,
        _ => CompletionLevel::Limited,
    }
}

pub(crate) fn status_name(s: MilestoneStatus) -> &'static str {
    match s {
        MilestoneStatus::Unspecified => "",
        MilestoneStatus::NotStarted => "not_started",
        MilestoneStatus::InProgress => "in_progress",
        MilestoneStatus::Stuck => "stuck",
        MilestoneStatus::Finished => "finished",
        MilestoneStatus::Incomplete => "incomplete",
    }
}

pub(crate) fn status_of_name(s: &str) -> MilestoneStatus {
    match s {
        "not_started" => MilestoneStatus::NotStarted,
        "in_progress" => MilestoneStatus::InProgress,
        "stuck" => MilestoneStatus::Stuck,
        "finished" => MilestoneStatus::Finished,
        "incomplete" => MilestoneStatus::Incomplete,
        _ => MilestoneStatus::Unspecified,
    }
}

pub(crate) fn level_name(l: CompletionLevel) -> &'static str {
    match l {
        CompletionLevel::Unspecified => "",
        CompletionLevel::NoEvidence => "no_evidence",
        CompletionLevel::NotStarted => "not_started",
        CompletionLevel::Limited => "limited",
        CompletionLevel::Substantial => "substantial",
        CompletionLevel::Complete => "complete",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../../config/commitments/malaa0004.toml");

    fn at(date: &str) -> i64 {
        dates::millis_of_date(date).unwrap()
    }

    #[test]
    fn a_target_is_the_regions_unless_the_file_says_the_commitment_gives_it() {
        let stated = FILE.replacen(
            "target_set_by = \"region\"",
            "target_set_by = \"commitment\"",
            1,
        );
        let file = CommitmentsFile::parse(&stated).unwrap();
        let c = file.commitment("MALAA0004").unwrap();
        assert_eq!(c.milestones[0].target_set_by, TargetSetBy::Commitment);
        assert_eq!(c.milestones[1].target_set_by, TargetSetBy::Region);
        let unstated = FILE.replace("target_set_by = \"region\"\n", "");
        let file = CommitmentsFile::parse(&unstated).unwrap();
        assert!(
            file.commitment("MALAA0004")
                .unwrap()
                .milestones
                .iter()
                .all(|m| m.target_set_by == TargetSetBy::Region)
        );
        let wrong = FILE.replacen("target_set_by = \"region\"", "target_set_by = \"seed\"", 1);
        assert!(CommitmentsFile::parse(&wrong).is_err());
    }

    #[test]
    fn the_shipped_file_holds_malaa0004_and_its_five_milestones() {
        let file = CommitmentsFile::parse(FILE).unwrap();
        let c = file.commitment("MALAA0004").unwrap();
        assert_eq!(c.ogp_value, "Civic Participation");
        assert_eq!(
            (c.starts_on.as_str(), c.ends_on.as_str()),
            ("2025-06-01", "2027-06-30")
        );
        let ids: Vec<_> = c.milestones.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "MALAA0004-1",
                "MALAA0004-2",
                "MALAA0004-3",
                "MALAA0004-4",
                "MALAA0004-5"
            ]
        );
        assert_eq!(c.milestones[3].starts_on, "2026-01-01");
        assert_eq!(c.milestones[4].ends_on, "2027-06-30");
        // The commitment's text names no figure: every target is the region's, and says so.
        assert!(
            c.milestones
                .iter()
                .all(|m| m.target_set_by == TargetSetBy::Region)
        );
    }

    #[test]
    fn bad_files_are_refused() {
        assert!(CommitmentsFile::parse("commitments = [{ id = 1 }]").is_err());
        let reversed = FILE.replacen("ends_on = \"2027-06-30\"", "ends_on = \"2024-01-01\"", 1);
        assert!(CommitmentsFile::parse(&reversed).is_err());
    }

    #[test]
    fn proposed_status_and_levels_follow_the_evidence_and_the_date() {
        let file = CommitmentsFile::parse(FILE).unwrap();
        let (_, m) = file.milestone("MALAA0004-2").unwrap(); // 2025-06 .. 2025-12, target 1
        let none = MilestoneEvidence {
            target: 1,
            ..Default::default()
        };
        assert_eq!(
            proposed_status(m, &none, at("2025-07-01")),
            MilestoneStatus::NotStarted
        );
        assert_eq!(
            proposed_status(m, &none, at("2025-11-01")),
            MilestoneStatus::Stuck
        );
        assert_eq!(
            proposed_status(m, &none, at("2026-01-01")),
            MilestoneStatus::Incomplete
        );
        assert!(!is_late(m, MilestoneStatus::Incomplete, at("2025-12-31")));
        assert!(is_late(m, MilestoneStatus::Incomplete, at("2026-01-01")));
        let scheduled = MilestoneEvidence {
            sessions_scheduled: 1,
            ..none
        };
        assert_eq!(
            proposed_status(m, &scheduled, at("2025-11-01")),
            MilestoneStatus::InProgress
        );
        let held = MilestoneEvidence {
            sessions_held: 1,
            measure: 1,
            ..scheduled
        };
        assert_eq!(
            proposed_status(m, &held, at("2026-02-01")),
            MilestoneStatus::Finished
        );
        assert!(!is_late(m, MilestoneStatus::Finished, at("2026-02-01")));
        assert_eq!(
            completion_level(m, MilestoneStatus::Finished, &held),
            CompletionLevel::Complete
        );
        assert_eq!(
            completion_level(m, MilestoneStatus::Finished, &none),
            CompletionLevel::NoEvidence
        );
        assert_eq!(
            completion_level(m, MilestoneStatus::NotStarted, &none),
            CompletionLevel::NotStarted
        );
        assert_eq!(
            completion_level(m, MilestoneStatus::InProgress, &scheduled),
            CompletionLevel::Limited
        );
    }
}
