//! The person's own data in this service, for "export my data": registrations with the days
//! attended, evaluations, certificates with the printed name. Each list is read a page at a
//! time with the same page token; the portal bundles the pages with identity's and
//! consultation's exports.

use tachawor_errors::{Error, Violations};
use tachawor_proto::training::{
    ExportMyDataRequest, ExportMyDataResponse, ExportedEvaluation, ListMyRegistrationsRequest,
};

use super::{page, registrations};
use crate::{
    context::{Call, Context},
    domain,
    store::{certificates, evaluations},
};

pub async fn export_my_data(
    ctx: &Context,
    call: &Call,
    req: ExportMyDataRequest,
) -> Result<ExportMyDataResponse, Error> {
    let me = call.account()?;
    let mut v = Violations::new();
    let page = page(&mut v, req.page.as_ref());
    v.finish()?;
    // The same page of registrations the person lists themselves.
    let listed = registrations::list_my_registrations(
        ctx,
        call,
        ListMyRegistrationsRequest {
            page: req.page.clone(),
        },
    )
    .await?;
    let mut conn = ctx.db.pool().acquire().await.map_err(Error::from)?;
    let mut evaluations =
        evaluations::of_account(&mut conn, &me.account_id, page.fetch_limit(), page.offset).await?;
    let evaluations_next = page.finish(&mut evaluations);
    let mut certificates =
        certificates::of_account(&mut conn, &me.account_id, page.fetch_limit(), page.offset)
            .await?;
    let certificates_next = page.finish(&mut certificates);
    let next_page_token = [listed.next_page_token, evaluations_next, certificates_next]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    Ok(ExportMyDataResponse {
        account_id: me.account_id.clone(),
        registrations: listed.registrations,
        evaluations: evaluations
            .into_iter()
            .map(|e| ExportedEvaluation {
                evaluation_id: e.evaluation_id,
                session_id: e.session_id,
                satisfaction: e.satisfaction,
                comment: e.comment,
                pre_test_score: e.pre_test_score,
                post_test_score: e.post_test_score,
                submitted_at: Some(domain::timestamp(e.submitted_at)),
            })
            .collect(),
        // The person's own certificates, with the name as printed (even while pending).
        certificates: certificates.iter().map(|c| c.to_proto()).collect(),
        next_page_token,
    })
}
