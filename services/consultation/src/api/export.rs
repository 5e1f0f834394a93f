//! The person's own data in this service, for "export my data": survey responses, comments,
//! proposals, supports, petitions created and signed, forum contributions. Each list is read a
//! page at a time with the same offset (a query per list, plus one per petition created for its
//! progress); the portal follows `next_page_token` and bundles the pages with identity's and
//! training's exports.

use std::collections::HashMap;

use sqlx::AnyConnection;
use tachawor_errors::{Error, Violations};
use tachawor_proto::consultation::{
    ExportMyDataRequest, ExportMyDataResponse, ExportedContribution, ExportedResponse,
    ExportedSignature, ExportedSupport,
};
use tachawor_storage::params;

use super::{comments, petitions, proposals, surveys};
use crate::{
    context::{Call, Context},
    domain::timestamp,
    store::{self, consultations::AnswerRow},
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
    let mut supports: Vec<(String, i64)> = sqlx::query_as(
        "SELECT proposal_id, created_at FROM supports WHERE account_id = $1 \
         ORDER BY created_at, proposal_id LIMIT $2 OFFSET $3",
    )
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    next.push(page.finish(&mut supports));
    let mut created = store::petitions::by_agent(&mut conn, id, limit, offset).await?;
    next.push(page.finish(&mut created));
    let mut signatures: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT petition_id, province_code, by_declared_activity, signed_at \
         FROM petition_signatures WHERE account_id = $1 \
         ORDER BY signed_at, petition_id LIMIT $2 OFFSET $3",
    )
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    next.push(page.finish(&mut signatures));
    let mut contributions: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT contribution_id, workshop_id, body, created_at FROM forum_contributions \
         WHERE author_id = $1 ORDER BY created_at, contribution_id LIMIT $2 OFFSET $3",
    )
    .bind(id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    next.push(page.finish(&mut contributions));

    let petitions_created = petitions::messages(ctx, &mut conn, created).await?;
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
            .map(|(proposal_id, at)| ExportedSupport {
                proposal_id,
                supported_at: Some(timestamp(at)),
            })
            .collect(),
        petitions_created,
        signatures: signatures
            .into_iter()
            .map(
                |(petition_id, province_code, by_activity, at)| ExportedSignature {
                    petition_id,
                    province_code,
                    by_declared_activity: by_activity != 0,
                    signed_at: Some(timestamp(at)),
                },
            )
            .collect(),
        forum_contributions: contributions
            .into_iter()
            .map(
                |(contribution_id, workshop_id, body, at)| ExportedContribution {
                    contribution_id,
                    workshop_id,
                    body,
                    created_at: Some(timestamp(at)),
                },
            )
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
    let found: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT response_id, consultation_id, submitted_at FROM responses WHERE account_id = $1 \
         ORDER BY submitted_at, response_id LIMIT $2 OFFSET $3",
    )
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = sqlx::query_as::<_, (String, String, Option<i64>, Option<i64>, Option<String>)>(
        sqlx::AssertSqlSafe(format!(
            "SELECT response_id, question_id, option_index, scale_value, answer_text \
             FROM response_answers WHERE response_id IN ({})",
            params::list(1, found.len())
        )),
    );
    for (response_id, _, _) in &found {
        query = query.bind(response_id.as_str());
    }
    let mut answers: HashMap<String, Vec<AnswerRow>> = HashMap::new();
    for (response_id, question_id, option_index, scale_value, answer_text) in
        query.fetch_all(&mut *conn).await?
    {
        answers.entry(response_id).or_default().push(AnswerRow {
            question_id,
            option_index,
            scale_value,
            answer_text,
        });
    }
    Ok(found
        .into_iter()
        .map(|(response_id, consultation_id, at)| ExportedResponse {
            answers: surveys::answers_message(answers.remove(&response_id).unwrap_or_default()),
            consultation_id,
            submitted_at: Some(timestamp(at)),
        })
        .collect())
}
