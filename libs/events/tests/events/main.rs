//! Integration tests of the events library, against real PostgreSQL, SQLite and NATS.
//!
//! PostgreSQL: `TACHAWOR_TEST_DATABASE_URL` (admin URL; a fresh database per test).
//! NATS with JetStream: `TACHAWOR_TEST_NATS_URL`; the broker-outage tests start their own
//! `/usr/sbin/nats-server` with the test authorization (`libs/testkit/nats/test.conf`), as does
//! the least-privilege test. Each test uses its own subject prefix, so tests run in parallel.

mod broker;
mod consumer;
mod origin;
mod permissions;
mod relay;
mod support;
mod tls;
mod trace;
