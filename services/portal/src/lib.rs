//! The portal: Tachawor's web front for citizens, associations and the public.
//!
//! It renders HTML on the server, in Arabic (right to left) first and in French, with no
//! script, and answers the same public pages as JSON for programs. It owns no data: a page is
//! a few concurrent gRPC calls to the services.
//!
//! # Layout
//! - `settings`: where the services are, page sizes and cache lifetimes.
//! - `app`: building and running the HTTP server.
//! - `routes`: the URL map.
//! - `services`: the gRPC clients of the services.
//! - `certificate_pdf`: the training certificate of attendance as a PDF.
//! - `qr`: QR codes of the portal's links, for the certificate and the venue's screen.
//! - `i18n`: languages, Fluent messages, numbers and dates as Morocco writes them.
//! - `page`: rendering a page with its status and cache policy; the frame every page shares.
//! - `headers`: the security headers of every response.
//! - `cache`: public pages kept a moment for every anonymous reader of a replica.
//! - `error`: what a failure becomes for a person (a localized page) or a program (JSON).
//! - `view`: the services' messages turned into what templates show.
//! - `person`: the session cookie, form tokens and the person's address.
//! - `form`: a form's errors as a person reads them.
//! - `unread`: the inbox's link and unread count in the header of a signed-in person's pages.
//! - `handlers`: one module per area of the site, and the JSON twins.

mod app;
mod cache;
pub mod certificate_pdf;
mod error;
mod form;
mod handlers;
mod headers;
pub mod i18n;
mod page;
mod person;
mod qr;
mod routes;
mod services;
mod settings;
mod unread;
mod view;

pub use app::Application;
pub use headers::CONTENT_SECURITY_POLICY;
pub use settings::Settings;
