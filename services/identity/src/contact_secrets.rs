//! Links and codes sent to a person's contacts: made when a message is requested, checked when
//! presented. Each is single use and short-lived, and a code survives only a few wrong tries.
//! A newer request supersedes the pending one of the same account, channel and purpose.
//!
//! A secret is stored twice, neither in clear: a keyed hash to find or check it, and sealed
//! with the CIN key so that GetDeliveryContact can hand it to the notification service while
//! the request is pending. The event announcing the request carries neither.

use rand::Rng;
use sqlx::AnyConnection;
use tachawor_errors::Error;
use tachawor_proto::{catalogue, events::ContactMessageRequested};
use tachawor_storage::Transaction;

use crate::{
    context::Context,
    domain::{
        self,
        contact::{self, Channel, Purpose},
    },
    protect::{self, random_token},
    store::contact_secrets::{self as store, SecretRow},
};

/// Six digits, any of a million.
fn code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// The associated data a secret is sealed with: it opens for its own request only.
fn seal_context(request_id: &str) -> Vec<u8> {
    format!("tachawor.identity.contact_secret:{request_id}").into_bytes()
}

/// The keyed hash of a link's token (found by it alone) or of a code (checked against its own
/// request's: six digits alone would collide between accounts).
fn hash(ctx: &Context, channel: Channel, request_id: &str, secret: &str) -> String {
    match channel {
        Channel::Email => ctx
            .cin_fingerprints
            .fingerprint(&format!("contact-link:{secret}")),
        Channel::Sms => ctx
            .cin_fingerprints
            .fingerprint(&format!("contact-code:{request_id}:{secret}")),
    }
}

/// Makes a secret for `account_id`'s contact on `channel`, superseding the pending one for the
/// same purpose, and enqueues `identity.contact.message_requested` in `tx`. `locale`: the
/// language asked for the message, else the account's. Returns when the secret expires.
pub async fn request(
    ctx: &Context,
    tx: &mut Transaction,
    account_id: &str,
    channel: Channel,
    purpose: Purpose,
    locale: Option<&str>,
    now: i64,
) -> Result<i64, Error> {
    store::delete_pending(
        tx,
        account_id,
        Some(channel.as_sql()),
        Some(purpose.as_sql()),
    )
    .await?;
    let request_id = uuid::Uuid::now_v7().to_string();
    let secret = zeroize::Zeroizing::new(match channel {
        Channel::Email => random_token(),
        Channel::Sms => code(),
    });
    let expires_at = now + contact::lifetime_ms(&ctx.settings.contacts, channel, purpose);
    let row = SecretRow {
        request_id: request_id.clone(),
        account_id: account_id.to_string(),
        channel: channel.as_sql().into(),
        purpose: purpose.as_sql().into(),
        secret_hash: hash(ctx, channel, &request_id, &secret),
        secret_sealed: ctx
            .cin_sealer
            .seal(secret.as_bytes(), &seal_context(&request_id)),
        locale: locale.map(str::to_string),
        expires_at,
    };
    store::insert(tx, &row, now).await?;
    ctx.emit(
        tx,
        catalogue::CONTACT_MESSAGE_REQUESTED,
        account_id,
        &ContactMessageRequested {
            account_id: account_id.to_string(),
            request_id,
            channel: channel.as_sql().into(),
            purpose: purpose.as_sql().into(),
            expires_at: Some(domain::timestamp(expires_at)),
        },
    )
    .await?;
    Ok(expires_at)
}

/// The pending request for `purpose` whose emailed link carries `token`, whoever's it is.
pub async fn find_link(
    ctx: &Context,
    conn: &mut AnyConnection,
    token: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Option<SecretRow>, Error> {
    let row = store::find_by_hash(conn, &hash(ctx, Channel::Email, "", token), now).await?;
    Ok(row.filter(|r| r.channel == Channel::Email.as_sql() && r.purpose == purpose.as_sql()))
}

/// The account's pending request for `purpose` on its phone, if `code` is its code. A wrong
/// code counts a try, and the last one allowed kills the request: the caller commits `conn`'s
/// transaction even when the answer is `None`.
pub async fn check_code(
    ctx: &Context,
    conn: &mut AnyConnection,
    account_id: &str,
    code: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Option<SecretRow>, Error> {
    let channel = Channel::Sms;
    let Some(row) =
        store::find_pending(conn, account_id, channel.as_sql(), purpose.as_sql(), now).await?
    else {
        return Ok(None);
    };
    let presented = hash(ctx, channel, &row.request_id, code);
    if protect::constant_time_eq(presented.as_bytes(), row.secret_hash.as_bytes()) {
        return Ok(Some(row));
    }
    let tries = store::count_wrong_try(conn, &row.request_id).await?;
    if tries >= ctx.settings.contacts.max_code_attempts {
        store::delete(conn, &row.request_id).await?;
    }
    Ok(None)
}

/// The secret of a pending request, for the notification service to send.
pub fn open(ctx: &Context, row: &SecretRow) -> Result<String, Error> {
    let plain = ctx
        .cin_sealer
        .open(&row.secret_sealed, &seal_context(&row.request_id))
        .map_err(Error::internal)?;
    String::from_utf8(plain).map_err(Error::internal)
}
