//! Documents attached to consultations, petitions, opinions and sessions: the list a page
//! shows (name, type, size in the page's language) and the download, streamed from the service
//! with the type the service found in the content and the file's own name.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use tachawor_proto::{
    common::Attachment,
    consultation::{self, AttachmentParent},
    training,
};

use super::{AppState, lang_of};
use crate::{
    error::PageError,
    i18n::{Lang, Tr, number},
    person::Visitor,
    services::as_person,
};

/// One document as a page lists it.
pub struct AttachmentView {
    pub id: String,
    /// The download link.
    pub href: String,
    pub name: String,
    /// The format's short name (PDF, PNG, ODT...).
    pub format: String,
    /// The size as the page's language writes it ("1,2 Mo", "1,2 ميغابايت").
    pub size: String,
}

impl AttachmentView {
    /// `service`: `consultation` or `training`, the download route's segment.
    pub fn of(a: &Attachment, service: &str, tr: Tr) -> Self {
        Self {
            id: a.attachment_id.clone(),
            href: format!(
                "/{}/documents/{service}/{}",
                tr.lang.code(),
                a.attachment_id
            ),
            name: a.name.clone(),
            format: format_of(&a.content_type).to_string(),
            size: size_label(a.size_bytes, tr),
        }
    }
}

/// The format's usual short name, the same in every language.
fn format_of(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        "application/vnd.oasis.opendocument.text" => "ODT",
        "application/vnd.oasis.opendocument.spreadsheet" => "ODS",
        "application/vnd.oasis.opendocument.presentation" => "ODP",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "DOCX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "XLSX",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "PPTX",
        _ => "—",
    }
}

/// Bytes, kilobytes (rounded up) or megabytes with one decimal, the decimal comma of CLDR's
/// `ar_MA` and `fr_MA`.
pub fn size_label(bytes: i64, tr: Tr) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    if bytes < KB {
        tr.count("document-size-bytes", bytes)
    } else if bytes < MB {
        let kb = (bytes + KB - 1) / KB;
        tr.with("document-size-kb", &[("size", number(kb))])
    } else {
        let tenths = (bytes * 10 + MB / 2) / MB;
        // "10 Mo" rather than "10,0 Mo".
        let size = match tenths % 10 {
            0 => number(tenths / 10),
            tenth => format!("{},{tenth}", number(tenths / 10)),
        };
        tr.with("document-size-mb", &[("size", size)])
    }
}

/// The documents of something the consultation service keeps (a consultation, a petition, an
/// opinion) for its page: none when the service cannot list them (the page still shows).
pub async fn of_parent(
    app: &AppState,
    parent: AttachmentParent,
    parent_id: &str,
    tr: Tr,
) -> Vec<AttachmentView> {
    let request = consultation::ListAttachmentsRequest {
        parent: parent as i32,
        parent_id: parent_id.into(),
        page: app.page(None),
    };
    match app.services.consultation().list_attachments(request).await {
        Ok(answer) => answer
            .into_inner()
            .attachments
            .iter()
            .map(|a| AttachmentView::of(a, "consultation", tr))
            .collect(),
        Err(status) => {
            unlisted(&status, parent.as_str_name());
            Vec::new()
        }
    }
}

/// A consultation's documents for its page.
pub async fn of_consultation(app: &AppState, consultation_id: &str, tr: Tr) -> Vec<AttachmentView> {
    of_parent(app, AttachmentParent::Consultation, consultation_id, tr).await
}

/// A session's documents for its page.
pub async fn of_session(app: &AppState, session_id: &str, tr: Tr) -> Vec<AttachmentView> {
    let request = training::ListAttachmentsRequest {
        session_id: session_id.into(),
        page: app.page(None),
    };
    match app.services.training().list_attachments(request).await {
        Ok(answer) => answer
            .into_inner()
            .attachments
            .iter()
            .map(|a| AttachmentView::of(a, "training", tr))
            .collect(),
        Err(status) => {
            unlisted(&status, "SESSION");
            Vec::new()
        }
    }
}

/// Logs why a page's documents could not be listed. The list is asked for beside the page's own
/// read, so an id that names nothing (or is not an id) is answered by that read, the 404, and is
/// not a fault worth a warning.
fn unlisted(status: &tonic::Status, parent: &str) {
    match status.code() {
        tonic::Code::NotFound | tonic::Code::InvalidArgument => {
            tracing::debug!(code = ?status.code(), parent, "no documents for an unknown id");
        }
        code => tracing::warn!(?code, parent, "documents could not be listed"),
    }
}

/// `Content-Disposition` for `name`: an ASCII fallback and the name itself (RFC 6266, 5987).
fn disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// `message` as the signed-in person sends it (staff read a draft's documents), or anonymous.
fn as_reader<T>(visitor: &Visitor, message: T) -> tonic::Request<T> {
    match &visitor.session {
        Some(session) => as_person(session, message),
        None => tonic::Request::new(message),
    }
}

/// `/{lang}/documents/{service}/{id}`: the bytes, as the reader may see them: the public's
/// documents to anyone (kept by shared caches a while), a draft's to staff (kept by none).
pub async fn download(
    State(app): State<AppState>,
    Path((lang, service, id)): Path<(String, String, String)>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let lang: Lang = lang_of(&lang)?;
    let answer = match service.as_str() {
        "consultation" => app
            .services
            .consultation_documents()
            .get_attachment_content(as_reader(
                &visitor,
                consultation::GetAttachmentContentRequest { attachment_id: id },
            ))
            .await
            .map(|r| {
                let r = r.into_inner();
                (r.attachment, r.content)
            }),
        "training" => app
            .services
            .training_documents()
            .get_attachment_content(as_reader(
                &visitor,
                training::GetAttachmentContentRequest { attachment_id: id },
            ))
            .await
            .map(|r| {
                let r = r.into_inner();
                (r.attachment, r.content)
            }),
        _ => return Err(PageError::not_found(lang)),
    };
    let (attachment, content) = answer.map_err(|s| PageError::from_lookup(&s, lang))?;
    let attachment = attachment.ok_or_else(|| PageError::not_found(lang))?;
    let cache = if visitor.session.is_some() {
        "no-store".to_string()
    } else {
        format!("public, max-age={}", app.settings.pages.public_max_age_secs)
    };
    Ok((
        [
            (header::CONTENT_TYPE, attachment.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition(&attachment.name)),
            (header::CACHE_CONTROL, cache),
        ],
        content,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_each_language_writes_them() {
        let (ar, fr) = (Tr::new(Lang::Ar), Tr::new(Lang::Fr));
        let plain = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(plain(size_label(1_258_291, fr)), "1,2\u{a0}Mo");
        assert_eq!(plain(size_label(1_258_291, ar)), "1,2 ميغابايت");
        assert_eq!(plain(size_label(10 * 1024 * 1024, fr)), "10\u{a0}Mo");
        assert_eq!(plain(size_label(35_000, fr)), "35\u{a0}Ko");
        assert_eq!(plain(size_label(512, fr)), "512\u{a0}octets");
        assert_eq!(plain(size_label(1, fr)), "1\u{a0}octet");
    }

    #[test]
    fn a_name_travels_whole_and_safely() {
        assert_eq!(
            disposition("Programme régional \"2027\".pdf"),
            "attachment; filename=\"Programme r_gional _2027_.pdf\"; \
             filename*=UTF-8''Programme%20r%C3%A9gional%20%222027%22.pdf"
        );
        assert_eq!(format_of("application/pdf"), "PDF");
        assert_eq!(format_of("text/html"), "—");
    }
}
