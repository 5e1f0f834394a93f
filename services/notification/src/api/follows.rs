//! The consultations the caller follows: following and unfollowing by choice, and the list.
//!
//! The service does not ask consultation whether the id names a consultation: a follow of an
//! id that never opens simply tells nobody anything.

use tachawor_errors::{Error, Violations, checks::is_uuid};
use tachawor_proto::{
    dates::timestamp,
    notification::{
        Follow, FollowConsultationRequest, FollowConsultationResponse, ListMyFollowsRequest,
        ListMyFollowsResponse, UnfollowConsultationRequest, UnfollowConsultationResponse,
    },
};

use crate::{
    context::{Call, Context},
    store::follows::{self, FollowRow},
};

fn check_consultation(v: &mut Violations, id: &str) {
    v.check(is_uuid(id), "consultation_id", "must be a UUID");
}

pub async fn follow_consultation(
    ctx: &Context,
    call: &Call,
    req: FollowConsultationRequest,
) -> Result<FollowConsultationResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    check_consultation(&mut v, &req.consultation_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let row = follows::follow(&mut tx, &caller.account_id, &req.consultation_id, ctx.now()).await?;
    ctx.commit(tx).await?;
    Ok(FollowConsultationResponse {
        follow: Some(follow(row)),
    })
}

pub async fn unfollow_consultation(
    ctx: &Context,
    call: &Call,
    req: UnfollowConsultationRequest,
) -> Result<UnfollowConsultationResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    check_consultation(&mut v, &req.consultation_id);
    v.finish()?;
    let mut tx = ctx.begin().await?;
    let unfollowed = follows::unfollow(&mut tx, &caller.account_id, &req.consultation_id).await?;
    ctx.commit(tx).await?;
    Ok(UnfollowConsultationResponse { unfollowed })
}

pub async fn list_my_follows(
    ctx: &Context,
    call: &Call,
    req: ListMyFollowsRequest,
) -> Result<ListMyFollowsResponse, Error> {
    let caller = call.account()?;
    let mut v = Violations::new();
    let page = super::page(&mut v, req.page.as_ref());
    if !req.consultation_id.is_empty() {
        check_consultation(&mut v, &req.consultation_id);
    }
    v.finish()?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut rows = follows::list(
        &mut conn,
        &caller.account_id,
        &req.consultation_id,
        page.fetch_limit(),
        page.offset,
    )
    .await?;
    let next_page_token = page.finish(&mut rows);
    Ok(ListMyFollowsResponse {
        follows: rows.into_iter().map(follow).collect(),
        next_page_token,
    })
}

fn follow(row: FollowRow) -> Follow {
    Follow {
        consultation_id: row.consultation_id,
        by_choice: row.by_choice,
        followed_at: Some(timestamp(row.followed_at)),
    }
}
