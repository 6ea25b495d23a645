//! Reading marketplace rows back into their types, in one place.

use kernel::{Currency, StorageError, Timestamp};
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn currency(row: &AnyRow) -> Result<Currency, StorageError> {
    let code: String = row.try_get("currency")?;
    code.parse()
        .map_err(|_| StorageError::corrupt("currency", code))
}

pub(crate) fn timestamp(row: &AnyRow, column: &str) -> Result<Timestamp, StorageError> {
    Ok(Timestamp::from_micros(row.try_get(column)?))
}

pub(crate) fn optional_timestamp(
    row: &AnyRow,
    column: &str,
) -> Result<Option<Timestamp>, StorageError> {
    Ok(row
        .try_get::<Option<i64>, _>(column)?
        .map(Timestamp::from_micros))
}

/// A JSON column.
pub(crate) fn json<T: DeserializeOwned>(
    row: &AnyRow,
    column: &'static str,
) -> Result<T, StorageError> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|error| StorageError::corrupt(column, error))
}

/// Serialises a value for a JSON column; our own types always serialise.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("market values serialise to JSON")
}

/// `$first, $first+1, ...`: `count` numbered placeholders for an `IN` list
/// (short lists only; both engines read `$n`).
pub(crate) fn numbered_placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A statement's result with a unique-key violation answered by `taken`,
/// the business meaning of that key (a slug or SKU in use, a second quotation).
pub(crate) fn unique_or<T>(
    result: Result<T, sqlx::Error>,
    taken: impl FnOnce() -> crate::MarketError,
) -> Result<T, crate::MarketError> {
    result.map_err(|error| {
        let error = StorageError::from(error);
        if error.is_unique_violation() {
            taken()
        } else {
            error.into()
        }
    })
}
