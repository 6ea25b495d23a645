//! A payment a crash cut between its two writes in pay: the ledger's hold
//! committed, the escrow's record still `holding`. The crash soak found a
//! cancel going through such an order and leaving the buyer's money reserved
//! for good; the hold must count as a payment wherever the order asks.

use kernel::{Db, storage_test};
use trade::OrderState;

use crate::support::*;

const HOUR: i64 = 3_600;

/// A confirmed order whose payment reached the ledger but not the escrow's
/// record, as a kill between the two leaves it.
async fn hold_without_its_record(f: &Fixture, quantity: i64) -> trade::Order {
    let order = f
        .trade
        .place_order(&f.buyer, &f.order_input(quantity))
        .await
        .unwrap();
    let order = f
        .trade
        .confirm_order(&f.seller, order.id, &trade::ConfirmInput::default())
        .await
        .unwrap();
    f.pay
        .hold_escrow(
            order.id.raw(),
            order.buyer,
            order.seller,
            order.total(),
            order.fee(),
        )
        .await
        .unwrap();
    let mut tx = f.db.begin().await.unwrap();
    sqlx::query("UPDATE pay_escrow SET status = 'holding' WHERE order_reference = $1")
        .bind(order.id.raw())
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        f.wallet(order.buyer).await.1,
        order.total_minor,
        "held in the ledger"
    );
    order
}

storage_test!(
    a_cancel_finds_a_hold_its_record_missed,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = hold_without_its_record(&f, 100).await;
        let refused = f.trade.cancel_order(&f.seller, order.id, "").await;
        assert_eq!(state_code(refused), "already_paid", "the payment wins");
        let paid = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(paid.state, OrderState::Paid);
        let escrow = f
            .pay
            .escrow_of_order(order.id.raw())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(escrow.status, "held", "the record finished too");
        assert_eq!(f.wallet(order.buyer).await.1, order.total_minor);

        f.trade
            .ship_order(&f.seller, order.id, &sandbox_shipment())
            .await
            .unwrap();
        let settled = f.trade.confirm_receipt(&f.buyer, order.id).await.unwrap();
        assert_eq!(settled.state, OrderState::Settled);
        assert_eq!(f.wallet(order.buyer).await.1, 0, "nothing stays reserved");
        assert_eq!(
            f.wallet(order.seller).await.0,
            order.total_minor - order.fee_minor
        );
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    the_unpaid_timer_finds_a_hold_its_record_missed_and_the_release_finishes_it,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = hold_without_its_record(&f, 100).await;
        f.clock.advance_seconds(73 * HOUR);
        f.jobs.run_due_once().await.unwrap();
        let paid = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(paid.state, OrderState::Paid, "recorded, not cancelled");
        assert_eq!(f.wallet(order.buyer).await.1, order.total_minor);

        f.trade
            .ship_order(&f.seller, order.id, &sandbox_shipment())
            .await
            .unwrap();
        let settled = f.trade.confirm_receipt(&f.buyer, order.id).await.unwrap();
        assert_eq!(settled.state, OrderState::Settled);
        let escrow = f
            .pay
            .escrow_of_order(order.id.raw())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(escrow.status, "released");
        assert_eq!(f.wallet(order.buyer).await.1, 0);
        assert_eq!(
            f.wallet(order.seller).await.0,
            order.total_minor - order.fee_minor
        );
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    paying_again_finishes_a_hold_its_record_missed,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = hold_without_its_record(&f, 100).await;
        f.trade.pay_order(&f.buyer, order.id).await.unwrap();
        let refund = f
            .trade
            .request_refund(
                &f.buyer,
                order.id,
                &trade::RefundInput {
                    amount_minor: order.total_minor,
                    reason: "changed our plans".to_owned(),
                    with_return: false,
                },
            )
            .await
            .unwrap();
        f.trade
            .answer_refund(&f.seller, order.id, refund.id, true, "")
            .await
            .unwrap();
        let refunded = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(refunded.state, OrderState::Refunded);
        assert_eq!(f.wallet(order.buyer).await, (100_000_000, 0));
        f.assert_ledger_balances().await;
    }
);
