//! FIFO valuation: goods coming into a company's own stock form a layer
//! (how many, worth what); goods leaving it are valued at the oldest layers
//! first, each layer giving up a share of its value by quantity and all of
//! it when used up, so the layers always add up to the item's pool. Only
//! companies that chose FIFO before their first move have layers.

use std::collections::HashMap;

use kernel::db::{Tx, placeholder_list};
use kernel::{CompanyId, StorageError, Timestamp};
use sqlx::Row;

use crate::error::Result;
use crate::model::ItemId;
use crate::moves::average_share;

/// What is left of one receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layer {
    pub move_id: i64,
    pub received_at: i64,
    pub quantity: i64,
    pub value: i64,
    /// Where it stands against the stored row.
    pub stored: Stored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stored {
    Unchanged,
    Changed,
    New,
}

impl Layer {
    /// A new layer of goods that just came in.
    pub fn received(move_id: i64, received_at: Timestamp, quantity: i64, value: i64) -> Layer {
        Layer {
            move_id,
            received_at: received_at.micros(),
            quantity,
            value,
            stored: Stored::New,
        }
    }
}

/// Takes `quantity` from the oldest layers and answers what it was worth,
/// or `None` when the layers hold less (they never should: they add up to
/// the pool, and the move was checked against the stock).
pub(crate) fn take_oldest(layers: &mut [Layer], quantity: i64) -> Option<i64> {
    let mut left = quantity;
    let mut value = 0;
    for layer in layers.iter_mut().filter(|layer| layer.quantity > 0) {
        if left == 0 {
            break;
        }
        let taken = left.min(layer.quantity);
        let worth = average_share(layer.value, layer.quantity, taken);
        layer.quantity -= taken;
        layer.value -= worth;
        if layer.stored == Stored::Unchanged {
            layer.stored = Stored::Changed;
        }
        left -= taken;
        value += worth;
    }
    (left == 0).then_some(value)
}

fn corrupt(item: ItemId) -> StorageError {
    StorageError::corrupt(
        "scm_layer",
        format!("the FIFO layers of {item} hold less than its stock"),
    )
}

/// Values `quantity` leaving own stock at the oldest layers.
pub(crate) fn value_out(layers: &mut [Layer], item: ItemId, quantity: i64) -> Result<i64> {
    take_oldest(layers, quantity).ok_or_else(|| corrupt(item).into())
}

/// The layers of some items with goods left, oldest first, locked.
pub(crate) async fn layers_of(
    tx: &mut Tx,
    company: CompanyId,
    items: &[ItemId],
) -> Result<HashMap<ItemId, Vec<Layer>>> {
    let mut found: HashMap<ItemId, Vec<Layer>> = HashMap::new();
    if items.is_empty() {
        return Ok(found);
    }
    let engine = tx.engine();
    let sql = format!(
        "SELECT item_id, move_id, received_at, quantity_left, value_left_minor FROM scm_layer
         WHERE company_id = {} AND item_id IN ({}) ORDER BY item_id, received_at, move_id{}",
        engine.placeholder(1),
        placeholder_list(engine, 2, items.len()),
        engine.lock_rows_clause()
    );
    let mut query = sqlx::query(&sql).bind(company);
    for item in items {
        query = query.bind(*item);
    }
    for row in query.fetch_all(tx.conn()).await? {
        found
            .entry(ItemId::from_raw(row.try_get("item_id")?))
            .or_default()
            .push(Layer {
                move_id: row.try_get("move_id")?,
                received_at: row.try_get("received_at")?,
                quantity: row.try_get("quantity_left")?,
                value: row.try_get("value_left_minor")?,
                stored: Stored::Unchanged,
            });
    }
    Ok(found)
}

/// Writes what changed of an item's layers: new ones inserted, used-up
/// ones deleted, the rest updated.
pub(crate) async fn save_layers(
    tx: &mut Tx,
    company: CompanyId,
    item: ItemId,
    layers: &[Layer],
    now: Timestamp,
) -> Result<()> {
    for layer in layers {
        match (layer.stored, layer.quantity) {
            (Stored::Unchanged, _) | (Stored::New, 0) => {}
            (Stored::New, _) => {
                sqlx::query(
                    "INSERT INTO scm_layer (company_id, item_id, move_id, received_at, quantity_left, value_left_minor, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                )
                .bind(company)
                .bind(item)
                .bind(layer.move_id)
                .bind(layer.received_at)
                .bind(layer.quantity)
                .bind(layer.value)
                .bind(now.micros())
                .execute(tx.conn())
                .await?;
            }
            (Stored::Changed, 0) => {
                sqlx::query(
                    "DELETE FROM scm_layer WHERE company_id = $1 AND item_id = $2 AND received_at = $3 AND move_id = $4",
                )
                .bind(company)
                .bind(item)
                .bind(layer.received_at)
                .bind(layer.move_id)
                .execute(tx.conn())
                .await?;
            }
            (Stored::Changed, _) => {
                sqlx::query(
                    "UPDATE scm_layer SET quantity_left = $1, value_left_minor = $2, updated_at = $3
                     WHERE company_id = $4 AND item_id = $5 AND received_at = $6 AND move_id = $7",
                )
                .bind(layer.quantity)
                .bind(layer.value)
                .bind(now.micros())
                .bind(company)
                .bind(item)
                .bind(layer.received_at)
                .bind(layer.move_id)
                .execute(tx.conn())
                .await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(quantity: i64, value: i64) -> Layer {
        Layer {
            move_id: quantity,
            received_at: 0,
            quantity,
            value,
            stored: Stored::Unchanged,
        }
    }

    #[test]
    fn the_oldest_goods_leave_first_at_their_own_cost() {
        let mut layers = vec![layer(10, 1_000), layer(10, 2_000)];
        assert_eq!(take_oldest(&mut layers, 15), Some(2_000));
        assert_eq!((layers[0].quantity, layers[0].value), (0, 0));
        assert_eq!((layers[1].quantity, layers[1].value), (5, 1_000));
        assert_eq!(
            take_oldest(&mut layers, 6),
            None,
            "more than the layers hold"
        );
    }

    #[test]
    fn a_used_up_layer_gives_all_of_its_value() {
        let mut layers = vec![layer(3, 100)];
        let first = take_oldest(&mut layers, 1).unwrap();
        let second = take_oldest(&mut layers, 1).unwrap();
        let last = take_oldest(&mut layers, 1).unwrap();
        assert_eq!((first, second, last), (33, 34, 33));
        assert_eq!(first + second + last, 100);
    }
}
