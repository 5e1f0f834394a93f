//! The service calls that a page and its JSON twin share: one list page, or one thing by id
//! (`None` when the service answers without it).

use tachawor_proto::{
    consultation::{
        Consultation, GetConsultationRequest, GetPetitionRequest, ListConsultationsRequest,
        ListConsultationsResponse, ListPetitionsRequest, ListPetitionsResponse, Petition,
    },
    training::{
        GetSessionRequest, ListSessionsRequest, ListSessionsResponse, Session, SessionStatus,
    },
};
use tonic::Status;

use super::AppState;

pub async fn consultations(
    app: &AppState,
    token: Option<String>,
) -> Result<ListConsultationsResponse, Status> {
    let request = ListConsultationsRequest {
        status: 0,
        page: app.page(token),
    };
    Ok(app
        .services
        .consultation()
        .list_consultations(request)
        .await?
        .into_inner())
}

pub async fn consultation(app: &AppState, id: String) -> Result<Option<Consultation>, Status> {
    let request = GetConsultationRequest {
        consultation_id: id,
    };
    Ok(app
        .services
        .consultation()
        .get_consultation(request)
        .await?
        .into_inner()
        .consultation)
}

pub async fn petitions(
    app: &AppState,
    token: Option<String>,
) -> Result<ListPetitionsResponse, Status> {
    let request = ListPetitionsRequest {
        status: 0,
        page: app.page(token),
    };
    Ok(app
        .services
        .consultation()
        .list_petitions(request)
        .await?
        .into_inner())
}

pub async fn petition(app: &AppState, id: String) -> Result<Option<Petition>, Status> {
    let request = GetPetitionRequest { petition_id: id };
    Ok(app
        .services
        .consultation()
        .get_petition(request)
        .await?
        .into_inner()
        .petition)
}

/// Sessions of every status, or of one (`Scheduled` for what is coming).
pub async fn sessions(
    app: &AppState,
    token: Option<String>,
    status: SessionStatus,
) -> Result<ListSessionsResponse, Status> {
    let request = ListSessionsRequest {
        page: app.page(token),
        status: status as i32,
        ..Default::default()
    };
    Ok(app
        .services
        .training()
        .list_sessions(request)
        .await?
        .into_inner())
}

pub async fn session(app: &AppState, id: String) -> Result<Option<Session>, Status> {
    let request = GetSessionRequest { session_id: id };
    Ok(app
        .services
        .training()
        .get_session(request)
        .await?
        .into_inner()
        .session)
}
