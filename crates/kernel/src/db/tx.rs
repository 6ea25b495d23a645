//! A write transaction that remembers whether it appended outbox events, so its
//! commit can wake the dispatcher.

use sqlx::{Any, AnyConnection, Transaction};

use super::{Db, Engine};
use crate::error::StorageError;

/// A write transaction on the writer connection. Dropped without `commit`, it
/// rolls back, so an error returned half-way leaves nothing written.
pub struct Tx {
    transaction: Transaction<'static, Any>,
    db: Db,
    appended_events: bool,
}

impl Tx {
    pub(super) fn new(transaction: Transaction<'static, Any>, db: Db) -> Self {
        Tx {
            transaction,
            db,
            appended_events: false,
        }
    }

    /// The connection to run statements on: `query.execute(tx.conn())`.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.transaction
    }

    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    pub(crate) fn mark_appended_events(&mut self) {
        self.appended_events = true;
    }

    pub async fn commit(self) -> Result<(), StorageError> {
        self.transaction.commit().await?;
        if self.appended_events {
            self.db.outbox_committed().notify_one();
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StorageError> {
        self.transaction.rollback().await?;
        Ok(())
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx")
            .field("engine", &self.db.engine())
            .finish_non_exhaustive()
    }
}
