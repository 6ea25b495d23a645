//! Reading books rows back into their types, in one place.

use kernel::{Currency, StorageError};
use sqlx::Row;
use sqlx::any::AnyRow;

/// The row's `currency` column.
pub(crate) fn currency(row: &AnyRow) -> Result<Currency, StorageError> {
    let code: String = row.try_get("currency")?;
    code.parse()
        .map_err(|_| StorageError::corrupt("currency", code))
}
