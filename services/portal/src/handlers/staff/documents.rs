//! The documents of what staff manage: a consultation's program, a petition's answer, an
//! opinion's annexes, a session's material. One page for each, reached from its desk: the
//! documents attached (each with its download link and a button to remove it) and the upload
//! form, a `multipart/form-data` post read by `multer` as the imports desk's files are. A file
//! larger than the services take, or of a type they refuse (told by its content, not its
//! name), is said beside the file field.

use askama::Template;
use axum::{
    Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use tachawor_proto::{
    consultation::{
        self as c, AttachmentParent, GetConsultationRequest, GetOpinionRequest, GetPetitionRequest,
    },
    training::{self as t, GetSessionRequest},
};

use super::{NoFields, Staff, StaffNav, frame};
use crate::{
    error::PageError,
    form::FormErrors,
    handlers::{
        AppState,
        documents::{AttachmentView, size_label},
        lang_of,
    },
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, html},
    person::{MultipartPost, Posted},
    services::as_person,
    view::Text,
};

/// The message ids' form prefix.
const FORM: &str = "staff-documents";

/// `max_bytes`: the largest document the services take; a post may hold it and the form.
pub fn routes(max_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/{lang}/staff/documents/{parent}/{id}",
            get(desk).post(upload),
        )
        .route(
            "/{lang}/staff/documents/{parent}/{id}/{attachment}/remove",
            post(remove),
        )
        // A little over the limit: a file just too large is read, and refused beside the field.
        .layer(DefaultBodyLimit::max(max_bytes + 1024 * 1024))
}

/// What documents hang off, as the desk's paths spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parent {
    Consultation,
    Petition,
    Opinion,
    Session,
}

impl Parent {
    const ALL: [Parent; 4] = [
        Parent::Consultation,
        Parent::Petition,
        Parent::Opinion,
        Parent::Session,
    ];

    fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            Parent::Consultation => "consultation",
            Parent::Petition => "petition",
            Parent::Opinion => "opinion",
            Parent::Session => "session",
        }
    }

    /// The consultation service's name for it; `None` for a session (training's).
    fn in_consultation(self) -> Option<AttachmentParent> {
        match self {
            Parent::Consultation => Some(AttachmentParent::Consultation),
            Parent::Petition => Some(AttachmentParent::Petition),
            Parent::Opinion => Some(AttachmentParent::Opinion),
            Parent::Session => None,
        }
    }

    /// The desk the page belongs to in the console's navigation.
    fn desk(self) -> &'static str {
        match self {
            Parent::Consultation => "consultations",
            Parent::Petition => "petitions",
            Parent::Opinion => "answers",
            Parent::Session => "sessions",
        }
    }

    /// Where staff manage the parent itself, after `/{lang}/`.
    fn back(self, id: &str) -> String {
        match self {
            Parent::Consultation => format!("staff/consultations/{id}"),
            Parent::Petition => format!("staff/petitions/{id}"),
            Parent::Opinion => format!("staff/answers/opinions/{id}"),
            Parent::Session => "staff/sessions".to_string(),
        }
    }

    /// The download route's service segment.
    fn service(self) -> &'static str {
        match self {
            Parent::Session => "training",
            _ => "consultation",
        }
    }
}

fn parent_of(code: &str, lang: Lang) -> Result<Parent, PageError> {
    Parent::parse(code).ok_or_else(|| PageError::not_found(lang))
}

/// The parent's name as staff know it: its title (a consultation's or a session's in the
/// page's language), a petition's title or an opinion's matter as typed.
async fn parent_name(
    state: &AppState,
    staff: &Staff,
    parent: Parent,
    id: &str,
    lang: Lang,
) -> Result<Text, tonic::Status> {
    let typed = |text: String| Text {
        text,
        lang: "",
        dir: "auto",
    };
    let id = id.to_string();
    Ok(match parent {
        Parent::Consultation => {
            let found = state
                .services
                .consultation()
                .get_consultation(as_person(
                    &staff.session,
                    GetConsultationRequest {
                        consultation_id: id,
                    },
                ))
                .await?
                .into_inner()
                .consultation
                .unwrap_or_default();
            Text::of(found.title.as_ref(), lang)
        }
        Parent::Petition => typed(
            state
                .services
                .consultation()
                .get_petition(as_person(
                    &staff.session,
                    GetPetitionRequest { petition_id: id },
                ))
                .await?
                .into_inner()
                .petition
                .unwrap_or_default()
                .title,
        ),
        Parent::Opinion => typed(
            state
                .services
                .consultation()
                .get_opinion(as_person(
                    &staff.session,
                    GetOpinionRequest { opinion_id: id },
                ))
                .await?
                .into_inner()
                .opinion
                .unwrap_or_default()
                .matter,
        ),
        Parent::Session => {
            let found = state
                .services
                .training()
                .get_session(as_person(
                    &staff.session,
                    GetSessionRequest { session_id: id },
                ))
                .await?
                .into_inner()
                .session
                .unwrap_or_default();
            Text::of(found.details.and_then(|d| d.title).as_ref(), lang)
        }
    })
}

/// The documents attached, as staff read them (drafts' too).
async fn attached(
    state: &AppState,
    staff: &Staff,
    parent: Parent,
    id: &str,
    tr: Tr,
) -> Result<Vec<AttachmentView>, tonic::Status> {
    let attachments = match parent.in_consultation() {
        Some(kind) => {
            state
                .services
                .consultation()
                .list_attachments(as_person(
                    &staff.session,
                    c::ListAttachmentsRequest {
                        parent: kind as i32,
                        parent_id: id.to_string(),
                        page: state.page(None),
                    },
                ))
                .await?
                .into_inner()
                .attachments
        }
        None => {
            state
                .services
                .training()
                .list_attachments(as_person(
                    &staff.session,
                    t::ListAttachmentsRequest {
                        session_id: id.to_string(),
                        page: state.page(None),
                    },
                ))
                .await?
                .into_inner()
                .attachments
        }
    };
    Ok(attachments
        .iter()
        .map(|a| AttachmentView::of(a, parent.service(), tr))
        .collect())
}

#[derive(Template)]
#[template(path = "staff_documents.html")]
struct DeskPage {
    frame: Frame,
    nav: StaffNav,
    csrf: String,
    /// "Documents of the consultation", "… of the petition"…
    of_label: String,
    name: Text,
    /// The page's own path, after `/{lang}/`: the form's action.
    path: String,
    back: String,
    back_label: String,
    attachments: Vec<AttachmentView>,
    /// The file field's hint: accepted types and the largest size.
    hint: String,
    notice: Option<String>,
    errors: FormErrors,
}

#[allow(clippy::too_many_arguments)]
async fn desk_page(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    parent: Parent,
    id: &str,
    notice: Option<String>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let (name, attachments) = tokio::join!(
        parent_name(state, staff, parent, id, lang),
        attached(state, staff, parent, id, tr),
    );
    let name = name.map_err(|s| PageError::from_lookup(&s, lang))?;
    let attachments = attachments.map_err(|s| PageError::from_lookup(&s, lang))?;
    let path = format!("staff/documents/{}/{id}", parent.code());
    let code = parent.code();
    let status = errors.status();
    let page = DeskPage {
        frame: frame(lang, "staff-documents-title", &path).with_errors(&errors),
        nav: StaffNav::new(lang, parent.desk()),
        csrf: staff.visitor.form_token(),
        of_label: tr.t(&format!("staff-documents-of-{code}")),
        name,
        back: parent.back(id),
        back_label: tr.t(&format!("staff-documents-back-{code}")),
        path,
        attachments,
        hint: max_hint(state, tr),
        notice,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// "PDF, PNG, JPEG, OpenDocument or Office; 10 MB at most."
fn max_hint(state: &AppState, tr: Tr) -> String {
    tr.with(
        "staff-documents-file-hint",
        &[("max", size_label(max_bytes(state) as i64, tr))],
    )
}

fn max_bytes(state: &AppState) -> usize {
    state.settings.services.max_document_bytes
}

#[derive(Debug, Default, Deserialize)]
pub struct DeskQuery {
    /// What was just done: `added` or `removed`.
    done: Option<String>,
}

/// The documents of one consultation, petition, opinion or session, and the upload form.
pub async fn desk(
    State(state): State<AppState>,
    Path((lang, parent, id)): Path<(String, String, String)>,
    Query(query): Query<DeskQuery>,
    staff: Staff,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let parent = parent_of(&parent, lang)?;
    let tr = Tr::new(lang);
    let notice = match query.done.as_deref() {
        Some(done @ ("added" | "removed")) => Some(tr.t(&format!("staff-documents-{done}"))),
        _ => None,
    };
    desk_page(&state, &staff, lang, parent, &id, notice, FormErrors::new()).await
}

/// Sends the file to the service that keeps the parent.
async fn add(
    state: &AppState,
    staff: &Staff,
    parent: Parent,
    id: &str,
    name: String,
    content: Bytes,
) -> Result<(), tonic::Status> {
    match parent.in_consultation() {
        Some(kind) => {
            state
                .services
                .consultation()
                .add_attachment(as_person(
                    &staff.session,
                    c::AddAttachmentRequest {
                        parent: kind as i32,
                        parent_id: id.to_string(),
                        name,
                        content: content.to_vec(),
                    },
                ))
                .await?;
        }
        None => {
            state
                .services
                .training()
                .add_attachment(as_person(
                    &staff.session,
                    t::AddAttachmentRequest {
                        session_id: id.to_string(),
                        name,
                        content: content.to_vec(),
                    },
                ))
                .await?;
        }
    }
    Ok(())
}

/// The uploaded file (`file`), with the name it had on the person's computer.
pub async fn upload(
    State(state): State<AppState>,
    Path((lang, parent, id)): Path<(String, String, String)>,
    staff: Staff,
    post: MultipartPost,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let parent = parent_of(&parent, lang)?;
    let tr = Tr::new(lang);
    let mut errors = FormErrors::new();
    let file = post.part("file").filter(|p| !p.content.is_empty());
    let Some(file) = file else {
        errors.field("file", tr.t("staff-documents-file-missing"));
        return desk_page(&state, &staff, lang, parent, &id, None, errors).await;
    };
    if file.content.len() > max_bytes(&state) {
        errors.field(
            "file",
            tr.with(
                "staff-documents-file-too-large",
                &[("max", size_label(max_bytes(&state) as i64, tr))],
            ),
        );
        return desk_page(&state, &staff, lang, parent, &id, None, errors).await;
    }
    // Browsers send the name alone; some older ones the whole path.
    let name = file
        .file_name
        .as_deref()
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_string();
    match add(&state, &staff, parent, &id, name, file.content.clone()).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/{}/staff/documents/{}/{id}?done=added",
            lang.code(),
            parent.code()
        ))
        .into_response()),
        Err(status) => {
            // The content's type or size, and the file's name, are the file field's.
            let errors = FormErrors::from_status(
                &status,
                tr,
                FORM,
                &[("content", "file"), ("name", "file")],
            )?;
            desk_page(&state, &staff, lang, parent, &id, None, errors).await
        }
    }
}

/// Removes one document (audited by its service).
pub async fn remove(
    State(state): State<AppState>,
    Path((lang, parent, id, attachment)): Path<(String, String, String, String)>,
    staff: Staff,
    _posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let parent = parent_of(&parent, lang)?;
    let removed = match parent.in_consultation() {
        Some(_) => state
            .services
            .consultation()
            .remove_attachment(as_person(
                &staff.session,
                c::RemoveAttachmentRequest {
                    attachment_id: attachment,
                },
            ))
            .await
            .map(|_| ()),
        None => state
            .services
            .training()
            .remove_attachment(as_person(
                &staff.session,
                t::RemoveAttachmentRequest {
                    attachment_id: attachment,
                },
            ))
            .await
            .map(|_| ()),
    };
    removed.map_err(|s| PageError::from_lookup(&s, lang))?;
    Ok(Redirect::to(&format!(
        "/{}/staff/documents/{}/{id}?done=removed",
        lang.code(),
        parent.code()
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_are_spelled_as_their_paths() {
        for parent in Parent::ALL {
            assert_eq!(Parent::parse(parent.code()), Some(parent));
        }
        assert_eq!(Parent::parse("association"), None);
        assert_eq!(Parent::Session.in_consultation(), None);
        assert_eq!(Parent::Session.service(), "training");
        assert_eq!(
            Parent::Opinion.back("o1"),
            "staff/answers/opinions/o1".to_string()
        );
    }
}
