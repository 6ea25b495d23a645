//! HTTP for Hanse: the JSON API with its OpenAPI document, the server-rendered
//! pages, authentication, and the application that serves them.

pub mod api;
pub mod app;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod idempotency;
pub mod observability;
pub mod pages;
pub mod pagination;
pub mod rate_limit;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;

pub use app::{App, NodeFiles, PaymentSettings, Services, SettingsError, migrations};
pub use state::WebSettings;
