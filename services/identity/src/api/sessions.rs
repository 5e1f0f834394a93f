//! Registration, login, refresh, logout, the public key set and service tokens. These are the
//! RPCs an anonymous caller may use.

use secrecy::ExposeSecret;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    common::Locale,
    events::AccountRegistered,
    identity::{
        GetKeySetRequest, GetKeySetResponse, IssueServiceTokenRequest, IssueServiceTokenResponse,
        LoginRequest, LoginResponse, LogoutRequest, LogoutResponse, RefreshRequest,
        RefreshResponse, RegisterRequest, RegisterResponse, Role, TokenPair,
    },
};
use zeroize::Zeroizing;

use crate::{
    contact_secrets,
    context::{Call, Context},
    domain::{
        self, account,
        contact::{Channel, Purpose},
    },
    limits::{self, Verdict},
    protect,
    store::accounts::{self, AccountRecord, AccountRow},
    tokens::{self, Issued, Rotation},
    validate,
};

pub async fn register(
    ctx: &Context,
    call: &Call,
    mut req: RegisterRequest,
) -> Result<RegisterResponse, Error> {
    let email = validate::normalise_email(&req.email);
    let phone_given = !req.phone.trim().is_empty();
    let phone = validate::normalise_phone(&req.phone);
    let mut v = Violations::new();
    if email.is_empty() && !phone_given {
        v.add("email", "an email or a phone number is required");
    }
    v.check(
        email.is_empty() || validate::is_email(&email),
        "email",
        "is not an email address",
    );
    v.check(
        !phone_given || phone.is_some(),
        "phone",
        "is not a phone number",
    );
    v.check(
        validate::is_password(&req.password, ctx.settings.passwords.min_length),
        "password",
        &format!(
            "must have {} to 256 characters",
            ctx.settings.passwords.min_length
        ),
    );
    v.check(
        validate::is_display_name(&req.display_name),
        "display_name",
        "must have 2 to 100 characters",
    );
    v.check(
        Locale::try_from(req.locale).is_ok(),
        "locale",
        "is not a known locale",
    );
    v.finish()?;

    let password = Zeroizing::new(std::mem::take(&mut req.password));
    // A turn first: a registration turned away for lack of one counts against no limit.
    let turn = ctx.passwords.turn().await?;
    if let Verdict::Wait(ms) = limits::reserve_register(
        ctx.db.pool(),
        &ctx.settings.register_limits,
        call.peer,
        ctx.now(),
    )
    .await?
    {
        return Err(limits::refusal("too many registrations", ms));
    }

    // The hash is made whether or not the account exists, so the time taken tells nothing.
    let password_hash = ctx.passwords.hash_in(turn, password).await?;
    let now = ctx.now();
    let row = AccountRow {
        account_id: uuid::Uuid::now_v7().to_string(),
        email: (!email.is_empty()).then_some(email),
        phone,
        password_hash: Some(password_hash),
        display_name: Some(req.display_name.trim().to_string()),
        locale: domain::locale_str(Locale::try_from(req.locale).unwrap_or_default()).into(),
        status: account::Status::Active.as_sql().into(),
        verified: 0,
        verification_method: None,
        verified_at: None,
        residence_province_code: None,
        gender: None,
        age_band: None,
        province_code: None,
        created_at: now,
        person_key: None,
        legal_name: None,
        email_verified: 0,
        phone_verified: 0,
    };
    let mut tx = ctx.begin().await?;
    if let Err(e) = accounts::insert(&mut tx, &row, &[Role::Citizen]).await {
        return match Error::from(e) {
            // The email or phone has an account: it gets no second one, and the answer is the
            // same as for a new account (the owner is to be told by email or SMS instead).
            Error::AlreadyExists(_) => {
                tx.rollback().await?;
                Ok(RegisterResponse {})
            }
            other => Err(other),
        };
    }
    let record = accounts::complete(&mut tx, row, &ctx.today()).await?;
    ctx.emit(
        &mut tx,
        catalogue::ACCOUNT_REGISTERED,
        &record.row.account_id,
        &AccountRegistered {
            account_id: record.row.account_id.clone(),
            actor_kind: domain::actor_kind(&record.roles) as i32,
        },
    )
    .await?;
    // The person gets the link or code for each contact given at once.
    for channel in [Channel::Email, Channel::Sms] {
        if record.row.contact(channel).is_some() {
            let id = &record.row.account_id;
            let purpose = Purpose::VerifyContact;
            contact_secrets::request(ctx, &mut tx, id, channel, purpose, None, now).await?;
        }
    }
    ctx.commit(tx).await?;
    Ok(RegisterResponse {})
}

pub async fn login(
    ctx: &Context,
    call: &Call,
    mut req: LoginRequest,
) -> Result<LoginResponse, Error> {
    let mut v = Violations::new();
    v.check(
        !req.identifier.trim().is_empty(),
        "identifier",
        "is required",
    );
    v.check(!req.password.is_empty(), "password", "is required");
    v.finish()?;
    let identifier = if validate::looks_like_email(&req.identifier) {
        validate::normalise_email(&req.identifier)
    } else {
        validate::normalise_phone(&req.identifier).unwrap_or_else(|| req.identifier.clone())
    };
    let password = Zeroizing::new(std::mem::take(&mut req.password));
    let keys = limits::login_keys(&identifier, call.peer);
    // A turn first, so an attempt turned away for lack of one counts nothing; then the
    // attempt counts before the password is checked, so guesses sent at once cannot all be.
    let turn = ctx.passwords.turn().await?;
    let now = ctx.now();
    if let Verdict::Wait(ms) =
        limits::reserve_login(ctx.db.pool(), &ctx.settings.login_limits, &keys, now).await?
    {
        return Err(limits::refusal("too many failed sign-ins", ms));
    }
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let row = accounts::find_by_identifier(&mut conn, &identifier).await?;
    drop(conn);
    let hash = row.as_ref().and_then(|r| r.password_hash.clone());
    if !ctx.passwords.verify_in(turn, password, hash).await? {
        return Err(Error::Unauthenticated(
            "wrong identifier or password".into(),
        ));
    }
    let row = row.expect("a verified password belongs to an account");

    limits::login_succeeded(ctx.db.pool(), &keys).await?;
    let mut tx = ctx.begin().await?;
    let record = accounts::complete(&mut tx, row, &ctx.today()).await?;
    let refresh =
        tokens::open_family(&mut tx, &record.row.account_id, &ctx.settings.tokens, now).await?;
    let tokens = token_pair(ctx, &record, refresh, now)?;
    tx.commit().await?;
    Ok(LoginResponse {
        account_id: record.row.account_id,
        tokens: Some(tokens),
    })
}

pub(crate) fn token_pair(
    ctx: &Context,
    account: &AccountRecord,
    refresh: Issued,
    now: i64,
) -> Result<TokenPair, Error> {
    let claims = tokens::account_claims(account, &ctx.settings.tokens, now);
    Ok(TokenPair {
        access_token: ctx.sign(&claims)?,
        access_token_expires_at: Some(prost_types::Timestamp {
            seconds: claims.exp,
            nanos: 0,
        }),
        refresh_token: refresh.token,
        refresh_token_expires_at: Some(domain::timestamp(refresh.expires_at)),
    })
}

pub async fn refresh(
    ctx: &Context,
    _call: &Call,
    req: RefreshRequest,
) -> Result<RefreshResponse, Error> {
    let mut v = Violations::new();
    v.check(
        !req.refresh_token.is_empty(),
        "refresh_token",
        "is required",
    );
    v.finish()?;
    let now = ctx.now();
    let mut tx = ctx.begin().await?;
    let rotation = tokens::rotate(&mut tx, &req.refresh_token, &ctx.settings.tokens, now).await?;
    match rotation {
        Rotation::Rotated { account_id, next } => {
            let record = accounts::load(&mut tx, &account_id, &ctx.today())
                .await?
                .filter(AccountRecord::is_active)
                .ok_or_else(|| Error::Unauthenticated("session ended".into()))?;
            let tokens = token_pair(ctx, &record, next, now)?;
            tx.commit().await?;
            Ok(RefreshResponse {
                tokens: Some(tokens),
            })
        }
        Rotation::Reused => {
            // The revocation must stick even though the call fails.
            tx.commit().await?;
            tracing::warn!("refresh token reused; its session family was revoked");
            Err(Error::Unauthenticated(
                "refresh token already used; all sessions of this login were ended".into(),
            ))
        }
        Rotation::Invalid => Err(Error::Unauthenticated(
            "refresh token unknown or expired".into(),
        )),
    }
}

pub async fn logout(
    ctx: &Context,
    _call: &Call,
    req: LogoutRequest,
) -> Result<LogoutResponse, Error> {
    let mut v = Violations::new();
    v.check(
        !req.refresh_token.is_empty(),
        "refresh_token",
        "is required",
    );
    v.finish()?;
    let mut tx = ctx.begin().await?;
    tokens::revoke_by_token(&mut tx, &req.refresh_token, ctx.now()).await?;
    tx.commit().await?;
    Ok(LogoutResponse {})
}

pub async fn get_key_set(
    ctx: &Context,
    _call: &Call,
    _req: GetKeySetRequest,
) -> Result<GetKeySetResponse, Error> {
    Ok(GetKeySetResponse {
        issuer: ctx.settings.tokens.issuer.clone(),
        keys: ctx.keys.published(),
    })
}

pub async fn issue_service_token(
    ctx: &Context,
    _call: &Call,
    req: IssueServiceTokenRequest,
) -> Result<IssueServiceTokenResponse, Error> {
    let mut v = Violations::new();
    v.check(!req.client_id.is_empty(), "client_id", "is required");
    v.check(
        !req.client_secret.is_empty(),
        "client_secret",
        "is required",
    );
    v.finish()?;
    let known = ctx
        .settings
        .service_clients
        .get(&req.client_id)
        .is_some_and(|secret| {
            protect::constant_time_eq(
                secret.expose_secret().as_bytes(),
                req.client_secret.as_bytes(),
            )
        });
    if !known {
        return Err(Error::Unauthenticated(
            "unknown client or wrong secret".into(),
        ));
    }
    let claims = tokens::service_claims(&req.client_id, &ctx.settings.tokens, ctx.now());
    Ok(IssueServiceTokenResponse {
        access_token: ctx.sign(&claims)?,
        expires_at: Some(prost_types::Timestamp {
            seconds: claims.exp,
            nanos: 0,
        }),
    })
}
