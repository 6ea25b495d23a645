//! A market service on a fresh database, a small category tree, and
//! companies with storefronts to act as.

use std::collections::BTreeMap;
use std::sync::Arc;

use kernel::{
    Actor, Clock, CompanyId, Currency, Db, ManualClock, Role, Scope, SystemClock, UserId,
};
use market::search_feed::{SearchFeed, SearchIndexes};
use market::{
    AttributeKind, AttributeSpec, Category, Market, NewCategory, PriceTier, ProductInput,
    StorefrontSeed,
};

pub fn migrations() -> Vec<kernel::migrate::Migration> {
    [kernel::migrate::kernel_migrations(), market::migrations()].concat()
}

pub struct Fixture {
    pub market: Market,
    pub feed: SearchFeed,
    pub clock: Arc<ManualClock>,
    pub db: Db,
    /// The leaf `vacuum-flasks` under housewares › drinkware.
    pub flasks: Category,
    /// The leaf `bluetooth-earphones` under electronics.
    pub earphones: Category,
    pub housewares: Category,
    _images: tempfile::TempDir,
}

pub async fn fixture(db: Db) -> Fixture {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let images = tempfile::tempdir().unwrap();
    let indexes = Arc::new(SearchIndexes::in_memory().unwrap());
    let market = Market::new(
        db.clone(),
        dyn_clock,
        images.path().to_owned(),
        indexes.clone(),
    );
    let feed = SearchFeed::new(db.clone(), indexes);
    let housewares = market
        .create_category(&category(
            None,
            "housewares",
            "家居日用",
            "Housewares",
            vec![],
        ))
        .await
        .unwrap();
    let drinkware = market
        .create_category(&category(
            Some(&housewares),
            "drinkware",
            "水具",
            "Drinkware",
            vec![],
        ))
        .await
        .unwrap();
    let flasks = market
        .create_category(&category(
            Some(&drinkware),
            "vacuum-flasks",
            "保温杯",
            "Vacuum flasks",
            vec![
                spec(
                    "material",
                    AttributeKind::Choice,
                    &["304 stainless steel", "glass"],
                    true,
                ),
                spec("capacity", AttributeKind::Number, &[], true),
                spec("color", AttributeKind::Text, &[], false),
            ],
        ))
        .await
        .unwrap();
    let electronics = market
        .create_category(&category(
            None,
            "electronics",
            "消费电子",
            "Consumer electronics",
            vec![],
        ))
        .await
        .unwrap();
    let earphones = market
        .create_category(&category(
            Some(&electronics),
            "bluetooth-earphones",
            "蓝牙耳机",
            "Bluetooth earphones",
            vec![spec("battery_hours", AttributeKind::Number, &[], false)],
        ))
        .await
        .unwrap();
    Fixture {
        market,
        feed,
        clock,
        db,
        flasks,
        earphones,
        housewares,
        _images: images,
    }
}

fn category(
    parent: Option<&Category>,
    slug: &str,
    name_zh: &str,
    name_en: &str,
    attributes: Vec<AttributeSpec>,
) -> NewCategory {
    NewCategory {
        parent_id: parent.map(|parent| parent.id),
        slug: slug.to_owned(),
        name_zh: name_zh.to_owned(),
        name_en: name_en.to_owned(),
        position: 0,
        attributes,
    }
}

fn spec(key: &str, kind: AttributeKind, choices: &[&str], required: bool) -> AttributeSpec {
    AttributeSpec {
        key: key.to_owned(),
        name_zh: key.to_owned(),
        name_en: key.to_owned(),
        kind,
        unit: None,
        choices: choices.iter().map(|c| (*c).to_owned()).collect(),
        required,
    }
}

impl Fixture {
    /// A company with a storefront in `province`, acting in `role`.
    pub async fn company(&self, name: &str, province: &str, role: Role) -> Scope {
        let company_id = CompanyId::new();
        self.market
            .open_storefront(&StorefrontSeed {
                company_id,
                display_name: name.to_owned(),
                country: "CN".to_owned(),
                province: province.to_owned(),
                city: String::new(),
                staff_size: "51-200".to_owned(),
            })
            .await
            .unwrap();
        Scope::new(company_id, Actor::User(UserId::new()), role)
    }

    /// Someone else at the same company, in another role.
    pub fn colleague(&self, scope: &Scope, role: Role) -> Scope {
        Scope::new(scope.company_id(), Actor::User(UserId::new()), role)
    }

    /// A valid flask product.
    pub fn flask(&self, sku: &str, title_en: &str) -> ProductInput {
        ProductInput {
            sku: sku.to_owned(),
            category_id: self.flasks.id,
            title_zh: "不锈钢真空保温杯 500ml".to_owned(),
            title_en: title_en.to_owned(),
            description: "Double-wall 304 stainless steel, keeps drinks hot for 12 hours."
                .to_owned(),
            attributes: BTreeMap::from([
                ("material".to_owned(), "304 stainless steel".to_owned()),
                ("capacity".to_owned(), "500".to_owned()),
            ]),
            unit: "piece".to_owned(),
            moq: 100,
            price_tiers: vec![
                PriceTier {
                    min_quantity: 100,
                    unit_price_minor: 1250,
                },
                PriceTier {
                    min_quantity: 500,
                    unit_price_minor: 1100,
                },
            ],
            currency: Currency::CNY,
            lead_time_days: 15,
            origin: "Yiwu, Zhejiang".to_owned(),
            available_quantity: 20_000,
            images: Vec::new(),
        }
    }

    /// Delivers every outbox event to the search index.
    pub async fn settle_search(&self) {
        self.feed.catch_up().await.unwrap();
    }
}

/// The `code` of an `Invalid` error, or a panic naming what came instead.
pub fn invalid_code<T: std::fmt::Debug>(result: market::Result<T>) -> (String, &'static str) {
    match result {
        Err(market::MarketError::Invalid { field, code, .. }) => (field, code),
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}

/// The events the tests' actions published, leaving out `StorefrontChanged`,
/// which every fixture company's opening also publishes.
pub async fn event_names(db: &Db) -> Vec<String> {
    use sqlx::Row;
    sqlx::query(
        "SELECT name FROM kernel_outbox WHERE name <> 'StorefrontChanged' ORDER BY position",
    )
    .fetch_all(db.reader())
    .await
    .unwrap()
    .iter()
    .map(|row| row.get::<String, _>("name"))
    .collect()
}
