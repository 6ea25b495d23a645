//! Valuation methods: FIFO values goods leaving at the oldest receipts' cost
//! (by hand, in a batch, and on a market shipment), a gain without a price
//! at the average; the method is chosen before the first move and fixed
//! after it.

use kernel::{Db, storage_test};
use scm::{MoveInput, MoveReason, ScmError, SettingsInput, Valuation};

use crate::support::*;

fn fifo() -> SettingsInput {
    SettingsInput {
        valuation: Some(Valuation::Fifo),
        ..SettingsInput::default()
    }
}

storage_test!(
    fifo_values_what_leaves_at_the_oldest_receipts_cost,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let seller = &f.deal.seller;
        let settings = f.scm.update_settings(seller, &fifo()).await.unwrap();
        assert_eq!(settings.valuation, Valuation::Fifo);
        // 200 flasks at 5.00, then 200 at 8.00.
        let item = f.linked_flask(200, 500).await;
        f.receive(seller, &item, 200, 800).await;
        let out = |quantity, batch: bool| MoveInput {
            item_id: item.id,
            quantity,
            unit: None,
            from_location_id: settings.default_warehouse_id,
            to_location_id: settings.loss_location_id,
            reason: MoveReason::Adjustment,
            lot: None,
            unit_cost_minor: None,
            note: if batch {
                "batch".to_owned()
            } else {
                String::new()
            },
        };
        // 150 lost: all at the first price.
        let lost = f.scm.move_stock(seller, &out(150, false)).await.unwrap();
        assert_eq!(lost.value_minor, 75_000);
        // 100 more in a batch: the last 50 of the first lot and 50 of the second.
        let batch = f
            .scm
            .move_batch(seller, &[out(60, true), out(40, true)])
            .await
            .unwrap();
        assert_eq!(
            batch.iter().map(|m| m.value_minor).collect::<Vec<_>>(),
            vec![25_000 + 10 * 800, 40 * 800]
        );
        // A market order of 100 ships at the second price.
        let order = f.deal.paid_order(100).await;
        let shipment = f
            .deal
            .trade
            .ship_order(seller, order.id, &crate::deal::sandbox_shipment())
            .await
            .unwrap();
        assert!(!shipment.tracking_number.is_empty());
        f.settle().await;
        let left = f.scm.item(seller, item.id).await.unwrap();
        assert_eq!((left.on_hand, left.stock_value_minor), (50, 40_000));
        // More than is there is a plain shortage, not a broken layer.
        assert!(matches!(
            f.scm.move_stock(seller, &out(51, false)).await,
            Err(ScmError::InsufficientStock { available: 50, .. })
        ));
        // Under the moving average the same history would leave 50 at 6.50.
        f.assert_consistent().await;
    }
);

storage_test!(
    the_valuation_method_is_fixed_once_stock_has_moved,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let seller = &f.deal.seller;
        f.linked_flask(10, 500).await;
        match f.scm.update_settings(seller, &fifo()).await {
            Err(ScmError::State { code, .. }) => assert_eq!(code, "valuation_locked"),
            other => panic!("expected valuation_locked, got {other:?}"),
        }
        assert_eq!(
            f.scm.settings(seller).await.unwrap().valuation,
            Valuation::Average
        );
    }
);

storage_test!(
    a_gain_without_a_price_is_worth_the_average_also_beyond_the_pool,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let seller = &f.deal.seller;
        let settings = f.scm.settings(seller).await.unwrap();
        let item = f.linked_flask(10, 500).await;
        let found = f
            .scm
            .move_stock(
                seller,
                &MoveInput {
                    item_id: item.id,
                    quantity: 30,
                    unit: None,
                    from_location_id: settings.loss_location_id,
                    to_location_id: settings.default_warehouse_id,
                    reason: MoveReason::Adjustment,
                    lot: None,
                    unit_cost_minor: None,
                    note: "found behind the shelf".to_owned(),
                },
            )
            .await
            .unwrap();
        assert_eq!(found.value_minor, 15_000);
        f.assert_consistent().await;
    }
);
