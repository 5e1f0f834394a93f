//! The reporting service's API tests: a real reporting server beside a real identity server,
//! events published into the bus as their producers would, on PostgreSQL + NATS and on
//! SQLite + the in-process bus.

mod aggregates;
mod bad_input;
mod commitments;
mod consumers;
mod exports;
mod forum;
mod helpers;
mod indicators;
mod learning;
mod opinion_votes;
mod past_sessions;
mod role_matrix;
mod signatures;
mod suppression;
