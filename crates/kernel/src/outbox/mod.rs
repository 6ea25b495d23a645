//! The transactional outbox: a module appends its events in the same transaction
//! as the change they describe; the [`Dispatcher`] hands them to subscribers.

mod dispatcher;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;

pub use dispatcher::{Dispatcher, Round, Subscriber, SubscriberError};

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::StorageError;
use crate::id::CompanyId;

/// A past-tense fact a module publishes, e.g. `CompanyRegistered`. The name and
/// version are stored with the JSON payload; a changed payload shape gets a new
/// version, and subscribers say which versions they read.
pub trait Event: Serialize + DeserializeOwned {
    const NAME: &'static str;
    const VERSION: i64;
}

/// An event as stored in the outbox.
#[derive(Debug, Clone)]
pub struct OutboxEvent {
    /// Commit order: strictly increasing, without reuse.
    pub position: i64,
    /// A unique id for the event itself, for subscribers' idempotency keys.
    pub event_id: i64,
    pub name: String,
    pub version: i64,
    pub company_id: Option<CompanyId>,
    pub payload: String,
    pub created_at: Timestamp,
}

impl OutboxEvent {
    /// The payload as `E` if this is an `E` of the same version.
    pub fn decode<E: Event>(&self) -> Option<Result<E, serde_json::Error>> {
        (self.name == E::NAME && self.version == E::VERSION)
            .then(|| serde_json::from_str(&self.payload))
    }
}

/// Appends an event to the outbox inside the caller's transaction. Call it last,
/// just before commit: on PostgreSQL it takes the lock that orders appends.
pub async fn append<E: Event>(
    tx: &mut Tx,
    event: &E,
    company_id: Option<CompanyId>,
    now: Timestamp,
) -> Result<(), StorageError> {
    let payload = serde_json::to_string(event)
        .map_err(|error| StorageError::corrupt("outbox payload", error))?;
    let engine = tx.engine();
    engine.lock_outbox(tx.conn()).await?;
    // The next position is computed under the engine's write serialisation (the
    // advisory lock, or SQLite's single writer), so positions follow commit order.
    sqlx::query(
        "INSERT INTO kernel_outbox (position, event_id, name, version, company_id, payload, created_at, updated_at)
         SELECT COALESCE(MAX(position), 0) + 1, $1, $2, $3, $4, $5, $6, $6 FROM kernel_outbox",
    )
    .bind(crate::id::next_raw())
    .bind(E::NAME)
    .bind(E::VERSION)
    .bind(company_id.map(CompanyId::raw))
    .bind(payload)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    tx.mark_appended_events();
    Ok(())
}

/// Events after `position`, oldest first, at most `limit`.
pub async fn read_after(
    connection: &mut sqlx::AnyConnection,
    position: i64,
    limit: i64,
) -> Result<Vec<OutboxEvent>, StorageError> {
    let rows = sqlx::query(
        "SELECT position, event_id, name, version, company_id, payload, created_at
         FROM kernel_outbox WHERE position > $1 ORDER BY position LIMIT $2",
    )
    .bind(position)
    .bind(limit)
    .fetch_all(connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(OutboxEvent {
                position: row.try_get("position")?,
                event_id: row.try_get("event_id")?,
                name: row.try_get("name")?,
                version: row.try_get("version")?,
                company_id: row
                    .try_get::<Option<i64>, _>("company_id")?
                    .map(CompanyId::from_raw),
                payload: row.try_get("payload")?,
                created_at: Timestamp::from_micros(row.try_get("created_at")?),
            })
        })
        .collect()
}
