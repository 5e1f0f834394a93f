//! Pages of lists: `tachawor.common.v1.PageRequest` in, `next_page_token` out.
//!
//! The token is opaque to clients (base64url of an offset); services only call
//! [`Page::from_request`] and [`Page::next_token`].

use crate::common::PageRequest;

const PREFIX: &str = "o";

/// A validated page: how many rows and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

/// Why a page request was refused: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub field: &'static str,
    pub description: &'static str,
}

impl Page {
    /// A page of `default_size` rows when unset, at most `max_size`.
    pub fn from_request(
        request: Option<&PageRequest>,
        default_size: i64,
        max_size: i64,
    ) -> Result<Self, PageError> {
        let Some(request) = request else {
            return Ok(Self {
                limit: default_size,
                offset: 0,
            });
        };
        if request.page_size < 0 {
            return Err(PageError {
                field: "page.page_size",
                description: "must not be negative",
            });
        }
        let limit = match i64::from(request.page_size) {
            0 => default_size,
            n => n.min(max_size),
        };
        let offset = if request.page_token.is_empty() {
            0
        } else {
            decode(&request.page_token).ok_or(PageError {
                field: "page.page_token",
                description: "is not a token this service issued",
            })?
        };
        Ok(Self { limit, offset })
    }

    /// Rows to fetch: one more than the page, to know whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }

    /// Trims the extra row and returns the token of the next page (empty on the last page).
    pub fn finish<T>(&self, rows: &mut Vec<T>) -> String {
        if rows.len() as i64 > self.limit {
            rows.truncate(self.limit as usize);
            encode(self.offset + self.limit)
        } else {
            String::new()
        }
    }
}

fn encode(offset: i64) -> String {
    let raw = format!("{PREFIX}{offset}");
    raw.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode(token: &str) -> Option<i64> {
    if !token.len().is_multiple_of(2) || token.len() > 40 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&token[i..i + 2], 16).ok())
        .collect();
    let raw = String::from_utf8(bytes?).ok()?;
    raw.strip_prefix(PREFIX)?
        .parse()
        .ok()
        .filter(|o: &i64| *o >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(size: i32, token: &str) -> PageRequest {
        PageRequest {
            page_size: size,
            page_token: token.into(),
        }
    }

    #[test]
    fn defaults_and_clamping() {
        assert_eq!(
            Page::from_request(None, 50, 200).unwrap(),
            Page {
                limit: 50,
                offset: 0
            }
        );
        assert_eq!(
            Page::from_request(Some(&req(0, "")), 50, 200)
                .unwrap()
                .limit,
            50
        );
        assert_eq!(
            Page::from_request(Some(&req(1000, "")), 50, 200)
                .unwrap()
                .limit,
            200
        );
        assert_eq!(
            Page::from_request(Some(&req(-1, "")), 50, 200)
                .unwrap_err()
                .field,
            "page.page_size"
        );
    }

    #[test]
    fn tokens_round_trip_and_forgeries_fail() {
        let page = Page {
            limit: 2,
            offset: 4,
        };
        let mut rows = vec![1, 2, 3];
        let token = page.finish(&mut rows);
        assert_eq!(rows, vec![1, 2]);
        let next = Page::from_request(Some(&req(2, &token)), 50, 200).unwrap();
        assert_eq!(next.offset, 6);
        let mut last = vec![1];
        assert_eq!(next.finish(&mut last), "");
        assert_eq!(
            Page::from_request(Some(&req(2, "zz")), 50, 200)
                .unwrap_err()
                .field,
            "page.page_token"
        );
    }
}
