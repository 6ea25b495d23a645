//! The bench's history: millions of moves drawn by the world over two years,
//! written straight into `scm_move` with multi-row inserts (the rows the
//! supply chain would have written, values and pools included), then the
//! stock per location, per warehouse and the items' pools they add up to.
//! This is setup, not what is measured.

use std::collections::HashMap;

use anyhow::Context;
use kernel::db::{push_argument, values_sql};
use kernel::sqlx;
use kernel::sqlx::any::AnyArguments;
use kernel::{Db, Timestamp};
use rand::rngs::StdRng;
use scm::{ItemId, LocationId, MoveId};

use super::world::World;

const ROWS_PER_STATEMENT: usize = 120;
const STATEMENTS_PER_TRANSACTION: usize = 80;

/// Writes `moves` drawn moves between `start` and `end`, round robin over
/// the companies.
pub async fn write(
    db: &Db,
    world: &mut World,
    rng: &mut StdRng,
    moves: usize,
    start: Timestamp,
    end: Timestamp,
) -> anyhow::Result<()> {
    let engine = db.engine();
    let span = (end.micros() - start.micros()).max(1);
    let companies = world.companies.len();
    let mut virtual_stock: HashMap<(usize, LocationId, ItemId), i64> = HashMap::new();
    let mut periods: HashMap<(usize, ItemId, i64, LocationId), i64> = HashMap::new();
    let mut written = 0;
    while written < moves {
        let mut tx = db.begin().await?;
        for _ in 0..STATEMENTS_PER_TRANSACTION {
            let rows = ROWS_PER_STATEMENT.min(moves - written);
            if rows == 0 {
                break;
            }
            let sql = values_sql(
                engine,
                "INSERT INTO scm_move (company_id, id, item_id, lot, quantity, from_location_id, to_location_id, value_minor, pool_quantity_after, pool_value_after_minor, reason, note, source, moved_at, created_at, updated_at) VALUES ",
                "(?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?)",
                rows,
            );
            let mut arguments = AnyArguments::default();
            for _ in 0..rows {
                let company = written % companies;
                let drawn = world.draw(rng, company);
                let at = start.micros() + (span as i128 * written as i128 / moves as i128) as i64;
                for (location, sign) in [(drawn.from, -1), (drawn.to, 1)] {
                    let entry = if world.warehouse_of(location).is_none() {
                        virtual_stock
                            .entry((company, location, drawn.item))
                            .or_default()
                    } else {
                        let period = at.div_euclid(scm::STOCK_PERIOD_MICROS);
                        periods
                            .entry((company, drawn.item, period, location))
                            .or_default()
                    };
                    *entry += sign * drawn.quantity;
                }
                push_argument(&mut arguments, world.companies[company].scope.company_id());
                push_argument(&mut arguments, MoveId::new());
                push_argument(&mut arguments, drawn.item);
                push_argument(&mut arguments, drawn.quantity);
                push_argument(&mut arguments, drawn.from);
                push_argument(&mut arguments, drawn.to);
                push_argument(&mut arguments, drawn.value_minor);
                push_argument(&mut arguments, drawn.pool_after.0);
                push_argument(&mut arguments, drawn.pool_after.1);
                push_argument(&mut arguments, drawn.reason.as_str());
                push_argument(&mut arguments, at);
                push_argument(&mut arguments, at);
                push_argument(&mut arguments, at);
                written += 1;
            }
            sqlx::query_with(&sql, arguments).execute(tx.conn()).await?;
        }
        tx.commit().await?;
    }
    write_periods(db, world, &periods, end).await?;
    write_state(db, world, &virtual_stock, end).await
}

/// The own locations' net per item and 30-day period the moves add up to.
async fn write_periods(
    db: &Db,
    world: &World,
    periods: &HashMap<(usize, ItemId, i64, LocationId), i64>,
    at: Timestamp,
) -> anyhow::Result<()> {
    let rows: Vec<_> = periods
        .iter()
        .filter(|(_, quantity)| **quantity != 0)
        .collect();
    for transaction in rows.chunks(ROWS_PER_STATEMENT * STATEMENTS_PER_TRANSACTION) {
        let mut tx = db.begin().await?;
        for chunk in transaction.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(
                db.engine(),
                "INSERT INTO scm_stock_period (company_id, item_id, period, location_id, quantity, created_at, updated_at) VALUES ",
                "(?, ?, ?, ?, ?, ?, ?)",
                chunk.len(),
            );
            let mut arguments = AnyArguments::default();
            for ((company, item, period, location), quantity) in chunk {
                push_argument(&mut arguments, world.companies[*company].scope.company_id());
                push_argument(&mut arguments, *item);
                push_argument(&mut arguments, *period);
                push_argument(&mut arguments, *location);
                push_argument(&mut arguments, **quantity);
                push_argument(&mut arguments, at.micros());
                push_argument(&mut arguments, at.micros());
            }
            sqlx::query_with(&sql, arguments).execute(tx.conn()).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// The stock per location and warehouse, and the pools, the moves add up to.
async fn write_state(
    db: &Db,
    world: &World,
    virtual_stock: &HashMap<(usize, LocationId, ItemId), i64>,
    at: Timestamp,
) -> anyhow::Result<()> {
    let engine = db.engine();
    let company_of: HashMap<LocationId, usize> = world
        .companies
        .iter()
        .enumerate()
        .flat_map(|(index, company)| company.bins.iter().map(move |(bin, _)| (*bin, index)))
        .collect();
    let mut stock_rows: Vec<(usize, LocationId, ItemId, i64)> = world
        .stock()
        .iter()
        .map(|((bin, item), quantity)| (company_of[bin], *bin, *item, *quantity))
        .collect();
    stock_rows.extend(
        virtual_stock
            .iter()
            .map(|((company, location, item), quantity)| (*company, *location, *item, *quantity)),
    );
    let mut warehouses: HashMap<(usize, LocationId, ItemId), i64> = HashMap::new();
    for ((bin, item), quantity) in world.stock() {
        let warehouse = world.warehouse_of(*bin).context("a bin has a warehouse")?;
        *warehouses
            .entry((company_of[bin], warehouse, *item))
            .or_default() += quantity;
    }
    let mut tx = db.begin().await?;
    for chunk in stock_rows.chunks(ROWS_PER_STATEMENT) {
        let sql = values_sql(
            engine,
            "INSERT INTO scm_stock (company_id, location_id, item_id, lot, quantity, created_at, updated_at) VALUES ",
            "(?, ?, ?, '', ?, ?, ?)",
            chunk.len(),
        );
        let mut arguments = AnyArguments::default();
        for (company, location, item, quantity) in chunk {
            push_argument(&mut arguments, world.companies[*company].scope.company_id());
            push_argument(&mut arguments, *location);
            push_argument(&mut arguments, *item);
            push_argument(&mut arguments, *quantity);
            push_argument(&mut arguments, at.micros());
            push_argument(&mut arguments, at.micros());
        }
        sqlx::query_with(&sql, arguments).execute(tx.conn()).await?;
    }
    let warehouse_rows: Vec<_> = warehouses.into_iter().collect();
    for chunk in warehouse_rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = values_sql(
            engine,
            "INSERT INTO scm_warehouse_stock (company_id, warehouse_id, item_id, on_hand, reserved, created_at, updated_at) VALUES ",
            "(?, ?, ?, ?, 0, ?, ?)",
            chunk.len(),
        );
        sql.push_str(" ON CONFLICT (company_id, warehouse_id, item_id) DO UPDATE SET on_hand = scm_warehouse_stock.on_hand + excluded.on_hand");
        let mut arguments = AnyArguments::default();
        for ((company, warehouse, item), quantity) in chunk {
            push_argument(&mut arguments, world.companies[*company].scope.company_id());
            push_argument(&mut arguments, *warehouse);
            push_argument(&mut arguments, *item);
            push_argument(&mut arguments, *quantity);
            push_argument(&mut arguments, at.micros());
            push_argument(&mut arguments, at.micros());
        }
        sqlx::query_with(&sql, arguments).execute(tx.conn()).await?;
    }
    for company in &world.companies {
        for item in &company.items {
            let (quantity, value) = world.pools().get(item).copied().unwrap_or_default();
            sqlx::query("UPDATE scm_item SET pool_quantity = $1, pool_value_minor = $2 WHERE company_id = $3 AND id = $4")
                .bind(quantity)
                .bind(value)
                .bind(company.scope.company_id())
                .bind(*item)
                .execute(tx.conn())
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
