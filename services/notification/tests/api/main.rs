//! The notification service's API tests: a real notification server beside a real identity
//! server, events published into the bus as their producers would, on PostgreSQL + NATS and
//! on SQLite + the in-process bus.

mod bad_input;
mod delivery;
mod follows;
mod helpers;
mod inbox;
mod role_matrix;
mod with_identity;
