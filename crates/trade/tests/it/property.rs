//! Random sequences of what buyer, seller, carrier, clock and operator do,
//! over many orders, with the books checked after every step: stock is
//! reserved, consumed or available and never more; the money in escrow is the
//! paid, unsettled orders' totals; every closed order's seller received its
//! share less the fee; the ledger balances.

use kernel::{Engine, testing::TestDb};
use proptest::prelude::*;
use trade::{LineStock, OrderFilter, OrderState, Perspective};

use crate::steps::{apply, step};
use crate::support::*;

async fn check_books(f: &Fixture, funded: i64) {
    let orders = f
        .trade
        .orders(
            &f.buyer,
            Perspective::Buyer,
            &OrderFilter::default(),
            kernel::PageRequest::new(None, Some(200)),
        )
        .await
        .unwrap()
        .items;
    let (mut reserved, mut consumed, mut held, mut seller_due, mut buyer_spent) = (0, 0, 0, 0, 0);
    for order in &orders {
        for line in &order.lines {
            match line.stock {
                LineStock::Reserved => reserved += line.quantity,
                LineStock::Consumed => consumed += line.quantity,
                _ => {}
            }
        }
        if order.state.holds_escrow() {
            held += order.total_minor;
            buyer_spent += order.total_minor;
        }
        if matches!(order.state, OrderState::Settled | OrderState::Refunded) {
            let to_seller = order.total_minor - order.refunded_minor;
            seller_due +=
                to_seller - pay::escrow_fee_share(order.fee_minor, order.total_minor, to_seller);
            buyer_spent += to_seller;
        }
    }
    assert_eq!(
        reserved + consumed + f.available(f.flask).await,
        STOCK,
        "stock is conserved"
    );
    let (buyer_available, buyer_reserved) = f.wallet(f.buyer.company_id()).await;
    assert_eq!(
        buyer_reserved, held,
        "escrow holds exactly the paid, open orders"
    );
    assert_eq!(
        buyer_available + buyer_reserved,
        funded - buyer_spent + held
    );
    assert_eq!(
        f.wallet(f.seller.company_id()).await,
        (seller_due, 0),
        "sellers get their share less the fee"
    );
    f.assert_ledger_balances().await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn the_books_hold_after_every_step(steps in prop::collection::vec(step(), 1..40)) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let test_db = TestDb::migrated(Engine::Sqlite, &migrations()).await.unwrap();
            let f = fixture(test_db.db.clone()).await;
            let (funded, _) = f.wallet(f.buyer.company_id()).await;
            let mut orders = Vec::new();
            for step in &steps {
                apply(&f, &mut orders, step).await;
                check_books(&f, funded).await;
            }
        });
    }
}
