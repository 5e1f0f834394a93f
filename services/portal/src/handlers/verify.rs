//! Certificate verification: anyone checks a code printed on a certificate (or read from its QR
//! code) and sees who it was issued to, for which session and when.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde::Deserialize;
use tachawor_proto::training::{VerifyCertificateRequest, VerifyCertificateResponse};
use tonic::Code;

use super::{AppState, lang_of, language::redirect_in_language};
use crate::{
    error::PageError,
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    view::Text,
};

/// Longest code accepted; real codes are much shorter.
const MAX_CODE_LEN: usize = 64;

#[derive(Debug, Default, Deserialize)]
pub struct CodeQuery {
    pub code: Option<String>,
}

pub struct CertificateView {
    pub holder: String,
    pub session: Text,
    pub program: Text,
    pub days: Vec<String>,
    pub issued: String,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    frame: Frame,
    code: String,
    /// The message beside the field and in the summary, when the code was refused.
    error: Option<String>,
    certificate: Option<CertificateView>,
}

/// A code as typed: trimmed, upper case; `None` when it cannot be one.
pub fn normalise_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    (!code.is_empty()
        && code.len() <= MAX_CODE_LEN
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    .then_some(code)
}

/// Asks training about `code`: `Ok(None)` when no certificate has it.
pub async fn lookup(
    app: &AppState,
    code: &str,
    lang: Lang,
) -> Result<Option<VerifyCertificateResponse>, PageError> {
    match app
        .services
        .training()
        .verify_certificate(VerifyCertificateRequest {
            verification_code: code.to_string(),
        })
        .await
    {
        Ok(answer) => Ok(Some(answer.into_inner())),
        Err(status) if matches!(status.code(), Code::NotFound | Code::InvalidArgument) => Ok(None),
        Err(status) => Err(PageError::from_status(&status, lang)),
    }
}

async fn render(app: &AppState, lang: Lang, raw: Option<String>) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let mut page = VerifyPage {
        frame: Frame::new(lang, tr.t("verify-title"), Section::Verify, "verify"),
        code: String::new(),
        error: None,
        certificate: None,
    };
    if let Some(raw) = raw {
        page.code = raw.chars().take(MAX_CODE_LEN).collect();
        match normalise_code(&raw) {
            None if raw.trim().is_empty() => page.error = Some(tr.t("verify-code-missing")),
            None => page.error = Some(tr.t("verify-code-invalid")),
            Some(code) => match lookup(app, &code, lang).await? {
                None => page.error = Some(tr.t("verify-not-found")),
                Some(found) => {
                    page.certificate = Some(CertificateView {
                        holder: found.holder_name,
                        session: Text::of(found.session_title.as_ref(), lang),
                        program: Text::of(found.program_title.as_ref(), lang),
                        days: found
                            .days
                            .iter()
                            .filter_map(tachawor_proto::dates::date_str)
                            .map(|d| tr.date(&d))
                            .collect(),
                        issued: tr.timestamp_date(found.issued_at.as_ref()),
                    })
                }
            },
        }
    }
    page.frame.has_errors = page.error.is_some();
    // A verification names a person: no shared cache keeps it.
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

/// `GET /{lang}/verify[?code=…]`: the form, and its answer.
pub async fn form(
    State(app): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<CodeQuery>,
) -> Result<Response, PageError> {
    render(&app, lang_of(&lang)?, query.code).await
}

/// `GET /{lang}/verify/{code}`: the link a certificate's QR code holds.
pub async fn code(
    State(app): State<AppState>,
    Path((lang, code)): Path<(String, String)>,
) -> Result<Response, PageError> {
    render(&app, lang_of(&lang)?, Some(code)).await
}

/// `GET /verify/{code}`: the same, in the visitor's language.
pub async fn code_any_language(headers: HeaderMap, Path(code): Path<String>) -> Response {
    match normalise_code(&code) {
        Some(code) => redirect_in_language(&headers, &format!("verify/{code}")),
        None => redirect_in_language(&headers, "verify"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_or_refused() {
        assert_eq!(normalise_code(" ab12-cd ").as_deref(), Some("AB12-CD"));
        assert_eq!(normalise_code(""), None);
        assert_eq!(normalise_code("<script>"), None);
        assert_eq!(normalise_code(&"A".repeat(65)), None);
    }
}
