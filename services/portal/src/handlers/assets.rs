//! The style sheet, served under a name that changes with its content so browsers may keep it
//! for a year.

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
};

use crate::page::{CachePolicy, with_policy};

pub const STYLESHEET: &str = include_str!("../../static/portal.css");

/// `/static/portal-<hash>.css`: the stylesheet's path, as pages link it.
pub static STYLESHEET_PATH: LazyLock<String> =
    LazyLock::new(|| format!("/static/portal-{:016x}.css", fnv1a(STYLESHEET.as_bytes())));

/// FNV-1a: stable across builds and Rust versions, enough to tell versions of a file apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub async fn stylesheet(Path(name): Path<String>) -> Response {
    if format!("/static/{name}") != *STYLESHEET_PATH {
        return with_policy(
            axum::http::StatusCode::NOT_FOUND.into_response(),
            CachePolicy::NoStore,
        );
    }
    with_policy(
        (
            [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
            STYLESHEET,
        )
            .into_response(),
        CachePolicy::Immutable,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Physical directions would lay Arabic out backwards: the sheet uses logical properties
    /// (`inline-size`, `margin-inline-start`…) only, and no value says left or right.
    #[test]
    fn the_stylesheet_names_no_physical_direction() {
        let code: String = STYLESHEET
            .split("*/")
            .map(|part| part.split("/*").next().unwrap_or_default())
            .collect();
        let physical = |name: &str| {
            let sides = ["left", "right", "top", "bottom"];
            sides.contains(&name)
                || [
                    "width",
                    "height",
                    "min-width",
                    "max-width",
                    "min-height",
                    "max-height",
                ]
                .contains(&name)
                || ["margin-", "padding-", "border-"].iter().any(|prefix| {
                    name.strip_prefix(prefix)
                        .is_some_and(|rest| sides.iter().any(|s| rest.starts_with(s)))
                })
        };
        for declaration in code.split(['{', '}', ';']) {
            let Some((name, value)) = declaration.split_once(':') else {
                continue;
            };
            let name = name.trim();
            if name.contains(['.', '[', ' ', '#']) {
                continue; // a selector such as `a:hover`
            }
            assert!(
                !physical(name),
                "`{name}` is physical: use a logical property"
            );
            assert!(
                !value.contains("left") && !value.contains("right"),
                "`{declaration}` names a physical side"
            );
        }
    }

    #[test]
    fn the_stylesheet_path_changes_with_its_content() {
        assert!(STYLESHEET_PATH.starts_with("/static/portal-"));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
