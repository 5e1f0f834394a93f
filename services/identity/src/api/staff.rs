//! What council staff and administrators do with accounts: verify them, grant roles, find them,
//! read the audit log, rotate the signing key.

use serde_json::json;
use tachawor_auth::Role as AuthRole;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    events::{AccountResidenceCorrected, AccountRolesChanged, AccountVerified},
    identity::{
        AuditEntry, CorrectResidenceRequest, CorrectResidenceResponse, ListAuditLogRequest,
        ListAuditLogResponse, Role, RotateSigningKeyRequest, RotateSigningKeyResponse,
        SearchAccountsRequest, SearchAccountsResponse, SetRolesRequest, SetRolesResponse,
        VerifyAccountRequest, VerifyAccountResponse,
    },
};

use tachawor_runtime::audit;

use crate::{
    context::{Call, Context},
    domain::{self, account},
    protect::normalise_cin,
    store::accounts::{self, AccountRecord, Search, Verification},
    validate,
};

pub use tachawor_auth::{STAFF, STAFF_READ};
pub const ADMIN: &[AuthRole] = &[AuthRole::Administrator];

const CIN_CONTEXT: &[u8] = b"tachawor.identity.cin";

/// The longest legal name recorded at verification.
const LEGAL_NAME_MAX: usize = 200;

pub async fn verify_account(
    ctx: &Context,
    call: &Call,
    mut req: VerifyAccountRequest,
) -> Result<VerifyAccountResponse, Error> {
    let staff = call.require_any(STAFF)?;
    // The number is wiped from memory once sealed and fingerprinted.
    let cin = normalise_cin(&req.cin).map(zeroize::Zeroizing::new);
    zeroize::Zeroize::zeroize(&mut req.cin);
    let method = if req.method.is_empty() {
        "cin_in_person".to_string()
    } else {
        req.method.clone()
    };
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    v.check(
        cin.is_some(),
        "cin",
        "must be one or two letters followed by digits",
    );
    v.check(
        validate::is_slug(&method),
        "method",
        "must be a short lowercase word",
    );
    v.check(
        req.residence_province_code.is_empty()
            || ctx.region.has_province(&req.residence_province_code),
        "residence_province_code",
        "is not a province of this region",
    );
    let legal_name = req.legal_name.trim();
    v.check(
        legal_name.chars().count() <= LEGAL_NAME_MAX && !legal_name.chars().any(char::is_control),
        "legal_name",
        "must be at most 200 characters, without control characters",
    );
    let cin = validate::parsed(v, cin)?;
    let legal_name = (!legal_name.is_empty()).then_some(legal_name);

    let mut tx = ctx.begin().await?;
    let record = active_account(ctx, &mut tx, &req.account_id).await?;
    account::check_unverified(record.row.verified != 0)?;
    let now = ctx.now();
    let residence =
        (!req.residence_province_code.is_empty()).then_some(req.residence_province_code.as_str());
    let fingerprint = ctx.cin_fingerprints.fingerprint(&cin);
    // The same person key as any earlier (even deleted) account verified with this CIN.
    let person_key = accounts::person_key_for(&mut tx, &fingerprint, now).await?;
    let verification = Verification {
        method: &method,
        residence_province_code: residence,
        cin_ciphertext: ctx.cin_sealer.seal(cin.as_bytes(), CIN_CONTEXT),
        cin_hmac: &fingerprint,
        person_key: &person_key,
        legal_name,
    };
    accounts::set_verified(&mut tx, &req.account_id, verification, now)
        .await
        .map_err(|e| match Error::from(e) {
            Error::AlreadyExists(_) => {
                Error::AlreadyExists("another account is already verified with this CIN".into())
            }
            other => other,
        })?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "account.verify",
            target_type: "account",
            target_id: &req.account_id,
            before: json!({ "verified": false }),
            after: json!({
                "verified": true,
                "method": method,
                "residence_province_code": residence,
                "legal_name_recorded": legal_name.is_some(),
            }),
        },
        now,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::ACCOUNT_VERIFIED,
        &req.account_id,
        &AccountVerified {
            account_id: req.account_id.clone(),
            method: method.clone(),
        },
    )
    .await?;
    let updated = accounts::load(&mut tx, &req.account_id, &ctx.today())
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    ctx.commit(tx).await?;
    Ok(VerifyAccountResponse {
        account: Some(updated.to_proto()),
    })
}

/// The longest reason given for a correction.
const REASON_MAX: usize = 500;

/// Corrects the residence recorded at verification. The audit entry keeps the reason and the
/// provinces (no CIN); `identity.account.residence_corrected` tells reporting to move what it
/// counted under the old province.
pub async fn correct_residence(
    ctx: &Context,
    call: &Call,
    req: CorrectResidenceRequest,
) -> Result<CorrectResidenceResponse, Error> {
    let staff = call.require_any(STAFF)?;
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    v.check(
        req.residence_province_code.is_empty()
            || ctx.region.has_province(&req.residence_province_code),
        "residence_province_code",
        "is not a province of this region",
    );
    v.check(
        tachawor_errors::checks::is_text(&req.reason, 1, REASON_MAX),
        "reason",
        "is required (at most 500 characters)",
    );
    v.finish()?;
    let corrected =
        (!req.residence_province_code.is_empty()).then_some(req.residence_province_code.as_str());
    let reason = req.reason.trim();

    let mut tx = ctx.begin().await?;
    let record = active_account(ctx, &mut tx, &req.account_id).await?;
    let recorded = record.row.residence_province_code.clone();
    account::check_residence_correction(record.row.verified != 0, recorded.as_deref(), corrected)?;
    let now = ctx.now();
    accounts::set_residence(&mut tx, &req.account_id, corrected, now).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &staff.account_id,
            action: "account.correct_residence",
            target_type: "account",
            target_id: &req.account_id,
            before: json!({ "residence_province_code": recorded }),
            after: json!({ "residence_province_code": corrected, "reason": reason }),
        },
        now,
    )
    .await?;
    ctx.emit(
        &mut tx,
        catalogue::ACCOUNT_RESIDENCE_CORRECTED,
        &req.account_id,
        &AccountResidenceCorrected {
            account_id: req.account_id.clone(),
            previous_province_code: recorded.unwrap_or_default(),
            province_code: req.residence_province_code.clone(),
        },
    )
    .await?;
    let updated = accounts::load(&mut tx, &req.account_id, &ctx.today())
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    ctx.commit(tx).await?;
    Ok(CorrectResidenceResponse {
        account: Some(updated.to_proto()),
    })
}

async fn active_account(
    ctx: &Context,
    conn: &mut sqlx::AnyConnection,
    account_id: &str,
) -> Result<AccountRecord, Error> {
    accounts::load(conn, account_id, &ctx.today())
        .await?
        .filter(AccountRecord::is_active)
        .ok_or_else(|| Error::not_found("account"))
}

pub async fn set_roles(
    ctx: &Context,
    call: &Call,
    req: SetRolesRequest,
) -> Result<SetRolesResponse, Error> {
    let admin = call.require_any(ADMIN)?;
    let roles: Vec<Role> = req
        .roles
        .iter()
        .map(|r| Role::try_from(*r).unwrap_or(Role::Unspecified))
        .collect();
    let mut v = Violations::new();
    v.check(
        validate::is_uuid(&req.account_id),
        "account_id",
        "must be a UUID",
    );
    v.check(!roles.is_empty(), "roles", "at least one role is required");
    v.check(
        roles.iter().all(|r| domain::is_grantable(*r)),
        "roles",
        "only citizen, council_staff and administrator are granted; the others follow from \
         representations and memberships",
    );
    v.finish()?;
    account::check_granted_roles(&admin.account_id, &req.account_id, &roles)?;
    let mut granted = roles.clone();
    granted.sort_by_key(|r| *r as i32);
    granted.dedup();

    let mut tx = ctx.begin().await?;
    let before = active_account(ctx, &mut tx, &req.account_id).await?;
    let now = ctx.now();
    accounts::set_granted_roles(&mut tx, &req.account_id, &granted).await?;
    let after = accounts::load(&mut tx, &req.account_id, &ctx.today())
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &admin.account_id,
            action: "account.set_roles",
            target_type: "account",
            target_id: &req.account_id,
            before: json!({ "roles": before.role_names() }),
            after: json!({ "roles": after.role_names() }),
        },
        now,
    )
    .await?;
    emit_roles_changed(ctx, &mut tx, &after).await?;
    ctx.commit(tx).await?;
    Ok(SetRolesResponse {
        account: Some(after.to_proto()),
    })
}

pub async fn search_accounts(
    ctx: &Context,
    call: &Call,
    req: SearchAccountsRequest,
) -> Result<SearchAccountsResponse, Error> {
    call.require_any(STAFF)?;
    let role = Role::try_from(req.role).ok();
    let mut v = Violations::new();
    v.check(
        req.query.chars().count() <= 100,
        "query",
        "at most 100 characters",
    );
    v.check(role.is_some(), "role", "is not a known role");
    let page = match super::page(req.page.as_ref()) {
        Ok(p) => Some(p),
        Err(Error::InvalidArgument(fields)) => {
            for f in fields {
                v.add(&f.field, f.description);
            }
            None
        }
        Err(other) => return Err(other),
    };
    let page = validate::parsed(v, page)?;
    let prefix = req.query.trim().to_lowercase();
    let search = Search {
        prefix: &prefix,
        role: role.and_then(domain::role_str),
        verified_only: req.verified_only,
        limit: page.fetch_limit(),
        offset: page.offset,
    };
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let rows = accounts::search(&mut conn, &search).await?;
    let mut records: Vec<_> = accounts::complete_all(&mut conn, rows, &ctx.today())
        .await?
        .iter()
        .map(|r| r.to_proto())
        .collect();
    let next_page_token = page.finish(&mut records);
    Ok(SearchAccountsResponse {
        accounts: records,
        next_page_token,
    })
}

/// Tells other services an account's roles (and so its kind of actor) changed; called inside
/// the change's transaction, with the account as it is after the change.
pub(super) async fn emit_roles_changed(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    account: &AccountRecord,
) -> Result<(), Error> {
    ctx.emit(
        tx,
        catalogue::ACCOUNT_ROLES_CHANGED,
        &account.row.account_id,
        &AccountRolesChanged {
            account_id: account.row.account_id.clone(),
            roles: account.role_names(),
            actor_kind: domain::actor_kind(&account.roles) as i32,
        },
    )
    .await
}

/// Emits `roles_changed` when a representation or membership changed the account's roles.
pub(super) async fn emit_if_roles_changed(
    ctx: &Context,
    tx: &mut tachawor_storage::Transaction,
    before: &AccountRecord,
) -> Result<(), Error> {
    let after = accounts::load(tx, &before.row.account_id, &ctx.today())
        .await?
        .ok_or_else(|| Error::not_found("account"))?;
    if after.roles != before.roles {
        emit_roles_changed(ctx, tx, &after).await?;
    }
    Ok(())
}

pub async fn list_audit_log(
    ctx: &Context,
    call: &Call,
    req: ListAuditLogRequest,
) -> Result<ListAuditLogResponse, Error> {
    call.require_any(STAFF_READ)?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let (entries, next_page_token) = audit::list(&mut conn, &req).await?;
    // Identity's contract predates the shared entry; the fields are the same.
    let entries = entries
        .into_iter()
        .map(|e| AuditEntry {
            entry_id: e.entry_id,
            actor_id: e.actor_id,
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            before_json: e.before_json,
            after_json: e.after_json,
            occurred_at: e.occurred_at,
        })
        .collect();
    Ok(ListAuditLogResponse {
        entries,
        next_page_token,
    })
}

pub async fn rotate_signing_key(
    ctx: &Context,
    call: &Call,
    _req: RotateSigningKeyRequest,
) -> Result<RotateSigningKeyResponse, Error> {
    let admin = call.require_any(ADMIN)?;
    let kid = ctx.keys.rotate().await.map_err(Error::internal)?;
    // The audit entry follows the key's own transaction: a key without its entry is harmless.
    let mut tx = ctx.begin().await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor_id: &admin.account_id,
            action: "signing_key.rotate",
            target_type: "signing_key",
            target_id: &kid,
            before: json!(null),
            after: json!({ "kid": kid }),
        },
        ctx.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(RotateSigningKeyResponse { kid })
}
