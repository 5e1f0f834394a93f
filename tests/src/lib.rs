//! Scenarios that cross services: identity, consultation, training and reporting driven only
//! through their gRPC APIs, then reporting's figures checked against what the scenario did.
//!
//! - [`separate`]: the four services as separate servers, each on its own PostgreSQL database,
//!   all on one NATS, sharing a `ManualClock`.
//! - [`all_in_one`]: the all-in-one on SQLite files and its in-process bus.
//! - [`Platform`]: where the services are and how to sign in; [`people`] makes accounts.
//! - [`scenario`]: the actions, and the figures they must give ([`Expected`]).
//! - [`figures`]: reporting's figures, waited for until they match.
//! - [`portal`]: public content made through the APIs, then read as pages; [`web`] fetches them.
//! - [`signed_in`]: the portal's pages for a signed-in person, driven as a browser would.
//! - [`inbox_pages`]: the portal's inbox and notification preferences.
//! - [`mail_pages`]: the platform sending over SMTP, and what its received mail says.
//! - [`staff_pages`]: the portal's staff console, for staff, administrators and the refused.
//! - [`staff_tracker`]: the console's commitment tracker and audit view.
//! - [`news_pages`]: news and plain-language pages, written on the staff desk, read publicly.
//! - [`reads`]: the SQL statements each read RPC runs, counted by [`statements`].

pub mod all_in_one;
pub mod contact_pages;
pub mod figures;
pub mod import_pages;
pub mod inbox_pages;
pub mod instance_proposals;
pub mod mail_pages;
pub mod news_pages;
pub mod people;
pub mod petition_pages;
mod platform;
pub mod portal;
pub mod reads;
pub mod scenario;
pub mod separate;
pub mod session_import_pages;
pub mod signed_in;
pub mod staff_answers;
pub mod staff_consultations;
pub mod staff_documents;
// The Forum, programs and certificate names desks.
pub mod staff_forum;
pub mod staff_keys;
pub mod staff_pages;
pub mod staff_programs;
pub mod staff_sessions_edit;
pub mod staff_tracker;
pub mod staff_whole;
pub mod statements;
pub mod take_part_pages;
pub mod training_pages;
pub mod web;

pub use people::Person;
pub use platform::Platform;
pub use scenario::Expected;
