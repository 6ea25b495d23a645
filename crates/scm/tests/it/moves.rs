//! The rules of moving stock by hand: refusals name the field and change
//! nothing; the average cost; transfers inside the tree; stock and value at
//! a past moment.

use kernel::{Clock, Db, PageRequest, storage_test};
use scm::{LocationInput, LocationKind, MoveInput, MoveReason, ScmError};

use crate::support::*;

fn a_move(
    item: scm::ItemId,
    quantity: i64,
    from: scm::LocationId,
    to: scm::LocationId,
    reason: MoveReason,
) -> MoveInput {
    MoveInput {
        item_id: item,
        quantity,
        unit: None,
        from_location_id: from,
        to_location_id: to,
        reason,
        lot: None,
        unit_cost_minor: None,
        note: String::new(),
    }
}

/// The refusal's field and code.
fn invalid<T: std::fmt::Debug>(result: scm::Result<T>) -> (String, &'static str) {
    match result {
        Err(ScmError::Invalid { field, code, .. }) => (field, code),
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

async fn row_counts(db: &Db) -> std::collections::BTreeMap<String, i64> {
    db.row_counts().await.unwrap()
}

storage_test!(
    refused_moves_name_the_field_and_change_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = &f.deal.seller;
        let item = f.scm.create_item(seller, &item_input("CUP")).await.unwrap();
        f.receive(seller, &item, 10, 500).await;
        let settings = f.scm.settings(seller).await.unwrap();
        let warehouse = settings.default_warehouse_id;
        let loss = settings.loss_location_id;
        let buyer_settings = f.scm.settings(&f.deal.buyer).await.unwrap();
        let theirs = f
            .scm
            .create_item(&f.deal.buyer, &item_input("CUP"))
            .await
            .unwrap();
        let before = row_counts(&db).await;
        let item_before = f.scm.item(seller, item.id).await.unwrap();

        // More than is on hand.
        match f
            .scm
            .move_stock(
                seller,
                &a_move(item.id, 11, warehouse, loss, MoveReason::Adjustment),
            )
            .await
        {
            Err(ScmError::InsufficientStock { field, available }) => {
                assert_eq!((field.as_str(), available), ("quantity", 10));
            }
            other => panic!("expected too little stock, got {other:?}"),
        }
        // Zero and negative quantities.
        for quantity in [0, -3] {
            let refused = f
                .scm
                .move_stock(
                    seller,
                    &a_move(item.id, quantity, warehouse, loss, MoveReason::Adjustment),
                )
                .await;
            assert_eq!(invalid(refused), ("quantity".to_owned(), "out_of_range"));
        }
        // A unit the item has no conversion for.
        let mut pallets = a_move(item.id, 1, warehouse, loss, MoveReason::Adjustment);
        pallets.unit = Some("pallet".to_owned());
        assert_eq!(
            invalid(f.scm.move_stock(seller, &pallets).await),
            ("unit".to_owned(), "no_unit_conversion")
        );
        // Another company's location, either side.
        let across = a_move(
            item.id,
            1,
            warehouse,
            buyer_settings.default_warehouse_id,
            MoveReason::Transfer,
        );
        assert_eq!(
            invalid(f.scm.move_stock(seller, &across).await),
            ("to_location_id".to_owned(), "unknown_location")
        );
        let across = a_move(
            item.id,
            1,
            buyer_settings.default_warehouse_id,
            warehouse,
            MoveReason::Transfer,
        );
        assert_eq!(
            invalid(f.scm.move_stock(seller, &across).await),
            ("from_location_id".to_owned(), "unknown_location")
        );
        // Another company's item.
        let foreign = a_move(theirs.id, 1, warehouse, loss, MoveReason::Adjustment);
        assert_eq!(
            invalid(f.scm.move_stock(seller, &foreign).await),
            ("item_id".to_owned(), "unknown_item")
        );
        // A reason that does not fit the locations, and a price on a non-receipt.
        let wrong = a_move(item.id, 1, warehouse, loss, MoveReason::Transfer);
        assert_eq!(
            invalid(f.scm.move_stock(seller, &wrong).await),
            ("reason".to_owned(), "reason_mismatch")
        );
        let mut priced = a_move(item.id, 1, warehouse, loss, MoveReason::Adjustment);
        priced.unit_cost_minor = Some(5);
        assert_eq!(
            invalid(f.scm.move_stock(seller, &priced).await),
            ("unit_cost_minor".to_owned(), "not_allowed")
        );
        // A role that does not keep stock.
        let sales = crate::deal::colleague(seller, kernel::Role::Sales);
        assert!(matches!(
            f.scm
                .move_stock(
                    &sales,
                    &a_move(item.id, 1, warehouse, loss, MoveReason::Adjustment)
                )
                .await,
            Err(ScmError::Forbidden)
        ));

        let after = row_counts(&db).await;
        assert_eq!(before, after, "no refusal wrote a row");
        assert_eq!(f.scm.item(seller, item.id).await.unwrap(), item_before);
        f.assert_consistent().await;
    }
);

storage_test!(
    cartons_convert_and_the_average_cost_follows_receipts,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let seller = &f.deal.seller;
        let item = f.scm.create_item(seller, &item_input("CUP")).await.unwrap();
        let settings = f.scm.settings(seller).await.unwrap();
        // 1 carton (24 pieces) at 2,400 a carton, then 26 pieces at 130.
        let mut cartons = a_move(
            item.id,
            1,
            settings.supplier_location_id,
            settings.default_warehouse_id,
            MoveReason::Receipt,
        );
        cartons.unit = Some("carton".to_owned());
        cartons.unit_cost_minor = Some(2_400);
        let received = f.scm.move_stock(seller, &cartons).await.unwrap();
        assert_eq!((received.quantity, received.value_minor), (24, 2_400));
        f.receive(seller, &item, 26, 130).await;
        let item_now = f.scm.item(seller, item.id).await.unwrap();
        assert_eq!(
            (item_now.on_hand, item_now.stock_value_minor),
            (50, 2_400 + 26 * 130)
        );
        // 7 pieces lost: 7/50 of 5,780 = 809.2, rounded.
        let lost = f
            .scm
            .move_stock(
                seller,
                &a_move(
                    item.id,
                    7,
                    settings.default_warehouse_id,
                    settings.loss_location_id,
                    MoveReason::Adjustment,
                ),
            )
            .await
            .unwrap();
        assert_eq!(lost.value_minor, 809);
        // The last 43 carry the rest exactly.
        let gone = f
            .scm
            .move_stock(
                seller,
                &a_move(
                    item.id,
                    43,
                    settings.default_warehouse_id,
                    settings.customer_location_id,
                    MoveReason::Shipment,
                ),
            )
            .await
            .unwrap();
        assert_eq!(gone.value_minor, 5_780 - 809);
        let empty = f.scm.item(seller, item.id).await.unwrap();
        assert_eq!((empty.on_hand, empty.stock_value_minor), (0, 0));
        f.assert_consistent().await;
    }
);

storage_test!(
    zones_and_bins_hold_stock_and_the_past_is_the_sum_of_moves,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let seller = &f.deal.seller;
        let settings = f.scm.settings(seller).await.unwrap();
        let location = |kind, parent, code: &str| LocationInput {
            kind,
            parent_id: parent,
            code: code.to_owned(),
            name: code.to_owned(),
        };
        let zone = f
            .scm
            .create_location(
                seller,
                &location(LocationKind::Zone, Some(settings.default_warehouse_id), "A"),
            )
            .await
            .unwrap();
        let bin = f
            .scm
            .create_location(seller, &location(LocationKind::Bin, Some(zone.id), "A-01"))
            .await
            .unwrap();
        assert_eq!(bin.warehouse_id, Some(settings.default_warehouse_id));
        // The tree's rules, and codes unique.
        let refused = f
            .scm
            .create_location(seller, &location(LocationKind::Zone, Some(bin.id), "B"))
            .await;
        assert_eq!(invalid(refused), ("parent_id".to_owned(), "wrong_parent"));
        let refused = f
            .scm
            .create_location(seller, &location(LocationKind::Bin, None, "B"))
            .await;
        assert_eq!(invalid(refused), ("parent_id".to_owned(), "required"));
        let refused = f
            .scm
            .create_location(seller, &location(LocationKind::Bin, Some(zone.id), "A-01"))
            .await;
        assert_eq!(invalid(refused), ("code".to_owned(), "taken"));
        let second = f
            .scm
            .create_location(seller, &location(LocationKind::Warehouse, None, "WH2"))
            .await
            .unwrap();

        let item = f.scm.create_item(seller, &item_input("CUP")).await.unwrap();
        f.receive(seller, &item, 100, 300).await;
        let before_transfers = f.deal.clock.now();
        f.deal.clock.advance_seconds(3_600);
        f.scm
            .move_stock(
                seller,
                &a_move(
                    item.id,
                    40,
                    settings.default_warehouse_id,
                    bin.id,
                    MoveReason::Transfer,
                ),
            )
            .await
            .unwrap();
        f.scm
            .move_stock(
                seller,
                &a_move(item.id, 25, bin.id, second.id, MoveReason::Transfer),
            )
            .await
            .unwrap();

        let now = f.scm.stock_of_item(seller, item.id).await.unwrap();
        let held: Vec<(scm::LocationId, i64)> = now
            .iter()
            .map(|line| (line.location_id, line.quantity))
            .collect();
        assert!(held.contains(&(settings.default_warehouse_id, 60)));
        assert!(held.contains(&(bin.id, 15)));
        assert!(held.contains(&(second.id, 25)));
        let past = f
            .scm
            .stock_at(seller, item.id, before_transfers)
            .await
            .unwrap();
        assert_eq!(past.on_hand, 100);
        assert_eq!(past.locations.len(), 1);
        let valuation = f
            .scm
            .valuation(seller, f.deal.clock.now(), PageRequest::first())
            .await
            .unwrap();
        let line = valuation
            .items
            .iter()
            .find(|line| line.item_id == item.id)
            .unwrap();
        assert_eq!((line.quantity, line.value_minor), (100, 30_000));
        let parts: Vec<(i64, i64)> = line
            .warehouses
            .iter()
            .map(|w| (w.quantity, w.value_minor))
            .collect();
        assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), 30_000);
        assert!(parts.contains(&(75, 22_500)) && parts.contains(&(25, 7_500)));
        f.assert_consistent().await;
    }
);

storage_test!(
    a_product_links_only_to_its_own_company_and_a_convertible_item,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let buyer = &f.deal.buyer;
        let item = f.scm.create_item(buyer, &item_input("CUP")).await.unwrap();
        let link = |item_id| scm::LinkInput {
            product_id: f.deal.flask,
            item_id,
            warehouse_id: None,
        };
        assert_eq!(
            invalid(f.scm.link_product(buyer, &link(item.id)).await),
            ("product_id".to_owned(), "unknown_product")
        );
        let seller = &f.deal.seller;
        let mut kilos = item_input("STEEL");
        kilos.unit = "kg".to_owned();
        kilos.units.clear();
        let steel = f.scm.create_item(seller, &kilos).await.unwrap();
        assert_eq!(
            invalid(f.scm.link_product(seller, &link(steel.id)).await),
            ("product_id".to_owned(), "no_unit_conversion")
        );
        assert_eq!(
            invalid(f.scm.link_product(seller, &link(item.id)).await),
            ("item_id".to_owned(), "unknown_item")
        );
        // Linked to an item with nothing on hand, the flask shows none.
        let flask = f.linked_flask(0, 0).await;
        assert_eq!(f.deal.available(f.deal.flask).await, 0);
        f.receive(seller, &flask, 240, 700).await;
        assert_eq!(f.deal.available(f.deal.flask).await, 240);
        f.scm.unlink_product(seller, f.deal.flask).await.unwrap();
        assert_eq!(f.deal.available(f.deal.flask).await, crate::deal::STOCK);
        f.assert_consistent().await;
    }
);

storage_test!(
    a_batch_moves_all_or_nothing_as_if_one_after_another,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = &f.deal.seller;
        let settings = f.scm.settings(seller).await.unwrap();
        let (supplier, warehouse, loss) = (
            settings.supplier_location_id,
            settings.default_warehouse_id,
            settings.loss_location_id,
        );
        let cup = f.scm.create_item(seller, &item_input("CUP")).await.unwrap();
        let mug = f.scm.create_item(seller, &item_input("MUG")).await.unwrap();
        let mut receipt = a_move(cup.id, 2, supplier, warehouse, MoveReason::Receipt);
        receipt.unit = Some("carton".to_owned());
        receipt.unit_cost_minor = Some(2_400);
        let mut second = a_move(cup.id, 10, supplier, warehouse, MoveReason::Receipt);
        second.unit_cost_minor = Some(150);
        let mut mugs = a_move(mug.id, 5, supplier, warehouse, MoveReason::Receipt);
        mugs.unit_cost_minor = Some(999);
        // The loss uses stock the batch itself received before it.
        let batch = vec![
            receipt,
            second,
            mugs,
            a_move(cup.id, 7, warehouse, loss, MoveReason::Adjustment),
        ];
        let moved = f.scm.move_batch(seller, &batch).await.unwrap();
        assert_eq!(moved.len(), 4);
        // 58 pieces worth 6,300; 7 of them carry 7/58 of it, rounded.
        assert_eq!(moved[3].value_minor, (6_300 * 7 * 2 + 58) / (58 * 2));
        let cup_now = f.scm.item(seller, cup.id).await.unwrap();
        assert_eq!(cup_now.on_hand, 51);
        assert_eq!(cup_now.stock_value_minor, 6_300 - moved[3].value_minor);
        f.assert_consistent().await;

        // One bad move refuses the batch: its index names the field.
        let before = db.row_counts().await.unwrap();
        let over = vec![
            a_move(mug.id, 5, warehouse, loss, MoveReason::Adjustment),
            a_move(mug.id, 1, warehouse, loss, MoveReason::Adjustment),
        ];
        match f.scm.move_batch(seller, &over).await {
            Err(ScmError::InsufficientStock { field, available }) => {
                assert_eq!((field.as_str(), available), ("moves[1].quantity", 0));
            }
            other => panic!("expected too little stock, got {other:?}"),
        }
        let foreign = f.scm.settings(&f.deal.buyer).await;
        let before = if foreign.is_ok() {
            db.row_counts().await.unwrap()
        } else {
            before
        };
        let across = vec![a_move(
            mug.id,
            1,
            warehouse,
            foreign.unwrap().loss_location_id,
            MoveReason::Adjustment,
        )];
        assert_eq!(
            invalid(f.scm.move_batch(seller, &across).await),
            ("moves[0].to_location_id".to_owned(), "unknown_location")
        );
        assert_eq!(
            invalid(f.scm.move_batch(seller, &[]).await),
            ("moves".to_owned(), "out_of_range")
        );
        assert_eq!(
            db.row_counts().await.unwrap(),
            before,
            "a refused batch writes nothing"
        );
        f.assert_consistent().await;
    }
);
