//! The training service's API tests: each runs against a real training server beside a real
//! identity server, on PostgreSQL + NATS and on SQLite + the in-process bus.

mod attachments;
mod attendance;
mod audit;
mod bad_input;
mod certificates;
mod data_rights;
mod events;
mod helpers;
mod imports;
mod listed;
mod online_links;
mod registrations;
mod role_matrix;
mod schedule;
mod staff_keys;
