//! The training service.
