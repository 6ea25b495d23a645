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
use kernel::jobs::{JobRunner, JobRunnerOptions};
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
    all.extend(trade::migrations());
    all.extend(books::migrations());
    all.extend(scm::migrations());
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
    pub trade: trade::Trade,
    pub books: books::Books,
    pub scm: scm::Scm,
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

/// The payment providers to start, as configured.
#[derive(Default)]
pub struct PaymentSettings {
    /// The sandbox bank's webhook secret; `None` means no sandbox bank, and
    /// so no test money.
    pub sandbox_secret: Option<secrecy::SecretSlice<u8>>,
}

impl PaymentSettings {
    /// The sandbox bank with a secret of this process alone (demo and tests).
    pub fn random_sandbox() -> Self {
        let mut secret = vec![0_u8; pay::sandbox::SECRET_BYTES_MIN];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        PaymentSettings {
            sandbox_secret: Some(secret.into()),
        }
    }

    fn providers(&self, db: &Db, clock: &Arc<dyn Clock>) -> pay::Result<pay::PaymentProviders> {
        use secrecy::ExposeSecret;
        let mut providers = pay::PaymentProviders::none();
        if let Some(secret) = &self.sandbox_secret {
            let bank =
                pay::SandboxBank::new(db.clone(), clock.clone(), secret.expose_secret().to_vec())?;
            providers = providers.with_sandbox(Arc::new(bank));
        }
        Ok(providers)
    }

    /// The carriers: the sandbox carrier follows the sandbox bank's rule (test
    /// goods only where test money is) and signs with the same secret, so
    /// several nodes verify each other's tracking webhooks.
    fn carriers(&self, db: &Db, clock: &Arc<dyn Clock>) -> trade::Result<trade::Carriers> {
        use secrecy::ExposeSecret;
        let mut carriers = trade::Carriers::none();
        if let Some(secret) = &self.sandbox_secret {
            let sandbox = trade::SandboxCarrier::new(
                db.clone(),
                clock.clone(),
                secret.expose_secret().to_vec(),
            )?;
            carriers = carriers.with_sandbox(Arc::new(sandbox));
        }
        Ok(carriers)
    }
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
        payments: PaymentSettings,
    ) -> Result<Services, SettingsError> {
        // Before the ledger's writer starts, so a refused setting leaves nothing running.
        let providers = payments.providers(&db, &clock)?;
        let carriers = payments.carriers(&db, &clock)?;
        let identity = Identity::new(db.clone(), clock.clone(), mailer, hash_cost, public_url);
        let ledger = ledger::Ledger::start(
            db.clone(),
            clock.clone(),
            ledger::GroupCommitOptions::default(),
        );
        let pay = pay::Pay::new(db.clone(), clock.clone(), ledger, providers);
        // The supply chain keeps linked products' stock: the market reads it
        // and trade reserves through it, without either depending on `scm`.
        let keeper = Arc::new(scm::ScmStockKeeper::new(db.clone()));
        let linked = market::LinkedStock::new(keeper.clone());
        let market = market::Market::new(
            db.clone(),
            clock.clone(),
            files.images_dir,
            files.search.clone(),
        )
        .with_linked_stock(linked.clone());
        let search_feed = market::search_feed::SearchFeed::new(db.clone(), files.search)
            .with_linked_stock(linked);
        let trade = trade::Trade::new(
            db.clone(),
            clock.clone(),
            market.clone(),
            pay.clone(),
            carriers,
        )
        .with_stock_keeper(keeper);
        let books = books::Books::new(db.clone(), clock.clone(), pay.clone());
        let scm = scm::Scm::new(db.clone(), clock.clone(), market.clone());
        Ok(Services {
            db,
            clock,
            identity,
            pay,
            market,
            trade,
            books,
            scm,
            search_feed,
        })
    }

    /// The outbox subscribers of every module.
    pub fn subscribers(&self) -> Vec<Arc<dyn Subscriber>> {
        vec![
            Arc::new(market::StorefrontOpener),
            Arc::new(trade::QuotationOrders::new(self.trade.clone())),
            Arc::new(books::BooksPostings::new(self.books.clone())),
            Arc::new(scm::ScmFeed::new(self.scm.clone())),
        ]
    }

    /// The runner of every module's durable scheduled jobs.
    pub fn job_runner(&self) -> JobRunner {
        JobRunner::new(
            self.db.clone(),
            self.clock.clone(),
            [
                trade::timers::handlers(&self.trade),
                scm::handlers(&self.scm),
            ]
            .concat(),
            JobRunnerOptions::default(),
        )
    }
}

/// A payment or carrier setting the services refused at start-up.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Pay(#[from] pay::PayError),
    #[error(transparent)]
    Trade(#[from] trade::TradeError),
}

/// A bound, not yet serving, application.
pub struct App {
    listener: TcpListener,
    /// The private address `/metrics` is served on, when configured.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    router: Router,
    address: SocketAddr,
    dispatcher: Dispatcher,
    search_feed: market::search_feed::SearchFeed,
    job_runner: JobRunner,
    trade: trade::Trade,
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
        let job_runner = services.job_runner();
        let trade = services.trade.clone();
        let state = AppState::new(AppStateInner {
            db: services.db,
            clock: services.clock,
            identity: services.identity,
            pay: services.pay,
            market: services.market,
            trade: services.trade,
            books: services.books,
            scm: services.scm,
            i18n: I18n::default(),
            metrics: Metrics::default(),
            sign_in_limits: SignInLimits::default(),
            settings,
            migrations: migrations(),
        });
        Ok(App {
            listener,
            metrics_listener: None,
            router: router(state.clone()),
            state,
            address,
            dispatcher,
            search_feed,
            job_runner,
            trade,
        })
    }

    /// The address actually bound.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves `/metrics` (and nothing else) on `listener` too, without a token:
    /// the address is one the operator keeps private, such as 127.0.0.1.
    pub fn with_metrics_listener(mut self, listener: TcpListener) -> App {
        self.metrics_listener = Some(listener);
        self
    }

    /// The metrics address actually bound, when there is one.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|listener| listener.local_addr().ok())
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop_dispatcher, dispatcher_stopped) = tokio::sync::watch::channel(false);
        let feed = tokio::spawn(self.search_feed.run(dispatcher_stopped.clone()));
        let dispatcher = tokio::spawn(self.dispatcher.run(dispatcher_stopped.clone()));
        let jobs = tokio::spawn(self.job_runner.run(dispatcher_stopped.clone()));
        let trade_rounds = tokio::spawn(self.trade.run_rounds(dispatcher_stopped.clone()));
        let metrics = self.metrics_listener.map(|listener| {
            let router = Router::new()
                .route("/metrics", get(observability::metrics))
                .with_state(self.state.clone());
            let mut stopped = dispatcher_stopped;
            tokio::spawn(async move {
                axum::serve(listener, router)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.wait_for(|stop| *stop).await;
                    })
                    .await
            })
        });
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        let _ = stop_dispatcher.send(true);
        let _ = dispatcher.await;
        let _ = feed.await;
        let _ = jobs.await;
        let _ = trade_rounds.await;
        if let Some(metrics) = metrics {
            let _ = metrics.await;
        }
        served
    }
}

/// The header every response carries while the sandbox bank is on, so an API
/// client knows the money it sees is test money (pages show a banner).
pub const TEST_MONEY_HEADER: &str = "hanse-test-money";

async fn mark_test_money(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    if state.pay.is_test_money() {
        response.headers_mut().insert(
            HeaderName::from_static(TEST_MONEY_HEADER),
            axum::http::HeaderValue::from_static("sandbox"),
        );
    }
    response
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
        .route("/metrics", get(observability::metrics_with_token))
        .layer(axum::middleware::from_fn_with_state(state.clone(), observability::record))
        .layer(axum::middleware::from_fn_with_state(state.clone(), mark_test_money))
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
