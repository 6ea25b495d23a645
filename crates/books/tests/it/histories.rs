//! The reconciliation, proven over random deal histories: orders placed,
//! confirmed, paid, shipped, received, refunded in part or in full, disputed
//! and decided, the clock moving settlements on, top-ups and withdrawals that
//! succeed or fail. After every step each company's wallet account equals its
//! wallet in the ledger, its escrow advances equal its escrow held, and its
//! trial balance balances; at the end a replay of the whole outbox changes
//! nothing. On SQLite and, with `HANSE_TEST_DATABASE_URL`, on PostgreSQL.

use kernel::testing::TestDb;
use kernel::{Currency, Engine, Money, PageRequest};
use proptest::prelude::*;
use trade::OrderState;

use crate::deal::steps::{self, Step};
use crate::support::{Fixture, fixture, migrations};

#[derive(Debug, Clone)]
enum Move {
    Deal(Step),
    /// The next step on the happy path of one order, so that histories
    /// reach shipping, receipt and settlement often, not by luck.
    Advance(usize),
    TopUp(i64),
    /// An amount, and whether the bank pays it out or sends it back.
    Withdraw(i64, bool),
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        8 => steps::step().prop_map(Move::Deal),
        8 => any::<usize>().prop_map(Move::Advance),
        3 => (100_i64..900).prop_map(|quantity| Move::Deal(Step::Place(quantity))),
        1 => (1_i64..5_000_000).prop_map(Move::TopUp),
        1 => (1_i64..5_000_000, any::<bool>()).prop_map(|(minor, paid)| Move::Withdraw(minor, paid)),
    ]
}

/// Settles one of the buyer's sandbox operations, the newest one for
/// `reference`.
async fn bank_answers(f: &Fixture, reference: String, succeed: bool) {
    let buyer = &f.deal.buyer;
    let viewer = pay::sandbox::SandboxViewer::of(buyer);
    let operations = f
        .deal
        .pay
        .sandbox_operations(viewer, PageRequest::first())
        .await
        .unwrap();
    if let Some(operation) = operations.items.iter().find(|op| op.reference == reference) {
        f.deal
            .pay
            .sandbox_settle(viewer, operation.id, succeed)
            .await
            .unwrap();
    }
}

async fn play(
    f: &Fixture,
    orders: &mut Vec<trade::OrderId>,
    bank: pay::BankAccountId,
    step: &Move,
) {
    let buyer = &f.deal.buyer;
    match step {
        Move::Deal(step) => steps::apply(&f.deal, orders, step).await,
        Move::Advance(i) => {
            let Some(id) = (!orders.is_empty()).then(|| orders[i % orders.len()]) else {
                return;
            };
            let order = f.deal.trade.order(buyer, id).await.unwrap();
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
        Move::TopUp(minor) => {
            let top_up = f
                .deal
                .pay
                .start_top_up(buyer, Money::new(*minor, Currency::CNY))
                .await
                .unwrap();
            bank_answers(f, top_up.id.to_string(), true).await;
        }
        Move::Withdraw(minor, paid) => {
            // Refused when the wallet is short: part of the game.
            if let Ok(withdrawal) = f
                .deal
                .pay
                .start_withdrawal(buyer, bank, Money::new(*minor, Currency::CNY))
                .await
            {
                f.settle().await;
                f.assert_reconciled().await;
                bank_answers(f, withdrawal.id.to_string(), *paid).await;
            }
        }
    }
}

async fn history(engine: Engine, moves: &[Move]) {
    let Some(test_db) = TestDb::migrated(engine, &migrations()).await else {
        return;
    };
    let f = fixture(test_db.db.clone()).await;
    let bank = f
        .deal
        .pay
        .add_bank_account(
            &f.deal.buyer,
            &pay::NewBankAccount {
                holder_name: "Vogel Haushalt GmbH".to_owned(),
                bank_name: "Hamburger Sparkasse".to_owned(),
                account_number: "DE89370400440532013000".to_owned(),
                currency: Currency::CNY,
            },
        )
        .await
        .unwrap()
        .id;
    let mut orders = Vec::new();
    for step in moves {
        play(&f, &mut orders, bank, step).await;
        f.settle().await;
        f.assert_reconciled().await;
        f.assert_balanced(&f.deal.buyer).await;
        f.assert_balanced(&f.deal.seller).await;
    }
    let before = crate::from_the_deal::entry_count(&f.deal.db).await;
    crate::from_the_deal::replay_everything(&f).await;
    assert_eq!(
        crate::from_the_deal::entry_count(&f.deal.db).await,
        before,
        "a replay changes nothing"
    );
    f.assert_reconciled().await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn the_books_reconcile_with_the_ledger_after_every_step(moves in prop::collection::vec(a_move(), 1..48)) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            history(Engine::Sqlite, &moves).await;
            history(Engine::Postgres, &moves).await;
        });
    }
}
