//! The order's timers on a manual clock: unanswered and unpaid orders are
//! cancelled, delivered ones confirm themselves, a payment a crash left
//! unrecorded is recorded, and an unanswered refund opens the way to a dispute.

use kernel::{Db, storage_test};
use trade::{OrderState, RefundInput};

use crate::support::*;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

storage_test!(
    an_unpaid_order_is_cancelled_after_72_hours_once,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let unanswered = f
            .trade
            .place_order(&f.buyer, &f.order_input(100))
            .await
            .unwrap();
        let unpaid = f
            .trade
            .place_order(&f.buyer, &f.order_input(200))
            .await
            .unwrap();
        f.clock.advance_seconds(10 * HOUR);
        f.trade
            .confirm_order(&f.seller, unpaid.id, &trade::ConfirmInput::default())
            .await
            .unwrap();
        assert_eq!(f.available(f.flask).await, STOCK - 300);

        f.clock.advance_seconds(61 * HOUR);
        assert_eq!(
            f.jobs.run_due_once().await.unwrap().claimed,
            0,
            "not due yet"
        );
        f.clock.advance_seconds(2 * HOUR);
        let round = f.jobs.run_due_once().await.unwrap();
        assert_eq!(
            round.completed, 1,
            "the unanswered order, 73 hours after placing"
        );
        assert_eq!(
            f.trade.order(&f.buyer, unanswered.id).await.unwrap().state,
            OrderState::Cancelled
        );
        assert_eq!(
            f.trade.order(&f.buyer, unpaid.id).await.unwrap().state,
            OrderState::Confirmed,
            "its clock restarted at confirmation"
        );
        f.clock.advance_seconds(10 * HOUR);
        assert_eq!(f.jobs.run_due_once().await.unwrap().completed, 1);
        assert_eq!(
            f.trade.order(&f.buyer, unpaid.id).await.unwrap().state,
            OrderState::Cancelled
        );
        assert_eq!(f.available(f.flask).await, STOCK);
        f.clock.advance_seconds(100 * DAY);
        assert_eq!(
            f.jobs.run_due_once().await.unwrap().claimed,
            0,
            "each fired once"
        );
        let cancelled = f
            .event_names()
            .await
            .iter()
            .filter(|name| *name == "OrderCancelled")
            .count();
        assert_eq!(cancelled, 2);
    }
);

storage_test!(
    a_payment_that_reached_escrow_is_recorded_not_cancelled,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = f
            .trade
            .place_order(&f.buyer, &f.order_input(100))
            .await
            .unwrap();
        let order = f
            .trade
            .confirm_order(&f.seller, order.id, &trade::ConfirmInput::default())
            .await
            .unwrap();
        // A crash after the hold committed in pay and before the order heard of it.
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
        f.clock.advance_seconds(73 * HOUR);
        f.jobs.run_due_once().await.unwrap();
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Paid);
        assert_eq!(f.available(f.flask).await, STOCK - 100);
    }
);

storage_test!(
    a_delivered_order_confirms_itself_after_ten_days,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (order, shipment) = f.shipped_order(100).await;
        f.deliver(&shipment.tracking_number).await;
        f.clock.advance_seconds(9 * DAY);
        f.jobs.run_due_once().await.unwrap();
        assert_eq!(
            f.trade.order(&f.buyer, order.id).await.unwrap().state,
            OrderState::Delivered
        );
        f.clock.advance_seconds(DAY + HOUR);
        assert_eq!(f.jobs.run_due_once().await.unwrap().completed, 1);
        assert_eq!(
            f.trade.order(&f.buyer, order.id).await.unwrap().state,
            OrderState::Completed
        );
        assert_eq!(f.trade.finish_settlements().await.unwrap(), 1);
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Settled);
        assert_eq!(
            f.wallet(f.seller.company_id()).await.0,
            order.total_minor - order.fee_minor
        );
        assert_eq!(f.trade.finish_settlements().await.unwrap(), 0);
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    an_open_refund_holds_the_auto_confirmation,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (order, shipment) = f.shipped_order(100).await;
        f.deliver(&shipment.tracking_number).await;
        f.trade
            .request_refund(
                &f.buyer,
                order.id,
                &RefundInput {
                    amount_minor: 10_000,
                    reason: "scratches".to_owned(),
                    with_return: false,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            state_code(f.trade.open_dispute(&f.buyer, order.id, "no answer").await),
            "refund_first"
        );
        f.clock.advance_seconds(11 * DAY);
        f.jobs.run_due_once().await.unwrap();
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Delivered, "a claim is open");
        let timeline = f.trade.timeline(&order).await.unwrap();
        assert!(
            timeline
                .iter()
                .any(|entry| entry.kind == "RefundUnanswered")
        );
        // The seller let its three days pass: either side may go to the operator.
        f.trade
            .open_dispute(&f.buyer, order.id, "no answer")
            .await
            .unwrap();
    }
);
