//! The supply chain fed by the market: a linked product's orders reserve,
//! ship and take back the item's stock; the buyer's order is a purchase
//! order whose goods arrive when receipt is confirmed; a replay of the whole
//! outbox changes nothing; and no oversell under concurrency.

use kernel::outbox::{OutboxEvent, Subscriber};
use kernel::{Db, PageRequest, Timestamp, storage_test};
use scm::{PurchaseState, ScmFeed};
use sqlx::Row;
use trade::{RefundInput, TradeError};

use crate::support::*;

async fn warehouse_line(f: &Fixture, scope: &kernel::Scope, item: scm::ItemId) -> (i64, i64) {
    let page = f
        .scm
        .warehouse_stock(scope, Some(item), PageRequest::first())
        .await
        .unwrap();
    let line = &page.items[0];
    (line.on_hand, line.reserved)
}

storage_test!(
    a_linked_products_orders_reserve_ship_and_take_back_the_items_stock,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let seller = &f.deal.seller;
        let item = f.linked_flask(1_000, 800).await;
        assert_eq!(f.deal.available(f.deal.flask).await, 1_000);

        // Placed: reserved in the warehouse; cancelled: given back.
        let order = f
            .deal
            .trade
            .place_order(&f.deal.buyer, &f.deal.order_input(200))
            .await
            .unwrap();
        assert_eq!(f.deal.available(f.deal.flask).await, 800);
        assert_eq!(warehouse_line(&f, seller, item.id).await, (1_000, 200));
        f.deal
            .trade
            .cancel_order(&f.deal.buyer, order.id, "changed plans")
            .await
            .unwrap();
        assert_eq!(warehouse_line(&f, seller, item.id).await, (1_000, 0));
        assert_eq!(f.deal.available(f.deal.flask).await, 1_000);
        f.assert_consistent().await;

        // Shipped: the reservation leaves for the customer at the average cost.
        let (order, _) = f.deal.shipped_order(300).await;
        f.settle().await;
        assert_eq!(warehouse_line(&f, seller, item.id).await, (700, 0));
        let now = f.scm.item(seller, item.id).await.unwrap();
        assert_eq!((now.on_hand, now.stock_value_minor), (700, 700 * 800));
        let moves = f
            .scm
            .moves(seller, Some(item.id), None, PageRequest::first())
            .await
            .unwrap();
        let shipped = &moves.items[0];
        assert_eq!(
            (shipped.reason, shipped.quantity, shipped.value_minor),
            (scm::MoveReason::Shipment, 300, 240_000)
        );
        assert_eq!(shipped.source, format!("order:{}:ship:1:0", order.id));
        assert_eq!(f.deal.available(f.deal.flask).await, 700);
        // The books learn what the goods cost from the supply chain's event.
        assert_eq!(
            goods_costed(&f).await,
            vec![(scm::events::CostedReason::Shipment, 240_000)]
        );

        // Refunded with the goods back: they return at the value they left with.
        let refund = f
            .deal
            .trade
            .request_refund(
                &f.deal.buyer,
                order.id,
                &RefundInput {
                    amount_minor: order.total_minor,
                    reason: "wrong colour".to_owned(),
                    with_return: true,
                },
            )
            .await
            .unwrap();
        f.deal
            .trade
            .answer_refund(seller, order.id, refund.id, true, "send them back")
            .await
            .unwrap();
        f.deal
            .trade
            .confirm_return(seller, order.id, refund.id)
            .await
            .unwrap();
        f.settle().await;
        let back = f.scm.item(seller, item.id).await.unwrap();
        assert_eq!((back.on_hand, back.stock_value_minor), (1_000, 800_000));
        assert_eq!(f.deal.available(f.deal.flask).await, 1_000);
        assert_eq!(
            goods_costed(&f).await,
            vec![
                (scm::events::CostedReason::Shipment, 240_000),
                (scm::events::CostedReason::CustomerReturn, 240_000)
            ]
        );
        // A replay moves nothing and publishes nothing again.
        replay_everything(&f).await;
        assert_eq!(goods_costed(&f).await.len(), 2);
        f.assert_consistent().await;
    }
);

/// The supply chain's `OrderGoodsCosted` events so far, in order: why and
/// what the goods cost in CNY.
async fn goods_costed(f: &Fixture) -> Vec<(scm::events::CostedReason, i64)> {
    let mut connection = f.deal.db.reader().acquire().await.unwrap();
    kernel::outbox::read_after(&mut connection, 0, 10_000)
        .await
        .unwrap()
        .iter()
        .filter_map(|event| event.decode::<scm::events::OrderGoodsCosted>())
        .map(|decoded| {
            let costed = decoded.unwrap();
            assert_eq!(costed.company_id, f.deal.seller.company_id());
            let [cost] = costed.costs.as_slice() else {
                panic!("one currency: {:?}", costed.costs)
            };
            assert_eq!(cost.currency, kernel::Currency::CNY);
            (costed.reason, cost.value_minor)
        })
        .collect()
}

storage_test!(
    an_order_beyond_the_items_free_stock_is_refused_and_reserves_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let item = f.linked_flask(150, 800).await;
        f.deal
            .trade
            .place_order(&f.deal.buyer, &f.deal.order_input(100))
            .await
            .unwrap();
        match f
            .deal
            .trade
            .place_order(&f.deal.buyer, &f.deal.order_input(100))
            .await
        {
            Err(TradeError::InsufficientStock { field, available }) => {
                assert_eq!((field.as_str(), available), ("lines[0].quantity", 50));
            }
            other => panic!("expected too little stock, got {other:?}"),
        }
        assert_eq!(
            warehouse_line(&f, &f.deal.seller, item.id).await,
            (150, 100)
        );
        // The market's own quantity is not touched by a linked product's orders.
        let own: i64 = sqlx::query("SELECT available_quantity FROM market_product WHERE id = $1")
            .bind(f.deal.flask)
            .fetch_one(f.deal.db.reader())
            .await
            .unwrap()
            .get(0);
        assert_eq!(own, crate::deal::STOCK);
        f.assert_consistent().await;
    }
);

storage_test!(
    the_buyers_order_is_a_purchase_order_received_on_confirmation,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let buyer = &f.deal.buyer;
        let (order, shipment) = f.deal.shipped_order(200).await;
        f.settle().await;
        let orders = f
            .scm
            .purchase_orders(buyer, None, PageRequest::first())
            .await
            .unwrap();
        assert_eq!(orders.items.len(), 1);
        let purchase = &orders.items[0];
        assert_eq!(purchase.market_order_id, Some(order.id));
        assert_eq!(purchase.state, PurchaseState::Ordered);
        assert_eq!(purchase.lines[0].quantity, 200);
        assert_eq!(
            purchase.lines[0].unit_price_minor,
            order.lines[0].unit_price_minor
        );
        let supplier = f.scm.supplier(buyer, purchase.supplier_id).await.unwrap();
        assert_eq!(
            supplier.network_company_id,
            Some(f.deal.seller.company_id())
        );
        assert!(
            supplier.name.starts_with("company "),
            "named from the storefront: {}",
            supplier.name
        );

        f.deal.deliver(&shipment.tracking_number).await;
        f.settle().await;
        let waiting = f.scm.purchase_order(buyer, purchase.id).await.unwrap();
        assert!(waiting.delivery_waiting);
        f.deal.trade.confirm_receipt(buyer, order.id).await.unwrap();
        f.settle().await;
        let received = f.scm.purchase_order(buyer, purchase.id).await.unwrap();
        assert_eq!(received.state, PurchaseState::Received);
        assert_eq!(received.lines[0].received_quantity, 200);
        let item = f.scm.item(buyer, purchase.lines[0].item_id).await.unwrap();
        assert_eq!(item.on_hand, 200);
        assert_eq!(
            item.stock_value_minor,
            order.goods_total_minor + order.shipping_fee_minor
        );

        // A second order of the same product is bought as the same item.
        let (second, _) = f.deal.shipped_order(100).await;
        f.settle().await;
        let again = f
            .scm
            .purchase_orders(buyer, None, PageRequest::first())
            .await
            .unwrap();
        let newest = again
            .items
            .iter()
            .find(|po| po.market_order_id == Some(second.id))
            .unwrap();
        assert_eq!(newest.lines[0].item_id, item.id);
        f.assert_consistent().await;
    }
);

/// Hands every event in the outbox to a fresh supply-chain subscriber again.
pub async fn replay_everything(f: &Fixture) {
    let rows = sqlx::query(
        "SELECT position, event_id, name, version, company_id, payload, created_at FROM kernel_outbox ORDER BY position",
    )
    .fetch_all(f.deal.db.reader())
    .await
    .unwrap();
    let subscriber = ScmFeed::new(f.scm.clone());
    let mut tx = f.deal.db.begin().await.unwrap();
    for row in &rows {
        let event = OutboxEvent {
            position: row.get("position"),
            event_id: row.get("event_id"),
            name: row.get("name"),
            version: row.get("version"),
            company_id: row
                .get::<Option<i64>, _>("company_id")
                .map(kernel::CompanyId::from_raw),
            payload: row.get("payload"),
            created_at: Timestamp::from_micros(row.get("created_at")),
        };
        subscriber.handle(&mut tx, &event).await.unwrap();
    }
    tx.commit().await.unwrap();
}

storage_test!(
    a_replay_of_the_outbox_changes_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        f.linked_flask(1_000, 800).await;
        let (order, shipment) = f.deal.shipped_order(300).await;
        f.deal.deliver(&shipment.tracking_number).await;
        f.deal
            .trade
            .confirm_receipt(&f.deal.buyer, order.id)
            .await
            .unwrap();
        f.deal.paid_order(100).await;
        f.settle().await;
        let before = db.row_counts().await.unwrap();
        replay_everything(&f).await;
        assert_eq!(db.row_counts().await.unwrap(), before);
        f.assert_consistent().await;
    }
);

storage_test!(
    a_hundred_concurrent_orders_for_ten_hundreds_sell_exactly_ten,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let item = f.linked_flask(1_000, 800).await;
        let mut buyers = Vec::new();
        for _ in 0..100 {
            buyers.push(crate::deal::company(&f.deal.market, "CN").await);
        }
        let input = f.deal.order_input(100);
        let attempts: Vec<_> = buyers
            .into_iter()
            .map(|buyer| {
                let trade = f.deal.trade.clone();
                let input = input.clone();
                tokio::spawn(async move { trade.place_order(&buyer, &input).await })
            })
            .collect();
        let (mut placed, mut refused) = (0, 0);
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => placed += 1,
                Err(TradeError::InsufficientStock { available: 0, .. }) => refused += 1,
                Err(other) => panic!("unexpected failure: {other:?}"),
            }
        }
        assert_eq!((placed, refused), (10, 90));
        assert_eq!(
            warehouse_line(&f, &f.deal.seller, item.id).await,
            (1_000, 1_000)
        );
        assert_eq!(f.deal.available(f.deal.flask).await, 0);
        f.assert_consistent().await;
    }
);
