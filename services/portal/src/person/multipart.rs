//! Posts of `multipart/form-data` (the imports desk's files, staff's documents): their parts
//! read by `multer`, the parser axum itself uses, and the form token checked as any post's.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
};

use super::{RawPost, Visitor};
use crate::error::PageError;

/// One named part of the body: a field, or a file with the name the browser gave it.
#[derive(Debug, PartialEq)]
pub struct Part {
    pub name: String,
    /// The file's name as chosen, for a file input.
    pub file_name: Option<String>,
    pub content: Bytes,
}

/// A multipart post whose `csrf` part is the visitor's form token; its parts in order (none
/// when the body is not multipart or cannot be read).
pub struct MultipartPost {
    pub visitor: Visitor,
    pub parts: Vec<Part>,
}

impl MultipartPost {
    /// The first part named `name`.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }
}

impl<S: Send + Sync> FromRequest<S> for MultipartPost {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let post = RawPost::read(request, state).await?;
        let parts = parts(&post.content_type, post.bytes.clone())
            .await
            .unwrap_or_default();
        let sent = parts
            .iter()
            .find(|p| p.name == "csrf")
            .and_then(|p| std::str::from_utf8(&p.content).ok())
            .unwrap_or_default();
        post.check_token(sent)?;
        Ok(Self {
            visitor: post.visitor,
            parts,
        })
    }
}

/// The named parts of a `multipart/form-data` body (RFC 7578), in order; `None` when the body
/// is not one or cannot be read.
async fn parts(content_type: &str, body: Bytes) -> Option<Vec<Part>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let whole = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(whole, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().map(str::to_string);
        let file_name = field.file_name().map(str::to_string);
        let content = field.bytes().await.ok()?;
        if let Some(name) = name {
            parts.push(Part {
                name,
                file_name,
                content,
            });
        }
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_multipart_body_gives_its_named_parts() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.csv\"\r\n\
                    Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n--XyZ--\r\n";
        let parts = parts("multipart/form-data; boundary=\"XyZ\"", Bytes::from(body))
            .await
            .expect("a multipart body");
        assert_eq!(
            parts,
            [
                Part {
                    name: "csrf".into(),
                    file_name: None,
                    content: Bytes::from_static(b"tok"),
                },
                Part {
                    name: "file".into(),
                    file_name: Some("m.csv".into()),
                    content: Bytes::from_static(b"a,b\r\n1,2\r\n"),
                },
            ]
        );
        let form = Bytes::from_static(b"csrf=tok");
        assert!(
            super::parts("application/x-www-form-urlencoded", form)
                .await
                .is_none()
        );
    }
}
