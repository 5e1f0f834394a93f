//! The consultation service's API tests: each runs against a real server beside a real identity
//! service, on PostgreSQL + NATS and on SQLite + the in-process bus.

mod consultations;
mod helpers;
mod petitions;
mod role_matrix;
