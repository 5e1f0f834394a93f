//! The signed-in person's inbox under `/{lang}/account/notifications`: what came of their
//! participation (the notification service's messages, written here in the page's language
//! from their kind and detail), marked read one at a time or all at once, and the preferences
//! per kind and channel.
//!
//! The notification service is optional: when the portal is not given its address
//! (`services.notification_url` empty) these pages do not exist and no page links to them.
//! The unread count in the navigation is one cheap call; when it fails or is slow the page is
//! shown without it.

use std::time::Duration;

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use tachawor_proto::{
    common::PageRequest,
    consultation::GetProposalRequest,
    notification::{
        Channel, GetMyPreferencesRequest, ListMyNotificationsRequest, MarkNotificationsReadRequest,
        Notification, NotificationKind, Preference, SetMyPreferencesRequest,
        notification_service_client::NotificationServiceClient,
    },
};

use super::{AppState, PageQuery, encode_query, lang_of, next_link};
use crate::{
    error::PageError,
    form::FormErrors,
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, InboxLink, Section, html},
    person::{Posted, Session, SignedIn},
    services::as_person,
};

/// Longest the unread count may hold a page up; past it the page is shown without the count.
const COUNT_WAIT: Duration = Duration::from_millis(800);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/account/notifications", get(list))
        .route("/{lang}/account/notifications/read", post(mark_all))
        .route("/{lang}/account/notifications/{id}/read", post(mark_one))
        .route(
            "/{lang}/account/notifications/proposals/{id}",
            get(proposal),
        )
        .route(
            "/{lang}/account/notifications/preferences",
            get(preferences).post(save_preferences),
        )
}

/// The notification service's client; without it the inbox pages do not exist.
fn client(
    state: &AppState,
    lang: Lang,
) -> Result<NotificationServiceClient<tachawor_server::Replicas>, PageError> {
    state
        .services
        .notification()
        .ok_or_else(|| PageError::not_found(lang))
}

fn unread_label(tr: Tr, unread: Option<i64>) -> String {
    match unread {
        Some(n) if n > 0 => tr.count("inbox-unread-count", n),
        _ => String::new(),
    }
}

/// The inbox's link for the navigation of a page made for `session`: `None` when the region
/// runs no notification service; without a count when the service did not answer in time.
pub async fn link(state: &AppState, session: &Session, lang: Lang) -> Option<InboxLink> {
    let mut client = state.services.notification()?;
    let request = as_person(
        session,
        ListMyNotificationsRequest {
            unread_only: true,
            page: Some(PageRequest {
                page_size: 1,
                page_token: String::new(),
            }),
        },
    );
    let unread = match tokio::time::timeout(COUNT_WAIT, client.list_my_notifications(request)).await
    {
        Ok(Ok(answer)) => Some(answer.into_inner().unread),
        Ok(Err(status)) => {
            tracing::warn!(code = ?status.code(), "the unread count could not be read");
            None
        }
        Err(_) => {
            tracing::warn!("the unread count took too long");
            None
        }
    };
    Some(InboxLink {
        unread_label: unread_label(Tr::new(lang), unread),
    })
}

/// A kind as the page spells it (message ids, form values): `proposal_answered`.
fn kind_name(kind: i32) -> Option<String> {
    let kind = NotificationKind::try_from(kind).ok()?;
    kind.as_str_name()
        .strip_prefix("NOTIFICATION_KIND_")
        .filter(|k| *k != "UNSPECIFIED")
        .map(str::to_ascii_lowercase)
}

fn channel_name(channel: i32) -> Option<String> {
    let channel = Channel::try_from(channel).ok()?;
    channel
        .as_str_name()
        .strip_prefix("CHANNEL_")
        .filter(|c| *c != "UNSPECIFIED")
        .map(str::to_ascii_lowercase)
}

fn kind_of(name: &str) -> Option<NotificationKind> {
    NotificationKind::from_str_name(&format!("NOTIFICATION_KIND_{}", name.to_ascii_uppercase()))
        .filter(|k| *k != NotificationKind::Unspecified)
}

fn channel_of(name: &str) -> Option<Channel> {
    Channel::from_str_name(&format!("CHANNEL_{}", name.to_ascii_uppercase()))
        .filter(|c| *c != Channel::Unspecified)
}

/// One message as the inbox shows it.
pub struct MessageRow {
    pub id: String,
    pub unread: bool,
    /// What it is about, as the message's heading.
    pub title: String,
    /// What happened, in a sentence.
    pub text: String,
    /// When it happened.
    pub when: String,
    /// The page of what it is about, and the link's text.
    pub link: Option<(String, String)>,
}

impl MessageRow {
    fn of(n: &Notification, tr: Tr) -> Self {
        let kind = kind_name(n.kind).unwrap_or_else(|| "unknown".into());
        let detail = n.detail.as_str();
        let text = match kind.as_str() {
            "proposal_answered" => tr.with(
                "inbox-text-proposal_answered",
                &[(
                    "answer",
                    tr.first_of(&[&format!("proposal-answer-{detail}"), "inbox-answer-other"]),
                )],
            ),
            "session_changed" => {
                let changed: Vec<String> = detail
                    .split(',')
                    .filter(|c| !c.trim().is_empty())
                    .map(|c| {
                        tr.first_of(&[
                            &format!("inbox-changed-{}", c.trim()),
                            "inbox-changed-other",
                        ])
                    })
                    .collect();
                if changed.is_empty() {
                    tr.t("inbox-text-session_changed-unsaid")
                } else {
                    tr.with(
                        "inbox-text-session_changed",
                        &[("changed", tr.join(&changed))],
                    )
                }
            }
            _ => tr.first_of(&[
                &format!("inbox-text-{kind}-{detail}"),
                &format!("inbox-text-{kind}"),
                "inbox-text-unknown",
            ]),
        };
        let lang = tr.lang.code();
        let id = encode_query(&n.subject_id);
        let href = match n.subject_type.as_str() {
            _ if n.subject_id.is_empty() => None,
            "proposal" => Some(format!("/{lang}/account/notifications/proposals/{id}")),
            "petition" => Some(format!("/{lang}/petitions/{id}")),
            "session" => Some(format!("/{lang}/training/sessions/{id}")),
            "registration" | "certificate" => Some(format!("/{lang}/training/registrations")),
            "consultation" => Some(format!("/{lang}/consultations/{id}")),
            "recommendation" => Some(format!("/{lang}/opinions")),
            // A security notice: where the password is changed (again, if it was not them).
            "account" => Some(format!("/{lang}/account/password")),
            _ => None,
        };
        Self {
            id: n.notification_id.clone(),
            unread: n.read_at.is_none(),
            title: tr.first_of(&[&format!("inbox-kind-{kind}"), "inbox-kind-unknown"]),
            text,
            when: tr.timestamp_date(n.occurred_at.as_ref()),
            link: href.map(|h| {
                (
                    h,
                    tr.first_of(&[
                        &format!("inbox-link-{}", n.subject_type),
                        "inbox-link-other",
                    ]),
                )
            }),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    /// `read`, `all-read` or `nothing` after an action.
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    frame: Frame,
    csrf: String,
    messages: Vec<MessageRow>,
    unread: i64,
    /// "3 unread" or "Nothing unread".
    unread_text: String,
    first: Option<String>,
    next: Option<String>,
    notice: Option<String>,
}

fn inbox_frame(lang: Lang, title: &str, rest: &str, unread: Option<i64>) -> Frame {
    let tr = Tr::new(lang);
    let mut frame = Frame::new(lang, tr.t(title), Section::Inbox, rest);
    // The list counts from its own call; other pages leave the link to `crate::unread`.
    frame.inbox = unread.map(|n| InboxLink {
        unread_label: unread_label(tr, Some(n)),
    });
    frame
}

/// The person's messages, newest first, a page at a time.
async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<ListQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let mut client = client(&state, lang)?;
    let token = PageQuery { page: query.page }.token(lang)?;
    let is_first = token.is_none();
    let answer = client
        .list_my_notifications(as_person(
            &person.session,
            ListMyNotificationsRequest {
                unread_only: false,
                page: state.page(token),
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let base = format!("/{}/account/notifications", lang.code());
    let notice = match query.done.as_deref() {
        Some("read") => Some(tr.t("inbox-marked-one")),
        Some("all-read") => Some(tr.t("inbox-marked-all")),
        Some("nothing") => Some(tr.t("inbox-marked-nothing")),
        _ => None,
    };
    let mut frame = inbox_frame(
        lang,
        "inbox-title",
        "account/notifications",
        Some(answer.unread),
    );
    frame.show_staff = crate::person::roles::StaffRoles::of(&person.session.access_token).reads();
    let page = InboxPage {
        frame,
        csrf: person.visitor.form_token(),
        messages: answer
            .notifications
            .iter()
            .map(|n| MessageRow::of(n, tr))
            .collect(),
        unread: answer.unread,
        unread_text: if answer.unread > 0 {
            tr.count("inbox-unread-count", answer.unread)
        } else {
            tr.t("inbox-nothing-unread")
        },
        next: next_link(&base, &answer.next_page_token),
        first: (!is_first).then_some(base),
        notice,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

/// A form whose only field is its token.
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

fn back(lang: Lang, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/account/notifications?done={done}",
        lang.code()
    ))
    .into_response()
}

/// Marks one message read.
async fn mark_one(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let marked = client(&state, lang)?
        .mark_notifications_read(as_person(
            &person.session,
            MarkNotificationsReadRequest {
                notification_ids: vec![id],
                all: false,
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .marked;
    // Nothing marked: read already (a second click), or not the person's.
    Ok(back(lang, if marked > 0 { "read" } else { "nothing" }))
}

/// Marks every message read.
async fn mark_all(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    client(&state, lang)?
        .mark_notifications_read(as_person(
            &person.session,
            MarkNotificationsReadRequest {
                notification_ids: Vec::new(),
                all: true,
            },
        ))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?;
    Ok(back(lang, "all-read"))
}

/// A proposal has no page of its own: its consultation's page, at the proposal.
async fn proposal(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    client(&state, lang)?;
    let proposal = state
        .services
        .consultation()
        .get_proposal(as_person(
            &person.session,
            GetProposalRequest {
                proposal_id: id.clone(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .proposal
        .ok_or_else(|| PageError::not_found(lang))?;
    Ok(Redirect::to(&format!(
        "/{}/consultations/{}#proposal-{}",
        lang.code(),
        encode_query(&proposal.consultation_id),
        encode_query(&proposal.proposal_id),
    ))
    .into_response())
}

/// One channel's checkbox of a kind.
pub struct ChannelBox {
    /// `inbox.proposal_answered`: the checkbox's value and, with `pref-`, its id.
    pub value: String,
    pub label: String,
    pub enabled: bool,
}

/// A kind of message and its channels.
pub struct KindGroup {
    pub label: String,
    pub about: String,
    pub channels: Vec<ChannelBox>,
}

#[derive(Template)]
#[template(path = "inbox_preferences.html")]
struct PreferencesPage {
    frame: Frame,
    csrf: String,
    groups: Vec<KindGroup>,
    notice: Option<String>,
    errors: FormErrors,
}

/// The preferences grouped by kind, in the order the service lists them.
fn groups(preferences: &[Preference], tr: Tr) -> Vec<KindGroup> {
    let mut groups: Vec<(String, KindGroup)> = Vec::new();
    for p in preferences {
        let (Some(kind), Some(channel)) = (kind_name(p.kind), channel_name(p.channel)) else {
            continue;
        };
        let at = match groups.iter().position(|(k, _)| *k == kind) {
            Some(at) => at,
            None => {
                groups.push((
                    kind.clone(),
                    KindGroup {
                        label: tr.first_of(&[&format!("inbox-kind-{kind}"), "inbox-kind-unknown"]),
                        about: tr
                            .first_of(&[&format!("inbox-about-{kind}"), "inbox-about-unknown"]),
                        channels: Vec::new(),
                    },
                ));
                groups.len() - 1
            }
        };
        groups[at].1.channels.push(ChannelBox {
            value: format!("{channel}.{kind}"),
            label: tr.first_of(&[&format!("inbox-channel-{channel}"), "inbox-channel-other"]),
            enabled: p.enabled,
        });
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct PreferencesQuery {
    done: Option<String>,
}

async fn preferences_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    notice: Option<String>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let mut preferences = client(state, lang)?;
    // The header's link and count are added as on every page (`crate::unread`).
    let answer = preferences
        .get_my_preferences(as_person(&person.session, GetMyPreferencesRequest {}))
        .await
        .map_err(|s| PageError::from_status(&s, lang))?
        .into_inner();
    let frame = inbox_frame(
        lang,
        "inbox-preferences-title",
        "account/notifications/preferences",
        None,
    )
    .with_errors(&errors);
    let status = errors.status();
    let page = PreferencesPage {
        frame,
        csrf: person.visitor.form_token(),
        groups: groups(&answer.preferences, tr),
        notice,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

async fn preferences(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<PreferencesQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let notice = (query.done.as_deref() == Some("saved"))
        .then(|| Tr::new(lang).t("inbox-preferences-saved"));
    preferences_page(&state, &person, lang, notice, FormErrors::new()).await
}

/// The preferences form: `shown` names every checkbox the page showed, `on` those ticked
/// (a browser sends nothing for a box left empty).
#[derive(Debug, Default, Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    shown: Vec<String>,
    #[serde(default)]
    on: Vec<String>,
}

/// `channel.kind` as a preference of the service.
fn preference_of(value: &str, enabled: bool) -> Option<Preference> {
    let (channel, kind) = value.split_once('.')?;
    Some(Preference {
        channel: channel_of(channel)? as i32,
        kind: kind_of(kind)? as i32,
        enabled,
    })
}

/// What the form asks for: every box shown, on when ticked; `None` when a value is not one of
/// the page's.
fn asked(form: &PreferencesForm) -> Option<Vec<Preference>> {
    if form.shown.is_empty() || form.on.iter().any(|v| !form.shown.contains(v)) {
        return None;
    }
    let mut seen = std::collections::HashSet::new();
    form.shown
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .map(|v| preference_of(v, form.on.contains(v)))
        .collect()
}

async fn save_preferences(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<PreferencesForm>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    match asked(&form) {
        None => {
            errors.field("preferences", tr.t("inbox-preferences-invalid"));
        }
        Some(preferences) => {
            let saved = client(&state, lang)?
                .set_my_preferences(as_person(
                    &person.session,
                    SetMyPreferencesRequest { preferences },
                ))
                .await;
            match saved {
                Ok(_) => {
                    return Ok(Redirect::to(&format!(
                        "/{}/account/notifications/preferences?done=saved",
                        lang.code()
                    ))
                    .into_response());
                }
                Err(status) => {
                    // Any field of the list (`preferences[3].kind`) is the list's.
                    errors = FormErrors::from_status(
                        &status,
                        tr,
                        "inbox-preferences",
                        &[("preferences", "preferences")],
                    )?;
                }
            }
        }
    }
    preferences_page(&state, &person, lang, None, errors).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_go_both_ways() {
        assert_eq!(
            kind_name(NotificationKind::ProposalAnswered as i32).as_deref(),
            Some("proposal_answered")
        );
        assert_eq!(channel_name(Channel::Sms as i32).as_deref(), Some("sms"));
        assert_eq!(kind_name(0), None);
        let p = preference_of("email.session_cancelled", true).expect("a preference");
        assert_eq!(p.channel, Channel::Email as i32);
        assert_eq!(p.kind, NotificationKind::SessionCancelled as i32);
        assert!(preference_of("fax.session_cancelled", true).is_none());
        assert!(preference_of("unspecified.session_cancelled", true).is_none());
    }

    fn row(kind: NotificationKind, subject_type: &str, detail: &str, lang: Lang) -> MessageRow {
        let n = Notification {
            notification_id: "n".into(),
            kind: kind as i32,
            subject_type: subject_type.into(),
            subject_id: "s1".into(),
            detail: detail.into(),
            occurred_at: None,
            read_at: None,
        };
        MessageRow::of(&n, Tr::new(lang))
    }

    #[test]
    fn followers_members_and_new_consultations_are_written_in_both_languages() {
        let opened = row(
            NotificationKind::ConsultationProgress,
            "consultation",
            "opened",
            Lang::Fr,
        );
        assert_eq!(
            opened.text,
            "Une consultation que vous suivez est ouverte : vous pouvez y participer dès maintenant."
        );
        assert_eq!(opened.link.unwrap().0, "/fr/consultations/s1");
        let new = row(
            NotificationKind::NewConsultation,
            "consultation",
            "associations",
            Lang::Ar,
        );
        assert_eq!(new.title, "استشارة جديدة");
        assert_eq!(new.text, "فُتحت استشارة جديدة موجهة إلى الجمعيات.");
        let answered = row(
            NotificationKind::RecommendationAnswered,
            "recommendation",
            "accepted",
            Lang::Fr,
        );
        assert_eq!(
            answered.title,
            "Réponse à une recommandation de votre instance"
        );
        assert_eq!(
            answered.text,
            "Le Conseil a accepté une recommandation de l’avis de votre instance consultative."
        );
        assert_eq!(
            answered.link,
            Some((
                "/fr/opinions".into(),
                "Voir les avis et recommandations".into()
            ))
        );
        let follow_up = row(
            NotificationKind::RecommendationFollowUp,
            "recommendation",
            "implemented",
            Lang::Ar,
        );
        assert_eq!(follow_up.text, "نُفذت توصية من رأي هيئتكم الاستشارية.");
        assert_eq!(follow_up.link.unwrap().0, "/ar/opinions");
    }

    #[test]
    fn unticked_boxes_are_turned_off_and_strangers_refused() {
        let form = PreferencesForm {
            shown: vec![
                "inbox.certificate_issued".into(),
                "sms.certificate_issued".into(),
            ],
            on: vec!["sms.certificate_issued".into()],
        };
        let asked = asked(&form).expect("valid");
        assert_eq!(asked.len(), 2);
        assert!(!asked[0].enabled && asked[1].enabled);
        let forged = PreferencesForm {
            shown: vec!["inbox.certificate_issued".into()],
            on: vec!["fax.certificate_issued".into()],
        };
        assert!(super::asked(&forged).is_none());
        assert!(super::asked(&PreferencesForm::default()).is_none());
    }

    #[test]
    fn a_changed_password_says_how_and_leads_to_the_password_page() {
        let of = |lang: Lang, detail: &str| {
            MessageRow::of(
                &Notification {
                    notification_id: "n1".into(),
                    kind: NotificationKind::PasswordChanged as i32,
                    subject_type: "account".into(),
                    subject_id: "a1".into(),
                    detail: detail.into(),
                    occurred_at: None,
                    read_at: None,
                },
                Tr::new(lang),
            )
        };
        let reset = of(Lang::Fr, "reset");
        assert_eq!(reset.title, "Mot de passe changé");
        assert!(reset.text.contains("réinitialisé"), "{}", reset.text);
        assert!(of(Lang::Fr, "changed").text.contains("a été changé"));
        let ar = of(Lang::Ar, "reset");
        assert_eq!(ar.title, "تغيير كلمة المرور");
        assert!(ar.text.contains("أُعيد تعيين"), "{}", ar.text);
        assert_eq!(
            ar.link,
            Some(("/ar/account/password".into(), "إدارة كلمة المرور".into()))
        );
    }

    #[test]
    fn every_kind_and_subject_reads_as_a_sentence_with_a_link() {
        for lang in Lang::ALL {
            let tr = Tr::new(lang);
            for (kind, subject, detail) in [
                (NotificationKind::ProposalAnswered, "proposal", "accepted"),
                (NotificationKind::PetitionProgress, "petition", "admitted"),
                (NotificationKind::PetitionProgress, "petition", "rejected"),
                (NotificationKind::SessionChanged, "session", "days,venue"),
                (NotificationKind::SessionCancelled, "session", ""),
                (NotificationKind::RegistrationPromoted, "registration", ""),
                (NotificationKind::CertificateIssued, "certificate", ""),
                (
                    NotificationKind::ConsultationProgress,
                    "consultation",
                    "answered",
                ),
                (NotificationKind::PasswordChanged, "account", "reset"),
                (NotificationKind::PasswordChanged, "account", "changed"),
            ] {
                let row = MessageRow::of(
                    &Notification {
                        notification_id: "n1".into(),
                        kind: kind as i32,
                        subject_type: subject.into(),
                        subject_id: "s1".into(),
                        detail: detail.into(),
                        occurred_at: Some(prost_types::Timestamp {
                            seconds: 1_764_547_200,
                            nanos: 0,
                        }),
                        read_at: None,
                    },
                    tr,
                );
                for text in [&row.title, &row.text, &row.link.as_ref().unwrap().1] {
                    assert!(!text.contains("inbox-"), "{lang:?} {kind:?}: {text}");
                }
                assert!(row.unread);
            }
        }
    }
}
