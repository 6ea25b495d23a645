//! Reading supply-chain rows back into their types, in one place.

use kernel::{Currency, StorageError, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

/// The row's currency in `column`.
pub(crate) fn currency_in(row: &AnyRow, column: &str) -> Result<Currency, StorageError> {
    let code: String = row.try_get(column)?;
    code.parse()
        .map_err(|_| StorageError::corrupt("currency", code))
}

pub(crate) fn timestamp(row: &AnyRow, column: &str) -> Result<Timestamp, StorageError> {
    Ok(Timestamp::from_micros(row.try_get(column)?))
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, StorageError> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// A string-coded enum's column, or the row is corrupt.
pub(crate) fn coded<T>(
    row: &AnyRow,
    column: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, StorageError> {
    let text: String = row.try_get(column)?;
    parse(&text).ok_or_else(|| StorageError::corrupt(column, text))
}

/// An id column where 0 means none.
pub(crate) fn optional_id(row: &AnyRow, column: &str) -> Result<Option<i64>, StorageError> {
    let raw: i64 = row.try_get(column)?;
    Ok((raw != 0).then_some(raw))
}
