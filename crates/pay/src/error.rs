//! Payment failures, as business outcomes; `web` maps each to a stable code.

use kernel::StorageError;
use ledger::{CreateTransferResult, LedgerError};

/// A failure of a payment operation. Nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        code: &'static str,
        message: String,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("your role does not allow this")]
    Forbidden,
    #[error("the wallet does not hold enough money for this")]
    InsufficientFunds,
    #[error("the amount is in {given}, but {expected} is needed here")]
    CurrencyMismatch { given: String, expected: String },
    #[error("the webhook signature does not match")]
    InvalidSignature,
    #[error("the webhook is too old or from the future; it may be a replay")]
    StaleWebhook,
    #[error("the webhook names an operation this provider never started")]
    UnknownReference,
    #[error("the escrow is already {0}")]
    EscrowClosed(&'static str),
    /// No payment provider is configured, so no money can come in or go out.
    #[error("no payment provider is configured")]
    NoProvider,
    #[error("the payment provider refused: {0}")]
    Provider(String),
    /// The ledger refused a transfer for a reason that is a bug, not input.
    #[error("the ledger refused the transfer: {0:?}")]
    Refused(CreateTransferResult),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for PayError {
    fn from(error: sqlx::Error) -> Self {
        PayError::Storage(error.into())
    }
}

impl PayError {
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        PayError::Invalid {
            field,
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = PayError> = std::result::Result<T, E>;
