//! Who is concerned by what, as learnt from the events (pseudonymous ids only). Every write
//! is idempotent, so an event applied again leaves the same rows.

use sqlx::{AnyConnection, Row};

use super::news::Audience;

/// `account_id` took part in the consultation at `at`: they follow it from then, unless they
/// already did.
pub(crate) async fn follow(
    conn: &mut AnyConnection,
    consultation_id: &str,
    account_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nt_followers (consultation_id, account_id, by_choice, followed_at) \
         VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING",
    )
    .bind(consultation_id)
    .bind(account_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A consultative instance's membership began (`InstanceMemberAdded`) or, with `ended`,
/// ended: its member is no longer told of the instance's news. An ended membership stays
/// ended, so a late or repeated "added" cannot revive it, and an end is recorded even if its
/// start was never seen. Whether the membership is ended now.
pub(crate) async fn set_membership(
    conn: &mut AnyConnection,
    membership_id: &str,
    instance_id: &str,
    account_id: &str,
    ended: bool,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO nt_instance_members (membership_id, instance_id, account_id, ended) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (membership_id) DO UPDATE \
         SET ended = CASE WHEN excluded.ended = 1 THEN 1 ELSE nt_instance_members.ended END \
         RETURNING ended",
    )
    .bind(membership_id)
    .bind(instance_id)
    .bind(account_id)
    .bind(i64::from(ended))
    .fetch_one(conn)
    .await?;
    Ok(row.try_get::<i64, _>(0)? != 0)
}

/// The current members of an instance, each once. An instance has tens of members, so they
/// are told in the event's transaction.
async fn members(conn: &mut AnyConnection, instance_id: &str) -> Result<Vec<String>, sqlx::Error> {
    ids(
        conn,
        "SELECT DISTINCT account_id FROM nt_instance_members \
         WHERE instance_id = $1 AND ended = 0",
        instance_id,
    )
    .await
}

pub(crate) async fn sign(
    conn: &mut AnyConnection,
    petition_id: &str,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nt_signers (petition_id, account_id) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(petition_id)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn withdraw(
    conn: &mut AnyConnection,
    petition_id: &str,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM nt_signers WHERE petition_id = $1 AND account_id = $2")
        .bind(petition_id)
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn set_agent(
    conn: &mut AnyConnection,
    petition_id: &str,
    account_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nt_petition_agents (petition_id, account_id) VALUES ($1, $2) \
         ON CONFLICT (petition_id) DO UPDATE SET account_id = excluded.account_id",
    )
    .bind(petition_id)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The signers and the agent of a petition, each once.
async fn petitioners(
    conn: &mut AnyConnection,
    petition_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    ids(
        conn,
        "SELECT account_id FROM nt_signers WHERE petition_id = $1 \
         UNION SELECT account_id FROM nt_petition_agents WHERE petition_id = $1",
        petition_id,
    )
    .await
}

/// Records a registration's latest status.
pub(crate) async fn set_registration(
    conn: &mut AnyConnection,
    registration_id: &str,
    session_id: &str,
    account_id: &str,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nt_registrations (registration_id, session_id, account_id, status) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (registration_id) DO UPDATE SET status = excluded.status",
    )
    .bind(registration_id)
    .bind(session_id)
    .bind(account_id)
    .bind(status)
    .execute(conn)
    .await?;
    Ok(())
}

/// People registered for a session (confirmed or waiting), each once.
async fn participants(
    conn: &mut AnyConnection,
    session_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    ids(
        conn,
        "SELECT DISTINCT account_id FROM nt_registrations \
         WHERE session_id = $1 AND status <> 'cancelled'",
        session_id,
    )
    .await
}

/// The people `audience` tells now, each once. Each has tens to hundreds of people, told in
/// the event's transaction (a consultation's followers, who may be thousands, are told by the
/// delivery worker: none here).
pub(crate) async fn people(
    conn: &mut AnyConnection,
    audience: &Audience,
) -> Result<Vec<String>, sqlx::Error> {
    match audience {
        Audience::Petition(id) => petitioners(conn, id).await,
        Audience::Session(id) => participants(conn, id).await,
        Audience::Instance(id) => members(conn, id).await,
        Audience::Consultation(_) => Ok(Vec::new()),
    }
}

/// Locks the account's row (made on first use) until the transaction ends, and tells whether
/// the account was deleted. A message locks it before it is written and an erasure before it
/// erases, so a message for a deleted account is never written after the erasure, whatever
/// the order the two streams are read in.
pub(crate) async fn lock_account(
    conn: &mut AnyConnection,
    account_id: &str,
    deleted: bool,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO nt_accounts (account_id, deleted) VALUES ($1, $2) \
         ON CONFLICT (account_id) DO UPDATE \
         SET deleted = CASE WHEN excluded.deleted = 1 THEN 1 ELSE nt_accounts.deleted END \
         RETURNING deleted",
    )
    .bind(account_id)
    .bind(i64::from(deleted))
    .fetch_one(conn)
    .await?;
    Ok(row.try_get::<i64, _>(0)? != 0)
}

/// Forgets everything about a deleted account: what it was told, what it chose, what it took
/// part in. Its pseudonymous id stays in `nt_accounts`, marked deleted, so no message comes
/// after.
pub(crate) async fn forget(conn: &mut AnyConnection, account_id: &str) -> Result<(), sqlx::Error> {
    lock_account(&mut *conn, account_id, true).await?;
    for table in [
        "nt_notifications",
        "nt_deliveries",
        "nt_preferences",
        "nt_followers",
        "nt_signers",
        "nt_petition_agents",
        "nt_registrations",
        "nt_instance_members",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE account_id = $1"
        )))
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn ids(
    conn: &mut AnyConnection,
    sql: &'static str,
    key: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(sql).bind(key).fetch_all(conn).await?;
    rows.iter().map(|r| r.try_get::<String, _>(0)).collect()
}
