//! What every handler can reach: the domain services, the clock, translations,
//! metrics, rate limits and the web settings.

use std::ops::Deref;
use std::sync::Arc;

use identity::Identity;
use kernel::{Clock, Db};

use crate::i18n::I18n;
use crate::observability::Metrics;
use crate::rate_limit::SignInLimits;

/// Settings of the HTTP layer, decided at start-up.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// The address people use to reach Hanse; links in mail point here.
    pub public_url: String,
    /// Mark cookies `Secure`: true when `public_url` is https (TLS is usually
    /// ended by a proxy in front of Hanse).
    pub secure_cookies: bool,
    /// The largest request body accepted.
    pub body_limit_bytes: usize,
    /// With a token, `/metrics` on the main address answers a caller that
    /// sends it as a bearer token; without one it answers there not at all.
    pub metrics_token: Option<secrecy::SecretString>,
}

impl WebSettings {
    pub fn new(public_url: String) -> Self {
        let secure_cookies = public_url.starts_with("https://");
        WebSettings {
            public_url,
            secure_cookies,
            body_limit_bytes: 1024 * 1024,
            metrics_token: None,
        }
    }
}

/// Shared by all handlers. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

pub struct AppStateInner {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub identity: Identity,
    pub pay: pay::Pay,
    pub market: market::Market,
    pub trade: trade::Trade,
    pub books: books::Books,
    pub scm: scm::Scm,
    pub i18n: I18n,
    pub metrics: Metrics,
    pub sign_in_limits: SignInLimits,
    pub settings: WebSettings,
    /// The migrations this build knows, for `/readyz`.
    pub migrations: Vec<kernel::migrate::Migration>,
}

impl AppState {
    pub fn new(inner: AppStateInner) -> Self {
        AppState(Arc::new(inner))
    }
}

impl Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}
