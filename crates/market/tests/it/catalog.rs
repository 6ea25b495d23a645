//! Products: the rules a product follows, its statuses, who may change it,
//! and that drafts and unlisted products stay inside their company.

use kernel::{PageRequest, Role};
use market::{MarketError, ProductStatus};

use crate::support::{event_names, fixture, invalid_code, migrations};

kernel::storage_test!(
    a_product_is_created_as_a_draft_and_published,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let hengxin = f.company("恒信保温杯", "浙江省", Role::Sales).await;
        let created = f
            .market
            .create_product(&hengxin, &f.flask("HX-500", "Vacuum flask 500 ml"))
            .await
            .unwrap();
        assert_eq!(created.status, ProductStatus::Draft);
        assert_eq!(created.unit_price_minor_at(499), Some(1250));
        assert_eq!(created.unit_price_minor_at(500), Some(1100));
        assert!(matches!(
            f.market.published_product(created.id).await,
            Err(MarketError::NotFound(_))
        ));
        let published = f
            .market
            .set_product_status(&hengxin, created.id, ProductStatus::Published)
            .await
            .unwrap();
        assert!(published.published_at.is_some());
        assert_eq!(
            f.market.published_product(created.id).await.unwrap().id,
            created.id
        );
        let shelf = f
            .market
            .published_products_of(hengxin.company_id(), PageRequest::first())
            .await
            .unwrap();
        assert_eq!(shelf.items.len(), 1);
        f.market
            .set_product_status(&hengxin, created.id, ProductStatus::Unlisted)
            .await
            .unwrap();
        assert!(f.market.published_product(created.id).await.is_err());
        assert_eq!(
            event_names(&f.db).await,
            ["ProductChanged", "ProductPublished", "ProductChanged"]
        );
    }
);

kernel::storage_test!(
    bad_products_are_refused_and_nothing_is_written,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let hengxin = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let check = |field: &str, code: &str, input: market::ProductInput| {
            let market = f.market.clone();
            let scope = hengxin;
            let (field, code) = (field.to_owned(), code.to_owned());
            async move {
                let (got_field, got_code) =
                    invalid_code(market.create_product(&scope, &input).await);
                assert_eq!(
                    (got_field.as_str(), got_code),
                    (field.as_str(), code.as_str())
                );
            }
        };
        let mut no_title = f.flask("A", "");
        no_title.title_zh.clear();
        check("title_en", "required", no_title).await;
        let mut not_leaf = f.flask("A", "x");
        not_leaf.category_id = f.housewares.id;
        check("category_id", "not_a_leaf", not_leaf).await;
        let mut unknown = f.flask("A", "x");
        unknown.attributes.insert("voltage".into(), "220".into());
        check("attributes.voltage", "unknown_attribute", unknown).await;
        let mut not_choice = f.flask("A", "x");
        not_choice
            .attributes
            .insert("material".into(), "gold".into());
        check("attributes.material", "not_a_choice", not_choice).await;
        let mut missing = f.flask("A", "x");
        missing.attributes.remove("capacity");
        check("attributes.capacity", "required", missing).await;
        let mut not_number = f.flask("A", "x");
        not_number
            .attributes
            .insert("capacity".into(), "half a litre".into());
        check("attributes.capacity", "not_a_number", not_number).await;
        let mut moq_mismatch = f.flask("A", "x");
        moq_mismatch.moq = 50;
        check(
            "price_tiers[0].min_quantity",
            "first_tier_not_moq",
            moq_mismatch,
        )
        .await;
        let mut rising = f.flask("A", "x");
        rising.price_tiers[1].unit_price_minor = 9_999;
        check("price_tiers[1].unit_price_minor", "price_rises", rising).await;
        let mut unknown_image = f.flask("A", "x");
        unknown_image.images = vec!["ab".repeat(32)];
        check("images", "invalid_image", unknown_image).await;
        let mut long_title = f.flask("A", "x");
        long_title.title_en = "x".repeat(201);
        check("title_en", "too_long", long_title).await;
        assert!(event_names(&f.db).await.is_empty());
        let page = f
            .market
            .own_products(&hengxin, None, PageRequest::first())
            .await
            .unwrap();
        assert!(page.items.is_empty());
        f.market
            .create_product(&hengxin, &f.flask("A", "x"))
            .await
            .unwrap();
        let (field, code) =
            invalid_code(f.market.create_product(&hengxin, &f.flask("A", "y")).await);
        assert_eq!((field.as_str(), code), ("sku", "taken"));
    }
);

kernel::storage_test!(
    a_company_cannot_reach_another_companys_products,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let hengxin = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let rival = f.company("Rival", "广东省", Role::Owner).await;
        let draft = f
            .market
            .create_product(&hengxin, &f.flask("HX-1", "Flask"))
            .await
            .unwrap();
        assert!(matches!(
            f.market.own_product(&rival, draft.id).await,
            Err(MarketError::NotFound(_))
        ));
        assert!(matches!(
            f.market
                .update_product(&rival, draft.id, &f.flask("HX-1", "Stolen"))
                .await,
            Err(MarketError::NotFound(_))
        ));
        assert!(matches!(
            f.market
                .set_product_status(&rival, draft.id, ProductStatus::Published)
                .await,
            Err(MarketError::NotFound(_))
        ));
        let rivals_view = f
            .market
            .own_products(&rival, None, PageRequest::first())
            .await
            .unwrap();
        assert!(rivals_view.items.is_empty());
        // Nothing changed for the owner.
        let own = f.market.own_product(&hengxin, draft.id).await.unwrap();
        assert_eq!(
            (own.title_en.as_str(), own.status),
            ("Flask", ProductStatus::Draft)
        );
    }
);

kernel::storage_test!(
    only_catalog_roles_change_products,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let owner = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let product = f
            .market
            .create_product(&owner, &f.flask("HX-1", "Flask"))
            .await
            .unwrap();
        for role in [
            Role::Viewer,
            Role::Finance,
            Role::Warehouse,
            Role::Purchasing,
        ] {
            let colleague = f.colleague(&owner, role);
            assert!(matches!(
                f.market
                    .create_product(&colleague, &f.flask("HX-2", "Flask"))
                    .await,
                Err(MarketError::Forbidden)
            ));
            assert!(matches!(
                f.market
                    .set_product_status(&colleague, product.id, ProductStatus::Published)
                    .await,
                Err(MarketError::Forbidden)
            ));
            // Reading the own catalog is fine for everyone on the staff.
            assert!(f.market.own_product(&colleague, product.id).await.is_ok());
        }
    }
);

kernel::storage_test!(
    an_edit_keeps_the_status_and_images_must_be_uploaded,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let owner = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let product = f
            .market
            .create_product(&owner, &f.flask("HX-1", "Flask"))
            .await
            .unwrap();
        f.market
            .set_product_status(&owner, product.id, ProductStatus::Published)
            .await
            .unwrap();
        let png = {
            let image = image::RgbImage::from_pixel(600, 300, image::Rgb([200, 30, 30]));
            let mut bytes = Vec::new();
            image
                .write_to(
                    &mut std::io::Cursor::new(&mut bytes),
                    image::ImageFormat::Png,
                )
                .unwrap();
            bytes
        };
        let uploaded = f.market.upload_image(&owner, png).await.unwrap();
        assert_eq!((uploaded.width, uploaded.height), (600, 300));
        let mut edit = f.flask("HX-1", "Flask, now with a photo");
        edit.images = vec![uploaded.hash.clone()];
        let edited = f
            .market
            .update_product(&owner, product.id, &edit)
            .await
            .unwrap();
        assert_eq!(edited.status, ProductStatus::Published);
        assert_eq!(edited.images, vec![uploaded.hash]);
        assert_eq!(edited.title_en, "Flask, now with a photo");
        let not_an_image = f.market.upload_image(&owner, b"GIF89a....".to_vec()).await;
        assert_eq!(invalid_code(not_an_image).1, "unsupported_image");
    }
);
