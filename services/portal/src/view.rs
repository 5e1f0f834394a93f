//! The services' messages turned into what a page shows: text in the page's language, labels
//! from the message files, dates and numbers as Morocco writes them.

use tachawor_proto::{
    common::LocalizedText,
    consultation::{
        Audience, Consultation, ConsultationStatus, Participation, Petition, PetitionKind,
        PetitionStatus, Proposal, ProposalAnswer, Question,
    },
    dates,
    training::{Session, SessionDetails, SessionKind, SessionStatus},
};
use tachawor_region::Region;

use crate::i18n::{Lang, Tr, number};

/// Text in one language, with that language's code and direction: a fragment that falls back
/// to the other language carries its own `lang` and `dir`.
#[derive(Clone, Debug, Default)]
pub struct Text {
    pub text: String,
    pub lang: &'static str,
    pub dir: &'static str,
}

impl Text {
    pub fn of(value: Option<&LocalizedText>, lang: Lang) -> Self {
        let value = value.cloned().unwrap_or_default();
        let own = match lang {
            Lang::Ar => &value.ar,
            Lang::Fr => &value.fr,
        };
        let (text, lang) = if !own.is_empty() {
            (own.clone(), lang)
        } else if !value.ar.is_empty() {
            (value.ar.clone(), Lang::Ar)
        } else {
            (value.fr.clone(), Lang::Fr)
        };
        Self {
            text,
            lang: lang.code(),
            dir: lang.dir(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text's Tamazight version (Tifinagh, left to right), when it has one.
    pub fn tamazight(value: Option<&LocalizedText>) -> Option<Self> {
        let zgh = value.map(|v| v.zgh.trim()).unwrap_or_default();
        (!zgh.is_empty()).then(|| Self {
            text: zgh.to_string(),
            lang: "zgh",
            dir: "ltr",
        })
    }
}

/// `CONSULTATION_STATUS_OPEN` → `open`: the suffix of a proto enum value's name.
pub fn enum_code(name: &str, prefix: &str) -> String {
    name.strip_prefix(prefix)
        .unwrap_or(name)
        .to_ascii_lowercase()
}

fn date_of(t: Option<&prost_types::Timestamp>) -> Option<String> {
    t.map(|t| dates::date_of_millis(dates::millis(t)))
}

/// A province's name in the page's language, or its code when the region does not know it.
pub fn province_name(region: &Region, code: &str, lang: Lang) -> String {
    region
        .province(code)
        .map(|p| match lang {
            Lang::Ar => p.name.ar.clone(),
            Lang::Fr => p.name.fr.clone(),
        })
        .unwrap_or_else(|| code.to_string())
}

/// The region's provinces as the choices of a select, `selected` chosen.
pub fn province_choices(region: &Region, lang: Lang, selected: &str) -> Vec<Choice> {
    region
        .provinces
        .iter()
        .map(|p| Choice {
            value: p.code.clone(),
            label: province_name(region, &p.code, lang),
            selected: p.code == selected,
        })
        .collect()
}

/// A choice of a select or a group of radios or checkboxes.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct ConsultationCard {
    pub id: String,
    pub title: Text,
    pub status: String,
    pub status_label: String,
    pub audience_label: String,
    /// "verified people only" when the consultation admits only them; empty otherwise.
    pub participation_label: String,
    /// "closes on …" while open, "opened on …" after.
    pub when: String,
}

impl ConsultationCard {
    pub fn of(c: &Consultation, tr: Tr) -> Self {
        let status = enum_code(
            ConsultationStatus::try_from(c.status)
                .unwrap_or_default()
                .as_str_name(),
            "CONSULTATION_STATUS_",
        );
        let audience = enum_code(
            Audience::try_from(c.audience)
                .unwrap_or_default()
                .as_str_name(),
            "AUDIENCE_",
        );
        let when = match (
            status.as_str(),
            date_of(c.closes_at.as_ref()),
            date_of(c.opens_at.as_ref()),
        ) {
            ("open", Some(closes), _) => {
                tr.with("consultation-closes", &[("date", tr.date(&closes))])
            }
            (_, _, Some(opened)) => tr.with("consultation-opened", &[("date", tr.date(&opened))]),
            _ => String::new(),
        };
        Self {
            id: c.consultation_id.clone(),
            title: Text::of(c.title.as_ref(), tr.lang),
            status_label: tr.t(&format!("consultation-status-{status}")),
            status,
            audience_label: tr.t(&format!("consultation-audience-{audience}")),
            participation_label: if c.participation == Participation::VerifiedOnly as i32 {
                tr.t("consultation-participation-verified-only")
            } else {
                String::new()
            },
            when,
        }
    }
}

pub struct QuestionView {
    pub prompt: Text,
    pub required: bool,
    pub options: Vec<Text>,
    /// "1 – 5" for a scale.
    pub scale: String,
}

impl QuestionView {
    pub fn of(q: &Question, lang: Lang) -> Self {
        Self {
            prompt: Text::of(q.prompt.as_ref(), lang),
            required: q.required,
            options: q.options.iter().map(|o| Text::of(Some(o), lang)).collect(),
            scale: if q.scale_max > q.scale_min {
                format!("{} – {}", q.scale_min, q.scale_max)
            } else {
                String::new()
            },
        }
    }
}

pub struct ProposalView {
    pub title: String,
    pub body: String,
    pub supports_label: String,
    pub study_required: bool,
    pub answer_label: String,
    pub answer_reasons: String,
}

impl ProposalView {
    pub fn of(p: &Proposal, tr: Tr) -> Self {
        let answer = match ProposalAnswer::try_from(p.answer).unwrap_or_default() {
            ProposalAnswer::Unspecified => "none".to_string(),
            other => enum_code(other.as_str_name(), "PROPOSAL_ANSWER_"),
        };
        Self {
            title: p.title.clone(),
            body: p.body.clone(),
            supports_label: tr.count("supports-count", p.supports),
            study_required: p.study_required,
            answer_label: tr.t(&format!("proposal-answer-{answer}")),
            answer_reasons: p.answer_reasons.clone(),
        }
    }
}

/// A comment on a consultation's public page: its text, or that it is hidden.
pub struct CommentView {
    pub id: String,
    pub body: String,
    pub hidden: bool,
    /// "Published on …", or empty.
    pub published: String,
}

impl CommentView {
    pub fn of(c: &tachawor_proto::consultation::Comment, tr: Tr) -> Self {
        Self {
            id: c.comment_id.clone(),
            body: if c.hidden {
                String::new()
            } else {
                c.body.clone()
            },
            hidden: c.hidden,
            published: Some(tr.timestamp_date(c.created_at.as_ref()))
                .filter(|d| !d.is_empty())
                .map(|date| tr.with("take-part-comment-date", &[("date", date)]))
                .unwrap_or_default(),
        }
    }
}

pub struct PetitionCard {
    pub id: String,
    pub title: String,
    pub kind_label: String,
    pub status: String,
    pub status_label: String,
    pub signatures: i64,
    pub minimum: i64,
    /// "N of M signatures required …", the text beside the progress bar.
    pub progress_text: String,
    pub signatures_label: String,
}

impl PetitionCard {
    pub fn of(p: &Petition, tr: Tr) -> Self {
        let status = enum_code(
            PetitionStatus::try_from(p.status)
                .unwrap_or_default()
                .as_str_name(),
            "PETITION_STATUS_",
        );
        let kind = enum_code(
            PetitionKind::try_from(p.kind)
                .unwrap_or_default()
                .as_str_name(),
            "PETITION_KIND_",
        );
        let signatures = p.progress.as_ref().map_or(0, |p| p.signatures);
        let minimum = p.rules.as_ref().map_or(0, |r| r.minimum_signatures);
        Self {
            id: p.petition_id.clone(),
            title: p.title.clone(),
            kind_label: tr.t(&format!("petition-kind-{kind}")),
            status_label: tr.t(&format!("petition-status-{status}")),
            status,
            signatures,
            minimum,
            progress_text: tr.with(
                "petition-progress",
                &[
                    ("signatures", number(signatures)),
                    ("minimum", number(minimum)),
                ],
            ),
            signatures_label: tr.count("signatures-count", signatures),
        }
    }

    /// The progress bar's value, never past its maximum.
    pub fn progress_value(&self) -> i64 {
        self.signatures.min(self.minimum.max(1))
    }

    pub fn progress_max(&self) -> i64 {
        self.minimum.max(1)
    }
}

pub struct ProvinceRow {
    pub name: String,
    pub signatures: String,
    pub needed: String,
    pub met: bool,
}

pub struct SessionCard {
    pub id: String,
    pub title: Text,
    pub kind_label: String,
    pub status_label: String,
    /// Each day with its local times ("3 décembre 2026, de 9 h à 17 h"), or "to be confirmed"
    /// for a day scheduled before sessions had times.
    pub days: Vec<String>,
    /// "Local times (Africa/Casablanca)"; empty when the service names no zone.
    pub times_note: String,
    /// Province and address; empty for an online-only session.
    pub venue: String,
    pub online: bool,
    pub seats_label: String,
    pub waitlist_label: String,
    /// Held before the platform and imported from the council's records.
    pub recorded_after_the_fact: bool,
    /// For such a session, how many attended (its seats and waitlist mean nothing).
    pub attended_label: String,
}

impl SessionCard {
    pub fn of(s: &Session, tr: Tr, region: &Region) -> Self {
        let details = s.details.clone().unwrap_or_default();
        let kind = enum_code(
            SessionKind::try_from(details.kind)
                .unwrap_or_default()
                .as_str_name(),
            "SESSION_KIND_",
        );
        let status = enum_code(
            SessionStatus::try_from(s.status)
                .unwrap_or_default()
                .as_str_name(),
            "SESSION_STATUS_",
        );
        let venue = details
            .venue
            .as_ref()
            .filter(|v| !v.province_code.is_empty() || !v.address.is_empty())
            .map(|v| {
                let province = province_name(region, &v.province_code, tr.lang);
                if v.address.is_empty() {
                    province
                } else {
                    tr.join(&[v.address.clone(), province])
                }
            })
            .unwrap_or_default();
        let seats_left = i64::from((details.capacity - s.confirmed_count).max(0));
        Self {
            id: s.session_id.clone(),
            title: Text::of(details.title.as_ref(), tr.lang),
            kind_label: tr.t(&format!("session-kind-{kind}")),
            status_label: tr.t(&format!("session-status-{status}")),
            days: day_lines(&details, tr),
            times_note: if s.time_zone.is_empty() {
                String::new()
            } else {
                tr.with("session-times-note", &[("zone", s.time_zone.clone())])
            },
            venue,
            online: !details.online_url.is_empty(),
            seats_label: tr.count("session-seats-left", seats_left),
            waitlist_label: tr.count("session-waitlist", i64::from(s.waitlisted_count)),
            recorded_after_the_fact: s.recorded_after_the_fact,
            attended_label: tr.count(
                "session-recorded-attended",
                i64::from(s.recorded_attended_count),
            ),
        }
    }
}

/// A session's days, each with its times as the language writes them; from `days` for a
/// service that sends no schedule.
pub fn day_lines(details: &SessionDetails, tr: Tr) -> Vec<String> {
    if details.schedule.is_empty() {
        return details
            .days
            .iter()
            .filter_map(dates::date_str)
            .map(|d| tr.date(&d))
            .collect();
    }
    details
        .schedule
        .iter()
        .filter_map(|day| {
            let date = tr.date(&day.date.as_ref().and_then(dates::date_str)?);
            Some(if day.start.is_empty() || day.end.is_empty() {
                tr.with("session-day-time-unset", &[("date", date)])
            } else {
                tr.with(
                    "session-day-times",
                    &[
                        ("date", date),
                        ("start", tr.time(&day.start)),
                        ("end", tr.time(&day.end)),
                    ],
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_falls_back_to_arabic_with_its_own_direction() {
        let value = LocalizedText {
            ar: "برنامج".into(),
            fr: String::new(),
            en: String::new(),
            zgh: String::new(),
        };
        let text = Text::of(Some(&value), Lang::Fr);
        assert_eq!(
            (text.text.as_str(), text.lang, text.dir),
            ("برنامج", "ar", "rtl")
        );
        let text = Text::of(Some(&value), Lang::Ar);
        assert_eq!(text.lang, "ar");
    }

    #[test]
    fn days_show_their_times_or_that_they_are_to_be_confirmed() {
        use tachawor_proto::{common::Date, training::SessionDay};
        let date = Date {
            year: 2026,
            month: 12,
            day: 3,
        };
        let details = SessionDetails {
            schedule: vec![
                SessionDay {
                    date: Some(date),
                    start: "09:00".into(),
                    end: "12:30".into(),
                    ..Default::default()
                },
                SessionDay {
                    date: Some(Date { day: 4, ..date }),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let plain = |lines: Vec<String>| -> Vec<String> {
            lines
                .into_iter()
                .map(|l| l.replace(['\u{2068}', '\u{2069}'], ""))
                .collect()
        };
        assert_eq!(
            plain(day_lines(&details, Tr::new(Lang::Fr))),
            [
                "3 décembre 2026, de 9\u{a0}h à 12\u{a0}h\u{a0}30",
                "4 décembre 2026, horaire à confirmer"
            ]
        );
        assert_eq!(
            plain(day_lines(&details, Tr::new(Lang::Ar))),
            [
                "3 دجنبر 2026، من 09:00 إلى 12:30",
                "4 دجنبر 2026، التوقيت سيُعلن لاحقا"
            ]
        );
    }

    #[test]
    fn enum_codes_drop_their_prefix() {
        assert_eq!(
            enum_code("PETITION_STATUS_COLLECTING", "PETITION_STATUS_"),
            "collecting"
        );
    }
}
