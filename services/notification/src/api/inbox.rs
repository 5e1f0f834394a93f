//! The caller's inbox: a page of messages, and marking them read.

use tachawor_errors::{Error, Violations, checks::is_uuid};
use tachawor_proto::{
    dates::timestamp,
    notification::{
        ListMyNotificationsRequest, ListMyNotificationsResponse, MarkNotificationsReadRequest,
        MarkNotificationsReadResponse, Notification, NotificationKind,
    },
};

use crate::{
    context::{Call, Context},
    kinds::Kind,
    store::inbox::{self, InboxRow},
};

/// Ids one MarkNotificationsRead may name.
const MAX_IDS: usize = 100;

pub async fn list_my_notifications(
    ctx: &Context,
    call: &Call,
    req: ListMyNotificationsRequest,
) -> Result<ListMyNotificationsResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    let page = super::page(&mut v, req.page.as_ref());
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = inbox::list(
        &mut conn,
        &caller.account_id,
        req.unread_only,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    let unread = inbox::unread(&mut conn, &caller.account_id).await?;
    Ok(ListMyNotificationsResponse {
        notifications: rows.into_iter().map(message).collect(),
        next_page_token,
        unread,
    })
}

fn message(row: InboxRow) -> Notification {
    Notification {
        notification_id: row.notification_id,
        kind: Kind::from_sql(&row.kind).map_or(NotificationKind::Unspecified, Kind::to_proto)
            as i32,
        subject_type: row.subject_type,
        subject_id: row.subject_id,
        detail: row.detail,
        occurred_at: Some(timestamp(row.occurred_at)),
        read_at: row.read_at.map(timestamp),
    }
}

pub async fn mark_notifications_read(
    ctx: &Context,
    call: &Call,
    req: MarkNotificationsReadRequest,
) -> Result<MarkNotificationsReadResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    if req.all {
        v.check(
            req.notification_ids.is_empty(),
            "notification_ids",
            "must be empty when all is set",
        );
    } else {
        v.check(
            !req.notification_ids.is_empty(),
            "notification_ids",
            "are required unless all is set",
        );
        v.check(
            req.notification_ids.len() <= MAX_IDS,
            "notification_ids",
            "at most 100",
        );
        if let Some(i) = req.notification_ids.iter().position(|id| !is_uuid(id)) {
            v.add(&format!("notification_ids[{i}]"), "must be a UUID");
        }
    }
    v.finish()?;
    let ids = (!req.all).then_some(req.notification_ids.as_slice());
    let mut tx = ctx.begin().await?;
    let marked = inbox::mark_read(&mut tx, &caller.account_id, ids, ctx.now()).await?;
    ctx.commit(tx).await?;
    Ok(MarkNotificationsReadResponse { marked })
}
