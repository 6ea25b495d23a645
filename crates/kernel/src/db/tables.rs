//! How many rows each table holds: what a backup's manifest records and a
//! restore is compared against.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::db::Db;
use crate::error::StorageError;

/// More tables than any Hanse schema will have; a bound on the work.
const TABLES_MAX: usize = 1_000;

impl Db {
    /// The row count of every table, by name (on PostgreSQL, of the
    /// connection's schema). Each count is its own statement, so call it on a
    /// database nobody writes to (a snapshot, a restored copy) for counts that
    /// belong together.
    pub async fn row_counts(&self) -> Result<BTreeMap<String, i64>, StorageError> {
        let names: Vec<String> = sqlx::query(self.engine().list_tables_sql())
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|row| row.try_get("name"))
            .collect::<Result<_, _>>()?;
        if names.len() > TABLES_MAX {
            return Err(StorageError::corrupt(
                "the table list",
                format!("{} tables, more than {TABLES_MAX}", names.len()),
            ));
        }
        let mut counts = BTreeMap::new();
        for name in names {
            // The name comes from the catalog, quoted as an identifier.
            let count: i64 = sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM \"{}\"",
                name.replace('"', "\"\"")
            ))
            .fetch_one(self.reader())
            .await?
            .try_get("n")?;
            counts.insert(name, count);
        }
        Ok(counts)
    }
}
