//! The one way stock changes: a move takes a quantity of an item from one
//! location and puts it in another, in one transaction with the stock per
//! location, the on-hand and reserved per warehouse, and the item's valued
//! pool. The company's own locations never go negative; a warehouse never
//! holds less than its reservations; a move's source makes it happen once.

use kernel::db::Tx;
use kernel::{CompanyId, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{Result, ScmError};
use crate::fifo;
use crate::items::item_in;
use crate::locations::location_in;
use crate::model::{ItemId, Location, LocationId, MoveId, MoveReason, StockMove, Valuation};
use crate::rows;

/// The span of one row of `scm_stock_period`: 30 days, in microseconds.
pub const STOCK_PERIOD_MICROS: i64 = 2_592_000_000_000;

/// The period an instant falls in.
pub(crate) fn period_of(at: Timestamp) -> i64 {
    at.micros().div_euclid(STOCK_PERIOD_MICROS)
}

/// What the goods carry in value as they move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoveValue {
    /// At the item's average cost (issues, transfers, gains without a price).
    Average,
    /// This total, in the item's cost currency (a receipt at its price).
    Total(i64),
}

/// A move about to be written; quantities in base units.
#[derive(Debug, Clone)]
pub(crate) struct MoveSpec {
    pub item: ItemId,
    pub lot: String,
    pub quantity: i64,
    pub from: LocationId,
    pub to: LocationId,
    pub value: MoveValue,
    pub reason: MoveReason,
    pub note: String,
    /// Unique per company when not empty: the same source moves once.
    pub source: String,
    /// How much of the source warehouse's reservations this move uses up.
    pub consumes_reserved: i64,
    pub moved_at: Timestamp,
}

pub(crate) const MOVE_COLUMNS: &str = "id, item_id, lot, quantity, from_location_id, to_location_id, value_minor, reason, note, source, moved_at";

pub(crate) fn stock_move(row: &AnyRow) -> Result<StockMove> {
    Ok(StockMove {
        id: MoveId::from_raw(row.try_get("id")?),
        item_id: ItemId::from_raw(row.try_get("item_id")?),
        lot: row.try_get("lot")?,
        quantity: row.try_get("quantity")?,
        from_location_id: LocationId::from_raw(row.try_get("from_location_id")?),
        to_location_id: LocationId::from_raw(row.try_get("to_location_id")?),
        value_minor: row.try_get("value_minor")?,
        reason: rows::coded(row, "reason", MoveReason::parse)?,
        note: row.try_get("note")?,
        source: row.try_get("source")?,
        moved_at: rows::timestamp(row, "moved_at")?,
    })
}

/// The share of `pool_value` that `quantity` of `pool_quantity` carries,
/// rounded half away from zero; all of it when the pool empties.
pub fn average_share(pool_value: i64, pool_quantity: i64, quantity: i64) -> i64 {
    if pool_quantity > 0 && quantity >= pool_quantity {
        return pool_value;
    }
    average_value(pool_value, pool_quantity, quantity)
}

/// What `quantity` is worth at the pool's average, rounded half away from
/// zero: also more than the pool holds, for goods found or returned without
/// a price of their own (nothing when the pool is empty).
pub fn average_value(pool_value: i64, pool_quantity: i64, quantity: i64) -> i64 {
    if pool_quantity <= 0 {
        return 0;
    }
    let numerator = i128::from(pool_value) * i128::from(quantity);
    let denominator = i128::from(pool_quantity);
    let half = denominator / 2;
    let rounded = if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    };
    // Quantities and unit values are each at most 10^9: the product fits.
    i64::try_from(rounded).expect("an average value fits")
}

/// How the company values its stock (average until it is opened).
pub(crate) async fn valuation_in(tx: &mut Tx, company: CompanyId) -> Result<Valuation> {
    Ok(crate::company::settings_in(tx, company)
        .await?
        .map_or(Valuation::Average, |settings| settings.valuation))
}

/// Writes `spec`, or refuses with the field at fault and writes nothing the
/// caller's transaction keeps. `None` when its source already moved.
pub(crate) async fn write_move(
    tx: &mut Tx,
    company: CompanyId,
    spec: &MoveSpec,
    now: Timestamp,
) -> Result<Option<StockMove>> {
    if !spec.source.is_empty() {
        let done = sqlx::query("SELECT id FROM scm_move WHERE company_id = $1 AND source = $2")
            .bind(company)
            .bind(&spec.source)
            .fetch_optional(tx.conn())
            .await?;
        if done.is_some() {
            return Ok(None);
        }
    }
    crate::fields::positive_quantity("quantity", spec.quantity)?;
    if spec.from == spec.to {
        return Err(ScmError::invalid(
            "to_location_id",
            "same_location",
            "a move goes to another location",
        ));
    }
    let from = location_in(tx, company, spec.from, "from_location_id").await?;
    let to = location_in(tx, company, spec.to, "to_location_id").await?;
    if !from.kind.is_own() && !to.kind.is_own() {
        return Err(ScmError::invalid(
            "to_location_id",
            "virtual_to_virtual",
            "one side of a move is one of your warehouses, zones or bins",
        ));
    }
    item_in(tx, company, spec.item, "item_id").await?;
    // The pool row is read for update: its average decides the value moved.
    let pool = sqlx::query(&format!(
        "SELECT pool_quantity, pool_value_minor FROM scm_item WHERE company_id = $1 AND id = $2{}",
        tx.engine().lock_rows_clause()
    ))
    .bind(company)
    .bind(spec.item)
    .fetch_one(tx.conn())
    .await?;
    let pool_quantity: i64 = pool.try_get("pool_quantity")?;
    let pool_value: i64 = pool.try_get("pool_value_minor")?;
    // The stock is taken first: what leaves is there, so FIFO's layers
    // (which add up to the pool) hold it too.
    take_from(tx, company, &from, spec, now).await?;
    let id = MoveId::new();
    let (from_own, to_own) = (from.kind.is_own(), to.kind.is_own());
    // Under FIFO, goods in or out of own stock move the item's layers.
    let fifo = from_own != to_own && valuation_in(tx, company).await? == Valuation::Fifo;
    let mut layers = if fifo {
        fifo::layers_of(tx, company, &[spec.item])
            .await?
            .remove(&spec.item)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let value = match (spec.value, from_own, to_own) {
        (MoveValue::Total(total), false, _) => total,
        (_, false, true) => average_value(pool_value, pool_quantity, spec.quantity),
        (_, true, false) if fifo => fifo::value_out(&mut layers, spec.item, spec.quantity)?,
        _ => average_share(pool_value, pool_quantity, spec.quantity),
    };
    if fifo {
        if to_own {
            layers.push(fifo::Layer::received(
                id.raw(),
                spec.moved_at,
                spec.quantity,
                value,
            ));
        }
        fifo::save_layers(tx, company, spec.item, &layers, now).await?;
    }
    let (pool_quantity_after, pool_value_after) = match (from.kind.is_own(), to.kind.is_own()) {
        (true, false) => (pool_quantity - spec.quantity, pool_value - value),
        (false, true) => (pool_quantity + spec.quantity, pool_value + value),
        _ => (pool_quantity, pool_value),
    };
    add_stock(tx, company, to.id, spec.item, &spec.lot, spec.quantity, now).await?;
    for (location, quantity) in [(&from, -spec.quantity), (&to, spec.quantity)] {
        if location.kind.is_own() {
            add_to_period(
                tx,
                company,
                spec.item,
                period_of(spec.moved_at),
                location.id,
                quantity,
                now,
            )
            .await?;
        }
    }
    if from.warehouse_id != to.warehouse_id {
        if let Some(warehouse) = from.warehouse_id {
            take_from_warehouse(tx, company, warehouse, spec, now).await?;
        }
        if let Some(warehouse) = to.warehouse_id {
            add_to_warehouse(tx, company, warehouse, spec.item, spec.quantity, now).await?;
        }
    } else if spec.consumes_reserved > 0 {
        return Err(ScmError::invalid(
            "to_location_id",
            "stays_in_warehouse",
            "goods that stay in the warehouse use up no reservation",
        ));
    }
    sqlx::query(
        "UPDATE scm_item SET pool_quantity = $1, pool_value_minor = $2, updated_at = $3 WHERE company_id = $4 AND id = $5",
    )
    .bind(pool_quantity_after)
    .bind(pool_value_after)
    .bind(now.micros())
    .bind(company)
    .bind(spec.item)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO scm_move (company_id, id, item_id, lot, quantity, from_location_id, to_location_id, value_minor, pool_quantity_after, pool_value_after_minor, reason, note, source, moved_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
    )
    .bind(company)
    .bind(id)
    .bind(spec.item)
    .bind(&spec.lot)
    .bind(spec.quantity)
    .bind(spec.from)
    .bind(spec.to)
    .bind(value)
    .bind(pool_quantity_after)
    .bind(pool_value_after)
    .bind(spec.reason.as_str())
    .bind(&spec.note)
    .bind(&spec.source)
    .bind(spec.moved_at.micros())
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    Ok(Some(StockMove {
        id,
        item_id: spec.item,
        lot: spec.lot.clone(),
        quantity: spec.quantity,
        from_location_id: spec.from,
        to_location_id: spec.to,
        value_minor: value,
        reason: spec.reason,
        note: spec.note.clone(),
        source: spec.source.clone(),
        moved_at: spec.moved_at,
    }))
}

/// Takes the quantity out of `from`: refused beyond what an own location
/// holds of the lot; a virtual location simply goes negative.
async fn take_from(
    tx: &mut Tx,
    company: CompanyId,
    from: &Location,
    spec: &MoveSpec,
    now: Timestamp,
) -> Result<()> {
    if !from.kind.is_own() {
        return add_stock(
            tx,
            company,
            from.id,
            spec.item,
            &spec.lot,
            -spec.quantity,
            now,
        )
        .await;
    }
    let taken = sqlx::query(
        "UPDATE scm_stock SET quantity = quantity - $1, updated_at = $2
         WHERE company_id = $3 AND location_id = $4 AND item_id = $5 AND lot = $6 AND quantity >= $1",
    )
    .bind(spec.quantity)
    .bind(now.micros())
    .bind(company)
    .bind(from.id)
    .bind(spec.item)
    .bind(&spec.lot)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if taken == 1 {
        return Ok(());
    }
    let available: Option<i64> = sqlx::query(
        "SELECT quantity FROM scm_stock WHERE company_id = $1 AND location_id = $2 AND item_id = $3 AND lot = $4",
    )
    .bind(company)
    .bind(from.id)
    .bind(spec.item)
    .bind(&spec.lot)
    .fetch_optional(tx.conn())
    .await?
    .map(|row| row.try_get(0))
    .transpose()?;
    Err(ScmError::InsufficientStock {
        field: "quantity".into(),
        available: available.unwrap_or(0),
    })
}

/// Adds `quantity` (negative to take) to a location's stock of an item and lot.
pub(crate) async fn add_stock(
    tx: &mut Tx,
    company: CompanyId,
    location: LocationId,
    item: ItemId,
    lot: &str,
    quantity: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO scm_stock (company_id, location_id, item_id, lot, quantity, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (company_id, location_id, item_id, lot)
         DO UPDATE SET quantity = scm_stock.quantity + excluded.quantity, updated_at = excluded.updated_at",
    )
    .bind(company)
    .bind(location)
    .bind(item)
    .bind(lot)
    .bind(quantity)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Adds `quantity` to an own location's net of an item in a period.
async fn add_to_period(
    tx: &mut Tx,
    company: CompanyId,
    item: ItemId,
    period: i64,
    location: LocationId,
    quantity: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO scm_stock_period (company_id, item_id, period, location_id, quantity, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (company_id, item_id, period, location_id)
         DO UPDATE SET quantity = scm_stock_period.quantity + excluded.quantity, updated_at = excluded.updated_at",
    )
    .bind(company)
    .bind(item)
    .bind(period)
    .bind(location)
    .bind(quantity)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Takes the move's quantity out of a warehouse, using up `consumes_reserved`
/// of its reservations; refused when what stays would not cover the rest.
async fn take_from_warehouse(
    tx: &mut Tx,
    company: CompanyId,
    warehouse: LocationId,
    spec: &MoveSpec,
    now: Timestamp,
) -> Result<()> {
    let changed = sqlx::query(
        "UPDATE scm_warehouse_stock SET on_hand = on_hand - $1, reserved = reserved - $2, updated_at = $3
         WHERE company_id = $4 AND warehouse_id = $5 AND item_id = $6
           AND reserved >= $2 AND on_hand - $1 >= reserved - $2
         RETURNING on_hand - reserved AS available",
    )
    .bind(spec.quantity)
    .bind(spec.consumes_reserved)
    .bind(now.micros())
    .bind(company)
    .bind(warehouse)
    .bind(spec.item)
    .fetch_optional(tx.conn())
    .await?;
    let Some(row) = changed else {
        let free = crate::keeper::available_in(tx, company, warehouse, spec.item).await?;
        return Err(ScmError::InsufficientStock {
            field: "quantity".into(),
            available: free.max(0),
        });
    };
    let after: i64 = row.try_get("available")?;
    let before = after + spec.quantity - spec.consumes_reserved;
    crate::keeper::availability_changed(tx, company, warehouse, spec.item, before, after, now).await
}

async fn add_to_warehouse(
    tx: &mut Tx,
    company: CompanyId,
    warehouse: LocationId,
    item: ItemId,
    quantity: i64,
    now: Timestamp,
) -> Result<()> {
    let row = sqlx::query(
        "INSERT INTO scm_warehouse_stock (company_id, warehouse_id, item_id, on_hand, reserved, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 0, $5, $5)
         ON CONFLICT (company_id, warehouse_id, item_id)
         DO UPDATE SET on_hand = scm_warehouse_stock.on_hand + excluded.on_hand, updated_at = excluded.updated_at
         RETURNING on_hand - reserved AS available",
    )
    .bind(company)
    .bind(warehouse)
    .bind(item)
    .bind(quantity)
    .bind(now.micros())
    .fetch_one(tx.conn())
    .await?;
    let after: i64 = row.try_get("available")?;
    crate::keeper::availability_changed(tx, company, warehouse, item, after - quantity, after, now)
        .await
}
