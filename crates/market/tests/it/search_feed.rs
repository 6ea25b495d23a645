//! The search index follows the outbox: published products appear, edits
//! show, unlisted products and drafts never do, and a rebuild starts afresh.

use kernel::Role;
use market::ProductStatus;
use search::SearchRequest;

use crate::support::{fixture, migrations};

fn text(query: &str) -> SearchRequest {
    SearchRequest {
        text: query.to_owned(),
        ..SearchRequest::default()
    }
}

kernel::storage_test!(
    the_index_follows_publishing_editing_and_unlisting,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let hengxin = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let draft = f
            .market
            .create_product(&hengxin, &f.flask("HX-1", "Vacuum flask 500 ml"))
            .await
            .unwrap();
        f.settle_search().await;
        assert_eq!(
            f.market.search_products(text("flask")).await.unwrap().total,
            0,
            "drafts are not searchable"
        );

        f.market
            .set_product_status(&hengxin, draft.id, ProductStatus::Published)
            .await
            .unwrap();
        f.settle_search().await;
        let found = f.market.search_products(text("保温杯")).await.unwrap();
        assert_eq!(
            found.hits.iter().map(|hit| hit.id).collect::<Vec<_>>(),
            vec![draft.id.raw()]
        );
        assert_eq!(found.hits[0].company_name, "恒信保温杯");
        assert_eq!(found.hits[0].province, "浙江省");
        let in_category = SearchRequest {
            category_id: Some(f.housewares.id.raw()),
            ..text("")
        };
        assert_eq!(
            f.market.search_products(in_category).await.unwrap().total,
            1
        );

        f.market
            .update_product(
                &hengxin,
                draft.id,
                &f.flask("HX-1", "Thermos bottle with tea infuser"),
            )
            .await
            .unwrap();
        f.settle_search().await;
        assert_eq!(
            f.market
                .search_products(text("infuser"))
                .await
                .unwrap()
                .total,
            1
        );

        // What buyers see of the company follows the storefront.
        f.market
            .set_verified(hengxin.company_id(), true)
            .await
            .unwrap();
        f.settle_search().await;
        let verified_only = SearchRequest {
            verified_only: true,
            ..text("infuser")
        };
        assert_eq!(
            f.market.search_products(verified_only).await.unwrap().total,
            1
        );

        f.market
            .set_product_status(&hengxin, draft.id, ProductStatus::Unlisted)
            .await
            .unwrap();
        f.settle_search().await;
        assert_eq!(
            f.market
                .search_products(text("infuser"))
                .await
                .unwrap()
                .total,
            0
        );
        assert_eq!(
            f.feed.catch_up().await.unwrap(),
            0,
            "caught up: nothing left to read"
        );
    }
);

kernel::storage_test!(
    a_rebuild_indexes_every_published_product,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let hengxin = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        for sku in ["A", "B", "C"] {
            let product = f
                .market
                .create_product(&hengxin, &f.flask(sku, "Vacuum flask"))
                .await
                .unwrap();
            if sku != "C" {
                f.market
                    .set_product_status(&hengxin, product.id, ProductStatus::Published)
                    .await
                    .unwrap();
            }
        }
        let seen = std::sync::Mutex::new(Vec::new());
        let indexed = f
            .feed
            .rebuild(|done, total| seen.lock().unwrap().push((done, total)))
            .await
            .unwrap();
        assert_eq!(indexed, 2);
        assert_eq!(seen.lock().unwrap().last(), Some(&(2, 2)));
        assert_eq!(
            f.market.search_products(text("flask")).await.unwrap().total,
            2
        );
        assert_eq!(
            f.feed.catch_up().await.unwrap(),
            0,
            "the rebuild took the outbox position"
        );
    }
);

kernel::storage_test!(
    a_product_published_before_its_storefront_opens_waits_for_it_and_stalls_nobody,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        // The subscriber that opens storefronts may run after the one that
        // indexes products: publish before the storefront exists.
        let early = kernel::Scope::new(
            kernel::CompanyId::new(),
            kernel::Actor::User(kernel::UserId::new()),
            Role::Owner,
        );
        let waiting = f
            .market
            .create_product(&early, &f.flask("EARLY-1", "Early flask"))
            .await
            .unwrap();
        f.market
            .set_product_status(&early, waiting.id, ProductStatus::Published)
            .await
            .unwrap();
        let hengxin = f.company("恒信保温杯", "浙江省", Role::Owner).await;
        let other = f
            .market
            .create_product(&hengxin, &f.flask("HX-1", "Other flask"))
            .await
            .unwrap();
        f.market
            .set_product_status(&hengxin, other.id, ProductStatus::Published)
            .await
            .unwrap();
        f.settle_search().await;
        let found = f.market.search_products(text("flask")).await.unwrap();
        assert_eq!(
            found.hits.iter().map(|hit| hit.id).collect::<Vec<_>>(),
            vec![other.id.raw()],
            "the others' products are indexed; the early one waits"
        );

        f.market
            .open_storefront(&market::StorefrontSeed {
                company_id: early.company_id(),
                display_name: "早鸟杯业".to_owned(),
                country: "CN".to_owned(),
                province: "广东省".to_owned(),
                city: String::new(),
                staff_size: "1-9".to_owned(),
            })
            .await
            .unwrap();
        f.settle_search().await;
        let found = f.market.search_products(text("early")).await.unwrap();
        assert_eq!(
            found.hits.iter().map(|hit| hit.id).collect::<Vec<_>>(),
            vec![waiting.id.raw()]
        );
        assert_eq!(found.hits[0].company_name, "早鸟杯业");
    }
);
