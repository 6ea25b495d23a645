//! The kernel every Hanse module stands on: ids, money, time, the tenancy `Scope`,
//! storage for SQLite and PostgreSQL, forward-only migrations, the outbox and
//! durable scheduled jobs.

pub mod clock;
pub mod db;
pub mod error;
pub mod id;
pub mod jobs;
pub mod migrate;
pub mod money;
pub mod outbox;
pub mod page;
pub mod scope;
#[cfg(feature = "testing")]
pub mod testing;

pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use db::{Db, DbOptions, Engine, GroupCommitStats, Tx};
pub use error::StorageError;
pub use id::{CompanyId, UserId};
pub use money::{Currency, Money, MoneyError};
pub use page::{Page, PageRequest};
pub use scope::{Actor, Role, Scope};

/// Re-exported so that id newtypes defined with [`define_id!`] in other crates
/// can name it without each crate listing the same version.
pub use sqlx;
