//! Books failures, as business outcomes; `web` maps each to a stable code.

use kernel::StorageError;

/// A failure of a books operation. Nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum BooksError {
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
    /// The period `period` is locked: nothing posts into it.
    #[error("the period {period} is locked")]
    PeriodLocked { period: String },
    /// A posted entry never changes; correct it with a reversal.
    #[error("{message}")]
    State { code: &'static str, message: String },
    #[error(transparent)]
    Pay(#[from] pay::PayError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for BooksError {
    fn from(error: sqlx::Error) -> Self {
        BooksError::Storage(error.into())
    }
}

impl BooksError {
    pub fn invalid(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        BooksError::Invalid {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    pub fn state(code: &'static str, message: impl Into<String>) -> Self {
        BooksError::State {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = BooksError> = std::result::Result<T, E>;
