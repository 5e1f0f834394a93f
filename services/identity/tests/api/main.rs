//! The identity service's API tests: each runs against a real server, on PostgreSQL + NATS and
//! on SQLite + the in-process bus.

mod associations;
mod bad_input;
mod contacts;
mod events;
mod helpers;
mod imports;
mod instances;
mod limits;
mod privacy;
mod role_matrix;
mod sessions;
mod staff;
mod tls;
