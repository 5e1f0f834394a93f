//! SQL per aggregate. One text for both backends; ids TEXT, instants BIGINT unix milliseconds.

pub mod attendance;
pub mod certificates;
pub mod evaluations;
pub mod programs;
pub mod registrations;
pub mod sessions;
