//! Importing and exporting the product file: all or nothing, with a report
//! naming each bad row, and updates by SKU on a second import.

use kernel::{PageRequest, Role};
use market::{MarketError, ProductStatus};

use crate::support::{fixture, migrations};

const GOOD_FILE: &str = "\u{feff}sku,title_zh,title_en,description,category,attributes,unit,moq,price_tiers,currency,lead_time_days,origin,available_quantity,status
HX-350,保温杯 350ml,Vacuum flask 350 ml,\"Small, light.\",vacuum-flasks,material=304 stainless steel; capacity=350,piece,200,200:9.80; 1000:8.90,CNY,10,\"Yiwu, Zhejiang\",5000,published
HX-500,保温杯 500ml,,,vacuum-flasks,material=glass; capacity=500; color=red,piece,100,100:12.50,CNY,15,,0,draft
";

kernel::storage_test!(
    a_good_file_imports_and_exports_again,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let owner = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let steps = std::sync::Mutex::new(Vec::new());
        let report = f
            .market
            .import_products(&owner, GOOD_FILE.as_bytes(), |done, total| {
                steps.lock().unwrap().push((done, total))
            })
            .await
            .unwrap();
        assert_eq!((report.created, report.updated), (2, 0));
        assert_eq!(*steps.lock().unwrap(), vec![(1, 2), (2, 2)]);
        let products = f
            .market
            .own_products(&owner, None, PageRequest::first())
            .await
            .unwrap()
            .items;
        let small = products.iter().find(|p| p.sku == "HX-350").unwrap();
        assert_eq!(small.status, ProductStatus::Published);
        assert_eq!(small.description, "Small, light.");
        assert_eq!(small.price_tiers[1].unit_price_minor, 890);
        let exported = f.market.export_products(&owner).await.unwrap();
        insta_like_check(&exported);
        // The export imports again as updates, changing nothing.
        let again = f
            .market
            .import_products(&owner, exported.as_bytes(), |_, _| {})
            .await
            .unwrap();
        assert_eq!((again.created, again.updated), (0, 2));
        let after = f
            .market
            .own_products(&owner, None, PageRequest::first())
            .await
            .unwrap()
            .items;
        for product in &products {
            let same = after.iter().find(|p| p.id == product.id).unwrap();
            assert_eq!(
                (&same.title_en, &same.price_tiers, same.status),
                (&product.title_en, &product.price_tiers, product.status)
            );
        }
    }
);

fn insta_like_check(exported: &str) {
    let mut lines = exported.lines();
    assert_eq!(
        lines.next().unwrap(),
        "sku,title_zh,title_en,description,category,attributes,unit,moq,price_tiers,currency,lead_time_days,origin,available_quantity,status"
    );
    assert_eq!(
        lines.next().unwrap(),
        "HX-350,保温杯 350ml,Vacuum flask 350 ml,\"Small, light.\",vacuum-flasks,capacity=350; material=304 stainless steel,piece,200,200:9.80; 1000:8.90,CNY,10,\"Yiwu, Zhejiang\",5000,published"
    );
}

kernel::storage_test!(
    a_file_with_bad_rows_imports_nothing,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let owner = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let bad = format!(
        "{GOOD_FILE}HX-750,,Flask 750,,no-such-category,,piece,100,100:1,CNY,1,,1,published
HX-1000,,Flask 1000,,vacuum-flasks,material=304 stainless steel; capacity=1000,piece,100,100:12.505,CNY,1,,1,published
HX-350,,Twice,,vacuum-flasks,material=glass; capacity=350,piece,1,1:1,CNY,1,,1,published
HX-9,,Bad moq,,vacuum-flasks,material=glass; capacity=1,piece,ten,10:1,CNY,1,,1,published
"
    );
        let errors = match f
            .market
            .import_products(&owner, bad.as_bytes(), |_, _| {})
            .await
        {
            Err(MarketError::ImportRejected(errors)) => errors,
            other => panic!("{other:?}"),
        };
        let summary: Vec<(u64, &str, &str)> = errors
            .iter()
            .map(|e| (e.line, e.sku.as_str(), e.field.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (4, "HX-750", "category"),
                (5, "HX-1000", "price_tiers"),
                (6, "HX-350", "sku"),
                (7, "HX-9", "moq"),
            ]
        );
        let products = f
            .market
            .own_products(&owner, None, PageRequest::first())
            .await
            .unwrap();
        assert!(
            products.items.is_empty(),
            "nothing is imported from a bad file"
        );

        let unknown_column = "sku,colour\nA,red\n";
        match f
            .market
            .import_products(&owner, unknown_column.as_bytes(), |_, _| {})
            .await
        {
            Err(MarketError::ImportRejected(errors)) => assert_eq!(errors[0].field, "file"),
            other => panic!("{other:?}"),
        }
        let viewer = f.colleague(&owner, Role::Viewer);
        assert!(matches!(
            f.market
                .import_products(&viewer, GOOD_FILE.as_bytes(), |_, _| {})
                .await,
            Err(MarketError::Forbidden)
        ));
    }
);
