//! A draft for a supplier on Hanse sent as a market order: the draft
//! becomes the order's purchase order whether the feed or the sender links
//! it first, never a second one; a supplier off Hanse or an item with no
//! product of the supplier is refused and the draft stays a draft.

use kernel::{Currency, Db, storage_test};
use scm::{
    ItemUpdate, PurchaseInput, PurchaseLineInput, PurchaseOrderId, PurchaseState, ScmError,
    SupplierInput,
};

use crate::support::*;

/// Places what `prepare_market_send` answered, as `web` does.
async fn place(f: &Fixture, send: &scm::MarketSend) -> trade::Order {
    let mut input = f.deal.order_input(0);
    input.lines = send
        .lines
        .iter()
        .map(|(product_id, quantity)| trade::LineInput {
            product_id: *product_id,
            quantity: *quantity,
        })
        .collect();
    input.buyer_note = format!("PO-{}", send.po_no);
    f.deal
        .trade
        .place_order(&f.deal.buyer, &input)
        .await
        .unwrap()
}

/// The buyer's purchase orders that follow `order`.
async fn following(f: &Fixture, order: trade::OrderId) -> Vec<PurchaseOrderId> {
    f.scm
        .purchase_orders(&f.deal.buyer, None, kernel::PageRequest::first())
        .await
        .unwrap()
        .items
        .iter()
        .filter(|po| po.market_order_id == Some(order))
        .map(|po| po.id)
        .collect()
}

storage_test!(
    a_draft_sent_to_the_market_becomes_its_orders_purchase_order_once,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let buyer = &f.deal.buyer;
        // The first purchase brings the seller in as a supplier with its product.
        let first = f.deal.paid_order(100).await;
        f.settle().await;
        let mirrored = f
            .scm
            .purchase_order(buyer, following(&f, first.id).await[0])
            .await
            .unwrap();
        let item = mirrored.lines[0].item_id;
        f.scm
            .update_item(
                buyer,
                item,
                &ItemUpdate {
                    reorder_point: Some(300),
                    reorder_quantity: Some(200),
                    ..ItemUpdate::default()
                },
            )
            .await
            .unwrap();
        let proposals = f.scm.replenish_now(buyer).await.unwrap();
        let draft = proposals[0].purchase_order_id.unwrap();
        assert_eq!(
            f.scm
                .purchase_order(buyer, draft)
                .await
                .unwrap()
                .supplier_id,
            mirrored.supplier_id
        );

        // The feed sees the order before the sender links it.
        let send = f.scm.prepare_market_send(buyer, draft).await.unwrap();
        assert_eq!(send.lines, vec![(f.deal.flask, 400)]);
        // A second click while it is being sent sends nothing.
        assert!(matches!(
            f.scm.prepare_market_send(buyer, draft).await,
            Err(ScmError::State {
                code: "being_sent",
                ..
            })
        ));
        let order = place(&f, &send).await;
        f.settle().await;
        assert_eq!(following(&f, order.id).await, vec![draft]);
        let facts = trade::events::OrderFacts::of(&order, order.placed_at);
        let linked = f.scm.link_market_order(buyer, draft, &facts).await.unwrap();
        assert_eq!(linked.state, PurchaseState::Ordered);
        assert_eq!(
            linked.lines[0].unit_price_minor,
            order.lines[0].unit_price_minor
        );
        assert!(matches!(
            f.scm.prepare_market_send(buyer, draft).await,
            Err(ScmError::State {
                code: "wrong_state",
                ..
            })
        ));

        // The sender links before the feed sees the order.
        let by_hand = f
            .scm
            .create_purchase_order(
                buyer,
                &PurchaseInput {
                    supplier_id: mirrored.supplier_id,
                    currency: Currency::CNY,
                    warehouse_id: None,
                    note: String::new(),
                    lines: vec![PurchaseLineInput {
                        item_id: item,
                        quantity: 100,
                        unit: None,
                        unit_price_minor: 1,
                    }],
                },
            )
            .await
            .unwrap();
        let send = f.scm.prepare_market_send(buyer, by_hand.id).await.unwrap();
        let order = place(&f, &send).await;
        f.scm
            .link_market_order(
                buyer,
                by_hand.id,
                &trade::events::OrderFacts::of(&order, order.placed_at),
            )
            .await
            .unwrap();
        f.settle().await;
        assert_eq!(following(&f, order.id).await, vec![by_hand.id]);
        f.assert_consistent().await;
    }
);

storage_test!(
    a_supplier_off_hanse_cannot_be_sent_a_market_order,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let buyer = &f.deal.buyer;
        let supplier = f
            .scm
            .create_supplier(
                buyer,
                &SupplierInput {
                    name: "Off the network".to_owned(),
                    contact: String::new(),
                    email: String::new(),
                    phone: String::new(),
                    network_company_id: None,
                },
            )
            .await
            .unwrap();
        let item = f.scm.create_item(buyer, &item_input("BOX")).await.unwrap();
        let draft = f
            .scm
            .create_purchase_order(
                buyer,
                &PurchaseInput {
                    supplier_id: supplier.id,
                    currency: Currency::CNY,
                    warehouse_id: None,
                    note: String::new(),
                    lines: vec![PurchaseLineInput {
                        item_id: item.id,
                        quantity: 1,
                        unit: None,
                        unit_price_minor: 1,
                    }],
                },
            )
            .await
            .unwrap();
        match f.scm.prepare_market_send(buyer, draft.id).await {
            Err(ScmError::Invalid { field, code, .. }) => {
                assert_eq!((field.as_str(), code), ("supplier_id", "not_on_network"));
            }
            other => panic!("expected not_on_network, got {other:?}"),
        }
        let still = f.scm.purchase_order(buyer, draft.id).await.unwrap();
        assert_eq!(still.state, PurchaseState::Draft);
    }
);

storage_test!(
    a_supplier_on_hanse_is_added_by_its_company_and_named_after_its_storefront,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let buyer = &f.deal.buyer;
        let seller = f.deal.seller.company_id();
        let by_company = |company| SupplierInput {
            name: String::new(),
            contact: String::new(),
            email: String::new(),
            phone: String::new(),
            network_company_id: Some(company),
        };
        for (company, code) in [(buyer.company_id(), "unknown_company")] {
            match f.scm.create_supplier(buyer, &by_company(company)).await {
                Err(ScmError::Invalid { field, code: c, .. }) => {
                    assert_eq!((field.as_str(), c), ("network_company_id", code));
                }
                other => panic!("expected {code}, got {other:?}"),
            }
        }
        let added = f
            .scm
            .create_supplier(buyer, &by_company(seller))
            .await
            .unwrap();
        let storefront = f.deal.market.storefront(seller).await.unwrap();
        assert_eq!(added.name, storefront.display_name);
        assert_eq!(added.network_company_id, Some(seller));
        assert!(matches!(
            f.scm.create_supplier(buyer, &by_company(seller)).await,
            Err(ScmError::Invalid { code: "taken", .. })
        ));
        // Its product may be priced, and its market order finds the same supplier.
        let item = f
            .scm
            .create_item(buyer, &item_input("FLASK"))
            .await
            .unwrap();
        f.scm
            .set_supplier_price(
                buyer,
                added.id,
                item.id,
                &scm::SupplierPriceInput {
                    unit_price_minor: 1_250,
                    currency: Currency::CNY,
                    unit: None,
                    lead_time_days: 5,
                    supplier_sku: String::new(),
                    product_id: Some(f.deal.flask),
                },
            )
            .await
            .unwrap();
        let order = f.deal.paid_order(100).await;
        f.settle().await;
        let purchase = f
            .scm
            .purchase_order(buyer, following(&f, order.id).await[0])
            .await
            .unwrap();
        assert_eq!(purchase.supplier_id, added.id);
        assert_eq!(
            purchase.lines[0].item_id, item.id,
            "bought as the priced item"
        );
    }
);
