//! Everything that can go wrong in identity, as business failures. `web` maps
//! each variant to a stable code and an HTTP status.

use kernel::StorageError;

/// A failure of an identity operation. Nothing was written when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// A field's value is not acceptable; `code` is stable, `message` for people.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        code: &'static str,
        message: String,
    },
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("a company with this credit code is already registered")]
    CreditCodeTaken,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("your role does not allow this")]
    Forbidden,
    #[error("the email or password is wrong")]
    WrongCredentials,
    #[error("the invitation has expired; ask for a new one")]
    InvitationExpired,
    #[error("the invitation was already used or withdrawn")]
    InvitationClosed,
    #[error("the invitation was sent to another email address")]
    InvitationForAnotherEmail,
    #[error("this person is already on the staff")]
    AlreadyMember,
    #[error("a company must keep at least one owner")]
    LastOwner,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for IdentityError {
    fn from(error: sqlx::Error) -> Self {
        IdentityError::Storage(error.into())
    }
}

impl IdentityError {
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        IdentityError::Invalid {
            field,
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = IdentityError> = std::result::Result<T, E>;
