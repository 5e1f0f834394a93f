//! The consultation service's API tests: each runs against a real server beside a real identity
//! service, on PostgreSQL + NATS and on SQLite + the in-process bus.

mod articles;
mod associations;
mod attachments;
mod audit;
mod bad_input;
mod cache;
mod comments;
mod consultations;
mod data_rights;
mod forum;
mod forum_corrections;
mod helpers;
mod launches;
mod listed;
mod opinions;
mod participation;
mod petitions;
mod role_matrix;
mod staff_console;
mod staff_keys;
mod tamazight;
mod votes;
