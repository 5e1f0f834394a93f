//! The training domain, without a database: each aggregate's statuses with their transitions
//! and the rules that refuse a request, plus the values the layers share (SQL spellings, dates,
//! codes).
//!
//! - [`rule`]: every rule this service can refuse a request with, in one enum.
//! - [`session`], [`registration`], [`attendance`], [`certificate`], [`evaluation`]: one module
//!   per aggregate.
//! - [`schedule`]: a session's days with their local times, and the instants rules compare.
//! - `spelling`, `values`: SQL spellings of the contract's enums; dates, JSON lists and codes.

pub mod attendance;
pub mod certificate;
pub mod evaluation;
pub mod registration;
pub mod rule;
pub mod schedule;
pub mod session;
mod spelling;
mod values;

pub use rule::Rule;
pub use spelling::*;
pub use values::*;
