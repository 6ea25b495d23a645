//! Every refused step is refused with its own code and changes nothing: not
//! the order, not the stock, not the wallets, not the outbox.

use kernel::{Clock, Db, Role, storage_test};
use trade::{OrderState, RefundInput, TradeError};

use crate::support::*;

/// What a refused step must leave as it was.
#[derive(Debug, PartialEq, Eq)]
struct World {
    stock: i64,
    buyer: (i64, i64),
    seller: (i64, i64),
    events: usize,
    order: Option<OrderState>,
}

async fn world(f: &Fixture, order: Option<trade::OrderId>) -> World {
    World {
        stock: f.available(f.flask).await,
        buyer: f.wallet(f.buyer.company_id()).await,
        seller: f.wallet(f.seller.company_id()).await,
        events: f.event_names().await.len(),
        order: match order {
            Some(id) => Some(f.trade.order(&f.buyer, id).await.unwrap().state),
            None => None,
        },
    }
}

storage_test!(
    placing_refuses_bad_lines_and_reserves_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let before = world(&f, None).await;
        let (field, code) = invalid(f.trade.place_order(&f.buyer, &f.order_input(99)).await);
        assert_eq!((field.as_str(), code), ("lines[0].quantity", "below_moq"));
        match f
            .trade
            .place_order(&f.buyer, &f.order_input(STOCK + 1))
            .await
        {
            Err(TradeError::InsufficientStock { field, available }) => {
                assert_eq!((field.as_str(), available), ("lines[0].quantity", STOCK));
            }
            other => panic!("expected insufficient stock, got {other:?}"),
        }
        let (field, code) = invalid(f.trade.place_order(&f.seller, &f.order_input(100)).await);
        assert_eq!(
            (field.as_str(), code),
            ("lines[0].product_id", "own_product")
        );
        let mut twice = f.order_input(100);
        twice.lines.push(twice.lines[0].clone());
        let (field, code) = invalid(f.trade.place_order(&f.buyer, &twice).await);
        assert_eq!((field.as_str(), code), ("lines[1].product_id", "duplicate"));
        let mut nowhere = f.order_input(100);
        nowhere.delivery_address = "  ".to_owned();
        let (field, code) = invalid(f.trade.place_order(&f.buyer, &nowhere).await);
        assert_eq!((field.as_str(), code), ("delivery_address", "required"));
        let viewer = colleague(&f.buyer, Role::Viewer);
        assert!(matches!(
            f.trade.place_order(&viewer, &f.order_input(100)).await,
            Err(TradeError::Forbidden)
        ));
        assert_eq!(world(&f, None).await, before);
    }
);

storage_test!(
    paying_refuses_a_short_wallet_and_a_second_payment,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let poor = company(&f.market, "CN").await;
        f.fund(&poor, 1_000).await;
        let order = f
            .trade
            .place_order(&poor, &f.order_input(100))
            .await
            .unwrap();
        assert_eq!(
            state_code(f.trade.pay_order(&poor, order.id).await),
            "not_confirmed"
        );
        f.trade
            .confirm_order(&f.seller, order.id, &trade::ConfirmInput::default())
            .await
            .unwrap();
        let before = (
            f.wallet(poor.company_id()).await,
            f.event_names().await.len(),
            f.available(f.flask).await,
        );
        assert!(matches!(
            f.trade.pay_order(&poor, order.id).await,
            Err(TradeError::Pay(pay::PayError::InsufficientFunds))
        ));
        assert_eq!(
            (
                f.wallet(poor.company_id()).await,
                f.event_names().await.len(),
                f.available(f.flask).await
            ),
            before
        );
        assert_eq!(
            f.trade.order(&poor, order.id).await.unwrap().state,
            OrderState::Confirmed
        );

        let paid = f.paid_order(100).await;
        let before = world(&f, Some(paid.id)).await;
        assert_eq!(
            state_code(f.trade.pay_order(&f.buyer, paid.id).await),
            "already_paid"
        );
        assert_eq!(world(&f, Some(paid.id)).await, before);
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    each_side_does_only_its_own_steps,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = f
            .trade
            .place_order(&f.buyer, &f.order_input(100))
            .await
            .unwrap();
        assert_eq!(
            state_code(
                f.trade
                    .confirm_order(&f.buyer, order.id, &trade::ConfirmInput::default())
                    .await
            ),
            "seller_only"
        );
        f.trade
            .confirm_order(&f.seller, order.id, &trade::ConfirmInput::default())
            .await
            .unwrap();
        assert_eq!(
            state_code(
                f.trade
                    .ship_order(&f.seller, order.id, &sandbox_shipment())
                    .await
            ),
            "not_paid"
        );
        let order = f.trade.pay_order(&f.buyer, order.id).await.unwrap();
        let before = world(&f, Some(order.id)).await;
        assert_eq!(
            state_code(f.trade.confirm_receipt(&f.seller, order.id).await),
            "buyer_only"
        );
        assert_eq!(
            state_code(
                f.trade
                    .ship_order(&f.buyer, order.id, &sandbox_shipment())
                    .await
            ),
            "seller_only"
        );
        assert_eq!(
            state_code(f.trade.cancel_order(&f.buyer, order.id, "").await),
            "already_paid"
        );
        assert_eq!(
            state_code(f.trade.confirm_receipt(&f.buyer, order.id).await),
            "not_shipped"
        );
        let (field, code) = invalid(
            f.trade
                .request_refund(
                    &f.buyer,
                    order.id,
                    &RefundInput {
                        amount_minor: order.total_minor + 1,
                        reason: "too much".to_owned(),
                        with_return: false,
                    },
                )
                .await,
        );
        assert_eq!((field.as_str(), code), ("amount_minor", "exceeds_paid"));
        let (field, code) = invalid(
            f.trade
                .request_refund(
                    &f.buyer,
                    order.id,
                    &RefundInput {
                        amount_minor: 1,
                        reason: "a little".to_owned(),
                        with_return: false,
                    },
                )
                .await,
        );
        assert_eq!(
            (field.as_str(), code),
            ("amount_minor", "partial_before_shipping")
        );
        assert_eq!(world(&f, Some(order.id)).await, before);
    }
);

storage_test!(
    another_company_finds_no_order_at_all,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = f.paid_order(100).await;
        let stranger = company(&f.market, "CN").await;
        let before = world(&f, Some(order.id)).await;
        let not_found =
            |result: trade::Result<_>| matches!(result, Err(TradeError::NotFound("order")));
        assert!(not_found(
            f.trade.order(&stranger, order.id).await.map(|_| ())
        ));
        assert!(not_found(
            f.trade.pay_order(&stranger, order.id).await.map(|_| ())
        ));
        assert!(not_found(
            f.trade
                .cancel_order(&stranger, order.id, "")
                .await
                .map(|_| ())
        ));
        assert!(not_found(
            f.trade
                .ship_order(&stranger, order.id, &sandbox_shipment())
                .await
                .map(|_| ())
        ));
        assert!(not_found(
            f.trade
                .confirm_receipt(&stranger, order.id)
                .await
                .map(|_| ())
        ));
        assert!(not_found(
            f.trade
                .open_dispute(&stranger, order.id, "mine")
                .await
                .map(|_| ())
        ));
        let listed = f
            .trade
            .orders(
                &stranger,
                trade::Perspective::Buyer,
                &trade::OrderFilter::default(),
                kernel::PageRequest::first(),
            )
            .await
            .unwrap();
        assert!(listed.items.is_empty());
        assert_eq!(world(&f, Some(order.id)).await, before);
    }
);

storage_test!(
    a_forged_or_replayed_carrier_webhook_changes_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (order, shipment) = f.shipped_order(100).await;
        let body = serde_json::json!({"events": [{
            "event_id": "forged-1",
            "tracking_number": shipment.tracking_number,
            "status": "delivered",
            "location": "nowhere",
            "occurred_at": kernel::SystemClock.now(),
        }]})
        .to_string();
        let forged = pay::provider::sign(
            b"not the carrier's secret at all, 32+",
            kernel::SystemClock.now(),
            body.as_bytes(),
        );
        let before = world(&f, Some(order.id)).await;
        assert!(matches!(
            f.trade
                .receive_tracking("sandbox", &forged, body.as_bytes())
                .await,
            Err(TradeError::InvalidSignature)
        ));
        assert!(matches!(
            f.trade
                .receive_tracking("sandbox", "t=1,v1=00", body.as_bytes())
                .await,
            Err(TradeError::InvalidSignature)
        ));
        assert_eq!(world(&f, Some(order.id)).await, before);

        // A genuine report, delivered twice, counts once.
        let sandbox = f.trade.carriers().sandbox().unwrap().clone();
        let report = sandbox
            .report_next(&shipment.tracking_number)
            .await
            .unwrap();
        assert_eq!(
            f.trade
                .receive_tracking("sandbox", &report.signature, &report.body)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            f.trade
                .receive_tracking("sandbox", &report.signature, &report.body)
                .await
                .unwrap(),
            0
        );
        let shipment = f.trade.shipment(&order).await.unwrap().unwrap();
        assert_eq!(shipment.events.len(), 1);
    }
);
