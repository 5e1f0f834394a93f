//! A service's gRPC surface written once: [`rpcs!`](crate::rpcs) declares the handlers'
//! type and implements the generated service trait by forwarding each RPC to its module
//! function, `module::rpc(&ctx, &call, request) -> Result<Response, Error>`, with the caller
//! read from the request and the function's `Error` turned into the gRPC status in one place.
//!
//! ```ignore
//! tachawor_runtime::rpcs! {
//!     /// The consultation service's RPC handlers.
//!     Consultation(Context) implements ConsultationService {
//!         get_consultation(GetConsultationRequest) -> GetConsultationResponse => consultations;
//!         …
//!     }
//! }
//! ```
//!
//! The invoking crate depends on `tonic` and `tachawor_auth`, as every service does.

/// See the [module documentation](crate::rpcs).
#[macro_export]
macro_rules! rpcs {
    (
        $(#[$meta:meta])*
        $handlers:ident($context:ty) implements $service:ident {
            $($name:ident($req:ty) -> $resp:ty => $module:ident;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $handlers {
            ctx: ::std::sync::Arc<$context>,
        }

        impl $handlers {
            pub fn new(ctx: ::std::sync::Arc<$context>) -> Self {
                Self { ctx }
            }
        }

        #[::tonic::async_trait]
        impl $service for $handlers {
            $(
                async fn $name(
                    &self,
                    request: ::tonic::Request<$req>,
                ) -> ::std::result::Result<::tonic::Response<$resp>, ::tonic::Status> {
                    let call = ::tachawor_auth::Call::of(&request);
                    $module::$name(&self.ctx, &call, request.into_inner())
                        .await
                        .map(::tonic::Response::new)
                        .map_err(::tonic::Status::from)
                }
            )*
        }
    };
}

/// The writer's methods on a handlers' context, forwarded to its `writer` field, so handlers
/// write `ctx.begin()`, `ctx.emit(…)`, `ctx.commit(tx)` and read `ctx.now()`:
/// `tachawor_runtime::writes_through!(Context);`.
#[macro_export]
macro_rules! writes_through {
    ($context:ty) => {
        impl $context {
            /// Now, in unix milliseconds, from the service's clock.
            pub fn now(&self) -> i64 {
                self.writer.now()
            }

            pub async fn begin(
                &self,
            ) -> ::std::result::Result<::tachawor_storage::Transaction, ::tachawor_errors::Error>
            {
                self.writer.begin().await
            }

            /// Commits, outdates the cached public answers and wakes the outbox relay.
            pub async fn commit(
                &self,
                tx: ::tachawor_storage::Transaction,
            ) -> ::std::result::Result<(), ::tachawor_errors::Error> {
                self.writer.commit(tx).await
            }

            /// Writes an event to the outbox inside `tx`.
            pub async fn emit<M: ::prost::Name>(
                &self,
                tx: &mut ::tachawor_storage::Transaction,
                event_type: ::tachawor_proto::catalogue::EventType<M>,
                aggregate_id: &str,
                payload: &M,
            ) -> ::std::result::Result<(), ::tachawor_errors::Error> {
                self.writer
                    .emit(tx, event_type, aggregate_id, payload)
                    .await
            }
        }
    };
}
