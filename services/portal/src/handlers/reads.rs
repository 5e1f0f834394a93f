//! The service calls that a page and its JSON twin share: one list page, or one thing by id
//! (`None` when the service answers without it).

use std::collections::HashMap;

use tachawor_proto::{
    common::{LocalizedText, PageRequest},
    consultation::{
        Consultation, ForumEdition, GetConsultationRequest, GetForumEditionRequest,
        GetPetitionRequest, ListConsultationsRequest, ListConsultationsResponse,
        ListForumContributionsRequest, ListForumContributionsResponse, ListForumEditionsRequest,
        ListForumEditionsResponse, ListOpinionsRequest, ListOpinionsResponse, ListPetitionsRequest,
        ListPetitionsResponse, Petition,
    },
    identity::{GetInstanceRequest, InstanceLevel, ListInstancesRequest},
    training::{
        GetSessionRequest, ListSessionsRequest, ListSessionsResponse, Session, SessionStatus,
    },
};
use tonic::Status;

use super::AppState;
use crate::{error::PageError, i18n::Lang};

pub async fn consultations(
    app: &AppState,
    token: Option<String>,
) -> Result<ListConsultationsResponse, Status> {
    let request = ListConsultationsRequest {
        status: 0,
        page: app.page(token),
        launched_by_instance_id: String::new(),
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

/// The name of the instance that launched a consultation; `None` when none did (or identity
/// no longer knows it: the page then says no more than the consultation does).
pub async fn launching_instance(
    app: &AppState,
    consultation: &Consultation,
) -> Option<LocalizedText> {
    let instance_id = consultation.launched_by_instance_id.clone();
    if instance_id.is_empty() {
        return None;
    }
    let found = app
        .services
        .identity()
        .get_instance(GetInstanceRequest { instance_id })
        .await;
    match found {
        Ok(answer) => answer.into_inner().instance.and_then(|i| i.name),
        Err(status) => {
            tracing::warn!(code = ?status.code(), "the launching instance's name is unavailable");
            None
        }
    }
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

/// Every page of a paged call, in order, handed to `visit`: `fetch` asks for one page, `next`
/// reads the token of the page after it. At most `max_pages` pages of `page_size` are read, so
/// a person's own lists stay bounded however long they grow.
pub async fn each_page<M, Fut>(
    lang: Lang,
    (max_pages, page_size): (usize, i32),
    mut fetch: impl FnMut(PageRequest) -> Fut,
    next: fn(&M) -> &str,
    mut visit: impl FnMut(M) -> Result<(), PageError>,
) -> Result<(), PageError>
where
    Fut: std::future::Future<Output = Result<tonic::Response<M>, Status>>,
{
    let mut token = String::new();
    for _ in 0..max_pages {
        let page = fetch(PageRequest {
            page_size,
            page_token: token,
        })
        .await
        .map_err(|status| PageError::from_status(&status, lang))?
        .into_inner();
        token = next(&page).to_string();
        visit(page)?;
        if token.is_empty() {
            break;
        }
    }
    Ok(())
}

/// Instances named on one page of opinions; a region has a handful.
const INSTANCES: i32 = 100;

/// An instance as an opinion names it: its name, level and province.
pub struct InstanceLabel {
    pub name: LocalizedText,
    pub level: InstanceLevel,
    pub province_code: String,
}

/// A page of adopted opinions, and the instances (by id) that gave them.
pub async fn opinions(
    app: &AppState,
    token: Option<String>,
) -> Result<(ListOpinionsResponse, HashMap<String, InstanceLabel>), Status> {
    let request = ListOpinionsRequest {
        instance_id: String::new(),
        page: app.page(token),
    };
    let instances = ListInstancesRequest {
        page: Some(PageRequest {
            page_size: INSTANCES,
            page_token: String::new(),
        }),
        ..Default::default()
    };
    let (mut consultation, mut identity) = (app.services.consultation(), app.services.identity());
    let (opinions, instances) = tokio::join!(
        consultation.list_opinions(request),
        identity.list_instances(instances),
    );
    let names = instances?
        .into_inner()
        .instances
        .into_iter()
        .map(|i| {
            let label = InstanceLabel {
                name: i.name.clone().unwrap_or_default(),
                level: i.level(),
                province_code: i.province_code,
            };
            (i.instance_id, label)
        })
        .collect();
    Ok((opinions?.into_inner(), names))
}

pub async fn forum_editions(
    app: &AppState,
    token: Option<String>,
) -> Result<ListForumEditionsResponse, Status> {
    let request = ListForumEditionsRequest {
        page: app.page(token),
    };
    Ok(app
        .services
        .consultation()
        .list_forum_editions(request)
        .await?
        .into_inner())
}

pub async fn forum_edition(app: &AppState, id: String) -> Result<Option<ForumEdition>, Status> {
    let request = GetForumEditionRequest { edition_id: id };
    Ok(app
        .services
        .consultation()
        .get_forum_edition(request)
        .await?
        .into_inner()
        .edition)
}

pub async fn forum_contributions(
    app: &AppState,
    workshop_id: String,
    token: Option<String>,
) -> Result<ListForumContributionsResponse, Status> {
    let request = ListForumContributionsRequest {
        workshop_id,
        page: app.page(token),
    };
    Ok(app
        .services
        .consultation()
        .list_forum_contributions(request)
        .await?
        .into_inner())
}
