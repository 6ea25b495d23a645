//! No oversell: a hundred buyers at once for ten units, and exactly ten get
//! them, on both engines.

use kernel::{Db, storage_test};
use market::{PriceTier, ProductStatus};
use trade::{LineInput, OrderInput, TradeError};

use crate::support::*;

storage_test!(
    a_hundred_concurrent_orders_for_ten_units_sell_exactly_ten,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let category = f
            .market
            .published_product(f.flask)
            .await
            .unwrap()
            .category_id;
        let mut input = flask_input(category, "FL-LAST-10", 10);
        input.moq = 1;
        input.price_tiers = vec![PriceTier {
            min_quantity: 1,
            unit_price_minor: 2_000,
        }];
        let product = f.market.create_product(&f.seller, &input).await.unwrap();
        f.market
            .set_product_status(&f.seller, product.id, ProductStatus::Published)
            .await
            .unwrap();
        let mut buyers = Vec::new();
        for _ in 0..100 {
            buyers.push(company(&f.market, "CN").await);
        }
        let order = OrderInput {
            lines: vec![LineInput {
                product_id: product.id,
                quantity: 1,
            }],
            delivery_address: "somewhere".to_owned(),
            buyer_note: String::new(),
            terms: String::new(),
        };
        let attempts = buyers.into_iter().map(|buyer| {
            let trade = f.trade.clone();
            let order = order.clone();
            tokio::spawn(async move { trade.place_order(&buyer, &order).await })
        });
        let mut placed = 0;
        let mut refused = 0;
        for attempt in attempts.collect::<Vec<_>>() {
            match attempt.await.unwrap() {
                Ok(_) => placed += 1,
                Err(TradeError::InsufficientStock { available: 0, .. }) => refused += 1,
                Err(other) => panic!("unexpected failure: {other:?}"),
            }
        }
        assert_eq!((placed, refused), (10, 90));
        assert_eq!(f.available(product.id).await, 0);
    }
);
