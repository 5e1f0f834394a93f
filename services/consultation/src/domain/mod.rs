//! The service's pure domain: one module per aggregate with its states, transitions and rules,
//! [`rule`] naming every refusal, and [`spelling`] for the values' SQL and contract spellings.
//! Nothing here reads a database or a clock: handlers load, ask the domain, then write.

pub mod article;
pub mod comment;
pub mod consultation;
pub mod forum;
pub mod opinion;
pub mod petition;
pub mod proposal;
pub mod rule;
pub mod spelling;
pub mod vote;

pub use rule::Rule;
pub use spelling::*;
