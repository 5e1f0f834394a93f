//! A copy of everything the platform holds about the person, as one JSON file: identity's
//! account, consents and associations, consultation's answers, proposals, comments and
//! signatures, and training's registrations, evaluations and certificates.
//!
//! Each service answers its own `ExportMyData`; the portal writes the messages out in the
//! protobuf JSON mapping (field names as in the contract), read from the contract's own
//! descriptors so a field added there appears here with no change.

use std::sync::LazyLock;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use prost_reflect::{DescriptorPool, DynamicMessage, SerializeOptions};
use serde::Deserialize;
use serde_json::{Map, Value};
use tachawor_proto::{common::PageRequest, consultation, identity, training};

use crate::{
    error::PageError,
    handlers::{AppState, lang_of, reads},
    i18n::{Lang, Tr},
    page::{CachePolicy, Frame, Section, html},
    person::{Posted, SignedIn},
    services::as_person,
};

/// Pages of one service's export read at most; a person's own data fits in far fewer.
const MAX_PAGES: usize = 50;
const PAGE_SIZE: i32 = 100;

static POOL: LazyLock<DescriptorPool> = LazyLock::new(|| {
    DescriptorPool::decode(tachawor_proto::FILE_DESCRIPTOR_SET)
        .expect("the contract's descriptors decode")
});

/// `message` as JSON with the contract's field names.
fn to_json<M: prost::Message + prost::Name>(message: &M) -> Result<Value, anyhow::Error> {
    let descriptor = POOL
        .get_message_by_name(&M::full_name())
        .ok_or_else(|| anyhow::anyhow!("{} is not in the contract", M::full_name()))?;
    let dynamic = DynamicMessage::decode(descriptor, message.encode_to_vec().as_slice())?;
    let options = SerializeOptions::new()
        .use_proto_field_name(true)
        .skip_default_fields(false);
    let mut out = Vec::new();
    dynamic.serialize_with_options(&mut serde_json::Serializer::new(&mut out), &options)?;
    Ok(serde_json::from_slice(&out)?)
}

/// Appends every list of `page` to the same list of `all`; other fields are kept once.
fn merge_page(all: &mut Map<String, Value>, page: Value) {
    let Value::Object(page) = page else { return };
    for (key, value) in page {
        if key == "next_page_token" {
            continue;
        }
        match (all.get_mut(&key), value) {
            (Some(Value::Array(list)), Value::Array(more)) => list.extend(more),
            (None, value) => {
                all.insert(key, value);
            }
            _ => {}
        }
    }
}

#[derive(Template)]
#[template(path = "account_export.html")]
struct ExportPage {
    frame: Frame,
    csrf: String,
}

pub async fn page(Path(lang): Path<String>, person: SignedIn) -> Result<Response, PageError> {
    let lang = lang_of(&lang)?;
    let frame = Frame::new(
        lang,
        Tr::new(lang).t("export-title"),
        Section::Account,
        "account/export",
    );
    let csrf = person.visitor.form_token();
    html(
        &ExportPage { frame, csrf },
        StatusCode::OK,
        CachePolicy::NoStore,
        lang,
    )
}

#[derive(Debug, Deserialize)]
pub struct ExportForm {}

fn failed(lang: Lang) -> impl Fn(tonic::Status) -> PageError {
    move |status| PageError::from_status(&status, lang)
}

fn internal(lang: Lang) -> impl Fn(anyhow::Error) -> PageError {
    move |error| {
        tracing::error!(%error, "an export could not be written as JSON");
        PageError::internal(lang)
    }
}

/// Every page of one service's export, merged: `fetch` asks for a page, `next` reads the
/// token of the one after it.
async fn all_pages<M, Fut>(
    lang: Lang,
    fetch: impl FnMut(PageRequest) -> Fut,
    next: fn(&M) -> &str,
) -> Result<Value, PageError>
where
    M: prost::Message + prost::Name,
    Fut: std::future::Future<Output = Result<tonic::Response<M>, tonic::Status>>,
{
    let mut all = Map::new();
    reads::each_page(lang, (MAX_PAGES, PAGE_SIZE), fetch, next, |page| {
        merge_page(&mut all, to_json(&page).map_err(internal(lang))?);
        Ok(())
    })
    .await?;
    Ok(Value::Object(all))
}

pub async fn download(
    State(state): State<AppState>,
    person: SignedIn,
    posted: Posted<ExportForm>,
) -> Result<Response, PageError> {
    let lang = posted.lang;
    let identity_part = async {
        let answer = state
            .services
            .identity()
            .export_my_data(as_person(&person.session, identity::ExportMyDataRequest {}))
            .await
            .map_err(failed(lang))?
            .into_inner();
        to_json(&answer).map_err(internal(lang))
    };
    let consultation_part = all_pages(
        lang,
        |page| {
            let request = consultation::ExportMyDataRequest { page: Some(page) };
            let mut client = state.services.consultation();
            let request = as_person(&person.session, request);
            async move { client.export_my_data(request).await }
        },
        |m: &consultation::ExportMyDataResponse| &m.next_page_token,
    );
    let training_part = all_pages(
        lang,
        |page| {
            let request = training::ExportMyDataRequest { page: Some(page) };
            let mut client = state.services.training();
            let request = as_person(&person.session, request);
            async move { client.export_my_data(request).await }
        },
        |m: &training::ExportMyDataResponse| &m.next_page_token,
    );
    let (identity, consultation, training) =
        tokio::try_join!(identity_part, consultation_part, training_part)?;
    let document = serde_json::json!({
        "exported_at": crate::handlers::now_millis() / 1000,
        "identity": identity,
        "consultation": consultation,
        "training": training,
    });
    let body = serde_json::to_vec_pretty(&document).map_err(|e| internal(lang)(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tachawor-my-data.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_json_with_the_contracts_names_and_dates() {
        let message = identity::Consent {
            purpose: "statistics".into(),
            version: "2026-11".into(),
            granted: true,
            recorded_at: Some(prost_types::Timestamp {
                seconds: 1_796_000_000,
                nanos: 0,
            }),
        };
        let json = to_json(&message).unwrap();
        assert_eq!(json["purpose"], "statistics");
        assert_eq!(json["granted"], true);
        assert!(
            json["recorded_at"].as_str().unwrap().starts_with("2026-"),
            "{json}"
        );
    }

    #[test]
    fn pages_of_an_export_are_one_list() {
        let mut all = Map::new();
        merge_page(
            &mut all,
            serde_json::json!({"account_id": "a", "comments": [1], "next_page_token": "t"}),
        );
        merge_page(
            &mut all,
            serde_json::json!({"account_id": "a", "comments": [2, 3], "next_page_token": ""}),
        );
        assert_eq!(
            Value::Object(all),
            serde_json::json!({"account_id": "a", "comments": [1, 2, 3]})
        );
    }
}
