//! Purchase orders by hand: drafted for a supplier off the network, sent,
//! received in part and in full (never beyond what is open), valued at
//! their price; refusals name the field and change nothing.

use kernel::{Currency, Db, storage_test};
use scm::{
    PurchaseInput, PurchaseLineInput, PurchaseOrder, PurchaseState, ReceiptInput, ReceiptLineInput,
    ReturnInput, ReturnLineInput, ScmError, SupplierInput,
};

use crate::support::*;

fn invalid<T: std::fmt::Debug>(result: scm::Result<T>) -> (String, &'static str) {
    match result {
        Err(ScmError::Invalid { field, code, .. }) => (field, code),
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

fn returned(line_no: i64, quantity: i64) -> ReturnInput {
    ReturnInput {
        location_id: None,
        reason: "crushed cartons".to_owned(),
        lines: vec![ReturnLineInput {
            line_no,
            quantity,
            lot: None,
        }],
    }
}

/// A supplier off the network and a placed order of `cartons` cartons of
/// 24 boxes at 48.00 a carton, from the buyer.
async fn ordered_boxes(f: &Fixture, cartons: i64) -> PurchaseOrder {
    let buyer = &f.deal.buyer;
    let supplier = f
        .scm
        .create_supplier(
            buyer,
            &SupplierInput {
                name: "温州纸箱厂 Wenzhou Cartons".to_owned(),
                contact: String::new(),
                email: String::new(),
                phone: String::new(),
                network_company_id: None,
            },
        )
        .await
        .unwrap();
    let item = f
        .scm
        .create_item(buyer, &item_input("CARTON-BOX"))
        .await
        .unwrap();
    let input = PurchaseInput {
        supplier_id: supplier.id,
        currency: Currency::CNY,
        warehouse_id: None,
        note: String::new(),
        lines: vec![PurchaseLineInput {
            item_id: item.id,
            quantity: cartons,
            unit: Some("carton".to_owned()),
            unit_price_minor: 4_800,
        }],
    };
    let draft = f.scm.create_purchase_order(buyer, &input).await.unwrap();
    f.scm.place_purchase_order(buyer, draft.id).await.unwrap()
}

fn receipt(line_no: i64, quantity: i64) -> ReceiptInput {
    ReceiptInput {
        location_id: None,
        lines: vec![ReceiptLineInput {
            line_no,
            quantity,
            lot: None,
        }],
    }
}

storage_test!(
    a_purchase_order_is_received_in_parts_never_beyond_what_is_open,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let buyer = &f.deal.buyer;
        let supplier = f
            .scm
            .create_supplier(
                buyer,
                &SupplierInput {
                    name: "宁波海天包装 Ningbo Haitian Packaging".to_owned(),
                    contact: "Ms Lin".to_owned(),
                    email: "lin@example.com".to_owned(),
                    phone: String::new(),
                    network_company_id: None,
                },
            )
            .await
            .unwrap();
        let item = f.scm.create_item(buyer, &item_input("BOX")).await.unwrap();
        let line = |item_id, quantity, unit: Option<&str>| PurchaseLineInput {
            item_id,
            quantity,
            unit: unit.map(str::to_owned),
            unit_price_minor: 4_800,
        };
        let order_of = |lines| PurchaseInput {
            supplier_id: supplier.id,
            currency: Currency::CNY,
            warehouse_id: None,
            note: String::new(),
            lines,
        };

        // Refusals first: an item, a unit and a supplier that are not there.
        let theirs = f
            .scm
            .create_item(&f.deal.seller, &item_input("BOX"))
            .await
            .unwrap();
        let refused = f
            .scm
            .create_purchase_order(buyer, &order_of(vec![line(theirs.id, 1, None)]))
            .await;
        assert_eq!(
            invalid(refused),
            ("lines[0].item_id".to_owned(), "unknown_item")
        );
        let refused = f
            .scm
            .create_purchase_order(buyer, &order_of(vec![line(item.id, 1, Some("pallet"))]))
            .await;
        assert_eq!(
            invalid(refused),
            ("lines[0].unit".to_owned(), "no_unit_conversion")
        );
        let sellers_supplier = f
            .scm
            .create_supplier(
                &f.deal.seller,
                &SupplierInput {
                    name: "x".to_owned(),
                    contact: String::new(),
                    email: String::new(),
                    phone: String::new(),
                    network_company_id: None,
                },
            )
            .await
            .unwrap();
        let mut foreign = order_of(vec![line(item.id, 1, None)]);
        foreign.supplier_id = sellers_supplier.id;
        assert_eq!(
            invalid(f.scm.create_purchase_order(buyer, &foreign).await),
            ("supplier_id".to_owned(), "unknown_supplier")
        );

        // Ten cartons of 24 at 48.00 a carton.
        let draft = f
            .scm
            .create_purchase_order(buyer, &order_of(vec![line(item.id, 10, Some("carton"))]))
            .await
            .unwrap();
        assert_eq!(draft.state, PurchaseState::Draft);
        assert!(matches!(
            f.scm.receive(buyer, draft.id, &receipt(1, 1)).await,
            Err(ScmError::State {
                code: "wrong_state",
                ..
            })
        ));
        let ordered = f.scm.place_purchase_order(buyer, draft.id).await.unwrap();
        assert_eq!(ordered.state, PurchaseState::Ordered);

        let part = f
            .scm
            .receive(buyer, draft.id, &receipt(1, 4))
            .await
            .unwrap();
        assert_eq!(part.state, PurchaseState::PartiallyReceived);
        let before = db.row_counts().await.unwrap();
        assert_eq!(
            invalid(f.scm.receive(buyer, draft.id, &receipt(1, 7)).await),
            ("lines[0].quantity".to_owned(), "over_receipt")
        );
        assert_eq!(
            invalid(f.scm.receive(buyer, draft.id, &receipt(2, 1)).await),
            ("lines[0].line_no".to_owned(), "unknown_line")
        );
        let mut twice = receipt(1, 3);
        twice.lines.push(twice.lines[0].clone());
        assert_eq!(
            invalid(f.scm.receive(buyer, draft.id, &twice).await),
            ("lines[1].line_no".to_owned(), "duplicate")
        );
        assert_eq!(
            db.row_counts().await.unwrap(),
            before,
            "refused receipts write nothing"
        );
        let done = f
            .scm
            .receive(buyer, draft.id, &receipt(1, 6))
            .await
            .unwrap();
        assert_eq!(done.state, PurchaseState::Received);
        let item = f.scm.item(buyer, item.id).await.unwrap();
        assert_eq!((item.on_hand, item.stock_value_minor), (240, 48_000));
        assert!(matches!(
            f.scm.cancel_purchase_order(buyer, draft.id).await,
            Err(ScmError::State {
                code: "wrong_state",
                ..
            })
        ));
        f.assert_consistent().await;
    }
);

storage_test!(
    a_market_purchase_follows_its_order_not_the_members_buttons,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = f.deal.paid_order(100).await;
        f.settle().await;
        let buyer = &f.deal.buyer;
        let purchases = f
            .scm
            .purchase_orders(buyer, None, kernel::PageRequest::first())
            .await
            .unwrap();
        let purchase = purchases
            .items
            .iter()
            .find(|po| po.market_order_id == Some(order.id))
            .unwrap();
        assert!(matches!(
            f.scm.cancel_purchase_order(buyer, purchase.id).await,
            Err(ScmError::State {
                code: "follows_market_order",
                ..
            })
        ));
        // The member may receive early, before the market says delivered.
        let received = f
            .scm
            .receive(buyer, purchase.id, &receipt(1, 100))
            .await
            .unwrap();
        assert_eq!(received.state, PurchaseState::Received);
        // The later confirmation receives nothing twice.
        let (_, shipment) = (
            order.clone(),
            f.deal
                .trade
                .ship_order(&f.deal.seller, order.id, &crate::deal::sandbox_shipment())
                .await
                .unwrap(),
        );
        f.deal.deliver(&shipment.tracking_number).await;
        f.deal.trade.confirm_receipt(buyer, order.id).await.unwrap();
        f.settle().await;
        let item = f.scm.item(buyer, purchase.lines[0].item_id).await.unwrap();
        assert_eq!(item.on_hand, 100);
        f.assert_consistent().await;
    }
);

storage_test!(
    goods_go_back_to_the_supplier_never_more_than_came_in,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let buyer = &f.deal.buyer;
        let order = ordered_boxes(&f, 10).await;
        assert!(matches!(
            f.scm
                .return_to_supplier(buyer, order.id, &returned(1, 1))
                .await,
            Err(ScmError::State {
                code: "wrong_state",
                ..
            })
        ));
        f.scm
            .receive(buyer, order.id, &receipt(1, 4))
            .await
            .unwrap();

        let before = db.row_counts().await.unwrap();
        assert_eq!(
            invalid(
                f.scm
                    .return_to_supplier(buyer, order.id, &returned(1, 5))
                    .await
            ),
            ("lines[0].quantity".to_owned(), "over_return")
        );
        assert_eq!(
            invalid(
                f.scm
                    .return_to_supplier(buyer, order.id, &returned(2, 1))
                    .await
            ),
            ("lines[0].line_no".to_owned(), "unknown_line")
        );
        assert_eq!(
            invalid(
                f.scm
                    .return_to_supplier(buyer, order.id, &returned(1, 0))
                    .await
            ),
            ("lines[0].quantity".to_owned(), "out_of_range")
        );
        // The goods were moved on: the warehouse no longer holds them.
        let mut elsewhere = returned(1, 1);
        elsewhere.location_id = Some(f.scm.settings(buyer).await.unwrap().customer_location_id);
        assert_eq!(
            invalid(f.scm.return_to_supplier(buyer, order.id, &elsewhere).await),
            ("location_id".to_owned(), "not_own")
        );
        assert_eq!(
            db.row_counts().await.unwrap(),
            before,
            "refusals write nothing"
        );

        let back = f
            .scm
            .return_to_supplier(buyer, order.id, &returned(1, 3))
            .await
            .unwrap();
        assert_eq!(back.lines[0].returned_quantity, 3);
        assert_eq!(back.state, PurchaseState::PartiallyReceived);
        let item = f.scm.item(buyer, order.lines[0].item_id).await.unwrap();
        // One carton of 24 at 2.00 a box is left.
        assert_eq!((item.on_hand, item.stock_value_minor), (24, 4_800));
        // Only one received carton is left to send back.
        assert_eq!(
            invalid(
                f.scm
                    .return_to_supplier(buyer, order.id, &returned(1, 2))
                    .await
            ),
            ("lines[0].quantity".to_owned(), "over_return")
        );
        f.assert_consistent().await;
    }
);

storage_test!(
    a_market_purchase_goes_back_through_its_refund_not_a_return,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let order = f.deal.paid_order(100).await;
        f.settle().await;
        let buyer = &f.deal.buyer;
        let purchase = f
            .scm
            .purchase_orders(buyer, None, kernel::PageRequest::first())
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|po| po.market_order_id == Some(order.id))
            .unwrap();
        f.scm
            .receive(buyer, purchase.id, &receipt(1, 10))
            .await
            .unwrap();
        assert!(matches!(
            f.scm
                .return_to_supplier(buyer, purchase.id, &returned(1, 1))
                .await,
            Err(ScmError::State {
                code: "follows_market_order",
                ..
            })
        ));
    }
);
