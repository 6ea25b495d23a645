//! The one error type of the HTTP layer: every failure has a stable code, an
//! HTTP status and a message, and renders as RFC 9457 problem JSON under `/api`.
//! Internal errors are logged once here and their text never reaches the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use identity::IdentityError;
use serde::{Deserialize, Serialize};

/// The stable error codes of the API. A client may match on these; they never
/// change meaning. The status that goes with each is fixed here. Deserialize
/// is for clients written in Rust, and for the tests that read the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A field's value is unacceptable; `field` names it.
    InvalidField,
    /// The body is not JSON, or not the JSON this endpoint takes.
    MalformedBody,
    /// The body is larger than the limit.
    BodyTooLarge,
    /// A query parameter is unacceptable; `field` names it.
    InvalidQuery,
    /// A path segment is not a valid id of the expected kind.
    InvalidId,
    /// Not signed in, or the credential is unknown, expired or revoked.
    Unauthenticated,
    /// Signed in, but the role or API key scope does not allow this.
    Forbidden,
    /// Signed in without a company to act for: create or choose one first.
    NoActiveCompany,
    /// Nothing here, or nothing this caller may see.
    NotFound,
    EmailTaken,
    CreditCodeTaken,
    WrongCredentials,
    InvitationExpired,
    InvitationClosed,
    InvitationForAnotherEmail,
    AlreadyMember,
    LastOwner,
    /// The wallet does not hold enough available money.
    InsufficientFunds,
    /// The money is in another currency than the one needed.
    CurrencyMismatch,
    /// A webhook's signature does not match its body.
    InvalidSignature,
    /// A webhook is too old (or from the future): possibly a replay.
    StaleWebhook,
    /// A webhook names an operation the provider never started.
    UnknownReference,
    /// The escrow was already released or refunded.
    EscrowClosed,
    /// The payment provider refused or could not be reached.
    ProviderError,
    /// This network has no payment provider configured, so no money can come
    /// in or go out (its operator sets `payment_providers`).
    NoPaymentProvider,
    /// Too many attempts; retry after the `Retry-After` seconds.
    RateLimited,
    /// The form's CSRF token is missing or wrong; reload the page.
    CsrfFailed,
    IdempotencyKeyRequired,
    InvalidIdempotencyKey,
    /// The key was used before with a different request.
    IdempotencyKeyReused,
    /// The first request with this key is still running.
    IdempotencyKeyInProgress,
    /// The request needs `Content-Type: application/json`.
    UnsupportedMediaType,
    /// The resource is not in a state that allows this (e.g. the buying
    /// request is closed, the quotation already answered).
    StateConflict,
    /// This month's quotation quota is used up.
    QuotaExhausted,
    /// Fewer units are available than asked for; `detail` says how many.
    InsufficientStock,
    /// The order's state, or the caller's side of it, does not allow this
    /// step; `reason` is the stable rule: `not_confirmed`, `not_paid`,
    /// `not_shipped`, `already_paid`, `already_shipped`, `already_delivered`,
    /// `already_completed`, `order_closed`, `buyer_only`, `seller_only`,
    /// `claim_open`, `refund_first`, `refund_answered`, `dispute_exists`,
    /// `dispute_resolved`, `escrow_not_held`, `no_return_expected`,
    /// `parcel_delivered`.
    InvalidTransition,
    /// A carrier webhook or a shipment names a carrier this network has not configured.
    UnknownCarrier,
    /// The carrier refused the shipment or could not be reached.
    CarrierError,
    /// A product file has bad rows; `rows` lists them and nothing was imported.
    ImportRejected,
    /// The books' period (`YYYY-MM`) the entry's date falls in is locked:
    /// nothing posts into it.
    PeriodLocked,
    Internal,
    Unavailable,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        use ErrorCode::*;
        match self {
            InvalidField | InvitationForAnotherEmail => StatusCode::UNPROCESSABLE_ENTITY,
            MalformedBody
            | InvalidQuery
            | InvalidId
            | IdempotencyKeyRequired
            | InvalidIdempotencyKey => StatusCode::BAD_REQUEST,
            BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Unauthenticated | WrongCredentials => StatusCode::UNAUTHORIZED,
            Forbidden | CsrfFailed => StatusCode::FORBIDDEN,
            NoActiveCompany | InsufficientFunds | EscrowClosed | StateConflict | QuotaExhausted
            | InsufficientStock | NoPaymentProvider | InvalidTransition => StatusCode::CONFLICT,
            UnknownCarrier => StatusCode::NOT_FOUND,
            CarrierError => StatusCode::BAD_GATEWAY,
            ImportRejected => StatusCode::UNPROCESSABLE_ENTITY,
            PeriodLocked => StatusCode::CONFLICT,
            CurrencyMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            InvalidSignature => StatusCode::UNAUTHORIZED,
            StaleWebhook => StatusCode::BAD_REQUEST,
            UnknownReference => StatusCode::NOT_FOUND,
            ProviderError => StatusCode::BAD_GATEWAY,
            NotFound => StatusCode::NOT_FOUND,
            EmailTaken | CreditCodeTaken | AlreadyMember | LastOwner | IdempotencyKeyInProgress => {
                StatusCode::CONFLICT
            }
            InvitationExpired | InvitationClosed => StatusCode::GONE,
            IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            RateLimited => StatusCode::TOO_MANY_REQUESTS,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// A failure to answer a request.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    /// For people; never contains internal detail.
    pub detail: String,
    /// The field at fault, as a JSON path (`credit_code`, `scopes[1]`).
    pub field: Option<String>,
    /// A narrower, stable reason for `invalid_field`, e.g. `weak_password`.
    pub reason: Option<String>,
    pub retry_after_seconds: Option<u64>,
    /// The bad rows of a rejected product file.
    pub rows: Vec<market::product_csv::RowError>,
}

/// RFC 9457 problem details, with Hanse's stable `code`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `/problems/{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For `import_rejected`: each bad row, its field and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<market::product_csv::RowError>,
}

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError {
            code,
            detail: detail.into(),
            field: None,
            reason: None,
            retry_after_seconds: None,
            rows: Vec::new(),
        }
    }

    pub fn field(code: ErrorCode, field: impl Into<String>, detail: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.into()),
            ..ApiError::new(code, detail)
        }
    }

    pub fn not_found() -> Self {
        ApiError::new(ErrorCode::NotFound, "nothing found here")
    }

    pub fn unauthenticated() -> Self {
        ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in, or send a valid API key as a Bearer token",
        )
    }

    pub fn forbidden() -> Self {
        ApiError::new(
            ErrorCode::Forbidden,
            "your role or key scope does not allow this",
        )
    }

    /// Logs the cause once, with the request's span, and hides it from the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            ErrorCode::Internal,
            "something went wrong on our side; it has been logged",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    pub fn problem(&self) -> Problem {
        let status = self.status();
        Problem {
            problem_type: format!("/problems/{}", self.code.as_str()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            field: self.field.clone(),
            reason: self.reason.clone(),
            rows: self.rows.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<IdentityError> for ApiError {
    fn from(error: IdentityError) -> Self {
        let message = error.to_string();
        let code = match error {
            IdentityError::Invalid {
                field,
                code,
                message,
            } => {
                return ApiError {
                    reason: Some(code.to_owned()),
                    ..ApiError::field(ErrorCode::InvalidField, field, message)
                };
            }
            IdentityError::Storage(cause) => return ApiError::internal(cause),
            IdentityError::NotFound(_) => ErrorCode::NotFound,
            IdentityError::EmailTaken => ErrorCode::EmailTaken,
            IdentityError::CreditCodeTaken => ErrorCode::CreditCodeTaken,
            IdentityError::Forbidden => ErrorCode::Forbidden,
            IdentityError::WrongCredentials => ErrorCode::WrongCredentials,
            IdentityError::InvitationExpired => ErrorCode::InvitationExpired,
            IdentityError::InvitationClosed => ErrorCode::InvitationClosed,
            IdentityError::InvitationForAnotherEmail => ErrorCode::InvitationForAnotherEmail,
            IdentityError::AlreadyMember => ErrorCode::AlreadyMember,
            IdentityError::LastOwner => ErrorCode::LastOwner,
        };
        let field = match code {
            ErrorCode::EmailTaken => Some("email"),
            ErrorCode::CreditCodeTaken => Some("credit_code"),
            _ => None,
        };
        ApiError {
            field: field.map(str::to_owned),
            ..ApiError::new(code, message)
        }
    }
}

impl From<pay::PayError> for ApiError {
    fn from(error: pay::PayError) -> Self {
        use pay::PayError;
        let message = error.to_string();
        let (code, field) = match error {
            PayError::Invalid {
                field,
                code,
                message,
            } => {
                return ApiError {
                    reason: Some(code.to_owned()),
                    ..ApiError::field(ErrorCode::InvalidField, field, message)
                };
            }
            PayError::NotFound(_) => (ErrorCode::NotFound, None),
            PayError::Forbidden => (ErrorCode::Forbidden, None),
            PayError::InsufficientFunds => (ErrorCode::InsufficientFunds, Some("amount")),
            PayError::CurrencyMismatch { .. } => (ErrorCode::CurrencyMismatch, Some("amount")),
            PayError::InvalidSignature => (
                ErrorCode::InvalidSignature,
                Some(pay::provider::SIGNATURE_HEADER),
            ),
            PayError::StaleWebhook => (
                ErrorCode::StaleWebhook,
                Some(pay::provider::SIGNATURE_HEADER),
            ),
            PayError::UnknownReference => (ErrorCode::UnknownReference, Some("reference")),
            PayError::EscrowClosed(_) => (ErrorCode::EscrowClosed, None),
            PayError::NoProvider => (ErrorCode::NoPaymentProvider, None),
            PayError::Provider(cause) => {
                tracing::warn!(error = %cause, "payment provider failed");
                (ErrorCode::ProviderError, None)
            }
            PayError::Refused(_) | PayError::Ledger(_) | PayError::Storage(_) => {
                return ApiError::internal(error);
            }
        };
        ApiError {
            field: field.map(str::to_owned),
            ..ApiError::new(code, message)
        }
    }
}

impl From<market::MarketError> for ApiError {
    fn from(error: market::MarketError) -> Self {
        use market::MarketError;
        let message = error.to_string();
        let code = match error {
            MarketError::Invalid {
                field,
                code,
                message,
            } => {
                return ApiError {
                    reason: Some(code.to_owned()),
                    ..ApiError::field(ErrorCode::InvalidField, field, message)
                };
            }
            MarketError::ImportRejected(rows) => {
                return ApiError {
                    rows,
                    ..ApiError::field(ErrorCode::ImportRejected, "file", message)
                };
            }
            MarketError::NotFound(_) => ErrorCode::NotFound,
            MarketError::Forbidden => ErrorCode::Forbidden,
            MarketError::Conflict(_) => ErrorCode::StateConflict,
            MarketError::QuotaExhausted { .. } => ErrorCode::QuotaExhausted,
            MarketError::InsufficientStock { .. } => {
                return ApiError::field(ErrorCode::InsufficientStock, "quantity", message);
            }
            MarketError::Search(_) | MarketError::ImageFile(_) | MarketError::Storage(_) => {
                return ApiError::internal(error);
            }
        };
        ApiError::new(code, message)
    }
}

impl From<trade::TradeError> for ApiError {
    fn from(error: trade::TradeError) -> Self {
        use trade::TradeError;
        let message = error.to_string();
        let code = match error {
            TradeError::Invalid {
                field,
                code,
                message,
            } => {
                return ApiError {
                    reason: Some(code.to_owned()),
                    ..ApiError::field(ErrorCode::InvalidField, field, message)
                };
            }
            TradeError::State { code, message } => {
                return ApiError {
                    reason: Some(code.to_owned()),
                    ..ApiError::new(ErrorCode::InvalidTransition, message)
                };
            }
            TradeError::InsufficientStock { field, .. } => {
                return ApiError::field(ErrorCode::InsufficientStock, field, message);
            }
            TradeError::InvalidSignature => {
                return ApiError::field(
                    ErrorCode::InvalidSignature,
                    pay::provider::SIGNATURE_HEADER,
                    message,
                );
            }
            TradeError::StaleWebhook => {
                return ApiError::field(
                    ErrorCode::StaleWebhook,
                    pay::provider::SIGNATURE_HEADER,
                    message,
                );
            }
            TradeError::UnknownCarrier(_) => {
                return ApiError::field(ErrorCode::UnknownCarrier, "carrier", message);
            }
            TradeError::Carrier(cause) => {
                tracing::warn!(error = %cause, "carrier failed");
                ErrorCode::CarrierError
            }
            TradeError::NotFound(_) => ErrorCode::NotFound,
            TradeError::Forbidden => ErrorCode::Forbidden,
            TradeError::Market(error) => return error.into(),
            TradeError::Pay(error) => return error.into(),
            TradeError::Storage(error) => return ApiError::internal(error),
        };
        ApiError::new(code, message)
    }
}

impl From<books::BooksError> for ApiError {
    fn from(error: books::BooksError) -> Self {
        use books::BooksError;
        let message = error.to_string();
        match error {
            BooksError::Invalid {
                field,
                code,
                message,
            } => ApiError {
                reason: Some(code.to_owned()),
                ..ApiError::field(ErrorCode::InvalidField, field, message)
            },
            BooksError::PeriodLocked { .. } => {
                ApiError::field(ErrorCode::PeriodLocked, "date", message)
            }
            BooksError::State { code, message } => ApiError {
                reason: Some(code.to_owned()),
                ..ApiError::new(ErrorCode::StateConflict, message)
            },
            BooksError::NotFound(_) => ApiError::new(ErrorCode::NotFound, message),
            BooksError::Forbidden => ApiError::forbidden(),
            BooksError::Pay(error) => error.into(),
            BooksError::Storage(error) => ApiError::internal(error),
        }
    }
}

impl From<scm::ScmError> for ApiError {
    fn from(error: scm::ScmError) -> Self {
        use scm::ScmError;
        let message = error.to_string();
        match error {
            ScmError::Invalid {
                field,
                code,
                message,
            } => ApiError {
                reason: Some(code.to_owned()),
                ..ApiError::field(ErrorCode::InvalidField, field, message)
            },
            ScmError::InsufficientStock { field, .. } => {
                ApiError::field(ErrorCode::InsufficientStock, field, message)
            }
            ScmError::State { code, message } => ApiError {
                reason: Some(code.to_owned()),
                ..ApiError::new(ErrorCode::StateConflict, message)
            },
            ScmError::ImportRejected(rows) => ApiError {
                rows,
                ..ApiError::field(ErrorCode::ImportRejected, "file", message)
            },
            ScmError::NotFound(_) => ApiError::new(ErrorCode::NotFound, message),
            ScmError::Forbidden => ApiError::forbidden(),
            ScmError::Market(error) => error.into(),
            ScmError::Storage(error) => ApiError::internal(error),
        }
    }
}

impl From<kernel::StorageError> for ApiError {
    fn from(error: kernel::StorageError) -> Self {
        ApiError::internal(error)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
