//! Trade failures, as business outcomes; `web` maps each to a stable code.

use kernel::StorageError;

/// A failure of an order operation. Nothing was written when one is returned:
/// not the order, not the stock, not the ledger.
#[derive(Debug, thiserror::Error)]
pub enum TradeError {
    #[error("{field}: {message}")]
    Invalid {
        field: String,
        code: &'static str,
        message: String,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("your role does not allow this")]
    Forbidden,
    /// The order is not in a state that allows this; `code` says which rule.
    #[error("{message}")]
    State { code: &'static str, message: String },
    #[error("only {available} available of {field}")]
    InsufficientStock { field: String, available: i64 },
    #[error("the carrier webhook signature does not match")]
    InvalidSignature,
    #[error("the carrier webhook is too old or from the future; it may be a replay")]
    StaleWebhook,
    #[error("the carrier {0} is not configured")]
    UnknownCarrier(String),
    #[error("the carrier failed: {0}")]
    Carrier(String),
    #[error(transparent)]
    Market(#[from] market::MarketError),
    #[error(transparent)]
    Pay(#[from] pay::PayError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for TradeError {
    fn from(error: sqlx::Error) -> Self {
        TradeError::Storage(error.into())
    }
}

impl TradeError {
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        TradeError::Invalid {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    pub fn state(code: &'static str, message: impl Into<String>) -> Self {
        TradeError::State {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = TradeError> = std::result::Result<T, E>;
