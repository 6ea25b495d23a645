//! Orders from placement to their end: settled, refunded in whole or part,
//! with goods returned, and decided by the operator.

use kernel::{Db, UserId, storage_test};
use trade::{DecisionInput, OrderState, RefundInput, TradePolicy};

use crate::support::*;

storage_test!(
    an_order_runs_from_placement_to_settlement,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (buyer_before, _) = f.wallet(f.buyer.company_id()).await;

        let order = f
            .trade
            .place_order(&f.buyer, &f.order_input(600))
            .await
            .unwrap();
        assert_eq!(order.state, OrderState::Placed);
        // 600 pieces fall in the tier from 500.
        assert_eq!(order.lines[0].unit_price_minor, PRICE_500);
        assert_eq!(order.goods_total_minor, 600 * PRICE_500);
        assert_eq!(order.fee_bp, 200, "the network's default fee");
        assert_eq!(
            f.available(f.flask).await,
            STOCK - 600,
            "placing reserves the stock"
        );

        let input = trade::ConfirmInput {
            shipping_fee_minor: 8_000,
            ..trade::ConfirmInput::default()
        };
        let order = f
            .trade
            .confirm_order(&f.seller, order.id, &input)
            .await
            .unwrap();
        assert_eq!(order.state, OrderState::Confirmed);
        let total = 600 * PRICE_500 + 8_000;
        assert_eq!(order.total_minor, total);
        assert_eq!(order.fee_minor, total * 2 / 100);

        let order = f.trade.pay_order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Paid);
        assert_eq!(
            f.wallet(f.buyer.company_id()).await,
            (buyer_before - total, total)
        );

        let shipment = f
            .trade
            .ship_order(&f.seller, order.id, &sandbox_shipment())
            .await
            .unwrap();
        assert!(shipment.tracking_number.starts_with("SBX"));
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Shipped);
        assert_eq!(order.lines[0].stock, trade::LineStock::Consumed);

        f.deliver(&shipment.tracking_number).await;
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Delivered);
        let shipment = f.trade.shipment(&order).await.unwrap().unwrap();
        let statuses: Vec<&str> = shipment.events.iter().map(|e| e.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["picked_up", "departed", "out_for_delivery", "delivered"]
        );

        let order = f.trade.confirm_receipt(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Settled);
        let fee = total * 2 / 100;
        assert_eq!(f.wallet(f.seller.company_id()).await, (total - fee, 0));
        assert_eq!(
            f.wallet(f.buyer.company_id()).await,
            (buyer_before - total, 0)
        );
        assert_eq!(
            f.available(f.flask).await,
            STOCK - 600,
            "shipped stock stays gone"
        );

        let names = f.event_names().await;
        let trade_events: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|name| name.starts_with("Order"))
            .collect();
        assert_eq!(
            trade_events,
            [
                "OrderPlaced",
                "OrderConfirmed",
                "OrderPaid",
                "OrderShipped",
                "OrderDelivered",
                "OrderCompleted",
                "OrderSettled"
            ]
        );
        let timeline = f.trade.timeline(&order).await.unwrap();
        assert!(
            timeline
                .iter()
                .filter(|entry| entry.kind == "Tracking")
                .count()
                == 4
        );
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    a_cross_border_order_names_its_terms_and_clears_customs,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let hamburg = company(&f.market, "DE").await;
        f.fund(&hamburg, 10_000_000).await;
        let mut input = f.order_input(100);
        let (field, code) = invalid(f.trade.place_order(&hamburg, &input).await);
        assert_eq!((field.as_str(), code), ("terms", "required"));
        input.terms = "fob".to_owned();
        let order = f.trade.place_order(&hamburg, &input).await.unwrap();
        assert!(order.cross_border);
        assert_eq!(order.terms, "FOB");
        f.trade
            .confirm_order(&f.seller, order.id, &trade::ConfirmInput::default())
            .await
            .unwrap();
        f.trade.pay_order(&hamburg, order.id).await.unwrap();
        let shipment = f
            .trade
            .ship_order(&f.seller, order.id, &sandbox_shipment())
            .await
            .unwrap();
        f.deliver(&shipment.tracking_number).await;
        let order = f.trade.order(&hamburg, order.id).await.unwrap();
        let shipment = f.trade.shipment(&order).await.unwrap().unwrap();
        assert!(
            shipment
                .events
                .iter()
                .any(|e| e.status == trade::TrackingStatus::Customs)
        );
    }
);

storage_test!(
    a_full_refund_before_shipping_undoes_the_order,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (before, _) = f.wallet(f.buyer.company_id()).await;
        let order = f.paid_order(200).await;
        let refund = f
            .trade
            .request_refund(
                &f.buyer,
                order.id,
                &RefundInput {
                    amount_minor: order.total_minor,
                    reason: "we ordered twice".to_owned(),
                    with_return: false,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            state_code(
                f.trade
                    .ship_order(&f.seller, order.id, &sandbox_shipment())
                    .await
            ),
            "claim_open",
            "no shipping while a refund is open"
        );
        f.trade
            .answer_refund(&f.seller, order.id, refund.id, true, "")
            .await
            .unwrap();
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Refunded);
        assert_eq!(order.refunded_minor, order.total_minor);
        assert_eq!(f.wallet(f.buyer.company_id()).await, (before, 0));
        assert_eq!(f.wallet(f.seller.company_id()).await, (0, 0));
        assert_eq!(
            f.available(f.flask).await,
            STOCK,
            "the reservation is released"
        );
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    a_partial_refund_after_delivery_splits_the_escrow,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (before, _) = f.wallet(f.buyer.company_id()).await;
        let (order, shipment) = f.shipped_order(100).await;
        f.deliver(&shipment.tracking_number).await;
        let refund = f
            .trade
            .request_refund(
                &f.buyer,
                order.id,
                &RefundInput {
                    amount_minor: 25_000,
                    reason: "20 flasks arrived dented".to_owned(),
                    with_return: false,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            state_code(f.trade.confirm_receipt(&f.buyer, order.id).await),
            "claim_open"
        );
        f.trade
            .answer_refund(&f.seller, order.id, refund.id, true, "sorry")
            .await
            .unwrap();
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Settled);
        let to_seller = order.total_minor - 25_000;
        let fee = pay::escrow_fee_share(order.fee_minor, order.total_minor, to_seller);
        assert_eq!(f.wallet(f.seller.company_id()).await, (to_seller - fee, 0));
        assert_eq!(
            f.wallet(f.buyer.company_id()).await,
            (before - to_seller, 0)
        );
        let names = f.event_names().await;
        assert!(names.ends_with(&["OrderRefunded".to_owned(), "OrderSettled".to_owned()]));
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    a_refund_with_return_restocks_when_the_goods_come_back,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (order, _) = f.shipped_order(100).await;
        let refund = f
            .trade
            .request_refund(
                &f.buyer,
                order.id,
                &RefundInput {
                    amount_minor: order.total_minor,
                    reason: "wrong colour".to_owned(),
                    with_return: true,
                },
            )
            .await
            .unwrap();
        let refund = f
            .trade
            .answer_refund(&f.seller, order.id, refund.id, true, "send them back")
            .await
            .unwrap();
        assert_eq!(refund.status, trade::RefundStatus::AwaitingReturn);
        assert_eq!(f.available(f.flask).await, STOCK - 100);
        let refund = f
            .trade
            .confirm_return(&f.seller, order.id, refund.id)
            .await
            .unwrap();
        assert_eq!(refund.status, trade::RefundStatus::Refunded);
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Refunded);
        assert_eq!(order.lines[0].stock, trade::LineStock::Returned);
        assert_eq!(f.available(f.flask).await, STOCK);
    }
);

storage_test!(
    a_refused_refund_goes_to_the_operator_who_splits_the_escrow,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (order, shipment) = f.shipped_order(100).await;
        f.deliver(&shipment.tracking_number).await;
        let reason = "half the flasks leak";
        assert_eq!(
            state_code(f.trade.open_dispute(&f.buyer, order.id, reason).await),
            "refund_first"
        );
        let refund = f
            .trade
            .request_refund(
                &f.buyer,
                order.id,
                &RefundInput {
                    amount_minor: order.total_minor / 2,
                    reason: reason.to_owned(),
                    with_return: false,
                },
            )
            .await
            .unwrap();
        f.trade
            .answer_refund(
                &f.seller,
                order.id,
                refund.id,
                false,
                "they were fine when packed",
            )
            .await
            .unwrap();
        let dispute = f
            .trade
            .open_dispute(&f.buyer, order.id, reason)
            .await
            .unwrap();
        assert_eq!(
            state_code(f.trade.open_dispute(&f.seller, order.id, "again").await),
            "dispute_exists"
        );
        let queue = f
            .trade
            .disputes("open", kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(queue.items.len(), 1);
        let to_buyer = order.total_minor / 4;
        let decided = f
            .trade
            .resolve_dispute(
                UserId::new(),
                dispute.id,
                &DecisionInput {
                    to_buyer_minor: to_buyer,
                    decision: "photos show a quarter leaking".to_owned(),
                },
            )
            .await
            .unwrap();
        assert_eq!(decided.status, "resolved");
        assert_eq!(decided.to_seller_minor, order.total_minor - to_buyer);
        let order = f.trade.order(&f.buyer, order.id).await.unwrap();
        assert_eq!(order.state, OrderState::Settled);
        assert_eq!(order.refunded_minor, to_buyer);
        assert_eq!(
            state_code(
                f.trade
                    .resolve_dispute(
                        UserId::new(),
                        dispute.id,
                        &DecisionInput {
                            to_buyer_minor: 0,
                            decision: "changed my mind".to_owned(),
                        }
                    )
                    .await
            ),
            "dispute_resolved"
        );
        assert_eq!(
            state_code(f.trade.open_dispute(&f.buyer, order.id, "more").await),
            "order_closed"
        );
        f.assert_ledger_balances().await;
    }
);

storage_test!(
    the_fee_comes_from_the_top_category_and_is_fixed_when_placed,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        f.trade
            .set_category_fee(f.top_category, Some(350))
            .await
            .unwrap();
        let first = f
            .trade
            .place_order(&f.buyer, &f.order_input(100))
            .await
            .unwrap();
        assert_eq!(first.fee_bp, 350);
        f.trade
            .set_category_fee(f.top_category, None)
            .await
            .unwrap();
        let policy = TradePolicy {
            fee_default_bp: 150,
            ..f.trade.policy().await.unwrap()
        };
        f.trade.set_policy(&policy).await.unwrap();
        let second = f
            .trade
            .place_order(&f.buyer, &f.order_input(100))
            .await
            .unwrap();
        assert_eq!(second.fee_bp, 150);
        let first = f.trade.order(&f.buyer, first.id).await.unwrap();
        assert_eq!(
            first.fee_bp, 350,
            "an order keeps the rate it was placed with"
        );
    }
);
