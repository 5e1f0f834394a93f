//! The consultative instances the person sits on: each with the consultations it launched (the
//! proposals waiting for staff, those refused with the reason given, the others as the public
//! sees them), and the form by which a member proposes a consultation the instance launches on
//! a matter within its remit. Staff approve or reject it on the consultations desk.
//!
//! The instances are those the person's token names; the consultation service checks the
//! membership again when the proposal is sent.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tachawor_proto::{
    consultation::{Consultation, ListConsultationsRequest, ProposeConsultationRequest},
    identity::GetInstanceRequest,
};

use crate::{
    error::{ErrorKind, PageError},
    form::FormErrors,
    handlers::{
        AppState,
        consultation_form::{self, ConsultationFields},
        lang_of,
    },
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn, roles::instances_of},
    services::as_person,
    view::{Choice, ConsultationCard, Text},
};

/// A consultation the instance launched, as its members follow it.
pub struct LaunchedView {
    pub card: ConsultationCard,
    /// Its public page, once staff opened it (proposals and drafts have none).
    pub public: bool,
    /// Staff's reason, for a rejected proposal.
    pub rejection: String,
}

pub struct InstanceView {
    pub id: String,
    pub name: Text,
    pub launched: Vec<LaunchedView>,
}

#[derive(Template)]
#[template(path = "account_instances.html")]
struct InstancesPage {
    frame: Frame,
    instances: Vec<InstanceView>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct InstancesQuery {
    proposed: Option<String>,
}

fn launched_of(c: &Consultation, tr: Tr) -> LaunchedView {
    let card = ConsultationCard::of(c, tr);
    LaunchedView {
        public: matches!(card.status.as_str(), "open" | "closed" | "answered"),
        rejection: c.rejection_reason.clone(),
        card,
    }
}

/// One instance's name and the consultations it launched, read with the person's token.
async fn instance_of(
    state: &AppState,
    person: &SignedIn,
    id: String,
    tr: Tr,
) -> Result<InstanceView, tonic::Status> {
    let (mut identity, mut consultation) =
        (state.services.identity(), state.services.consultation());
    let name = identity.get_instance(as_person(
        &person.session,
        GetInstanceRequest {
            instance_id: id.clone(),
        },
    ));
    let launched = consultation.list_consultations(as_person(
        &person.session,
        ListConsultationsRequest {
            status: 0,
            page: state.page(None),
            launched_by_instance_id: id.clone(),
        },
    ));
    let (name, launched) = tokio::join!(name, launched);
    let name = name?.into_inner().instance.and_then(|i| i.name);
    Ok(InstanceView {
        id,
        name: Text::of(name.as_ref(), tr.lang),
        launched: launched?
            .into_inner()
            .consultations
            .iter()
            .map(|c| launched_of(c, tr))
            .collect(),
    })
}

/// `/{lang}/account/instances`: the person's instances, or a sentence saying they sit on none.
pub async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(query): Query<InstancesQuery>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let tr = Tr::new(lang);
    let ids = instances_of(&person.session.access_token);
    let found = futures::future::join_all(
        ids.into_iter()
            .map(|id| instance_of(&state, &person, id, tr)),
    )
    .await;
    let instances = found
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|s| PageError::from_status(&s, lang))?;
    let page = InstancesPage {
        frame: Frame::new(
            lang,
            tr.t("instances-title"),
            Section::Account,
            "account/instances",
        ),
        instances,
        notice: query.proposed.map(|_| tr.t("instances-proposed")),
    };
    html(&page, StatusCode::OK, CachePolicy::NoStore, lang)
}

#[derive(Template)]
#[template(path = "account_instance_propose.html")]
struct ProposePage {
    frame: Frame,
    csrf: String,
    instance_id: String,
    instance: Text,
    form: ConsultationFields,
    audiences: Vec<Choice>,
    participations: Vec<Choice>,
    provinces: Vec<Choice>,
    errors: FormErrors,
}

/// The instance's name, when the person sits on it; otherwise the page is not theirs.
async fn member_of(
    state: &AppState,
    person: &SignedIn,
    id: &str,
    lang: Lang,
) -> Result<Text, PageError> {
    if !instances_of(&person.session.access_token)
        .iter()
        .any(|i| i == id)
    {
        return Err(PageError::new(ErrorKind::Forbidden, lang));
    }
    let name = state
        .services
        .identity()
        .get_instance(as_person(
            &person.session,
            GetInstanceRequest {
                instance_id: id.to_string(),
            },
        ))
        .await
        .map_err(|s| PageError::from_lookup(&s, lang))?
        .into_inner()
        .instance
        .and_then(|i| i.name);
    Ok(Text::of(name.as_ref(), lang))
}

fn propose_page(
    state: &AppState,
    person: &SignedIn,
    lang: Lang,
    id: &str,
    instance: Text,
    form: ConsultationFields,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let tr = Tr::new(lang);
    let status = errors.status();
    let page = ProposePage {
        frame: Frame::new(
            lang,
            tr.t("instances-propose-title"),
            Section::Account,
            &format!("account/instances/{id}/propose"),
        )
        .with_errors(&errors),
        csrf: person.visitor.form_token(),
        instance_id: id.to_string(),
        instance,
        audiences: consultation_form::audiences(tr, &form.audience),
        participations: consultation_form::participations(tr, &form.participation),
        provinces: consultation_form::provinces(&state.region, lang, &form.provinces),
        form,
        errors,
    };
    html(&page, status, CachePolicy::NoStore, lang)
}

/// The empty form: public, the region's participation rule.
pub async fn propose_form(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    person: SignedIn,
) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let instance = member_of(&state, &person, &id, lang).await?;
    let form = ConsultationFields {
        audience: "public".into(),
        participation: "default".into(),
        ..Default::default()
    };
    propose_page(
        &state,
        &person,
        lang,
        &id,
        instance,
        form,
        FormErrors::new(),
    )
}

/// Sends the proposal; it waits for staff, unseen by the public.
pub async fn propose(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    person: SignedIn,
    posted: Posted<ConsultationFields>,
) -> Result<Response, PageError> {
    let Posted { form, lang, .. } = posted;
    let tr = Tr::new(lang);
    let instance = member_of(&state, &person, &id, lang).await?;
    let request = ProposeConsultationRequest {
        instance_id: id.clone(),
        title: form.title(),
        body: form.body(),
        audience: form.audience(),
        province_codes: form.provinces.clone(),
        participation: form.participation(),
    };
    match state
        .services
        .consultation()
        .propose_consultation(as_person(&person.session, request))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/{}/account/instances?proposed=1", lang.code())).into_response(),
        ),
        Err(status) => {
            let errors = FormErrors::from_status(
                &status,
                tr,
                // The consultation's fields are refused as on the staff's form.
                "staff-consultation",
                consultation_form::FIELDS,
            )?;
            propose_page(&state, &person, lang, &id, instance, form, errors)
        }
    }
}
