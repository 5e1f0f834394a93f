//! The URL map. Every page lives under its language (`/ar/…`, `/fr/…`); its JSON twin under
//! `/api/v1/…`.

use axum::{Extension, Router, extract::DefaultBodyLimit, middleware, routing::get};

use crate::{
    error::PageError,
    handlers::{
        AppState, account, api, api_deliberation, assets, associations, calendar, consultations,
        documents, follow, forum, home, inbox, language, news, opinions, password_reset,
        petition_forms, petitions, sign_in, staff, take_part, training, training_forms,
        transparency, verify,
    },
    i18n::Lang,
    person::address::TrustedProxies,
};

pub fn router(state: AppState) -> anyhow::Result<Router> {
    let proxies = TrustedProxies::parse(&state.settings.server.trusted_proxies)?;
    let cache = crate::cache::PageCache::new(std::time::Duration::from_millis(
        state.settings.pages.cache_ttl_ms,
    ));
    Ok(Router::new()
        .route("/", get(language::root))
        .route("/{lang}", get(home::page))
        .route("/{lang}/", get(home::page))
        .route("/{lang}/consultations", get(consultations::list))
        .route("/{lang}/consultations/{id}", get(consultations::detail))
        .route("/{lang}/petitions", get(petitions::list))
        .route("/{lang}/petitions/{id}", get(petitions::detail))
        .route("/{lang}/opinions", get(opinions::list))
        .route("/{lang}/forum", get(forum::list))
        .route("/{lang}/forum/{id}", get(forum::detail))
        .route(
            "/{lang}/forum/{edition}/workshops/{workshop}",
            get(forum::workshop),
        )
        .route("/{lang}/training", get(training::list))
        .route("/{lang}/training/sessions/{id}", get(training::detail))
        .route("/{lang}/training/calendar.ics", get(calendar::feed))
        .route("/{lang}/documents/{service}/{id}", get(documents::download))
        .route(
            "/{lang}/training/sessions/{id}/calendar.ics",
            get(calendar::session),
        )
        .route("/{lang}/news", get(news::list))
        .route("/{lang}/news.xml", get(news::feed))
        .route("/{lang}/news/{id}", get(news::detail))
        .route("/{lang}/pages", get(news::pages))
        .route("/{lang}/pages/{slug}", get(news::page))
        .route("/{lang}/transparency", get(transparency::page))
        .route("/{lang}/verify", get(verify::form))
        .route("/{lang}/verify/{code}", get(verify::code))
        .route("/verify/{code}", get(verify::code_any_language))
        .route("/static/{name}", get(assets::stylesheet))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/v1/consultations", get(api::consultations))
        .route("/api/v1/consultations/{id}", get(api::consultation))
        .route("/api/v1/petitions", get(api::petitions))
        .route("/api/v1/petitions/{id}", get(api::petition))
        .route("/api/v1/sessions", get(api::sessions))
        .route("/api/v1/sessions/{id}", get(api::session))
        .route("/api/v1/certificates/{code}", get(api::certificate))
        .route("/api/v1/opinions", get(api_deliberation::opinions))
        .route("/api/v1/forum", get(api_deliberation::forum_editions))
        .route("/api/v1/forum/{id}", get(api_deliberation::forum_edition))
        .route(
            "/api/v1/forum/workshops/{id}/contributions",
            get(api_deliberation::forum_contributions),
        )
        .route("/api/v1/exports/{file}", get(transparency::export))
        .route("/healthz", get(|| async { "ok" }))
        .merge(sign_in::routes())
        .merge(password_reset::routes())
        .merge(account::routes())
        .merge(training_forms::routes())
        .merge(take_part::routes())
        .merge(petition_forms::routes())
        .merge(associations::routes())
        .merge(staff::routes(state.settings.services.max_document_bytes))
        .merge(inbox::routes())
        .merge(follow::routes())
        .fallback(not_found)
        // Forms are small; nothing the portal takes is a file.
        .layer(DefaultBodyLimit::max(64 * 1024))
        // Inside the session's middleware: it reads the person it found.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::unread::middleware,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::person::session::middleware,
        ))
        .layer(Extension(proxies))
        .layer(middleware::from_fn_with_state(
            cache,
            crate::cache::public_pages,
        ))
        .layer(middleware::from_fn(language::remember))
        .layer(middleware::from_fn(crate::headers::security_headers))
        .with_state(state))
}

/// A page that does not exist, in the language its URL names (Arabic when none).
async fn not_found(uri: axum::http::Uri) -> PageError {
    let lang = Lang::of_path(uri.path());
    let error = PageError::not_found(lang);
    if uri.path().starts_with("/api/") {
        error.json()
    } else {
        error
    }
}
