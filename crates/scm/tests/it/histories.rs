//! The supply chain's invariants, proven over random histories: market
//! orders for a linked product placed, confirmed, paid, shipped, delivered,
//! received, refunded and disputed, the clock moving settlements on, and the
//! members' own moves (receipts, transfers into a bin, losses, gains,
//! purchase orders received and partly returned, counts posted) in between,
//! valued by moving average or by FIFO. After every step: stock per location
//! is the sum of its moves, own stock is never negative, reserved is within
//! on hand, the valuation (and FIFO's layers) is recomputed from the moves,
//! and the market shows the item's free stock. At the end a replay of the
//! outbox changes nothing. On SQLite and, with `HANSE_TEST_DATABASE_URL`, on
//! PostgreSQL.

use kernel::Engine;
use kernel::testing::TestDb;
use proptest::prelude::*;
use scm::{
    CountEntries, CountEntry, CountInput, LocationInput, LocationKind, MoveInput, MoveReason,
    PurchaseInput, PurchaseLineInput, ReceiptInput, ReceiptLineInput, ReturnInput, ReturnLineInput,
    SupplierInput,
};
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
    /// A purchase order of this many pieces at this price, sent and received.
    Purchase(i64, i64),
    /// This many pieces of the latest purchase go back to the supplier.
    ReturnToSupplier(i64),
    /// The warehouse (or the bin) counted, this many off what it holds.
    Count(bool, i64),
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        6 => steps::step().prop_map(Move::Deal),
        8 => any::<usize>().prop_map(Move::Advance),
        2 => (1_i64..800, 100_i64..2_000).prop_map(|(q, p)| Move::Receive(q, p)),
        2 => (1_i64..400, any::<bool>()).prop_map(|(q, into)| Move::ToBin(q, into)),
        1 => (1_i64..100, any::<bool>()).prop_map(|(q, lost)| Move::Adjust(q, lost)),
        1 => (1_i64..300, 100_i64..2_000).prop_map(|(q, p)| Move::Purchase(q, p)),
        1 => (1_i64..200).prop_map(Move::ReturnToSupplier),
        1 => (any::<bool>(), -50_i64..50).prop_map(|(bin, off)| Move::Count(bin, off)),
    ]
}

struct World {
    item: scm::Item,
    bin: scm::LocationId,
    settings: scm::ScmSettings,
    supplier: scm::SupplierId,
    purchases: Vec<scm::PurchaseOrderId>,
}

async fn play(f: &Fixture, world: &mut World, orders: &mut Vec<trade::OrderId>, step: &Move) {
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
        Move::Purchase(quantity, price) => {
            let input = PurchaseInput {
                supplier_id: world.supplier,
                currency: kernel::Currency::CNY,
                warehouse_id: None,
                note: String::new(),
                lines: vec![PurchaseLineInput {
                    item_id: world.item.id,
                    quantity: *quantity,
                    unit: None,
                    unit_price_minor: *price,
                }],
            };
            let draft = f.scm.create_purchase_order(seller, &input).await.unwrap();
            f.scm.place_purchase_order(seller, draft.id).await.unwrap();
            let receipt = ReceiptInput {
                location_id: None,
                lines: vec![ReceiptLineInput {
                    line_no: 1,
                    quantity: *quantity,
                    lot: None,
                }],
            };
            f.scm.receive(seller, draft.id, &receipt).await.unwrap();
            world.purchases.push(draft.id);
        }
        Move::ReturnToSupplier(quantity) => {
            let Some(purchase) = world.purchases.last() else {
                return;
            };
            let input = ReturnInput {
                location_id: None,
                reason: String::new(),
                lines: vec![ReturnLineInput {
                    line_no: 1,
                    quantity: *quantity,
                    lot: None,
                }],
            };
            let _ = f.scm.return_to_supplier(seller, *purchase, &input).await;
        }
        Move::Count(in_bin, off) => {
            let location = if *in_bin { world.bin } else { warehouse };
            let sheet = f
                .scm
                .open_count(
                    seller,
                    &CountInput {
                        location_id: location,
                        note: String::new(),
                    },
                )
                .await
                .unwrap();
            let expected = sheet.lines.first().map_or(0, |line| line.expected);
            let entries = CountEntries {
                lines: vec![CountEntry {
                    item_id: world.item.id,
                    lot: None,
                    counted: (expected + off).max(0),
                    reason: "count".to_owned(),
                }],
            };
            f.scm
                .enter_counts(seller, sheet.id, &entries)
                .await
                .unwrap();
            // A shortfall below what orders hold is refused, whole.
            match f.scm.post_count(seller, sheet.id).await {
                Ok(_) => {}
                Err(scm::ScmError::InsufficientStock { .. }) => {
                    f.scm.cancel_count(seller, sheet.id).await.unwrap();
                }
                Err(error) => panic!("the count failed: {error}"),
            }
        }
    }
}

async fn history(engine: Engine, valuation: scm::Valuation, moves: &[Move]) {
    let Some(test_db) = TestDb::migrated(engine, &migrations()).await else {
        return;
    };
    let f = fixture(test_db.db.clone()).await;
    let choice = scm::SettingsInput {
        valuation: Some(valuation),
        ..scm::SettingsInput::default()
    };
    f.scm
        .update_settings(&f.deal.seller, &choice)
        .await
        .unwrap();
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
    let supplier = f
        .scm
        .create_supplier(
            seller,
            &SupplierInput {
                name: "不锈钢坯料 Steel blanks".to_owned(),
                contact: String::new(),
                email: String::new(),
                phone: String::new(),
                network_company_id: None,
            },
        )
        .await
        .unwrap();
    let mut world = World {
        item,
        bin: bin.id,
        settings,
        supplier: supplier.id,
        purchases: Vec::new(),
    };
    let mut orders = Vec::new();
    for step in moves {
        play(&f, &mut world, &mut orders, step).await;
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
    fn stock_moves_reservations_and_value_stay_consistent(
        moves in prop::collection::vec(a_move(), 1..40),
        fifo in any::<bool>(),
    ) {
        let valuation = if fifo { scm::Valuation::Fifo } else { scm::Valuation::Average };
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            history(Engine::Sqlite, valuation, &moves).await;
            history(Engine::Postgres, valuation, &moves).await;
        });
    }
}
