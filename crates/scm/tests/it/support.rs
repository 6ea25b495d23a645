//! The supply chain beside a real deal: trade's fixture with the supply chain
//! keeping linked products' stock, the outbox delivered to its subscriber on
//! demand, and the invariants every test may assert: stock is the sum of the
//! moves, moves balance, own stock never negative, reservations within
//! on hand, the valuation recomputed from the moves, and a linked product's
//! available quantity the item's.

use std::collections::HashMap;
use std::sync::Arc;

use kernel::outbox::Dispatcher;
use kernel::{Clock, Db, Scope};
use scm::{Item, ItemInput, LinkInput, Scm, ScmFeed, ScmStockKeeper};
use sqlx::Row;

use crate::deal;

pub fn migrations() -> Vec<kernel::migrate::Migration> {
    [deal::migrations(), scm::migrations()].concat()
}

pub struct Fixture {
    pub deal: deal::Fixture,
    pub scm: Scm,
    dispatcher: Dispatcher,
}

pub async fn fixture(db: Db) -> Fixture {
    let keeper = Arc::new(ScmStockKeeper::new(db.clone()));
    let deal = deal::fixture_kept(
        db.clone(),
        Some(deal::Keeper {
            stock: keeper.clone(),
            linked: market::LinkedStock::new(keeper),
        }),
    )
    .await;
    let clock: Arc<dyn Clock> = deal.clock.clone();
    let scm = Scm::new(db.clone(), clock.clone(), deal.market.clone());
    let dispatcher = Dispatcher::new(db, clock, vec![Arc::new(ScmFeed::new(scm.clone()))]);
    let fixture = Fixture {
        deal,
        scm,
        dispatcher,
    };
    fixture.settle().await;
    fixture
}

pub fn item_input(sku: &str) -> ItemInput {
    ItemInput {
        sku: sku.to_owned(),
        name: format!("item {sku}"),
        unit: "piece".to_owned(),
        cost_currency: kernel::Currency::CNY,
        lot_tracked: false,
        reorder_point: 0,
        reorder_quantity: 0,
        units: vec![scm::UnitConversion {
            unit: "carton".to_owned(),
            factor: 24,
        }],
    }
}

impl Fixture {
    /// Delivers every event in the outbox to the supply chain.
    pub async fn settle(&self) {
        loop {
            let round = self.dispatcher.run_once().await.unwrap();
            assert_eq!(
                round.failed_subscribers, 0,
                "the supply chain refused an event"
            );
            if round.delivered == 0 {
                return;
            }
        }
    }

    /// The seller's flask linked to a new item with `stock` pieces received
    /// into the default warehouse at `unit_cost` each.
    pub async fn linked_flask(&self, stock: i64, unit_cost: i64) -> Item {
        let seller = &self.deal.seller;
        let item = self
            .scm
            .create_item(seller, &item_input("FL-500"))
            .await
            .unwrap();
        self.scm
            .link_product(
                seller,
                &LinkInput {
                    product_id: self.deal.flask,
                    item_id: item.id,
                    warehouse_id: None,
                },
            )
            .await
            .unwrap();
        if stock > 0 {
            self.receive(seller, &item, stock, unit_cost).await;
        }
        self.scm.item(seller, item.id).await.unwrap()
    }

    /// Receives `quantity` of `item` from the supplier location into the
    /// default warehouse by hand.
    pub async fn receive(&self, scope: &Scope, item: &Item, quantity: i64, unit_cost: i64) {
        let settings = self.scm.settings(scope).await.unwrap();
        self.scm
            .move_stock(
                scope,
                &scm::MoveInput {
                    item_id: item.id,
                    quantity,
                    unit: None,
                    from_location_id: settings.supplier_location_id,
                    to_location_id: settings.default_warehouse_id,
                    reason: scm::MoveReason::Receipt,
                    lot: None,
                    unit_cost_minor: Some(unit_cost),
                    note: String::new(),
                },
            )
            .await
            .unwrap();
    }

    /// Every invariant of the supply chain, over every company.
    pub async fn assert_consistent(&self) {
        assert_consistent(&self.deal.db).await;
        // A linked product shows the item's free stock in its warehouse.
        let links = self
            .scm
            .product_links(&self.deal.seller, kernel::PageRequest::first())
            .await
            .unwrap();
        for link in links.items {
            let shown = self.deal.available(link.product_id).await;
            assert_eq!(
                shown, link.available_quantity,
                "the market shows the item's stock"
            );
        }
    }
}

/// One row per key, as i64 columns.
async fn sums(db: &Db, sql: &str) -> HashMap<Vec<i64>, i64> {
    let rows = sqlx::query(sql).fetch_all(db.reader()).await.unwrap();
    rows.iter()
        .map(|row| {
            let columns = row.len();
            let key = (0..columns - 1).map(|i| row.get::<i64, _>(i)).collect();
            (key, row.get::<i64, _>(columns - 1))
        })
        .filter(|(_, value)| *value != 0)
        .collect()
}

/// The stock tables agree with the moves, and the moves with the rules.
pub async fn assert_consistent(db: &Db) {
    let from_moves = sums(
        db,
        "SELECT company_id, location_id, item_id, CAST(SUM(quantity) AS BIGINT) FROM (
             SELECT company_id, to_location_id AS location_id, item_id, quantity FROM scm_move
             UNION ALL
             SELECT company_id, from_location_id AS location_id, item_id, -quantity FROM scm_move
         ) m GROUP BY company_id, location_id, item_id",
    )
    .await;
    let kept = sums(
        db,
        "SELECT company_id, location_id, item_id, CAST(SUM(quantity) AS BIGINT) FROM scm_stock GROUP BY company_id, location_id, item_id",
    )
    .await;
    assert_eq!(
        kept, from_moves,
        "stock per location is the sum of its moves"
    );

    let own_negative: i64 = sqlx::query(
        "SELECT COUNT(*) FROM scm_stock s JOIN scm_location l ON l.company_id = s.company_id AND l.id = s.location_id
         WHERE l.warehouse_id <> 0 AND s.quantity < 0",
    )
    .fetch_one(db.reader())
    .await
    .unwrap()
    .get(0);
    assert_eq!(own_negative, 0, "own stock is never negative");

    let per_warehouse = sums(
        db,
        "SELECT s.company_id, l.warehouse_id, s.item_id, CAST(SUM(s.quantity) AS BIGINT) FROM scm_stock s
         JOIN scm_location l ON l.company_id = s.company_id AND l.id = s.location_id
         WHERE l.warehouse_id <> 0 GROUP BY s.company_id, l.warehouse_id, s.item_id",
    )
    .await;
    let on_hand = sums(
        db,
        "SELECT company_id, warehouse_id, item_id, on_hand FROM scm_warehouse_stock",
    )
    .await;
    assert_eq!(
        on_hand, per_warehouse,
        "a warehouse's on hand is its locations' stock"
    );
    let held = sums(
        db,
        "SELECT company_id, warehouse_id, item_id, CAST(SUM(quantity) AS BIGINT) FROM scm_reservation
         WHERE state = 'held' GROUP BY company_id, warehouse_id, item_id",
    )
    .await;
    let reserved = sums(
        db,
        "SELECT company_id, warehouse_id, item_id, reserved FROM scm_warehouse_stock",
    )
    .await;
    assert_eq!(reserved, held, "reserved is the held reservations");
    let over: i64 = sqlx::query(
        "SELECT COUNT(*) FROM scm_warehouse_stock WHERE reserved < 0 OR reserved > on_hand",
    )
    .fetch_one(db.reader())
    .await
    .unwrap()
    .get(0);
    assert_eq!(over, 0, "0 <= reserved <= on hand");

    let per_period = sums(
        db,
        "SELECT s.company_id, s.item_id, s.period, s.location_id, CAST(SUM(s.quantity) AS BIGINT) FROM (
             SELECT company_id, item_id, moved_at / 2592000000000 AS period, to_location_id AS location_id, quantity FROM scm_move
             UNION ALL
             SELECT company_id, item_id, moved_at / 2592000000000 AS period, from_location_id AS location_id, -quantity FROM scm_move
         ) s JOIN scm_location l ON l.company_id = s.company_id AND l.id = s.location_id
         WHERE l.warehouse_id <> 0 GROUP BY s.company_id, s.item_id, s.period, s.location_id",
    )
    .await;
    let kept_per_period = sums(
        db,
        "SELECT company_id, item_id, period, location_id, quantity FROM scm_stock_period",
    )
    .await;
    assert_eq!(
        kept_per_period, per_period,
        "the net per period is the moves summed"
    );

    assert_valuation_recomputes(db).await;
}

/// The share of a pool `quantity` carries: all of it when it empties.
fn share_of(pool: (i64, i64), quantity: i64) -> i64 {
    if quantity >= pool.0 {
        pool.1
    } else {
        rounded_share(pool.1, quantity, pool.0)
    }
}

/// Replays every item's moves in order: each move's value and the pool after
/// it are what a moving average (or, for a company valuing by FIFO, the
/// oldest layers) computed independently gives, and a FIFO item's stored
/// layers are the ones the replay is left with.
async fn assert_valuation_recomputes(db: &Db) {
    let own: std::collections::HashSet<(i64, i64)> =
        sqlx::query("SELECT company_id, id FROM scm_location WHERE warehouse_id <> 0")
            .fetch_all(db.reader())
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
    let fifo: std::collections::HashSet<i64> =
        sqlx::query("SELECT company_id FROM scm_company WHERE valuation = 'fifo'")
            .fetch_all(db.reader())
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
    let moves = sqlx::query(
        "SELECT company_id, item_id, quantity, from_location_id, to_location_id, value_minor, pool_quantity_after, pool_value_after_minor, reason
         FROM scm_move ORDER BY company_id, item_id, moved_at, id",
    )
    .fetch_all(db.reader())
    .await
    .unwrap();
    let mut pools: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    let mut layers: HashMap<(i64, i64), Vec<(i64, i64)>> = HashMap::new();
    for row in &moves {
        let company: i64 = row.get(0);
        let item: i64 = row.get(1);
        let quantity: i64 = row.get(2);
        let from_own = own.contains(&(company, row.get(3)));
        let to_own = own.contains(&(company, row.get(4)));
        let value: i64 = row.get(5);
        let pool = pools.entry((company, item)).or_default();
        let item_layers = layers.entry((company, item)).or_default();
        if from_own && !to_own && fifo.contains(&company) {
            // Out of own stock under FIFO: the oldest layers first.
            let mut left = quantity;
            let mut expected = 0;
            for layer in item_layers.iter_mut().filter(|layer| layer.0 > 0) {
                let taken = left.min(layer.0);
                let worth = share_of(*layer, taken);
                *layer = (layer.0 - taken, layer.1 - worth);
                expected += worth;
                left -= taken;
                if left == 0 {
                    break;
                }
            }
            assert_eq!(left, 0, "the layers hold what leaves");
            assert_eq!(
                value, expected,
                "a move out carries its oldest layers' cost"
            );
        } else if from_own {
            // Out of, or within, own stock: the average share.
            assert_eq!(
                value,
                share_of(*pool, quantity),
                "a move out carries the average cost"
            );
        }
        match (from_own, to_own) {
            (true, false) => *pool = (pool.0 - quantity, pool.1 - value),
            (false, true) => {
                *pool = (pool.0 + quantity, pool.1 + value);
                item_layers.push((quantity, value));
            }
            _ => {}
        }
        assert_eq!(
            (row.get::<i64, _>(6), row.get::<i64, _>(7)),
            *pool,
            "the pool after each move"
        );
        assert!(pool.0 >= 0, "the pool never goes negative");
    }
    let items = sqlx::query("SELECT company_id, id, pool_quantity, pool_value_minor FROM scm_item")
        .fetch_all(db.reader())
        .await
        .unwrap();
    for row in items {
        let key = (row.get::<i64, _>(0), row.get::<i64, _>(1));
        let pool = pools.get(&key).copied().unwrap_or_default();
        assert_eq!(
            (row.get::<i64, _>(2), row.get::<i64, _>(3)),
            pool,
            "the item's pool"
        );
        if !fifo.contains(&key.0) {
            continue;
        }
        let stored: Vec<(i64, i64)> = sqlx::query(
            "SELECT quantity_left, value_left_minor FROM scm_layer WHERE company_id = $1 AND item_id = $2
             ORDER BY received_at, move_id",
        )
        .bind(key.0)
        .bind(key.1)
        .fetch_all(db.reader())
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
        let replayed: Vec<(i64, i64)> = layers
            .remove(&key)
            .unwrap_or_default()
            .into_iter()
            .filter(|layer| layer.0 > 0)
            .collect();
        assert_eq!(
            stored, replayed,
            "the FIFO layers are what is left of each receipt"
        );
        let summed = stored
            .iter()
            .fold((0, 0), |sum, layer| (sum.0 + layer.0, sum.1 + layer.1));
        assert_eq!(summed, pool, "the layers add up to the pool");
    }
}

/// `value × part ÷ whole`, rounded half away from zero, in integers.
fn rounded_share(value: i64, part: i64, whole: i64) -> i64 {
    let product = i128::from(value) * i128::from(part);
    let whole = i128::from(whole);
    let doubled = 2 * product.abs() + whole;
    let magnitude = doubled / (2 * whole);
    i64::try_from(if product < 0 { -magnitude } else { magnitude }).unwrap()
}
