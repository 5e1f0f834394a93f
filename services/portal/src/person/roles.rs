//! The roles an access token names, read by the portal only to decide what to show: which
//! pages and links a person sees. The services verify the token and check every action again,
//! so a forged claim here opens a page whose every call is refused.

use base64::Engine;
use serde::Deserialize;

#[derive(Default, Deserialize)]
struct RoleClaims {
    #[serde(default)]
    roles: Vec<String>,
    /// What the roles apply to: `instance:<id>`, `association:<id>`.
    #[serde(default)]
    scopes: Vec<String>,
}

/// The claims of a JWT's payload that name roles; none when the token cannot be read.
fn claims_of(access_token: &str) -> RoleClaims {
    access_token
        .split('.')
        .nth(1)
        .and_then(|payload| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload.trim_end_matches('='))
                .ok()
        })
        .and_then(|json| serde_json::from_slice::<RoleClaims>(&json).ok())
        .unwrap_or_default()
}

/// The role names in a JWT's payload; none when the token cannot be read.
pub fn roles_of(access_token: &str) -> Vec<String> {
    claims_of(access_token).roles
}

/// The consultative instances the token's holder sits on (its `instance:<id>` scopes), in the
/// token's order.
pub fn instances_of(access_token: &str) -> Vec<String> {
    claims_of(access_token)
        .scopes
        .iter()
        .filter_map(|s| s.strip_prefix("instance:"))
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a person may open in the staff console.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaffRoles {
    /// Council staff or administrator: the console is theirs.
    pub staff: bool,
    /// Administrators also grant roles.
    pub admin: bool,
    /// An observer without a staff role: reads the console's read-only desks, acts on nothing.
    pub observer: bool,
}

impl StaffRoles {
    pub fn of(access_token: &str) -> Self {
        let roles = roles_of(access_token);
        let has = |name: &str| roles.iter().any(|r| r == name);
        let admin = has(tachawor_auth::Role::Administrator.as_str());
        let staff = admin || has(tachawor_auth::Role::CouncilStaff.as_str());
        Self {
            staff,
            admin,
            observer: !staff && has(tachawor_auth::Role::Observer.as_str()),
        }
    }

    /// Whether the person opens the console at all: staff, or an observer to read.
    pub fn reads(&self) -> bool {
        self.staff || self.observer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(payload: &str) -> String {
        let encode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.c2ln", encode(r#"{"alg":"EdDSA"}"#), encode(payload))
    }

    #[test]
    fn staff_and_administrators_are_told_apart_from_citizens() {
        let citizen = StaffRoles::of(&token(r#"{"sub":"a","roles":["citizen"]}"#));
        assert_eq!(citizen, StaffRoles::default());
        let staff = StaffRoles::of(&token(r#"{"roles":["citizen","council_staff"]}"#));
        assert!(staff.staff && !staff.admin);
        let admin = StaffRoles::of(&token(r#"{"roles":["administrator"]}"#));
        assert!(admin.staff && admin.admin && !admin.observer);
        let observer = StaffRoles::of(&token(r#"{"roles":["citizen","observer"]}"#));
        assert!(!observer.staff && !observer.admin && observer.observer && observer.reads());
        assert!(!citizen.reads());
    }

    #[test]
    fn instances_come_from_the_instance_scopes() {
        let member = token(
            r#"{"roles":["instance_member"],"scopes":["association:a1","instance:i1","instance:i2"]}"#,
        );
        assert_eq!(instances_of(&member), ["i1", "i2"]);
        assert!(instances_of(&token(r#"{"roles":["citizen"]}"#)).is_empty());
        assert!(instances_of("not-a-jwt").is_empty());
    }

    #[test]
    fn an_unreadable_token_grants_nothing() {
        assert_eq!(StaffRoles::of("not-a-jwt"), StaffRoles::default());
        assert_eq!(StaffRoles::of("a.%%%.c"), StaffRoles::default());
        assert_eq!(StaffRoles::of(&token("[1,2]")), StaffRoles::default());
    }
}
