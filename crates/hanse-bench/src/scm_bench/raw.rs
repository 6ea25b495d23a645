//! The raw engine beside the supply chain: the same batches' rows (each
//! move, the stock of both locations and the item's pool; not the
//! warehouses' on hand, which Hanse writes too) written into a plain SQLite file with the supply chain's schema
//! and Hanse's settings (WAL, `synchronous=FULL`) through rusqlite's
//! prepared statements, one transaction a batch, from one client; and the
//! stock-before query asked of the bench's own file through rusqlite. What
//! Hanse adds (the checks, the async driver, group commit) is the ratio.

use std::path::Path;
use std::time::{Duration, Instant};

use super::Probe;
use super::world::DrawnMove;

pub struct RawRun {
    pub elapsed: Duration,
    pub query_samples: Vec<Duration>,
}

pub fn run(
    path: &Path,
    batches: &[Vec<Vec<DrawnMove>>],
    bench_file: &Path,
    probes: &[Probe],
) -> anyhow::Result<RawRun> {
    let mut connection = rusqlite::Connection::open(path)?;
    connection.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
    )?;
    for migration in scm::migrations() {
        connection.execute_batch(migration.sql)?;
    }
    let now = kernel::Clock::now(&kernel::SystemClock).micros();
    let mut next_id: i64 = 1;
    let company = 1_i64;
    let started = Instant::now();
    for batch in batches.iter().flatten() {
        let tx = connection.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO scm_move (company_id, id, item_id, lot, quantity, from_location_id, to_location_id, value_minor, pool_quantity_after, pool_value_after_minor, reason, note, source, moved_at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, '', '', ?11, ?11, ?11)",
            )?;
            let mut stock = tx.prepare_cached(
                "INSERT INTO scm_stock (company_id, location_id, item_id, lot, quantity, created_at, updated_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?5)
                 ON CONFLICT (company_id, location_id, item_id, lot) DO UPDATE SET quantity = scm_stock.quantity + excluded.quantity, updated_at = excluded.updated_at",
            )?;
            let mut pool = tx.prepare_cached(
                "INSERT INTO scm_item (company_id, id, sku, name, unit, cost_currency, lot_tracked, reorder_point, reorder_quantity, pool_quantity, pool_value_minor, created_at, updated_at)
                 VALUES (?1, ?2, ?2, '', 'piece', 'CNY', 0, 0, 0, ?3, ?4, ?5, ?5)
                 ON CONFLICT (company_id, id) DO UPDATE SET pool_quantity = excluded.pool_quantity, pool_value_minor = excluded.pool_value_minor",
            )?;
            for drawn in batch {
                let item = drawn.item.raw();
                insert.execute(rusqlite::params![
                    company,
                    next_id,
                    item,
                    drawn.quantity,
                    drawn.from.raw(),
                    drawn.to.raw(),
                    drawn.value_minor,
                    drawn.pool_after.0,
                    drawn.pool_after.1,
                    drawn.reason.as_str(),
                    now
                ])?;
                next_id += 1;
                stock.execute(rusqlite::params![
                    company,
                    drawn.from.raw(),
                    item,
                    -drawn.quantity,
                    now
                ])?;
                stock.execute(rusqlite::params![
                    company,
                    drawn.to.raw(),
                    item,
                    drawn.quantity,
                    now
                ])?;
                pool.execute(rusqlite::params![
                    company,
                    item,
                    drawn.pool_after.0,
                    drawn.pool_after.1,
                    now
                ])?;
            }
        }
        tx.commit()?;
    }
    let elapsed = started.elapsed();

    let bench = rusqlite::Connection::open_with_flags(
        bench_file,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    // The supply chain's own query (`scm/src/stock.rs`) for one item.
    let mut query = bench.prepare(
        "SELECT m.item_id, m.location_id, CAST(SUM(m.quantity) AS BIGINT) AS quantity FROM (
             SELECT item_id, location_id, quantity FROM scm_stock_period
             WHERE company_id = ?1 AND period < ?2 AND item_id IN (?5)
             UNION ALL
             SELECT item_id, to_location_id AS location_id, quantity FROM scm_move
             WHERE company_id = ?1 AND moved_at >= ?3 AND moved_at <= ?4 AND item_id IN (?5)
             UNION ALL
             SELECT item_id, from_location_id AS location_id, -quantity AS quantity FROM scm_move
             WHERE company_id = ?1 AND moved_at >= ?3 AND moved_at <= ?4 AND item_id IN (?5)
         ) m
         GROUP BY m.item_id, m.location_id ORDER BY m.item_id, m.location_id",
    )?;
    let mut query_samples = Vec::with_capacity(probes.len());
    for probe in probes {
        let sent = Instant::now();
        let rows: Vec<i64> = query
            .query_map(
                rusqlite::params![
                    probe.company.raw(),
                    probe.at.micros().div_euclid(scm::STOCK_PERIOD_MICROS),
                    probe.at.micros().div_euclid(scm::STOCK_PERIOD_MICROS)
                        * scm::STOCK_PERIOD_MICROS,
                    probe.at.micros(),
                    probe.item.raw()
                ],
                |row| row.get(2),
            )?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(rows);
        query_samples.push(sent.elapsed());
    }
    Ok(RawRun {
        elapsed,
        query_samples,
    })
}
