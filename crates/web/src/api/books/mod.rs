//! `/api/v1/books`: the company's own double-entry books: settings, the chart
//! of accounts, journal entries, invoices, periods, reports (JSON and CSV)
//! and the reconciliation with its wallet and escrow.

pub mod accounts;
pub mod attachments;
pub mod bank;
pub mod entries;
pub mod invoices;
pub mod opening;
pub mod periods;
pub mod rates;
pub mod reconciliation;
pub mod reports;
pub mod settings;
pub mod vat;

use kernel::Timestamp;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// `YYYY-MM-DD` of a query parameter as the start of that day, or the
/// parameter named as the one at fault.
pub(crate) fn query_date(field: &str, text: Option<&str>) -> ApiResult<Option<Timestamp>> {
    text.map(|text| {
        books::parse_date(field, text)
            .map_err(|error| ApiError::field(ErrorCode::InvalidQuery, field, error.to_string()))
    })
    .transpose()
}

/// A CSV download named `hanse-{name}.csv`.
pub(crate) fn csv_download(name: &str, body: String) -> impl axum::response::IntoResponse + use<> {
    use axum::http::header;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"hanse-{name}.csv\""),
            ),
        ],
        body,
    )
}
