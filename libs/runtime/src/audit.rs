//! The audit log: every administrative or moderation change, written in the change's own
//! transaction, so a change and its record stand or fall together. The table comes with
//! [`crate::MIGRATIONS`]. [`list`] reads it for every service's `ListAuditLog`, whose requests
//! share one shape, so the staff console shows every service's log the same way.

use prost_types::Timestamp;
use serde::Serialize;
use sqlx::{AnyConnection, FromRow};
use tachawor_errors::{Error, Violations, checks};
use tachawor_proto::{
    common::{AuditEntry, PageRequest},
    dates,
    paging::Page,
};

/// One change. `before`/`after` are JSON of the fields that matter and never hold a national
/// ID number, a password or a token.
pub struct Change<'a, B: Serialize, A: Serialize> {
    pub actor_id: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub before: B,
    pub after: A,
}

pub async fn record<B: Serialize, A: Serialize>(
    conn: &mut AnyConnection,
    change: Change<'_, B, A>,
    at_millis: i64,
) -> Result<(), sqlx::Error> {
    let to_json = |v: serde_json::Result<String>| v.unwrap_or_else(|_| "null".into());
    sqlx::query(
        "INSERT INTO audit_log (entry_id, actor_id, action, target_type, target_id, \
         before_json, after_json, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(change.actor_id)
    .bind(change.action)
    .bind(change.target_type)
    .bind(change.target_id)
    .bind(to_json(serde_json::to_string(&change.before)))
    .bind(to_json(serde_json::to_string(&change.after)))
    .bind(at_millis)
    .execute(conn)
    .await?;
    Ok(())
}

/// The filters of a `ListAuditLogRequest`, as every service's request spells them.
pub struct Filters<'a> {
    pub actor_id: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub since: Option<&'a Timestamp>,
    pub until: Option<&'a Timestamp>,
    pub page: Option<&'a PageRequest>,
}

/// Borrows the filters of a service's `ListAuditLogRequest` (the same fields in each package).
pub trait AuditRequest {
    fn filters(&self) -> Filters<'_>;
}

macro_rules! audit_requests {
    ($($request:ty),*) => {$(
        impl AuditRequest for $request {
            fn filters(&self) -> Filters<'_> {
                Filters {
                    actor_id: &self.actor_id,
                    action: &self.action,
                    target_type: &self.target_type,
                    target_id: &self.target_id,
                    since: self.since.as_ref(),
                    until: self.until.as_ref(),
                    page: self.page.as_ref(),
                }
            }
        }
    )*};
}

audit_requests!(
    tachawor_proto::identity::ListAuditLogRequest,
    tachawor_proto::consultation::ListAuditLogRequest,
    tachawor_proto::training::ListAuditLogRequest,
    tachawor_proto::reporting::ListAuditLogRequest
);

/// A checked request: the filters (empty matches any) and the page.
struct Query<'a> {
    filters: Filters<'a>,
    /// Unix milliseconds, inclusive; `i64::MIN` when unset.
    since: i64,
    /// Unix milliseconds, exclusive; `i64::MAX` when unset.
    until: i64,
    page: Page,
}

fn is_action(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

impl<'a> Query<'a> {
    /// INVALID_ARGUMENT naming every bad filter.
    fn check(filters: Filters<'a>) -> Result<Self, Error> {
        let mut v = Violations::new();
        v.check(
            filters.target_type.is_empty() || checks::is_slug(filters.target_type),
            "target_type",
            "must be a short lowercase word",
        );
        v.check(
            filters.target_id.is_empty() || checks::is_id(filters.target_id),
            "target_id",
            "must be an id (letters, digits, - and _)",
        );
        v.check(
            filters.actor_id.is_empty() || checks::is_uuid(filters.actor_id),
            "actor_id",
            "must be a UUID",
        );
        v.check(
            filters.action.is_empty() || is_action(filters.action),
            "action",
            "must be an action such as comment.hide",
        );
        let instant = |t: Option<&Timestamp>| t.map(dates::checked_millis);
        let since = instant(filters.since);
        let until = instant(filters.until);
        v.check(since != Some(None), "since", "must be a valid instant");
        v.check(until != Some(None), "until", "must be a valid instant");
        let since = since.flatten().unwrap_or(i64::MIN);
        let until = until.flatten().unwrap_or(i64::MAX);
        v.check(since < until, "until", "must be after since");
        let page = match Page::from_request(filters.page, 50, 200) {
            Ok(page) => page,
            Err(e) => {
                v.add(e.field, e.description);
                Page {
                    limit: 0,
                    offset: 0,
                }
            }
        };
        v.finish()?;
        Ok(Self {
            filters,
            since,
            until,
            page,
        })
    }
}

#[derive(FromRow)]
struct Row {
    entry_id: String,
    actor_id: String,
    action: String,
    target_type: String,
    target_id: String,
    before_json: String,
    after_json: String,
    occurred_at: i64,
}

/// One page of the entries `request` asks for, newest first, and the next page's token; one
/// statement whatever the page size. The caller checks that the reader is staff.
pub async fn list(
    conn: &mut AnyConnection,
    request: &impl AuditRequest,
) -> Result<(Vec<AuditEntry>, String), Error> {
    let query = Query::check(request.filters())?;
    let f = &query.filters;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT entry_id, actor_id, action, target_type, target_id, before_json, after_json, \
         occurred_at FROM audit_log \
         WHERE ($1 = '' OR actor_id = $1) AND ($2 = '' OR action = $2) \
         AND ($3 = '' OR target_type = $3) AND ($4 = '' OR target_id = $4) \
         AND occurred_at >= $5 AND occurred_at < $6 \
         ORDER BY occurred_at DESC, entry_id DESC LIMIT $7 OFFSET $8",
    )
    .bind(f.actor_id)
    .bind(f.action)
    .bind(f.target_type)
    .bind(f.target_id)
    .bind(query.since)
    .bind(query.until)
    .bind(query.page.fetch_limit())
    .bind(query.page.offset)
    .fetch_all(conn)
    .await?;
    let mut entries: Vec<AuditEntry> = rows
        .into_iter()
        .map(|r| AuditEntry {
            entry_id: r.entry_id,
            actor_id: r.actor_id,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            before_json: r.before_json,
            after_json: r.after_json,
            occurred_at: Some(dates::timestamp(r.occurred_at)),
        })
        .collect();
    let next_page_token = query.page.finish(&mut entries);
    Ok((entries, next_page_token))
}

/// Defines a service's `ListAuditLog` handler, `list_audit_log(ctx, call, request)`: council
/// staff, administrators and observers only, then [`list`]. The context has the service's `db`; the
/// response has `entries` and `next_page_token`.
#[macro_export]
macro_rules! list_audit_log_rpc {
    ($context:ty, $call:ty, $request:ty => $response:ident) => {
        pub async fn list_audit_log(
            ctx: &$context,
            call: &$call,
            req: $request,
        ) -> Result<$response, tachawor_errors::Error> {
            call.require_any(tachawor_auth::STAFF_READ)?;
            let mut conn = ctx
                .db
                .pool()
                .acquire()
                .await
                .map_err(tachawor_errors::Error::from)?;
            let (entries, next_page_token) = $crate::audit::list(&mut conn, &req).await?;
            Ok($response {
                entries,
                next_page_token,
            })
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters<'a>() -> Filters<'a> {
        Filters {
            actor_id: "",
            action: "",
            target_type: "",
            target_id: "",
            since: None,
            until: None,
            page: None,
        }
    }

    #[test]
    fn an_empty_request_lists_everything() {
        let q = Query::check(filters()).expect("valid");
        assert_eq!((q.since, q.until), (i64::MIN, i64::MAX));
        assert_eq!(
            q.page,
            Page {
                limit: 50,
                offset: 0
            }
        );
    }

    #[test]
    fn every_bad_filter_is_named() {
        let bad = Timestamp {
            seconds: 1,
            nanos: -1,
        };
        let later = dates::timestamp(2_000);
        let earlier = dates::timestamp(1_000);
        let err = Query::check(Filters {
            actor_id: "someone",
            action: "Comment.Hide",
            target_type: "a b",
            target_id: "x;y",
            since: Some(&bad),
            ..filters()
        })
        .err()
        .expect("refused");
        let status: tonic::Status = err.into();
        assert_eq!(
            tachawor_errors::violated_fields(&status),
            ["target_type", "target_id", "actor_id", "action", "since"]
        );
        let err = Query::check(Filters {
            since: Some(&later),
            until: Some(&earlier),
            ..filters()
        })
        .err()
        .expect("refused");
        let status: tonic::Status = err.into();
        assert_eq!(tachawor_errors::violated_fields(&status), ["until"]);
        assert!(is_action("certificate.approve_name"));
    }
}
