//! Many moves at once (a scanner's upload, an ERP's nightly sync): all or
//! nothing, each checked as if made one after another in the given order,
//! and written with a handful of statements whatever their number. The
//! locations, items, stock rows and warehouse rows the batch touches are
//! read once (locked on PostgreSQL), the moves are played in memory with
//! the same rules as `write_move`, and the results are written as
//! multi-row upserts of the differences and one multi-row insert of the
//! moves. This is the supply chain's fast path: one move costs a few
//! microseconds of the writer instead of a dozen statements.

use std::collections::{BTreeMap, HashMap, HashSet};

use kernel::db::{Tx, placeholder_list, push_argument, values_sql};
use kernel::{CompanyId, Scope, Timestamp};
use sqlx::Row;
use sqlx::any::AnyArguments;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{optional_text, positive_quantity};
use crate::fifo::{self, Layer};
use crate::items::{ITEM_COLUMNS, factor_of};
use crate::locations::{LOCATION_COLUMNS, location};
use crate::manual::{LOT_CHARS_MAX, MoveInput, NOTE_CHARS_MAX, reason_fits};
use crate::model::{
    Item, ItemId, Location, LocationId, MoveId, StockMove, UnitConversion, Valuation,
};
use crate::moves::{average_share, average_value};
use crate::{Scm, may_keep_stock};

/// Moves one batch may hold.
pub const MOVES_PER_BATCH_MAX: usize = 1_000;
/// Rows per multi-row statement: well under either engine's parameter limit.
const ROWS_PER_STATEMENT: usize = 200;

/// The batch's world, read once: its locations and items by id, the stock
/// of its own locations and of its warehouses.
struct World {
    locations: HashMap<LocationId, Location>,
    items: HashMap<ItemId, Item>,
    stock: HashMap<(LocationId, ItemId, String), i64>,
    /// (on hand, reserved) per warehouse and item.
    warehouses: HashMap<(LocationId, ItemId), (i64, i64)>,
    /// The items' FIFO layers, for a company valuing by FIFO.
    layers: Option<HashMap<ItemId, Vec<Layer>>>,
}

async fn read_world(
    tx: &mut Tx,
    company: CompanyId,
    valuation: Valuation,
    inputs: &[MoveInput],
) -> Result<World> {
    let engine = tx.engine();
    let lock = engine.lock_rows_clause();
    // One numbering style per statement: SQLite's `?` and `$1` do not mix.
    let c = engine.placeholder(1);
    let location_ids: Vec<LocationId> = inputs
        .iter()
        .flat_map(|input| [input.from_location_id, input.to_location_id])
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let item_ids: Vec<ItemId> = inputs
        .iter()
        .map(|input| input.item_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut query_locations = String::from("SELECT ");
    query_locations.push_str(LOCATION_COLUMNS);
    query_locations.push_str(&format!(
        " FROM scm_location WHERE company_id = {c} AND id IN ("
    ));
    query_locations.push_str(&placeholder_list(engine, 2, location_ids.len()));
    query_locations.push(')');
    let mut query = sqlx::query(&query_locations).bind(company);
    for id in &location_ids {
        query = query.bind(*id);
    }
    let locations = query
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|row| location(row).map(|found| (found.id, found)))
        .collect::<Result<HashMap<_, _>>>()?;

    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM scm_item WHERE company_id = {c} AND id IN ({}){lock}",
        placeholder_list(engine, 2, item_ids.len())
    );
    let mut query = sqlx::query(&sql).bind(company);
    for id in &item_ids {
        query = query.bind(*id);
    }
    let item_rows = query.fetch_all(tx.conn()).await?;
    let sql = format!(
        "SELECT item_id, unit, factor FROM scm_item_unit WHERE company_id = {c} AND item_id IN ({})",
        placeholder_list(engine, 2, item_ids.len())
    );
    let mut query = sqlx::query(&sql).bind(company);
    for id in &item_ids {
        query = query.bind(*id);
    }
    let mut units: HashMap<ItemId, Vec<UnitConversion>> = HashMap::new();
    for row in query.fetch_all(tx.conn()).await? {
        units
            .entry(ItemId::from_raw(row.try_get("item_id")?))
            .or_default()
            .push(UnitConversion {
                unit: row.try_get("unit")?,
                factor: row.try_get("factor")?,
            });
    }
    let mut items = HashMap::new();
    for row in &item_rows {
        let id = ItemId::from_raw(row.try_get("id")?);
        let found = crate::items::item(row, units.remove(&id).unwrap_or_default())?;
        items.insert(id, found);
    }

    let own: Vec<LocationId> = locations
        .values()
        .filter(|found| found.kind.is_own())
        .map(|found| found.id)
        .collect();
    let mut stock = HashMap::new();
    if !own.is_empty() && !items.is_empty() {
        let sql = format!(
            "SELECT location_id, item_id, lot, quantity FROM scm_stock
             WHERE company_id = {c} AND item_id IN ({}) AND location_id IN ({}){lock}",
            placeholder_list(engine, 2, items.len()),
            placeholder_list(engine, 2 + items.len(), own.len())
        );
        let mut query = sqlx::query(&sql).bind(company);
        for id in items.keys() {
            query = query.bind(*id);
        }
        for id in &own {
            query = query.bind(*id);
        }
        for row in query.fetch_all(tx.conn()).await? {
            stock.insert(
                (
                    LocationId::from_raw(row.try_get("location_id")?),
                    ItemId::from_raw(row.try_get("item_id")?),
                    row.try_get::<String, _>("lot")?,
                ),
                row.try_get::<i64, _>("quantity")?,
            );
        }
    }
    let warehouse_ids: Vec<LocationId> = locations
        .values()
        .filter_map(|found| found.warehouse_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut warehouses = HashMap::new();
    if !warehouse_ids.is_empty() && !items.is_empty() {
        let sql = format!(
            "SELECT warehouse_id, item_id, on_hand, reserved FROM scm_warehouse_stock
             WHERE company_id = {c} AND item_id IN ({}) AND warehouse_id IN ({}){lock}",
            placeholder_list(engine, 2, items.len()),
            placeholder_list(engine, 2 + items.len(), warehouse_ids.len())
        );
        let mut query = sqlx::query(&sql).bind(company);
        for id in items.keys() {
            query = query.bind(*id);
        }
        for id in &warehouse_ids {
            query = query.bind(*id);
        }
        for row in query.fetch_all(tx.conn()).await? {
            warehouses.insert(
                (
                    LocationId::from_raw(row.try_get("warehouse_id")?),
                    ItemId::from_raw(row.try_get("item_id")?),
                ),
                (row.try_get("on_hand")?, row.try_get("reserved")?),
            );
        }
    }
    let layers = if valuation == Valuation::Fifo {
        let ids: Vec<ItemId> = items.keys().copied().collect();
        Some(fifo::layers_of(tx, company, &ids).await?)
    } else {
        None
    };
    Ok(World {
        locations,
        items,
        stock,
        warehouses,
        layers,
    })
}

/// What playing the batch changes: stock and warehouse differences, the
/// items' pools after it, and each warehouse's free stock before and after.
#[derive(Default)]
struct Played {
    moves: Vec<(StockMove, i64, i64)>,
    stock: BTreeMap<(LocationId, ItemId, String), i64>,
    warehouses: BTreeMap<(LocationId, ItemId), i64>,
    pools: BTreeMap<ItemId, (i64, i64)>,
    free: BTreeMap<(LocationId, ItemId), (i64, i64)>,
    /// Own locations' net per item and period.
    periods: BTreeMap<(ItemId, i64, LocationId), i64>,
}

/// Plays the moves in order against `world`, or refuses the first that
/// breaks a rule, naming it `moves[i]…`.
fn play(world: &mut World, inputs: &[MoveInput], now: Timestamp) -> Result<Played> {
    let mut played = Played::default();
    for (index, input) in inputs.iter().enumerate() {
        let field = |name: &str| format!("moves[{index}].{name}");
        let quantity = positive_quantity(&field("quantity"), input.quantity)?;
        let note = optional_text(&field("note"), &input.note, NOTE_CHARS_MAX)?;
        let lot = optional_text(
            &field("lot"),
            input.lot.as_deref().unwrap_or(""),
            LOT_CHARS_MAX,
        )?;
        let item = world.items.get(&input.item_id).ok_or_else(|| {
            ScmError::invalid(field("item_id"), "unknown_item", "no such item of yours")
        })?;
        let factor = factor_of(item, input.unit.as_deref().unwrap_or(""), &field("unit"))?;
        let base = quantity
            .checked_mul(factor)
            .filter(|base| *base <= crate::QUANTITY_MAX)
            .ok_or_else(|| {
                ScmError::invalid(field("quantity"), "out_of_range", "too many base units")
            })?;
        let unknown = |name: &str| {
            ScmError::invalid(field(name), "unknown_location", "no such location of yours")
        };
        let from = world
            .locations
            .get(&input.from_location_id)
            .ok_or_else(|| unknown("from_location_id"))?;
        let to = world
            .locations
            .get(&input.to_location_id)
            .ok_or_else(|| unknown("to_location_id"))?;
        if from.id == to.id {
            return Err(ScmError::invalid(
                field("to_location_id"),
                "same_location",
                "a move goes to another location",
            ));
        }
        if !reason_fits(input.reason, from.kind, to.kind) {
            return Err(ScmError::invalid(
                field("reason"),
                "reason_mismatch",
                "the reason does not fit the two locations",
            ));
        }
        if item.lot_tracked && lot.is_empty() && to.kind.is_own() && !from.kind.is_own() {
            return Err(ScmError::invalid(
                field("lot"),
                "required",
                "this item is tracked by lot",
            ));
        }
        let receipt_total = match input.unit_cost_minor {
            None => None,
            Some(cost)
                if input.reason == crate::MoveReason::Receipt
                    && (0..=crate::QUANTITY_MAX).contains(&cost) =>
            {
                Some(cost.checked_mul(quantity).ok_or_else(|| {
                    ScmError::invalid(field("unit_cost_minor"), "out_of_range", "too large")
                })?)
            }
            Some(_) => {
                return Err(ScmError::invalid(
                    field("unit_cost_minor"),
                    "not_allowed",
                    "only a receipt carries its own price, from 0 up",
                ));
            }
        };
        if from.kind.is_own() {
            let held = world
                .stock
                .entry((from.id, item.id, lot.clone()))
                .or_default();
            if *held < base {
                return Err(ScmError::InsufficientStock {
                    field: field("quantity"),
                    available: *held,
                });
            }
            *held -= base;
        }
        if to.kind.is_own() {
            *world
                .stock
                .entry((to.id, item.id, lot.clone()))
                .or_default() += base;
        }
        *played
            .stock
            .entry((from.id, item.id, lot.clone()))
            .or_default() -= base;
        *played
            .stock
            .entry((to.id, item.id, lot.clone()))
            .or_default() += base;
        let period = crate::moves::period_of(now);
        for (location, delta) in [(from, -base), (to, base)] {
            if location.kind.is_own() {
                *played
                    .periods
                    .entry((item.id, period, location.id))
                    .or_default() += delta;
            }
        }
        if from.warehouse_id != to.warehouse_id {
            if let Some(warehouse) = from.warehouse_id {
                let (on_hand, reserved) = world.warehouses.entry((warehouse, item.id)).or_default();
                if *on_hand - base < *reserved {
                    return Err(ScmError::InsufficientStock {
                        field: field("quantity"),
                        available: (*on_hand - *reserved).max(0),
                    });
                }
                let free = played
                    .free
                    .entry((warehouse, item.id))
                    .or_insert((*on_hand - *reserved, 0));
                *on_hand -= base;
                free.1 = *on_hand - *reserved;
                *played.warehouses.entry((warehouse, item.id)).or_default() -= base;
            }
            if let Some(warehouse) = to.warehouse_id {
                let (on_hand, reserved) = world.warehouses.entry((warehouse, item.id)).or_default();
                let free = played
                    .free
                    .entry((warehouse, item.id))
                    .or_insert((*on_hand - *reserved, 0));
                *on_hand += base;
                free.1 = *on_hand - *reserved;
                *played.warehouses.entry((warehouse, item.id)).or_default() += base;
            }
        }
        let pool = played
            .pools
            .entry(item.id)
            .or_insert((item.on_hand, item.stock_value_minor));
        let id = MoveId::new();
        let (from_own, to_own) = (from.kind.is_own(), to.kind.is_own());
        let layers = world
            .layers
            .as_mut()
            .filter(|_| from_own != to_own)
            .map(|layers| layers.entry(item.id).or_default());
        let value = match (receipt_total, from_own, to_own, layers) {
            (Some(total), false, _, _) => total,
            (_, false, true, _) => average_value(pool.1, pool.0, base),
            (_, true, false, Some(layers)) => fifo::value_out(layers, item.id, base)?,
            _ => average_share(pool.1, pool.0, base),
        };
        if let Some(layers) = world.layers.as_mut().filter(|_| !from_own && to_own) {
            layers
                .entry(item.id)
                .or_default()
                .push(Layer::received(id.raw(), now, base, value));
        }
        match (from.kind.is_own(), to.kind.is_own()) {
            (true, false) => *pool = (pool.0 - base, pool.1 - value),
            (false, true) => *pool = (pool.0 + base, pool.1 + value),
            _ => {}
        }
        let moved = StockMove {
            id,
            item_id: item.id,
            lot,
            quantity: base,
            from_location_id: from.id,
            to_location_id: to.id,
            value_minor: value,
            reason: input.reason,
            note,
            source: String::new(),
            moved_at: now,
        };
        played.moves.push((moved, pool.0, pool.1));
    }
    Ok(played)
}

/// Runs `(sql, arguments)` statements built before.
async fn run(tx: &mut Tx, statements: Vec<(String, AnyArguments<'static>)>) -> Result<()> {
    for (sql, arguments) in statements {
        sqlx::query_with(&sql, arguments).execute(tx.conn()).await?;
    }
    Ok(())
}

fn write_statements(
    engine: kernel::Engine,
    company: CompanyId,
    played: &Played,
    now: Timestamp,
) -> Vec<(String, AnyArguments<'static>)> {
    let mut statements = Vec::new();
    let stock: Vec<_> = played
        .stock
        .iter()
        .filter(|(_, delta)| **delta != 0)
        .collect();
    for chunk in stock.chunks(ROWS_PER_STATEMENT) {
        let mut sql = values_sql(
            engine,
            "INSERT INTO scm_stock (company_id, location_id, item_id, lot, quantity, created_at, updated_at) VALUES ",
            "(?, ?, ?, ?, ?, ?, ?)",
            chunk.len(),
        );
        sql.push_str(
            " ON CONFLICT (company_id, location_id, item_id, lot)
             DO UPDATE SET quantity = scm_stock.quantity + excluded.quantity, updated_at = excluded.updated_at",
        );
        let mut arguments = AnyArguments::default();
        for ((location, item, lot), delta) in chunk {
            push_argument(&mut arguments, company);
            push_argument(&mut arguments, *location);
            push_argument(&mut arguments, *item);
            push_argument(&mut arguments, lot.clone());
            push_argument(&mut arguments, **delta);
            push_argument(&mut arguments, now.micros());
            push_argument(&mut arguments, now.micros());
        }
        statements.push((sql, arguments));
    }
    let warehouses: Vec<_> = played
        .warehouses
        .iter()
        .filter(|(_, delta)| **delta != 0)
        .collect();
    for chunk in warehouses.chunks(ROWS_PER_STATEMENT) {
        let mut sql = values_sql(
            engine,
            "INSERT INTO scm_warehouse_stock (company_id, warehouse_id, item_id, on_hand, reserved, created_at, updated_at) VALUES ",
            "(?, ?, ?, ?, 0, ?, ?)",
            chunk.len(),
        );
        sql.push_str(
            " ON CONFLICT (company_id, warehouse_id, item_id)
             DO UPDATE SET on_hand = scm_warehouse_stock.on_hand + excluded.on_hand, updated_at = excluded.updated_at",
        );
        let mut arguments = AnyArguments::default();
        for ((warehouse, item), delta) in chunk {
            push_argument(&mut arguments, company);
            push_argument(&mut arguments, *warehouse);
            push_argument(&mut arguments, *item);
            push_argument(&mut arguments, **delta);
            push_argument(&mut arguments, now.micros());
            push_argument(&mut arguments, now.micros());
        }
        statements.push((sql, arguments));
    }
    let periods: Vec<_> = played
        .periods
        .iter()
        .filter(|(_, delta)| **delta != 0)
        .collect();
    for chunk in periods.chunks(ROWS_PER_STATEMENT) {
        let mut sql = values_sql(
            engine,
            "INSERT INTO scm_stock_period (company_id, item_id, period, location_id, quantity, created_at, updated_at) VALUES ",
            "(?, ?, ?, ?, ?, ?, ?)",
            chunk.len(),
        );
        sql.push_str(
            " ON CONFLICT (company_id, item_id, period, location_id)
             DO UPDATE SET quantity = scm_stock_period.quantity + excluded.quantity, updated_at = excluded.updated_at",
        );
        let mut arguments = AnyArguments::default();
        for ((item, period, location), delta) in chunk {
            push_argument(&mut arguments, company);
            push_argument(&mut arguments, *item);
            push_argument(&mut arguments, *period);
            push_argument(&mut arguments, *location);
            push_argument(&mut arguments, **delta);
            push_argument(&mut arguments, now.micros());
            push_argument(&mut arguments, now.micros());
        }
        statements.push((sql, arguments));
    }
    // The pools after the batch: one UPDATE with a CASE per column for up
    // to a few hundred items, since the items' other columns stay as they are.
    let pools: Vec<_> = played.pools.iter().collect();
    for chunk in pools.chunks(ROWS_PER_STATEMENT) {
        let mut next = 0;
        let mut placeholder = || {
            next += 1;
            engine.placeholder(next)
        };
        let mut sql = String::from("UPDATE scm_item SET pool_quantity = CASE id");
        for _ in chunk {
            sql.push_str(&format!(" WHEN {} THEN {}", placeholder(), placeholder()));
        }
        sql.push_str(" END, pool_value_minor = CASE id");
        for _ in chunk {
            sql.push_str(&format!(" WHEN {} THEN {}", placeholder(), placeholder()));
        }
        sql.push_str(&format!(
            " END, updated_at = {} WHERE company_id = {} AND id IN ({})",
            placeholder(),
            placeholder(),
            chunk
                .iter()
                .map(|_| placeholder())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let mut arguments = AnyArguments::default();
        for (item, (quantity, _)) in chunk {
            push_argument(&mut arguments, **item);
            push_argument(&mut arguments, *quantity);
        }
        for (item, (_, value)) in chunk {
            push_argument(&mut arguments, **item);
            push_argument(&mut arguments, *value);
        }
        push_argument(&mut arguments, now.micros());
        push_argument(&mut arguments, company);
        for (item, _) in chunk {
            push_argument(&mut arguments, **item);
        }
        statements.push((sql, arguments));
    }
    for chunk in played.moves.chunks(ROWS_PER_STATEMENT / 2) {
        let sql = values_sql(
            engine,
            "INSERT INTO scm_move (company_id, id, item_id, lot, quantity, from_location_id, to_location_id, value_minor, pool_quantity_after, pool_value_after_minor, reason, note, source, moved_at, created_at, updated_at) VALUES ",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)",
            chunk.len(),
        );
        let mut arguments = AnyArguments::default();
        for (moved, pool_quantity, pool_value) in chunk {
            push_argument(&mut arguments, company);
            push_argument(&mut arguments, moved.id);
            push_argument(&mut arguments, moved.item_id);
            push_argument(&mut arguments, moved.lot.clone());
            push_argument(&mut arguments, moved.quantity);
            push_argument(&mut arguments, moved.from_location_id);
            push_argument(&mut arguments, moved.to_location_id);
            push_argument(&mut arguments, moved.value_minor);
            push_argument(&mut arguments, *pool_quantity);
            push_argument(&mut arguments, *pool_value);
            push_argument(&mut arguments, moved.reason.as_str());
            push_argument(&mut arguments, moved.note.clone());
            push_argument(&mut arguments, now.micros());
            push_argument(&mut arguments, now.micros());
            push_argument(&mut arguments, now.micros());
        }
        statements.push((sql, arguments));
    }
    statements
}

impl Scm {
    /// Makes up to [`MOVES_PER_BATCH_MAX`] moves by hand at once, all or
    /// nothing: the first that breaks a rule (as if the ones before it had
    /// been made) is refused with its index in the field, and nothing moves.
    pub async fn move_batch(&self, scope: &Scope, inputs: &[MoveInput]) -> Result<Vec<StockMove>> {
        self.require(scope, may_keep_stock)?;
        crate::fields::entry_count("moves", inputs.len(), MOVES_PER_BATCH_MAX)?;
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let settings = open_in(&mut tx, company, now).await?;
        let mut world = read_world(&mut tx, company, settings.valuation, inputs).await?;
        let played = play(&mut world, inputs, now)?;
        let statements = write_statements(tx.engine(), company, &played, now);
        run(&mut tx, statements).await?;
        for (item, layers) in world.layers.iter().flatten() {
            fifo::save_layers(&mut tx, company, *item, layers, now).await?;
        }
        crate::keeper::availabilities_changed(&mut tx, company, &played.free, now).await?;
        tx.commit().await?;
        Ok(played
            .moves
            .into_iter()
            .map(|(moved, _, _)| moved)
            .collect())
    }
}
