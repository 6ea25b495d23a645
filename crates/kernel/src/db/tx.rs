//! A write transaction that remembers whether it appended outbox events, so its
//! commit can wake the dispatcher. On SQLite it is a member of a group commit
//! (`group_commit.rs`); on PostgreSQL an ordinary transaction of the pool.

use sqlx::{Any, AnyConnection, Transaction};

use super::group_commit::BatchMember;
use super::{Db, Engine};
use crate::error::StorageError;

/// A write transaction. Dropped without `commit`, it rolls back, so an error
/// returned half-way leaves nothing written. `commit` returns once the
/// writes are durable.
pub struct Tx {
    inner: Inner,
    db: Db,
    appended_events: bool,
}

enum Inner {
    /// Its own transaction on a pool connection (PostgreSQL).
    Own(Transaction<'static, Any>),
    /// A savepoint in the batch of the single SQLite writer.
    Batched(BatchMember),
}

impl Tx {
    pub(super) fn own(transaction: Transaction<'static, Any>, db: Db) -> Self {
        Tx {
            inner: Inner::Own(transaction),
            db,
            appended_events: false,
        }
    }

    pub(super) fn batched(member: BatchMember, db: Db) -> Self {
        Tx {
            inner: Inner::Batched(member),
            db,
            appended_events: false,
        }
    }

    /// The connection to run statements on: `query.execute(tx.conn())`.
    pub fn conn(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            Inner::Own(transaction) => transaction,
            Inner::Batched(member) => member.conn(),
        }
    }

    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    pub(crate) fn mark_appended_events(&mut self) {
        self.appended_events = true;
    }

    pub async fn commit(self) -> Result<(), StorageError> {
        match self.inner {
            Inner::Own(transaction) => transaction.commit().await?,
            Inner::Batched(member) => member.commit().await?,
        }
        if self.appended_events {
            self.db.outbox_committed().notify_one();
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StorageError> {
        match self.inner {
            Inner::Own(transaction) => transaction.rollback().await?,
            Inner::Batched(member) => member.rollback().await?,
        }
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
