//! The supply chain's invariants, proven over random histories: market
//! orders for a linked product placed, confirmed, paid, shipped, delivered,
//! received, refunded and disputed, the clock moving settlements on, and the
//! members' own moves (receipts, transfers into a bin, losses, gains) in
//! between. After every step: stock per location is the sum of its moves,
//! own stock is never negative, reserved is within on hand, the valuation is
//! recomputed from the moves, and the market shows the item's free stock.
//! At the end a replay of the outbox changes nothing. On SQLite and, with
//! `HANSE_TEST_DATABASE_URL`, on PostgreSQL.

use kernel::Engine;
use kernel::testing::TestDb;
use proptest::prelude::*;
use scm::{LocationInput, LocationKind, MoveInput, MoveReason};
use trade::OrderState;

use crate::deal::steps::{self, Step};
use crate::support::{Fixture, fixture, migrations};

#[derive(Debug, Clone)]
enum Move {
    Deal(Step),
    /// The next step on the happy path of one order.
    Advance(usize),
    /// The seller receives this many pieces at this price.
    Receive(i64, i64),
    /// Into the bin, or back out of it.
    ToBin(i64, bool),
    /// Lost, or found again.
    Adjust(i64, bool),
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        6 => steps::step().prop_map(Move::Deal),
        8 => any::<usize>().prop_map(Move::Advance),
        2 => (1_i64..800, 100_i64..2_000).prop_map(|(q, p)| Move::Receive(q, p)),
        2 => (1_i64..400, any::<bool>()).prop_map(|(q, into)| Move::ToBin(q, into)),
        1 => (1_i64..100, any::<bool>()).prop_map(|(q, lost)| Move::Adjust(q, lost)),
    ]
}

struct World {
    item: scm::Item,
    bin: scm::LocationId,
    settings: scm::ScmSettings,
}

async fn play(f: &Fixture, world: &World, orders: &mut Vec<trade::OrderId>, step: &Move) {
    let seller = &f.deal.seller;
    let by_hand = |quantity, from, to, reason, cost| MoveInput {
        item_id: world.item.id,
        quantity,
        unit: None,
        from_location_id: from,
        to_location_id: to,
        reason,
        lot: None,
        unit_cost_minor: cost,
        note: String::new(),
    };
    let warehouse = world.settings.default_warehouse_id;
    // Refusals (too little free stock) are part of the game.
    match step {
        Move::Deal(step) => steps::apply(&f.deal, orders, step).await,
        Move::Advance(i) => {
            let Some(id) = (!orders.is_empty()).then(|| orders[i % orders.len()]) else {
                return;
            };
            let order = f.deal.trade.order(&f.deal.buyer, id).await.unwrap();
            let next = match order.state {
                OrderState::Placed => Step::Confirm(*i),
                OrderState::Confirmed => Step::Pay(*i),
                OrderState::Paid => Step::Ship(*i),
                OrderState::Shipped => Step::CarrierReports(*i),
                OrderState::Delivered => Step::ConfirmReceipt(*i),
                OrderState::Completed => Step::ClockHours(1),
                _ => return,
            };
            steps::apply(&f.deal, orders, &next).await;
        }
        Move::Receive(quantity, price) => {
            let input = by_hand(
                *quantity,
                world.settings.supplier_location_id,
                warehouse,
                MoveReason::Receipt,
                Some(*price),
            );
            f.scm.move_stock(seller, &input).await.unwrap();
        }
        Move::ToBin(quantity, into) => {
            let (from, to) = if *into {
                (warehouse, world.bin)
            } else {
                (world.bin, warehouse)
            };
            let _ = f
                .scm
                .move_stock(
                    seller,
                    &by_hand(*quantity, from, to, MoveReason::Transfer, None),
                )
                .await;
        }
        Move::Adjust(quantity, lost) => {
            let loss = world.settings.loss_location_id;
            let (from, to) = if *lost {
                (warehouse, loss)
            } else {
                (loss, warehouse)
            };
            let _ = f
                .scm
                .move_stock(
                    seller,
                    &by_hand(*quantity, from, to, MoveReason::Adjustment, None),
                )
                .await;
        }
    }
}

async fn history(engine: Engine, moves: &[Move]) {
    let Some(test_db) = TestDb::migrated(engine, &migrations()).await else {
        return;
    };
    let f = fixture(test_db.db.clone()).await;
    let item = f.linked_flask(600, 900).await;
    let seller = &f.deal.seller;
    let settings = f.scm.settings(seller).await.unwrap();
    let bin = f
        .scm
        .create_location(
            seller,
            &LocationInput {
                kind: LocationKind::Bin,
                parent_id: Some(settings.default_warehouse_id),
                code: "B-01".to_owned(),
                name: "B-01".to_owned(),
            },
        )
        .await
        .unwrap();
    let world = World {
        item,
        bin: bin.id,
        settings,
    };
    let mut orders = Vec::new();
    for step in moves {
        play(&f, &world, &mut orders, step).await;
        f.settle().await;
        f.assert_consistent().await;
    }
    let before = test_db.db.row_counts().await.unwrap();
    crate::from_the_deal::replay_everything(&f).await;
    assert_eq!(
        test_db.db.row_counts().await.unwrap(),
        before,
        "a replay changes nothing"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn stock_moves_reservations_and_value_stay_consistent(moves in prop::collection::vec(a_move(), 1..40)) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            history(Engine::Sqlite, &moves).await;
            history(Engine::Postgres, &moves).await;
        });
    }
}
