//! The person's own data in this service, for "export my data": survey responses, comments,
//! proposals, supports, petitions created and signed, forum contributions, votes as a member
//! of an instance. Each list is read a
//! page at a time with the same offset (a query per list, plus one per petition created for its
//! progress); the portal follows `next_page_token` and bundles the pages with identity's and
//! training's exports.

use sqlx::AnyConnection;
use tachawor_errors::{Error, Violations};
use tachawor_proto::consultation::{
    ExportMyDataRequest, ExportMyDataResponse, ExportedContribution, ExportedResponse,
    ExportedSignature, ExportedSupport,
};

use super::{comments, opinions, petitions, proposals, surveys};
use crate::{
    context::{Call, Context},
    domain::timestamp,
    store::{self, petitions::SignaturesOf},
    validate,
};

pub async fn export_my_data(
    ctx: &Context,
    call: &Call,
    req: ExportMyDataRequest,
) -> Result<ExportMyDataResponse, Error> {
    let me = call.account()?;
    let mut v = Violations::new();
    let page = validate::page(&mut v, req.page.as_ref());
    v.finish()?;
    let id = me.account_id.as_str();
    let (limit, offset) = (page.fetch_limit(), page.offset);
    let mut conn = ctx.read().await?;
    let mut next = Vec::new();

    let mut responses = responses(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut responses));
    let mut comments = store::proposals::comments_by_author(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut comments));
    let mut proposals = store::proposals::by_author(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut proposals));
    let mut supports = store::proposals::supports_by_account(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut supports));
    let mut created = store::petitions::by_agent(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut created));
    let mut signatures =
        store::petitions::signatures(&mut conn, SignaturesOf::Account(id), limit, offset).await?;
    next.push(page.finish(&mut signatures));
    let mut contributions =
        store::forum::contributions_by_author(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut contributions));

    let mut votes = store::opinions::votes_by_account(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut votes));

    let petitions_created = petitions::messages(ctx, created)?;
    Ok(ExportMyDataResponse {
        account_id: me.account_id.clone(),
        responses,
        // Their own words, hidden or not: it is the author asking.
        comments: comments
            .into_iter()
            .map(|c| comments::message(c, true))
            .collect(),
        proposals: proposals.into_iter().map(proposals::message).collect(),
        supports: supports
            .into_iter()
            .map(|s| ExportedSupport {
                proposal_id: s.proposal_id,
                supported_at: Some(timestamp(s.created_at)),
            })
            .collect(),
        petitions_created,
        signatures: signatures
            .into_iter()
            .map(|s| ExportedSignature {
                petition_id: s.petition_id,
                province_code: s.province_code,
                by_declared_activity: s.by_declared_activity != 0,
                signed_at: Some(timestamp(s.signed_at)),
            })
            .collect(),
        forum_contributions: contributions
            .into_iter()
            .map(|c| ExportedContribution {
                contribution_id: c.contribution_id,
                workshop_id: c.workshop_id,
                body: c.body,
                created_at: Some(timestamp(c.created_at)),
            })
            .collect(),
        opinion_votes: votes
            .into_iter()
            .map(|(opinion_id, choice, cast_at)| {
                opinions::vote_message(opinion_id, me.account_id.clone(), &choice, cast_at)
            })
            .collect(),
        next_page_token: next.into_iter().find(|t| !t.is_empty()).unwrap_or_default(),
    })
}

/// A page of the person's survey responses with their answers: two queries.
async fn responses(
    conn: &mut AnyConnection,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ExportedResponse>, Error> {
    let found = store::consultations::responses_by_account(conn, account_id, limit, offset).await?;
    let ids: Vec<&str> = found.iter().map(|r| r.response_id.as_str()).collect();
    let mut answers = store::consultations::answers_of_responses(conn, &ids).await?;
    Ok(found
        .into_iter()
        .map(|r| ExportedResponse {
            answers: surveys::answers_message(answers.remove(&r.response_id).unwrap_or_default()),
            consultation_id: r.consultation_id,
            submitted_at: Some(timestamp(r.submitted_at)),
        })
        .collect())
}
