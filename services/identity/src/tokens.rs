//! Access tokens (JWT, Ed25519) and refresh tokens (opaque, rotated, in families).
//!
//! A login opens a family. Each refresh marks the presented token used and issues the next one
//! in the same family. A token presented again after use means it was copied: the whole family
//! is revoked, so the thief and the victim both have to log in again.

use sqlx::AnyConnection;
use tachawor_auth::{Claims, SubjectKind};

use crate::{
    protect::{random_token, sha256_hex},
    settings::TokenSettings,
    store::{accounts::AccountRecord, tokens as store},
};

pub fn account_claims(account: &AccountRecord, settings: &TokenSettings, now_ms: i64) -> Claims {
    claims(
        &account.row.account_id,
        SubjectKind::Account,
        account.role_names(),
        account.scopes.clone(),
        settings,
        settings.access_ttl_secs,
        now_ms,
    )
}

pub fn service_claims(client_id: &str, settings: &TokenSettings, now_ms: i64) -> Claims {
    claims(
        client_id,
        SubjectKind::Service,
        Vec::new(),
        Vec::new(),
        settings,
        settings.service_token_ttl_secs,
        now_ms,
    )
}

fn claims(
    subject: &str,
    kind: SubjectKind,
    roles: Vec<String>,
    scopes: Vec<String>,
    settings: &TokenSettings,
    ttl_secs: i64,
    now_ms: i64,
) -> Claims {
    let now = now_ms / 1000;
    Claims {
        iss: settings.issuer.clone(),
        aud: settings.audience.clone(),
        sub: subject.to_string(),
        exp: now + ttl_secs,
        nbf: now,
        iat: now,
        jti: uuid::Uuid::now_v7().to_string(),
        kind,
        roles,
        scopes,
    }
}

/// A new refresh token, as handed to the client, and when it expires.
pub struct Issued {
    pub token: String,
    pub expires_at: i64,
}

/// Opens a family for a new login and issues its first refresh token.
pub async fn open_family(
    conn: &mut AnyConnection,
    account_id: &str,
    settings: &TokenSettings,
    now: i64,
) -> Result<Issued, sqlx::Error> {
    let family_id = uuid::Uuid::now_v7().to_string();
    store::insert_family(&mut *conn, &family_id, account_id, now).await?;
    issue(conn, &family_id, settings, now).await
}

async fn issue(
    conn: &mut AnyConnection,
    family_id: &str,
    settings: &TokenSettings,
    now: i64,
) -> Result<Issued, sqlx::Error> {
    let token = random_token();
    let expires_at = now + settings.refresh_ttl_secs * 1000;
    store::insert_token(conn, &sha256_hex(&token), family_id, now, expires_at).await?;
    Ok(Issued { token, expires_at })
}

/// What presenting a refresh token led to.
pub enum Rotation {
    Rotated {
        account_id: String,
        next: Issued,
    },
    /// The token had been used already: its family is now revoked.
    Reused,
    /// Unknown, expired, or of a revoked family.
    Invalid,
}

pub async fn rotate(
    conn: &mut AnyConnection,
    presented: &str,
    settings: &TokenSettings,
    now: i64,
) -> Result<Rotation, sqlx::Error> {
    let hash = sha256_hex(presented);
    let Some(found) = store::find_token(&mut *conn, &hash).await? else {
        return Ok(Rotation::Invalid);
    };
    if found.revoked_at.is_some() || found.expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    let (family_id, account_id) = (found.family_id, found.account_id);
    // Only one of two concurrent refreshes with the same token can mark it used.
    if !store::mark_used(&mut *conn, &hash, now).await? {
        let used_at = store::used_at(&mut *conn, &hash).await?;
        // Pages loaded together refresh with the same token: within the grace they each get
        // a successor in the same family; a token replayed later is taken for a stolen one.
        let grace = settings.refresh_reuse_grace_secs * 1000;
        if used_at.is_some_and(|used| now - used <= grace) {
            let next = issue(conn, &family_id, settings, now).await?;
            return Ok(Rotation::Rotated { account_id, next });
        }
        store::revoke_family(conn, &family_id, now).await?;
        return Ok(Rotation::Reused);
    }
    let next = issue(conn, &family_id, settings, now).await?;
    Ok(Rotation::Rotated { account_id, next })
}

/// Revokes the family of a token (logout). Unknown tokens are ignored.
pub async fn revoke_by_token(
    conn: &mut AnyConnection,
    presented: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    store::revoke_family_of(conn, &sha256_hex(presented), now).await
}
