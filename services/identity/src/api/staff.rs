//! What council staff and administrators do with accounts: verify them, grant roles, find them,
//! read the audit log, rotate the signing key.

use serde_json::json;
use tachawor_auth::Role as AuthRole;
use tachawor_errors::{Error, Violations};
use tachawor_proto::catalogue;
use tachawor_proto::{
    events::{AccountRolesChanged, AccountVerified},
    identity::{
        AuditEntry, ListAuditLogRequest, ListAuditLogResponse, Role, RotateSigningKeyRequest,
        RotateSigningKeyResponse, SearchAccountsRequest, SearchAccountsResponse, SetRolesRequest,
        SetRolesResponse, VerifyAccountRequest, VerifyAccountResponse,
    },
};

use tachawor_runtime::audit;

use crate::{
    context::{Call, Context},
    domain,
    protect::normalise_cin,
    store::accounts::{self, AccountRecord, AccountRow},
    validate,
};

pub const STAFF: &[AuthRole] = &[AuthRole::CouncilStaff, AuthRole::Administrator];
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
    v.finish()?;
    let cin = cin.expect("validated");
    let legal_name = (!legal_name.is_empty()).then_some(legal_name);

    let mut tx = ctx.begin().await?;
    let record = active_account(ctx, &mut tx, &req.account_id).await?;
    if record.row.verified != 0 {
        return Err(Error::rule(
            "account.already_verified",
            "this account is already verified",
        ));
    }
    let now = ctx.now();
    let residence =
        (!req.residence_province_code.is_empty()).then_some(&req.residence_province_code);
    let fingerprint = ctx.cin_fingerprints.fingerprint(&cin);
    // The same person key as any earlier (even deleted) account verified with this CIN.
    let person_key = accounts::person_key_for(&mut tx, &fingerprint, now).await?;
    sqlx::query(
        "UPDATE accounts SET verified = 1, verification_method = $1, verified_at = $2, \
         residence_province_code = $3, cin_ciphertext = $4, cin_hmac = $5, updated_at = $2, \
         person_key = $6, legal_name = $7 WHERE account_id = $8",
    )
    .bind(&method)
    .bind(now)
    .bind(residence)
    .bind(ctx.cin_sealer.seal(cin.as_bytes(), CIN_CONTEXT))
    .bind(&fingerprint)
    .bind(&person_key)
    .bind(legal_name)
    .bind(&req.account_id)
    .execute(&mut *tx)
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
    if req.account_id == admin.account_id && !roles.contains(&Role::Administrator) {
        return Err(Error::rule(
            "roles.self_demotion",
            "an administrator cannot remove their own administrator role",
        ));
    }
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
    v.finish()?;
    let page = page.expect("validated");
    let role = role.and_then(domain::role_str);

    let pattern = format!("{}%", escape_like(&req.query.trim().to_lowercase()));
    let role_filter = match role {
        Some("association_representative") => {
            "EXISTS (SELECT 1 FROM association_representatives r \
             JOIN associations s ON s.association_id = r.association_id \
             WHERE r.account_id = a.account_id AND s.status = 'verified')"
        }
        Some("instance_member") => {
            "EXISTS (SELECT 1 FROM instance_memberships m WHERE m.account_id = a.account_id \
             AND m.ended_on IS NULL)"
        }
        Some(_) => {
            "EXISTS (SELECT 1 FROM account_roles g WHERE g.account_id = a.account_id AND g.role = $2)"
        }
        None => "$2 = $2",
    };
    let sql = format!(
        "SELECT a.account_id, a.email, a.phone, a.password_hash, a.display_name, a.locale, \
         a.status, a.verified, a.verification_method, a.verified_at, a.residence_province_code, \
         a.gender, a.age_band, a.province_code, a.created_at, a.person_key, a.legal_name \
         FROM accounts a \
         WHERE a.status = 'active' \
         AND (a.email LIKE $1 ESCAPE '\\' OR a.phone LIKE $1 ESCAPE '\\' \
              OR lower(a.display_name) LIKE $1 ESCAPE '\\') \
         AND {role_filter} AND ($3 = 0 OR a.verified = 1) \
         ORDER BY a.created_at, a.account_id LIMIT $4 OFFSET $5"
    );
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let rows: Vec<AccountRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&pattern)
        .bind(role.unwrap_or(""))
        .bind(i32::from(req.verified_only))
        .bind(page.fetch_limit())
        .bind(page.offset)
        .fetch_all(&mut *conn)
        .await?;
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

#[derive(sqlx::FromRow)]
struct AuditRow {
    entry_id: String,
    actor_id: String,
    action: String,
    target_type: String,
    target_id: String,
    before_json: String,
    after_json: String,
    occurred_at: i64,
}

impl AuditRow {
    fn into_entry(self) -> AuditEntry {
        AuditEntry {
            entry_id: self.entry_id,
            actor_id: self.actor_id,
            action: self.action,
            target_type: self.target_type,
            target_id: self.target_id,
            before_json: self.before_json,
            after_json: self.after_json,
            occurred_at: Some(domain::timestamp(self.occurred_at)),
        }
    }
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

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn list_audit_log(
    ctx: &Context,
    call: &Call,
    req: ListAuditLogRequest,
) -> Result<ListAuditLogResponse, Error> {
    call.require_any(STAFF)?;
    let mut v = Violations::new();
    v.check(
        req.target_type.is_empty() || validate::is_slug(&req.target_type),
        "target_type",
        "must be a short lowercase word",
    );
    v.check(
        req.target_id.is_empty() || validate::is_id(&req.target_id),
        "target_id",
        "must be an id (letters, digits, - and _)",
    );
    v.check(
        req.actor_id.is_empty() || validate::is_uuid(&req.actor_id),
        "actor_id",
        "must be a UUID",
    );
    v.finish()?;
    let page = super::page(req.page.as_ref())?;
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT entry_id, actor_id, action, target_type, target_id, before_json, after_json, \
         occurred_at FROM audit_log \
         WHERE ($1 = '' OR target_type = $1) AND ($2 = '' OR target_id = $2) \
         AND ($3 = '' OR actor_id = $3) \
         ORDER BY occurred_at DESC, entry_id DESC LIMIT $4 OFFSET $5",
    )
    .bind(&req.target_type)
    .bind(&req.target_id)
    .bind(&req.actor_id)
    .bind(page.fetch_limit())
    .bind(page.offset)
    .fetch_all(ctx.db.pool())
    .await?;
    let mut entries: Vec<AuditEntry> = rows.into_iter().map(AuditRow::into_entry).collect();
    let next_page_token = page.finish(&mut entries);
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
