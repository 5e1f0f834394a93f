//! Contacts and passwords: verifying an email or phone, changing them, changing and resetting
//! the password, and the contact the notification service sends to.
//!
//! Identity sends nothing itself: a link or code is made here and announced by
//! `identity.contact.message_requested` (no contact, no secret in it); the notification
//! service reads the address and the secret with GetDeliveryContact.

use serde_json::json;
use tachawor_errors::{Error, Violations};
use tachawor_proto::{
    catalogue,
    common::Locale,
    events::AccountPasswordChanged,
    identity::{
        ChangeContactRequest, ChangeContactResponse, ChangePasswordRequest, ChangePasswordResponse,
        ConfirmContactRequest, ConfirmContactResponse, GetDeliveryContactRequest,
        GetDeliveryContactResponse, RequestContactVerificationRequest,
        RequestContactVerificationResponse, RequestPasswordResetRequest,
        RequestPasswordResetResponse, ResetPasswordRequest, ResetPasswordResponse,
    },
};
use tachawor_runtime::audit;
use zeroize::Zeroizing;

use super::{accounts::me, sessions::token_pair};
use crate::{
    contact_secrets,
    context::{Call, Context},
    domain::{
        self,
        contact::{self, Channel, Purpose},
        rule::Rule,
    },
    limits::{self, Verdict},
    store::{
        accounts::{self, AccountRecord},
        contact_secrets as secrets, tokens as token_store,
    },
    tokens, validate,
};

/// The longest secret accepted: a link's token is 43 characters, a code 6.
const SECRET_MAX: usize = 256;

fn check_channel(v: &mut Violations, value: i32) -> Option<Channel> {
    let channel = Channel::from_proto(value);
    v.check(channel.is_some(), "channel", "must be email or phone");
    channel
}

fn check_secret(v: &mut Violations, field: &str, secret: &str) {
    v.check(
        !secret.trim().is_empty() && secret.len() <= SECRET_MAX,
        field,
        "is required (the link's token or the code)",
    );
}

fn check_new_password(ctx: &Context, v: &mut Violations, field: &str, password: &str) {
    let min = ctx.settings.passwords.min_length;
    v.check(
        validate::is_password(password, min),
        field,
        &format!("must have {min} to 256 characters"),
    );
}

/// `RESOURCE_EXHAUSTED` when a limit said wait.
fn within(verdict: Verdict, what: &str) -> Result<(), Error> {
    match verdict {
        Verdict::Go => Ok(()),
        Verdict::Wait(ms) => Err(limits::refusal(what, ms)),
    }
}

/// Checks the signed-in person's password again. Guesses count as login attempts on the
/// account (the same doubling delay), and the check takes a hashing turn like a login.
async fn check_password(
    ctx: &Context,
    call: &Call,
    record: &AccountRecord,
    password: String,
) -> Result<(), Error> {
    let password = Zeroizing::new(password);
    let keys = limits::login_keys(&format!("account:{}", record.row.account_id), call.peer);
    let turn = ctx.passwords.turn().await?;
    let verdict =
        limits::reserve_login(ctx.db.pool(), &ctx.settings.login_limits, &keys, ctx.now()).await?;
    within(verdict, "too many wrong passwords")?;
    let hash = record.row.password_hash.clone();
    if !ctx.passwords.verify_in(turn, password, hash).await? {
        return Err(Error::PermissionDenied("wrong password".into()));
    }
    limits::login_succeeded(ctx.db.pool(), &keys).await?;
    Ok(())
}

pub async fn request_contact_verification(
    ctx: &Context,
    call: &Call,
    req: RequestContactVerificationRequest,
) -> Result<RequestContactVerificationResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    let channel = check_channel(&mut v, req.channel);
    let channel = validate::parsed(v, channel)?;

    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let record = me(ctx, call, &mut conn).await?;
    drop(conn);
    contact::check_verifiable(
        record.row.contact(channel).is_some(),
        record.row.contact_verified(channel),
    )?;
    let verdict = limits::reserve_verification(
        ctx.db.pool(),
        &ctx.settings.contacts,
        &caller.account_id,
        ctx.now(),
    )
    .await?;
    within(verdict, "too many verification requests")?;

    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    let expires_at = contact_secrets::request(
        ctx,
        &mut tx,
        &caller.account_id,
        channel,
        Purpose::VerifyContact,
        None,
        now,
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(RequestContactVerificationResponse {
        expires_at: Some(domain::timestamp(expires_at)),
    })
}

pub async fn confirm_contact(
    ctx: &Context,
    call: &Call,
    req: ConfirmContactRequest,
) -> Result<ConfirmContactResponse, Error> {
    let mut v = Violations::new();
    let channel = check_channel(&mut v, req.channel);
    check_secret(&mut v, "secret", &req.secret);
    let channel = validate::parsed(v, channel)?;
    let secret = req.secret.trim();
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    let found = match channel {
        // The link's token is enough: it names the account.
        Channel::Email => {
            contact_secrets::find_link(ctx, &mut tx, secret, Purpose::VerifyContact, now).await?
        }
        // Six digits are not: the code is tried against the signed-in owner's request.
        Channel::Sms => {
            let caller = call.account()?;
            contact_secrets::check_code(
                ctx,
                &mut tx,
                &caller.account_id,
                secret,
                Purpose::VerifyContact,
                now,
            )
            .await?
        }
    };
    let Some(row) = found else {
        // A wrong try counted must stay counted.
        ctx.commit(tx).await?;
        return Err(Rule::ContactSecretInvalid.into());
    };
    let account = accounts::find_row(&mut tx, &row.account_id).await?;
    let usable = account.as_ref().is_some_and(|a| a.is_active());
    if !usable || !secrets::consume(&mut tx, &row.request_id, now).await? {
        return Err(Rule::ContactSecretInvalid.into());
    }
    accounts::set_contact_verified(&mut tx, &row.account_id, channel, now).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &row.account_id,
            action: "account.confirm_contact",
            target_type: "account",
            target_id: &row.account_id,
            before: json!({ "channel": channel.as_sql(), "verified": false }),
            after: json!({ "channel": channel.as_sql(), "verified": true }),
        },
        now,
    )
    .await?;
    ctx.commit(tx).await?;
    Ok(ConfirmContactResponse {
        account_id: row.account_id,
        channel: channel.to_proto() as i32,
    })
}

/// The value a change gives `channel`, normalised as Register stores it; `None` when it is
/// not an email address / phone number.
fn contact_value(channel: Option<Channel>, raw: &str) -> Option<String> {
    match channel? {
        Channel::Email => {
            let email = validate::normalise_email(raw);
            validate::is_email(&email).then_some(email)
        }
        Channel::Sms => validate::normalise_phone(raw),
    }
}

pub async fn change_contact(
    ctx: &Context,
    call: &Call,
    mut req: ChangeContactRequest,
) -> Result<ChangeContactResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    let channel = check_channel(&mut v, req.channel);
    let value = contact_value(channel, &req.value);
    if channel.is_some() {
        v.check(
            value.is_some(),
            "value",
            "is not an email address or a phone number, as the channel says",
        );
    }
    v.check(!req.password.is_empty(), "password", "is required");
    let channel = validate::parsed(v, channel)?;
    let value = value.ok_or_else(|| Error::field("value", "is required"))?;

    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let record = me(ctx, call, &mut conn).await?;
    drop(conn);
    contact::check_changed(record.row.contact(channel), &value)?;
    check_password(ctx, call, &record, std::mem::take(&mut req.password)).await?;

    let id = record.row.account_id.clone();
    let was_verified = record.row.contact_verified(channel);
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    accounts::set_contact(&mut tx, &id, channel, &value, now)
        .await
        .map_err(|e| match Error::from(e) {
            Error::AlreadyExists(_) => Error::AlreadyExists(
                "contact.taken: this email or phone number belongs to another account".into(),
            ),
            other => other,
        })?;
    // Links and codes sent to the old value die with it.
    secrets::delete_pending(&mut tx, &id, Some(channel.as_sql()), None).await?;
    contact_secrets::request(
        ctx,
        &mut tx,
        &id,
        channel,
        Purpose::VerifyContact,
        None,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &id,
            action: "account.change_contact",
            target_type: "account",
            target_id: &id,
            before: json!({
                "channel": channel.as_sql(),
                "present": record.row.contact(channel).is_some(),
                "verified": was_verified,
            }),
            after: json!({ "channel": channel.as_sql(), "present": true, "verified": false }),
        },
        now,
    )
    .await?;
    let updated = accounts::load(&mut tx, &id, &ctx.today())
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    ctx.commit(tx).await?;
    Ok(ChangeContactResponse {
        account: Some(updated.to_proto()),
    })
}

/// Ends every session of the account, drops pending resets and says the password changed.
async fn password_replaced(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    account_id: &str,
    how: &str,
    now: i64,
) -> Result<(), Error> {
    token_store::revoke_all(tx, account_id, now).await?;
    secrets::delete_pending(tx, account_id, None, Some(Purpose::ResetPassword.as_sql())).await?;
    audit::record(
        tx,
        audit::Change {
            actor_id: account_id,
            action: "account.password_changed",
            target_type: "account",
            target_id: account_id,
            before: json!({}),
            after: json!({ "how": how, "sessions_revoked": true }),
        },
        now,
    )
    .await?;
    ctx.emit(
        tx,
        catalogue::ACCOUNT_PASSWORD_CHANGED,
        account_id,
        &AccountPasswordChanged {
            account_id: account_id.to_string(),
            how: how.into(),
        },
    )
    .await
}

pub async fn change_password(
    ctx: &Context,
    call: &Call,
    mut req: ChangePasswordRequest,
) -> Result<ChangePasswordResponse, Error> {
    call.account()?;
    let mut v = Violations::new();
    v.check(
        !req.current_password.is_empty(),
        "current_password",
        "is required",
    );
    check_new_password(ctx, &mut v, "new_password", &req.new_password);
    v.finish()?;

    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let record = me(ctx, call, &mut conn).await?;
    drop(conn);
    check_password(
        ctx,
        call,
        &record,
        std::mem::take(&mut req.current_password),
    )
    .await?;
    let hash = ctx
        .passwords
        .hash(std::mem::take(&mut req.new_password))
        .await?;

    let id = record.row.account_id.clone();
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    accounts::set_password_hash(&mut tx, &id, &hash, now).await?;
    password_replaced(ctx, &mut tx, &id, "changed", now).await?;
    // The caller goes on in a new session; every other one has ended.
    let refresh = tokens::open_family(&mut tx, &id, &ctx.settings.tokens, now).await?;
    let pair = token_pair(ctx, &record, refresh, now)?;
    ctx.commit(tx).await?;
    Ok(ChangePasswordResponse { tokens: Some(pair) })
}

/// An identifier as Login reads it, and the channel it is: `None` when it is neither an email
/// address nor a phone number.
fn identifier_channel(raw: &str) -> Option<(String, Channel)> {
    if validate::looks_like_email(raw) {
        let email = validate::normalise_email(raw);
        validate::is_email(&email).then_some((email, Channel::Email))
    } else {
        validate::normalise_phone(raw).map(|phone| (phone, Channel::Sms))
    }
}

pub async fn request_password_reset(
    ctx: &Context,
    call: &Call,
    req: RequestPasswordResetRequest,
) -> Result<RequestPasswordResetResponse, Error> {
    let mut v = Violations::new();
    let identifier = identifier_channel(&req.identifier);
    v.check(
        identifier.is_some(),
        "identifier",
        "must be an email address or a phone number",
    );
    v.check(
        Locale::try_from(req.locale).is_ok(),
        "locale",
        "is not a known locale",
    );
    let (identifier, channel) = validate::parsed(v, identifier)?;
    let settings = &ctx.settings.contacts;
    let verdict = limits::reserve_reset_from(ctx.db.pool(), settings, call.peer, ctx.now()).await?;
    within(verdict, "too many password reset requests")?;
    // Beyond a few messages an hour for one identifier, nothing more is sent, and the answer
    // is the same: the caller cannot tell a limit from an unknown identifier either.
    let verdict =
        limits::reserve_reset_for(ctx.db.pool(), settings, &identifier, ctx.now()).await?;
    if verdict != Verdict::Go {
        return Ok(RequestPasswordResetResponse {});
    }
    let locale = match Locale::try_from(req.locale) {
        Ok(Locale::Unspecified) | Err(_) => None,
        Ok(locale) => Some(domain::locale_str(locale)),
    };
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    // The same statements run whether or not the identifier has an account; only a verified
    // contact gets a reset (an unverified one receives nothing but its own verification).
    let row = accounts::find_by_identifier(&mut tx, &identifier).await?;
    if let Some(row) = row.filter(|r| r.contact_verified(channel)) {
        contact_secrets::request(
            ctx,
            &mut tx,
            &row.account_id,
            channel,
            Purpose::ResetPassword,
            locale,
            now,
        )
        .await?;
    }
    ctx.commit(tx).await?;
    Ok(RequestPasswordResetResponse {})
}

pub async fn reset_password(
    ctx: &Context,
    _call: &Call,
    mut req: ResetPasswordRequest,
) -> Result<ResetPasswordResponse, Error> {
    let mut v = Violations::new();
    check_secret(&mut v, "secret", &req.secret);
    let phone =
        (!req.identifier.trim().is_empty()).then(|| validate::normalise_phone(&req.identifier));
    v.check(
        !matches!(phone, Some(None)),
        "identifier",
        "must be the phone number the code was sent to",
    );
    check_new_password(ctx, &mut v, "new_password", &req.new_password);
    v.finish()?;
    let secret = req.secret.trim();
    let now = ctx.now();

    let mut tx = ctx.begin().await?;
    let found = match phone.flatten() {
        None => {
            contact_secrets::find_link(ctx, &mut tx, secret, Purpose::ResetPassword, now).await?
        }
        Some(phone) => match accounts::find_by_identifier(&mut tx, &phone).await? {
            Some(account) if account.phone.as_deref() == Some(phone.as_str()) => {
                contact_secrets::check_code(
                    ctx,
                    &mut tx,
                    &account.account_id,
                    secret,
                    Purpose::ResetPassword,
                    now,
                )
                .await?
            }
            _ => None,
        },
    };
    // A wrong try counted must stay counted.
    ctx.commit(tx).await?;
    let Some(row) = found else {
        return Err(Rule::PasswordResetInvalid.into());
    };

    // Hashed outside the transaction; the secret is used up only with the new hash in hand.
    let hash = ctx
        .passwords
        .hash(std::mem::take(&mut req.new_password))
        .await?;
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    let active = accounts::find_row(&mut tx, &row.account_id)
        .await?
        .is_some_and(|a| a.is_active());
    if !active || !secrets::consume(&mut tx, &row.request_id, now).await? {
        return Err(Rule::PasswordResetInvalid.into());
    }
    accounts::set_password_hash(&mut tx, &row.account_id, &hash, now).await?;
    password_replaced(ctx, &mut tx, &row.account_id, "reset", now).await?;
    ctx.commit(tx).await?;
    Ok(ResetPasswordResponse {})
}

pub async fn get_delivery_contact(
    ctx: &Context,
    call: &Call,
    req: GetDeliveryContactRequest,
) -> Result<GetDeliveryContactResponse, Error> {
    let service = call.service()?;
    if service.name != ctx.settings.contacts.delivery_client {
        return Err(Error::PermissionDenied(
            "only the notification service reads contacts".into(),
        ));
    }
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    let channel = check_channel(&mut v, req.channel);
    v.check(
        req.request_id.is_empty() || validate::is_uuid(&req.request_id),
        "request_id",
        "must be a UUID or empty",
    );
    let channel = validate::parsed(v, channel)?;

    let nobody = || Error::not_found("contact");
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let account = accounts::find_row(&mut conn, &req.account_id)
        .await?
        .filter(|a| a.is_active())
        .ok_or_else(nobody)?;
    let address = account.contact(channel).ok_or_else(nobody)?.to_string();
    let (secret, locale) = if req.request_id.is_empty() {
        // Messages carrying no secret go to a verified contact the person agreed to be told at.
        let consented =
            accounts::has_consent(&mut conn, &account.account_id, channel.consent_purpose())
                .await?;
        if !account.contact_verified(channel) || !consented {
            return Err(nobody());
        }
        (String::new(), account.locale.clone())
    } else {
        let row = secrets::find_request(&mut conn, &req.request_id, ctx.now())
            .await?
            .filter(|r| r.account_id == account.account_id && r.channel == channel.as_sql())
            .ok_or_else(nobody)?;
        let secret = contact_secrets::open(ctx, &row)?;
        (secret, row.locale.unwrap_or_else(|| account.locale.clone()))
    };
    Ok(GetDeliveryContactResponse {
        address,
        secret,
        locale: domain::locale_from_str(&locale) as i32,
        display_name: account.display_name.unwrap_or_default(),
    })
}
