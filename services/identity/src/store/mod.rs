//! SQL for each aggregate. Functions take a connection so callers choose the transaction.

pub mod accounts;
pub mod associations;
pub mod contact_secrets;
pub mod instances;
pub mod keys;
pub mod limits;
pub mod tokens;
