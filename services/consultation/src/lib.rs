//! The consultation service.
