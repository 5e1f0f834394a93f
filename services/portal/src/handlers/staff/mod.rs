//! The staff console under `/{lang}/staff`: the desks from which council staff and
//! administrators run the platform. Only they see it; every action is checked again by the
//! service it calls, with the person's own token.

mod accounts;
mod answers;
mod audit;
mod check_in;
mod consultations;
mod documents;
mod imports;
mod imports_file;
mod moderation;
mod news;
mod petitions;
mod recommendations;
mod sessions;
mod sessions_edit;
mod tracker;
// The Forum, programs and certificate names desks, and the moderation queue.
mod certificate_names;
mod forum;
mod forum_edition;
mod forum_items;
mod item_form;
mod moderation_queue;
mod programs;
mod whole;

use askama::Template;
use axum::{
    Router,
    extract::{FromRequestParts, Path},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};

use super::{AppState, lang_of};
use crate::{
    error::{ErrorKind, PageError},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Session, SignedIn, Visitor, roles::StaffRoles},
};

/// `max_document_bytes`: the largest document the services take (the documents pages' posts).
pub fn routes(max_document_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/{lang}/staff", get(home))
        .route("/{lang}/staff/accounts", get(accounts::search))
        .route(
            "/{lang}/staff/accounts/{id}/verify",
            get(accounts::verify_form).post(accounts::verify),
        )
        .route(
            "/{lang}/staff/accounts/{id}/roles",
            get(accounts::roles_form).post(accounts::set_roles),
        )
        .route("/{lang}/staff/sessions", get(sessions::list))
        .route(
            "/{lang}/staff/sessions/{id}/screen",
            get(sessions::screen).post(sessions::issue_code),
        )
        .route(
            "/{lang}/staff/sessions/{id}/registrations.csv",
            get(sessions::registrations_csv),
        )
        .route(
            "/{lang}/staff/sessions/{id}/held",
            post(sessions::mark_held),
        )
        .route(
            "/{lang}/staff/sessions/new",
            get(sessions_edit::new_form).post(sessions_edit::schedule),
        )
        .route(
            "/{lang}/staff/sessions/{id}/edit",
            get(sessions_edit::edit_form).post(sessions_edit::update),
        )
        .route(
            "/{lang}/staff/sessions/{id}/cancel",
            get(sessions_edit::cancel_form).post(sessions_edit::cancel),
        )
        .route(
            "/{lang}/staff/sessions/{id}/certificates",
            get(sessions_edit::certificates_page).post(sessions_edit::issue_certificates),
        )
        .route("/{lang}/staff/sessions/{id}/check-in", get(check_in::list))
        .route(
            "/{lang}/staff/sessions/{id}/check-in/{registration}",
            post(check_in::check_in),
        )
        .route("/{lang}/staff/moderation", get(moderation::list))
        .route("/{lang}/staff/moderation/{id}", get(moderation::comments))
        .route(
            "/{lang}/staff/moderation/{id}/comments/{comment}/hide",
            post(moderation::hide),
        )
        .route(
            "/{lang}/staff/moderation/{id}/comments/{comment}/restore",
            post(moderation::restore),
        )
        .route("/{lang}/staff/petitions", get(petitions::list))
        .route("/{lang}/staff/petitions/{id}", get(petitions::desk))
        .route("/{lang}/staff/petitions/{id}/admit", post(petitions::admit))
        .route(
            "/{lang}/staff/petitions/{id}/reject",
            post(petitions::reject),
        )
        .route("/{lang}/staff/petitions/{id}/close", post(petitions::close))
        .route("/{lang}/staff/petitions/{id}/paper", post(petitions::paper))
        .route("/{lang}/staff/commitments", get(tracker::list))
        .route(
            "/{lang}/staff/commitments/milestones/{id}/status",
            post(tracker::set_status),
        )
        .route(
            "/{lang}/staff/commitments/{id}/{file}",
            get(tracker::progress_report),
        )
        .route("/{lang}/staff/audit", get(audit::view))
        .route("/{lang}/staff/news", get(news::list).post(news::create))
        .route("/{lang}/staff/news/new", get(news::new_form))
        .route(
            "/{lang}/staff/news/{id}",
            get(news::edit_form).post(news::update),
        )
        .route("/{lang}/staff/news/{id}/publish", post(news::publish))
        .route("/{lang}/staff/news/{id}/unpublish", post(news::unpublish))
        .route("/{lang}/staff/answers", get(answers::home))
        .route(
            "/{lang}/staff/answers/proposals/{id}",
            get(answers::proposal).post(answers::answer_proposal),
        )
        .route(
            "/{lang}/staff/answers/opinions/{id}",
            get(recommendations::opinion),
        )
        .route(
            "/{lang}/staff/answers/forum/{id}",
            get(recommendations::forum),
        )
        // An adopted opinion's (`opinions`) or a Forum edition's (`forum`) recommendation.
        .route(
            "/{lang}/staff/answers/{kind}/{id}/recommendations/{rec}",
            get(recommendations::recommendation).post(recommendations::answer_recommendation),
        )
        .route(
            "/{lang}/staff/answers/{kind}/{id}/recommendations/{rec}/follow-up",
            post(recommendations::follow_up),
        )
        .route(
            "/{lang}/staff/consultations",
            get(consultations::list).post(consultations::create),
        )
        .route(
            "/{lang}/staff/consultations/new",
            get(consultations::new_form),
        )
        .route("/{lang}/staff/consultations/{id}", get(consultations::desk))
        .route(
            "/{lang}/staff/consultations/{id}/edit",
            get(consultations::edit_form).post(consultations::update),
        )
        .route(
            "/{lang}/staff/consultations/{id}/questions",
            post(consultations::add_question),
        )
        .route(
            "/{lang}/staff/consultations/{id}/open",
            post(consultations::open),
        )
        .route(
            "/{lang}/staff/consultations/{id}/close",
            post(consultations::close),
        )
        .route(
            "/{lang}/staff/consultations/{id}/answer",
            post(consultations::answer),
        )
        .route(
            "/{lang}/staff/consultations/{id}/approve",
            post(consultations::approve),
        )
        .route(
            "/{lang}/staff/consultations/{id}/reject",
            post(consultations::reject),
        )
        .route(
            "/{lang}/staff/consultations/{id}/answers",
            get(consultations::answers),
        )
        .route(
            "/{lang}/staff/consultations/{id}/answers.csv",
            get(consultations::answers_csv),
        )
        .merge(imports::routes())
        .merge(documents::routes(max_document_bytes))
        // The Forum, programs and certificate names desks, and the moderation queue's actions.
        .merge(forum::routes())
        .merge(programs::routes())
        .merge(certificate_names::routes())
        .merge(moderation_queue::routes())
}

/// A signed-in member of council staff or an administrator (`Staff`), or on the read-only
/// desks also an observer (`StaffReader`). Anyone not signed in is sent to sign in; anyone
/// else gets a "not yours to do" page (403).
pub struct Staff<const READ_ONLY: bool = false> {
    pub session: Session,
    pub visitor: Visitor,
    pub roles: StaffRoles,
}

/// Who opens a read-only desk (the console's home, the tracker, the audit view): staff and
/// observers. The services check every call again.
pub type StaffReader = Staff<true>;

impl<S: Send + Sync, const READ_ONLY: bool> FromRequestParts<S> for Staff<READ_ONLY> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let person = SignedIn::from_request_parts(parts, state).await?;
        let roles = StaffRoles::of(&person.session.access_token);
        let admitted = if READ_ONLY {
            roles.reads()
        } else {
            roles.staff
        };
        if !admitted {
            let lang = Lang::of_path(parts.uri.path());
            return Err(PageError::new(ErrorKind::Forbidden, lang).into_response());
        }
        Ok(Self {
            session: person.session,
            visitor: person.visitor,
            roles,
        })
    }
}

/// The desks an observer reads; the others are for acting.
const READ_ONLY_DESKS: &[&str] = &["home", "commitments", "audit"];

/// The desks, in the order of the console's navigation: (id, path after `staff/`).
const DESKS: &[(&str, &str)] = &[
    ("home", ""),
    ("accounts", "accounts"),
    ("consultations", "consultations"),
    ("sessions", "sessions"),
    ("moderation", "moderation"),
    ("petitions", "petitions"),
    ("commitments", "commitments"),
    ("audit", "audit"),
    ("news", "news"),
    ("answers", "answers"),
    ("imports", "imports"),
    // The Forum, programs and certificate names desks.
    ("forum", "forum"),
    ("programs", "programs"),
    ("certificate-names", "certificate-names"),
];

/// A form whose only field is its token: an action on what its URL names.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoFields {}

/// One link of the console's navigation.
pub struct DeskLink {
    pub href: String,
    pub label: String,
    /// What the desk is for, on the console's home.
    pub description: String,
    pub current: bool,
}

/// The console's navigation, the current desk marked.
pub struct StaffNav {
    pub desks: Vec<DeskLink>,
}

impl StaffNav {
    pub fn new(lang: Lang, current: &str) -> Self {
        Self::with(lang, current, |_| true)
    }

    /// The navigation of a read-only desk: every desk for staff, the read-only ones for an
    /// observer.
    pub fn reading(lang: Lang, current: &str, roles: StaffRoles) -> Self {
        Self::with(lang, current, |id| {
            roles.staff || READ_ONLY_DESKS.contains(&id)
        })
    }

    fn with(lang: Lang, current: &str, shown: impl Fn(&str) -> bool) -> Self {
        let tr = Tr::new(lang);
        let desks = DESKS
            .iter()
            .filter(|(id, _)| shown(id))
            .map(|(id, path)| DeskLink {
                href: format!("/{}/staff/{path}", lang.code())
                    .trim_end_matches('/')
                    .to_string(),
                label: tr.t(&format!("staff-desk-{id}")),
                description: tr.t(&format!("staff-desk-{id}-about")),
                current: *id == current,
            })
            .collect();
        Self { desks }
    }

    /// The desks the console's home lists (not the home itself).
    pub fn work(&self) -> &[DeskLink] {
        &self.desks[1..]
    }
}

/// The frame of a staff page: its title, its place under `/staff`, and the console's link in
/// the site's navigation.
pub fn frame(lang: Lang, title_id: &str, rest: &str) -> Frame {
    let mut frame = Frame::new(lang, Tr::new(lang).t(title_id), Section::Staff, rest);
    frame.show_staff = true;
    frame
}

#[derive(Template)]
#[template(path = "staff_home.html")]
struct HomePage {
    frame: Frame,
    nav: StaffNav,
    admin: bool,
    observer: bool,
}

async fn home(Path(lang): Path<String>, staff: StaffReader) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let page = HomePage {
        frame: frame(lang, "staff-title", "staff"),
        nav: StaffNav::reading(lang, "home", staff.roles),
        admin: staff.roles.admin,
        observer: staff.roles.observer,
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}
