//! Building the application: the services, the router with its layers, the
//! outbox dispatcher, and a listener whose real port is known before serving.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use identity::Identity;
use kernel::migrate::Migration;
use kernel::outbox::{Dispatcher, Subscriber};
use kernel::{Clock, Db};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::i18n::I18n;
use crate::observability::{self, Metrics};
use crate::rate_limit::SignInLimits;
use crate::state::{AppState, AppStateInner, WebSettings};
use crate::{api, csrf, idempotency, pages};

const REQUEST_ID_HEADER: &str = "x-request-id";

/// Every module's migrations, in dependency order.
pub fn migrations() -> Vec<Migration> {
    let mut all = kernel::migrate::kernel_migrations();
    all.extend(identity::migrations());
    all.extend(ledger::migrations());
    all.extend(pay::migrations());
    all.extend(market::migrations());
    all.push(Migration {
        module: "web",
        version: 1,
        name: "idempotency",
        sql: include_str!("../migrations/0001_idempotency.sql"),
    });
    all
}

/// The domain services the web layer serves.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub identity: Identity,
    pub pay: pay::Pay,
    pub market: market::Market,
    /// Keeps this node's search index from the outbox; runs beside the server.
    pub search_feed: market::search_feed::SearchFeed,
}

/// Where a node keeps its files: uploaded images and its search index.
pub struct NodeFiles {
    pub images_dir: std::path::PathBuf,
    /// The search index, opened on disk by `hanse serve`, in memory for
    /// commands that do not search.
    pub search: Arc<market::search_feed::SearchIndexes>,
}

impl Services {
    /// Every module's service over one database. Starts the ledger's
    /// group-commit writer, so it must run inside the Tokio runtime.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        mailer: Arc<dyn identity::mail::Mailer>,
        hash_cost: identity::HashCost,
        public_url: String,
        files: NodeFiles,
    ) -> Services {
        let identity = Identity::new(db.clone(), clock.clone(), mailer, hash_cost, public_url);
        let ledger = ledger::Ledger::start(
            db.clone(),
            clock.clone(),
            ledger::GroupCommitOptions::default(),
        );
        let sandbox = Arc::new(pay::SandboxBank::new(db.clone(), clock.clone()));
        let pay = pay::Pay::new(db.clone(), clock.clone(), ledger, sandbox);
        let market = market::Market::new(
            db.clone(),
            clock.clone(),
            files.images_dir,
            files.search.clone(),
        );
        let search_feed = market::search_feed::SearchFeed::new(db.clone(), files.search);
        Services {
            db,
            clock,
            identity,
            pay,
            market,
            search_feed,
        }
    }

    /// The outbox subscribers of every module.
    pub fn subscribers(&self) -> Vec<Arc<dyn Subscriber>> {
        vec![Arc::new(market::StorefrontOpener)]
    }
}

/// A bound, not yet serving, application.
pub struct App {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    dispatcher: Dispatcher,
    search_feed: market::search_feed::SearchFeed,
}

impl App {
    /// Binds `listen` (port 0 picks a free port). Bind before building the
    /// services when their links must carry the real port.
    pub async fn bind(listen: SocketAddr) -> std::io::Result<TcpListener> {
        TcpListener::bind(listen).await
    }

    /// Assembles everything on a bound listener.
    pub fn build(
        settings: WebSettings,
        listener: TcpListener,
        services: Services,
    ) -> std::io::Result<App> {
        let address = listener.local_addr()?;
        let dispatcher = Dispatcher::new(
            services.db.clone(),
            services.clock.clone(),
            services.subscribers(),
        );
        let search_feed = services.search_feed.clone();
        let state = AppState::new(AppStateInner {
            db: services.db,
            clock: services.clock,
            identity: services.identity,
            pay: services.pay,
            market: services.market,
            i18n: I18n::default(),
            metrics: Metrics::default(),
            sign_in_limits: SignInLimits::default(),
            settings,
            migrations: migrations(),
        });
        Ok(App {
            listener,
            router: router(state),
            address,
            dispatcher,
            search_feed,
        })
    }

    /// The address actually bound.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop_dispatcher, dispatcher_stopped) = tokio::sync::watch::channel(false);
        let feed = tokio::spawn(self.search_feed.run(dispatcher_stopped.clone()));
        let dispatcher = tokio::spawn(self.dispatcher.run(dispatcher_stopped));
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        let _ = stop_dispatcher.send(true);
        let _ = dispatcher.await;
        let _ = feed.await;
        served
    }
}

/// The whole router: API, pages, health and metrics, with the layers every
/// request passes through.
pub fn router(state: AppState) -> Router {
    let body_limit = state.settings.body_limit_bytes;
    let (api_router, _) = api::router();
    let api_router = api_router
        .route("/api", axum::routing::any(api::not_found))
        .route("/api/{*rest}", axum::routing::any(api::not_found))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ));
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    Router::new()
        .merge(api_router)
        .merge(pages::router().layer(axum::middleware::from_fn_with_state(state.clone(), csrf::protect)))
        .route("/healthz", get(observability::healthz))
        .route("/readyz", get(observability::readyz))
        .route("/metrics", get(observability::metrics))
        .layer(axum::middleware::from_fn_with_state(state.clone(), observability::record))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(REQUEST_ID_HEADER)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", request.id = %id, method = %request.method(), path = %request.uri().path())
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}
