//! Accounts, their granted roles and the roles that follow from representations and
//! memberships.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};
use tachawor_proto::identity::{Account, AccountStatus, Profile, Role};
use tachawor_storage::params;

use crate::domain::{self, account, contact::Channel};

#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub account_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password_hash: Option<String>,
    pub display_name: Option<String>,
    pub locale: String,
    pub status: String,
    pub verified: i32,
    pub verification_method: Option<String>,
    pub verified_at: Option<i64>,
    pub residence_province_code: Option<String>,
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub province_code: Option<String>,
    pub created_at: i64,
    /// Shared by every account verified with the same CIN; see `cin_persons`.
    pub person_key: Option<String>,
    pub legal_name: Option<String>,
    /// Whether the person proved they receive messages at `email` / `phone`.
    pub email_verified: i32,
    pub phone_verified: i32,
}

const COLUMNS: &str = "account_id, email, phone, password_hash, display_name, locale, status, \
     verified, verification_method, verified_at, residence_province_code, gender, age_band, \
     province_code, created_at, person_key, legal_name, email_verified, phone_verified";

/// An account with every role it holds and the scopes of its derived roles.
#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub row: AccountRow,
    pub roles: Vec<Role>,
    /// `association:<id>` and `instance:<id>` for representations and active memberships.
    pub scopes: Vec<String>,
    /// Whether it represents any association, suspended ones included (they give no role).
    pub represents_associations: bool,
}

impl AccountRow {
    pub fn is_active(&self) -> bool {
        account::Status::from_sql(&self.status) == Some(account::Status::Active)
    }

    /// The account's address on `channel`, if it has one.
    pub fn contact(&self, channel: Channel) -> Option<&str> {
        match channel {
            Channel::Email => self.email.as_deref(),
            Channel::Sms => self.phone.as_deref(),
        }
    }

    /// Whether the address on `channel` is there and verified.
    pub fn contact_verified(&self, channel: Channel) -> bool {
        let flag = match channel {
            Channel::Email => self.email_verified,
            Channel::Sms => self.phone_verified,
        };
        flag != 0 && self.contact(channel).is_some()
    }
}

impl AccountRecord {
    pub fn is_active(&self) -> bool {
        self.row.is_active()
    }

    pub fn to_proto(&self) -> Account {
        let r = &self.row;
        Account {
            account_id: r.account_id.clone(),
            email: r.email.clone().unwrap_or_default(),
            phone: r.phone.clone().unwrap_or_default(),
            display_name: r.display_name.clone().unwrap_or_default(),
            locale: domain::locale_from_str(&r.locale) as i32,
            roles: self.roles.iter().map(|r| *r as i32).collect(),
            verified: r.verified != 0,
            verification_method: r.verification_method.clone().unwrap_or_default(),
            verified_at: r.verified_at.map(domain::timestamp),
            profile: Some(Profile {
                gender: domain::gender_from_str(r.gender.as_deref()) as i32,
                age_band: domain::age_band_from_str(r.age_band.as_deref()) as i32,
                province_code: r.province_code.clone().unwrap_or_default(),
            }),
            status: if self.is_active() {
                AccountStatus::Active
            } else {
                AccountStatus::Deleted
            } as i32,
            created_at: Some(domain::timestamp(r.created_at)),
            residence_province_code: r.residence_province_code.clone().unwrap_or_default(),
            email_verified: r.contact_verified(Channel::Email),
            phone_verified: r.contact_verified(Channel::Sms),
            legal_name: r.legal_name.clone().unwrap_or_default(),
        }
    }

    pub fn role_names(&self) -> Vec<String> {
        self.roles
            .iter()
            .filter_map(|r| domain::role_str(*r))
            .map(str::to_string)
            .collect()
    }
}

pub async fn find_row(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE account_id = $1"
    )))
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

/// The accounts among `account_ids` that exist, in no particular order.
pub async fn find_rows(
    conn: &mut AnyConnection,
    account_ids: &[&str],
) -> Result<Vec<AccountRow>, sqlx::Error> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE account_id IN ({})",
        params::list(1, account_ids.len())
    )));
    for id in account_ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// The active account whose email or phone is `identifier` (already normalised).
pub async fn find_by_identifier(
    conn: &mut AnyConnection,
    identifier: &str,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE (email = $1 OR phone = $1) AND status = 'active'"
    )))
    .bind(identifier)
    .fetch_optional(conn)
    .await
}

/// The account with its granted and derived roles; `today` decides which memberships are active.
pub async fn load(
    conn: &mut AnyConnection,
    account_id: &str,
    today: &str,
) -> Result<Option<AccountRecord>, sqlx::Error> {
    let Some(row) = find_row(conn, account_id).await? else {
        return Ok(None);
    };
    complete(conn, row, today).await.map(Some)
}

/// Adds roles and scopes to a row: granted roles, representations (a suspended association gives
/// no role) and memberships active on `today`.
pub async fn complete(
    conn: &mut AnyConnection,
    row: AccountRow,
    today: &str,
) -> Result<AccountRecord, sqlx::Error> {
    let mut records = complete_all(conn, vec![row], today).await?;
    Ok(records.remove(0))
}

/// [`complete`] for several rows, read in one query; records come in the rows' order.
pub async fn complete_all(
    conn: &mut AnyConnection,
    rows: Vec<AccountRow>,
    today: &str,
) -> Result<Vec<AccountRecord>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = params::list(2, rows.len());
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT account_id, 'role', role FROM account_roles WHERE account_id IN ({ids}) \
         UNION \
         SELECT r.account_id, \
         CASE WHEN a.status = 'verified' THEN 'association' ELSE 'unverified' END, \
         r.association_id FROM association_representatives r \
         JOIN associations a ON a.association_id = r.association_id \
         WHERE r.account_id IN ({ids}) \
         UNION \
         SELECT account_id, 'instance', instance_id FROM instance_memberships \
         WHERE account_id IN ({ids}) AND started_on <= $1 \
         AND (ended_on IS NULL OR ended_on > $1) \
         ORDER BY 1, 2, 3"
    )))
    .bind(today);
    for row in &rows {
        query = query.bind(row.account_id.as_str());
    }
    let held: Vec<(String, String, String)> = query.fetch_all(&mut *conn).await?;

    let mut records: Vec<AccountRecord> = rows
        .into_iter()
        .map(|row| AccountRecord {
            row,
            roles: Vec::new(),
            scopes: Vec::new(),
            represents_associations: false,
        })
        .collect();
    let index: HashMap<String, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.row.account_id.clone(), i))
        .collect();
    for (account_id, kind, value) in held {
        let Some(record) = index.get(&account_id).map(|i| &mut records[*i]) else {
            continue;
        };
        match kind.as_str() {
            "role" => record.roles.push(domain::role_from_str(&value)),
            // Pending or suspended: listed with its status in eligibility, but no role.
            "unverified" => record.represents_associations = true,
            "association" => {
                record.represents_associations = true;
                record.roles.push(Role::AssociationRepresentative);
                record.scopes.push(format!("association:{value}"));
            }
            "instance" => {
                record.roles.push(Role::InstanceMember);
                record.scopes.push(format!("instance:{value}"));
            }
            _ => {}
        }
    }
    for record in &mut records {
        record.roles.retain(|r| *r != Role::Unspecified);
        record.roles.sort_by_key(|r| *r as i32);
        record.roles.dedup();
    }
    Ok(records)
}

pub async fn insert(
    conn: &mut AnyConnection,
    row: &AccountRow,
    granted: &[Role],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO accounts (account_id, email, phone, password_hash, display_name, locale, \
         status, verified, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'active', 0, $7, $7)",
    )
    .bind(&row.account_id)
    .bind(&row.email)
    .bind(&row.phone)
    .bind(&row.password_hash)
    .bind(&row.display_name)
    .bind(&row.locale)
    .bind(row.created_at)
    .execute(&mut *conn)
    .await?;
    set_granted_roles(conn, &row.account_id, granted).await
}

pub async fn set_granted_roles(
    conn: &mut AnyConnection,
    account_id: &str,
    roles: &[Role],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM account_roles WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    for role in roles.iter().filter_map(|r| domain::role_str(*r)) {
        sqlx::query("INSERT INTO account_roles (account_id, role) VALUES ($1, $2)")
            .bind(account_id)
            .bind(role)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Replaces the email or phone; the new one starts unverified. A value held by another
/// account fails on its unique constraint.
pub async fn set_contact(
    conn: &mut AnyConnection,
    account_id: &str,
    channel: Channel,
    value: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = match channel {
        Channel::Email => {
            "UPDATE accounts SET email = $1, email_verified = 0, updated_at = $2 \
             WHERE account_id = $3"
        }
        Channel::Sms => {
            "UPDATE accounts SET phone = $1, phone_verified = 0, updated_at = $2 \
             WHERE account_id = $3"
        }
    };
    sqlx::query(sql)
        .bind(value)
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that the person receives messages at their address on `channel`.
pub async fn set_contact_verified(
    conn: &mut AnyConnection,
    account_id: &str,
    channel: Channel,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = match channel {
        Channel::Email => {
            "UPDATE accounts SET email_verified = 1, updated_at = $1 WHERE account_id = $2"
        }
        Channel::Sms => {
            "UPDATE accounts SET phone_verified = 1, updated_at = $1 WHERE account_id = $2"
        }
    };
    sqlx::query(sql)
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_password_hash(
    conn: &mut AnyConnection,
    account_id: &str,
    password_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE account_id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the account consented to `purpose`, by its latest record.
pub async fn has_consent(
    conn: &mut AnyConnection,
    account_id: &str,
    purpose: &str,
) -> Result<bool, sqlx::Error> {
    let latest: Option<(i32,)> = sqlx::query_as(
        "SELECT granted FROM consents WHERE account_id = $1 AND purpose = $2 \
         ORDER BY recorded_at DESC, consent_id DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(purpose)
    .fetch_optional(conn)
    .await?;
    Ok(matches!(latest, Some((1,))))
}

/// The person key of the CIN fingerprinted `cin_hmac`: the one it was given when first
/// verified, even if that account has since been deleted, else a new one.
pub async fn person_key_for(
    conn: &mut AnyConnection,
    cin_hmac: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO cin_persons (cin_hmac, person_key, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (cin_hmac) DO NOTHING",
    )
    .bind(cin_hmac)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let (key,): (String,) =
        sqlx::query_as("SELECT person_key FROM cin_persons WHERE cin_hmac = $1")
            .bind(cin_hmac)
            .fetch_one(conn)
            .await?;
    Ok(key)
}

pub async fn set_display_name(
    conn: &mut AnyConnection,
    account_id: &str,
    display_name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET display_name = $1, updated_at = $2 WHERE account_id = $3")
        .bind(display_name)
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_locale(
    conn: &mut AnyConnection,
    account_id: &str,
    locale: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET locale = $1, updated_at = $2 WHERE account_id = $3")
        .bind(locale)
        .bind(now)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The statistical profile, as stored spellings; all `None` erases it.
#[derive(Debug, Default)]
pub struct StoredProfile {
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub province_code: Option<String>,
}

pub async fn set_profile(
    conn: &mut AnyConnection,
    account_id: &str,
    profile: &StoredProfile,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET gender = $1, age_band = $2, province_code = $3, updated_at = $4 \
         WHERE account_id = $5",
    )
    .bind(&profile.gender)
    .bind(&profile.age_band)
    .bind(&profile.province_code)
    .bind(now)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One consent given or withdrawn, as recorded.
#[derive(Debug, FromRow)]
pub struct ConsentRow {
    pub purpose: String,
    pub version: String,
    pub granted: i32,
    pub recorded_at: i64,
}

pub async fn insert_consent(
    conn: &mut AnyConnection,
    account_id: &str,
    consent: &ConsentRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consents (consent_id, account_id, purpose, version, granted, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(account_id)
    .bind(&consent.purpose)
    .bind(&consent.version)
    .bind(consent.granted)
    .bind(consent.recorded_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every consent record of an account, oldest first (for its data export).
pub async fn consents_of(
    conn: &mut AnyConnection,
    account_id: &str,
) -> Result<Vec<ConsentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT purpose, version, granted, recorded_at FROM consents WHERE account_id = $1 \
         ORDER BY recorded_at, consent_id",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await
}

/// Deletes an account's personal data: its personal fields, consents and granted roles. The
/// pseudonymous id stays so statistics remain whole. The CIN's fingerprint stays in
/// `cin_persons` only (a tombstone): an account verified again with the same CIN gets the same
/// person key, so one person still signs a petition once.
pub async fn erase(
    conn: &mut AnyConnection,
    account_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET email = NULL, phone = NULL, password_hash = NULL, \
         display_name = NULL, cin_ciphertext = NULL, cin_hmac = NULL, gender = NULL, \
         person_key = NULL, legal_name = NULL, email_verified = 0, phone_verified = 0, \
         age_band = NULL, province_code = NULL, residence_province_code = NULL, \
         status = 'deleted', deleted_at = $1, updated_at = $1 WHERE account_id = $2",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut *conn)
    .await?;
    for statement in [
        "DELETE FROM consents WHERE account_id = $1",
        "DELETE FROM account_roles WHERE account_id = $1",
        // Pending links and codes die with the contacts they were for.
        "DELETE FROM contact_secrets WHERE account_id = $1",
    ] {
        sqlx::query(statement)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// What verifying an account records.
pub struct Verification<'a> {
    pub method: &'a str,
    pub residence_province_code: Option<&'a str>,
    pub cin_ciphertext: Vec<u8>,
    pub cin_hmac: &'a str,
    pub person_key: &'a str,
    pub legal_name: Option<&'a str>,
}

/// Marks an account verified; a CIN already used by another account fails on its unique
/// constraint.
pub async fn set_verified(
    conn: &mut AnyConnection,
    account_id: &str,
    verification: Verification<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET verified = 1, verification_method = $1, verified_at = $2, \
         residence_province_code = $3, cin_ciphertext = $4, cin_hmac = $5, updated_at = $2, \
         person_key = $6, legal_name = $7 WHERE account_id = $8",
    )
    .bind(verification.method)
    .bind(now)
    .bind(verification.residence_province_code)
    .bind(verification.cin_ciphertext)
    .bind(verification.cin_hmac)
    .bind(verification.person_key)
    .bind(verification.legal_name)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a verified account's residence province (`None`: outside the region).
pub async fn set_residence(
    conn: &mut AnyConnection,
    account_id: &str,
    province_code: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET residence_province_code = $1, updated_at = $2 WHERE account_id = $3",
    )
    .bind(province_code)
    .bind(now)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Which accounts a staff search looks for.
pub struct Search<'a> {
    /// Lowercased; matches the start of the email, phone or display name.
    pub prefix: &'a str,
    /// A role's spelling, or `None` for any.
    pub role: Option<&'a str>,
    pub verified_only: bool,
    pub limit: i64,
    pub offset: i64,
}

/// Active accounts matching a search, oldest first.
pub async fn search(
    conn: &mut AnyConnection,
    search: &Search<'_>,
) -> Result<Vec<AccountRow>, sqlx::Error> {
    let pattern = format!("{}%", escape_like(search.prefix));
    let role_filter = match search.role {
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
         a.gender, a.age_band, a.province_code, a.created_at, a.person_key, a.legal_name, \
         a.email_verified, a.phone_verified \
         FROM accounts a \
         WHERE a.status = 'active' \
         AND (a.email LIKE $1 ESCAPE '\\' OR a.phone LIKE $1 ESCAPE '\\' \
              OR lower(a.display_name) LIKE $1 ESCAPE '\\') \
         AND {role_filter} AND ($3 = 0 OR a.verified = 1) \
         ORDER BY a.created_at, a.account_id LIMIT $4 OFFSET $5"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&pattern)
        .bind(search.role.unwrap_or(""))
        .bind(i32::from(search.verified_only))
        .bind(search.limit)
        .bind(search.offset)
        .fetch_all(conn)
        .await
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
