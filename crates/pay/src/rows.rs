//! Reading payment rows back into their types, in one place.

use kernel::{Currency, Money, StorageError, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn currency(row: &AnyRow) -> Result<Currency, StorageError> {
    let code: String = row.try_get("currency")?;
    code.parse()
        .map_err(|_| StorageError::corrupt("currency", code))
}

pub(crate) fn money(row: &AnyRow, column: &str) -> Result<Money, StorageError> {
    Ok(Money::new(row.try_get(column)?, currency(row)?))
}

pub(crate) fn timestamp(row: &AnyRow, column: &str) -> Result<Timestamp, StorageError> {
    Ok(Timestamp::from_micros(row.try_get(column)?))
}
