//! The CSV files: items, suppliers and stock levels imported all or nothing
//! (every bad row reported, nothing written), exported, and imported back
//! unchanged.

use kernel::{Db, storage_test};
use scm::ScmError;

use crate::support::*;

/// The bad rows of a refused import as (line, field, code).
fn rejected<T: std::fmt::Debug>(result: scm::Result<T>) -> Vec<(u64, String, String)> {
    match result {
        Err(ScmError::ImportRejected(rows)) => rows
            .into_iter()
            .map(|row| (row.line, row.field, row.code))
            .collect(),
        other => panic!("expected a rejected import, got {other:?}"),
    }
}

fn row(line: u64, field: &str, code: &str) -> (u64, String, String) {
    (line, field.to_owned(), code.to_owned())
}

storage_test!(
    items_import_whole_or_not_at_all_and_round_trip,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let buyer = &f.deal.buyer;
        let before = db.row_counts().await.unwrap();
        let bad = "sku,name,unit,units,cost_currency,reorder_point\n\
                   HX-500,真空保温杯,piece,carton=24,CNY,48\n\
                   HX-750,Flask 750,piece,,XXX,0\n\
                   HX-500,again,piece,,CNY,0\n\
                   HX-900,Flask 900,piece,carton=one,CNY,0\n";
        assert_eq!(
            rejected(f.scm.import_items(buyer, bad.as_bytes()).await),
            vec![
                row(3, "cost_currency", "invalid"),
                row(4, "sku", "duplicate"),
                row(5, "units", "invalid"),
            ]
        );
        assert_eq!(db.row_counts().await.unwrap(), before, "nothing imported");
        assert!(matches!(
            f.scm.import_items(buyer, b"sku,colour\nA,red\n").await,
            Err(ScmError::ImportRejected(rows)) if rows[0].field == "file"
        ));

        let good = "\u{feff}sku,name,unit,units,cost_currency,lot_tracked,reorder_point,reorder_quantity\n\
                    HX-500,真空保温杯,piece,carton=24; box=6,CNY,no,48,96\n\
                    HX-750,Flask 750,piece,,EUR,yes,0,0\n";
        let report = f.scm.import_items(buyer, good.as_bytes()).await.unwrap();
        assert_eq!((report.created, report.updated), (2, 0));
        let exported = f.scm.items_csv(buyer).await.unwrap();
        assert!(
            exported.contains("HX-500,真空保温杯,piece,box=6; carton=24,CNY,no,48,96"),
            "{exported}"
        );
        let again = f
            .scm
            .import_items(buyer, exported.as_bytes())
            .await
            .unwrap();
        assert_eq!((again.created, again.updated), (0, 2));
        assert_eq!(f.scm.items_csv(buyer).await.unwrap(), exported);
        // A known item keeps its units and currency.
        let changed =
            exported.replace("HX-750,Flask 750,piece,,EUR", "HX-750,Flask 750,piece,,CNY");
        assert_eq!(
            rejected(f.scm.import_items(buyer, changed.as_bytes()).await),
            vec![row(3, "cost_currency", "fixed")]
        );
    }
);

storage_test!(
    suppliers_import_by_name_and_export_with_those_on_hanse,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let buyer = &f.deal.buyer;
        assert_eq!(
            rejected(
                f.scm
                    .import_suppliers(buyer, b"name,email\nNingbo Cartons,not-an-email\n,x@y.cn\n")
                    .await
            ),
            vec![row(2, "email", "invalid"), row(3, "name", "required")]
        );
        let file = "name,contact,email,phone\nNingbo Cartons,Ms Lin,lin@cartons.cn,+86 574 1234\n";
        let report = f
            .scm
            .import_suppliers(buyer, file.as_bytes())
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (1, 0));
        // A market purchase brings the seller in as a supplier on Hanse.
        f.deal.paid_order(100).await;
        f.settle().await;
        let exported = f.scm.suppliers_csv(buyer).await.unwrap();
        assert!(
            exported.contains("Ningbo Cartons,Ms Lin,lin@cartons.cn,+86 574 1234,no"),
            "{exported}"
        );
        assert!(exported.contains(",yes"), "{exported}");
        let changed = exported.replace("lin@cartons.cn", "sales@cartons.cn");
        let report = f
            .scm
            .import_suppliers(buyer, changed.as_bytes())
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (0, 2));
        assert!(
            f.scm
                .suppliers_csv(buyer)
                .await
                .unwrap()
                .contains("sales@cartons.cn")
        );
    }
);

storage_test!(
    stock_levels_import_as_adjustments_whole_or_not_at_all,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = &f.deal.seller;
        let flask = f.linked_flask(0, 0).await;
        let before = db.row_counts().await.unwrap();
        let bad = "sku,location,lot,quantity,unit_cost\n\
                   FL-500,WH1,,120,2.50\n\
                   FL-500,NOWHERE,,1,\n\
                   FL-999,WH1,,1,\n\
                   FL-500,CUSTOMERS,,1,\n\
                   FL-500,WH1,,5,\n\
                   FL-500,WH1,L1,-1,\n";
        assert_eq!(
            rejected(f.scm.import_stock(seller, bad.as_bytes()).await),
            vec![
                row(3, "location", "unknown_location"),
                row(4, "sku", "unknown_item"),
                row(5, "location", "not_own"),
                row(6, "location", "duplicate"),
                row(7, "quantity", "out_of_range"),
            ]
        );
        assert_eq!(db.row_counts().await.unwrap(), before, "nothing imported");

        let opening = "sku,location,lot,quantity,unit_cost\nFL-500,WH1,,200,2.50\n";
        let report = f
            .scm
            .import_stock(seller, opening.as_bytes())
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (1, 0));
        let item = f.scm.item(seller, flask.id).await.unwrap();
        assert_eq!((item.on_hand, item.stock_value_minor), (200, 50_000));
        // The same file again moves nothing.
        let report = f
            .scm
            .import_stock(seller, opening.as_bytes())
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (0, 1));
        // Orders hold 100: a level of 50 would leave less than they hold.
        f.deal.paid_order(100).await;
        f.settle().await;
        let before = db.row_counts().await.unwrap();
        let short = "sku,location,quantity\nFL-500,WH1,50\n";
        assert_eq!(
            rejected(f.scm.import_stock(seller, short.as_bytes()).await),
            vec![row(2, "quantity", "insufficient_stock")]
        );
        assert_eq!(db.row_counts().await.unwrap(), before);
        let level = "sku,location,quantity\nFL-500,WH1,150\n";
        f.scm.import_stock(seller, level.as_bytes()).await.unwrap();
        let item = f.scm.item(seller, flask.id).await.unwrap();
        assert_eq!((item.on_hand, item.stock_value_minor), (150, 37_500));
        f.assert_consistent().await;
    }
);
