//! The Tachawor contract: every package of `proto/`, generated at build time.
//!
//! Each package is a module named after it (`tachawor::identity::v1`), and [`FILE_DESCRIPTOR_SET`]
//! feeds server reflection.

/// Encoded `FileDescriptorSet` of every Tachawor proto file, for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/tachawor_descriptor.bin"));

pub mod tachawor {
    pub mod common {
        pub mod v1 {
            tonic::include_proto!("tachawor.common.v1");
        }
    }
    pub mod events {
        pub mod v1 {
            tonic::include_proto!("tachawor.events.v1");
        }
    }
    pub mod identity {
        pub mod v1 {
            tonic::include_proto!("tachawor.identity.v1");
        }
    }
    pub mod consultation {
        pub mod v1 {
            tonic::include_proto!("tachawor.consultation.v1");
        }
    }
    pub mod training {
        pub mod v1 {
            tonic::include_proto!("tachawor.training.v1");
        }
    }
    pub mod reporting {
        pub mod v1 {
            tonic::include_proto!("tachawor.reporting.v1");
        }
    }
    pub mod notification {
        pub mod v1 {
            tonic::include_proto!("tachawor.notification.v1");
        }
    }
}

pub mod catalogue;
pub mod csv;
pub mod dates;
pub mod imports;
pub mod paging;
mod redact;

pub use tachawor::{
    common::v1 as common, consultation::v1 as consultation, events::v1 as events,
    identity::v1 as identity, notification::v1 as notification, reporting::v1 as reporting,
    training::v1 as training,
};
