//! Following a consultation from its page: whether the signed-in reader follows it (asked
//! beside the page's own calls), and the follow and unfollow buttons' forms.
//!
//! Anonymous readers see no button, so the copy shared caches keep is the same for all; a
//! region without the notification service shows none either.

use std::time::Duration;

use axum::{
    Router,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use tachawor_proto::notification::{
    FollowConsultationRequest, ListMyFollowsRequest, UnfollowConsultationRequest,
};

use super::{AppState, encode_query, inbox::NoFields};
use crate::{
    error::PageError,
    person::{Posted, SignedIn, Visitor},
    services::as_person,
};

/// Longest the follow state may hold the page up; past it the page shows no button.
const FOLLOW_WAIT: Duration = Duration::from_millis(800);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/consultations/{id}/follow", post(follow))
        .route("/{lang}/consultations/{id}/unfollow", post(unfollow))
}

/// Whether `visitor` follows the consultation: `None` for anonymous readers, without the
/// notification service, or when it did not answer in time (the page shows no button then).
pub async fn following(state: &AppState, visitor: &Visitor, consultation_id: &str) -> Option<bool> {
    let session = visitor.session.as_ref()?;
    let mut client = state.services.notification()?;
    let request = as_person(
        session,
        ListMyFollowsRequest {
            page: None,
            consultation_id: consultation_id.to_string(),
        },
    );
    match tokio::time::timeout(FOLLOW_WAIT, client.list_my_follows(request)).await {
        Ok(Ok(answer)) => Some(!answer.into_inner().follows.is_empty()),
        Ok(Err(status)) => {
            tracing::warn!(code = ?status.code(), "whether the reader follows could not be read");
            None
        }
        Err(_) => {
            tracing::warn!("whether the reader follows took too long");
            None
        }
    }
}

/// Back to the consultation's page, at its follow button.
fn back(posted: &Posted<NoFields>, id: &str) -> Response {
    Redirect::to(&format!(
        "/{}/consultations/{}#follow",
        posted.lang.code(),
        encode_query(id)
    ))
    .into_response()
}

async fn follow(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    change(&state, &person, &posted, &id, true).await
}

async fn unfollow(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<NoFields>,
) -> Result<Response, PageError> {
    change(&state, &person, &posted, &id, false).await
}

/// Follows (`on`) or unfollows the consultation, then goes back to its page.
async fn change(
    state: &AppState,
    person: &SignedIn,
    posted: &Posted<NoFields>,
    id: &str,
    on: bool,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let mut client = state
        .services
        .notification()
        .ok_or_else(|| PageError::not_found(lang))?;
    let consultation_id = id.to_string();
    let done = if on {
        client
            .follow_consultation(as_person(
                &person.session,
                FollowConsultationRequest { consultation_id },
            ))
            .await
            .map(|_| ())
    } else {
        client
            .unfollow_consultation(as_person(
                &person.session,
                UnfollowConsultationRequest { consultation_id },
            ))
            .await
            .map(|_| ())
    };
    done.map_err(|s| PageError::from_lookup(&s, lang))?;
    Ok(back(posted, id))
}
