//! Building and running the portal: the same code serves alone on Kubernetes and inside the
//! all-in-one.

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc, time::Duration};

use tachawor_region::Region;
use tokio::net::TcpListener;
use tower::ServiceBuilder;

use crate::{
    handlers::AppState, person::cookies::CookieJar, routes, services::Services, settings::Settings,
};

/// A built portal, bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Loads the region, prepares the service channels (they connect on first use) and binds
    /// the listener (port 0 picks a free port).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        crate::i18n::check_messages().map_err(|e| anyhow::anyhow!(e))?;
        let region = Region::load(Path::new(&settings.region.file))?;
        let services = Services::connect(&settings.services)?;
        let listener = TcpListener::bind(settings.server.listen_addr).await?;
        Ok(Self {
            listener,
            state: AppState {
                services,
                region: Arc::new(region),
                cookies: CookieJar::for_public_url(&settings.server.public_url),
                settings: Arc::new(settings),
            },
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then lets requests in flight finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let timeout = Duration::from_millis(self.state.settings.server.request_timeout_ms);
        let app = routes::router(self.state)?.layer(
            ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(
                    |_: tower::BoxError| async { axum::http::StatusCode::SERVICE_UNAVAILABLE },
                ))
                .timeout(timeout),
        );
        // The peer address is the person's unless a trusted proxy forwarded the request.
        axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        Ok(())
    }
}
