//! Market, pay and trade on a fresh database, a seller with a flask on the
//! market, a buyer with money, and the job runner with trade's timers.

use std::collections::BTreeMap;
use std::sync::Arc;

use kernel::jobs::{JobRunner, JobRunnerOptions};
use kernel::{
    Actor, Clock, CompanyId, Currency, Db, ManualClock, Money, PageRequest, Role, Scope,
    SystemClock, UserId,
};
use ledger::{GroupCommitOptions, Ledger};
use market::search_feed::SearchIndexes;
use market::{
    Market, NewCategory, PriceTier, ProductId, ProductInput, ProductStatus, StorefrontSeed,
};
use pay::{Pay, PaymentProviders, SandboxBank};
use trade::{Carriers, LineInput, OrderInput, SandboxCarrier, Trade};

pub fn migrations() -> Vec<kernel::migrate::Migration> {
    [
        kernel::migrate::kernel_migrations(),
        ledger::migrations(),
        pay::migrations(),
        market::migrations(),
        trade::migrations(),
    ]
    .concat()
}

pub struct Fixture {
    pub db: Db,
    pub clock: Arc<ManualClock>,
    pub market: Market,
    pub pay: Pay,
    pub trade: Trade,
    pub jobs: JobRunner,
    pub seller: Scope,
    pub buyer: Scope,
    pub flask: ProductId,
    pub top_category: market::CategoryId,
    _images: tempfile::TempDir,
}

/// Stock of the fixture's flask.
pub const STOCK: i64 = 10_000;
/// The flask's price per piece from 100 pieces, and from 500.
pub const PRICE_100: i64 = 1_250;
pub const PRICE_500: i64 = 1_100;

/// Who keeps linked products' stock, when a test has a keeper (the supply chain).
pub struct Keeper {
    pub stock: Arc<dyn trade::StockKeeper>,
    pub linked: market::LinkedStock,
}

pub async fn fixture(db: Db) -> Fixture {
    fixture_kept(db, None).await
}

/// The fixture with `keeper` keeping the stock of the products it links.
pub async fn fixture_kept(db: Db, keeper: Option<Keeper>) -> Fixture {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let images = tempfile::tempdir().unwrap();
    let mut market = Market::new(
        db.clone(),
        dyn_clock.clone(),
        images.path().to_owned(),
        Arc::new(SearchIndexes::in_memory().unwrap()),
    );
    if let Some(keeper) = &keeper {
        market = market.with_linked_stock(keeper.linked.clone());
    }
    let ledger = Ledger::start(db.clone(), dyn_clock.clone(), GroupCommitOptions::default());
    let providers = PaymentProviders::none().with_sandbox(Arc::new(
        SandboxBank::with_random_secret(db.clone(), dyn_clock.clone()),
    ));
    let pay = Pay::new(db.clone(), dyn_clock.clone(), ledger, providers);
    let carriers = Carriers::none().with_sandbox(Arc::new(SandboxCarrier::with_random_secret(
        db.clone(),
        dyn_clock.clone(),
    )));
    let mut trade = Trade::new(
        db.clone(),
        dyn_clock.clone(),
        market.clone(),
        pay.clone(),
        carriers,
    );
    if let Some(keeper) = keeper {
        trade = trade.with_stock_keeper(keeper.stock);
    }
    let jobs = JobRunner::new(
        db.clone(),
        dyn_clock.clone(),
        trade::timers::handlers(&trade),
        JobRunnerOptions::default(),
    );
    let housewares = market
        .create_category(&category(None, "housewares"))
        .await
        .unwrap();
    let flasks = market
        .create_category(&category(Some(housewares.id), "vacuum-flasks"))
        .await
        .unwrap();
    let seller = company(&market, "CN").await;
    let buyer = company(&market, "CN").await;
    let product = market
        .create_product(&seller, &flask_input(flasks.id, "FL-500", STOCK))
        .await
        .unwrap();
    market
        .set_product_status(&seller, product.id, ProductStatus::Published)
        .await
        .unwrap();
    let fixture = Fixture {
        db,
        clock,
        market,
        pay,
        trade,
        jobs,
        seller,
        buyer,
        flask: product.id,
        top_category: housewares.id,
        _images: images,
    };
    fixture.fund(&fixture.buyer, 100_000_000).await;
    fixture
}

fn category(parent: Option<market::CategoryId>, slug: &str) -> NewCategory {
    NewCategory {
        parent_id: parent,
        slug: slug.to_owned(),
        name_zh: slug.to_owned(),
        name_en: slug.to_owned(),
        position: 0,
        attributes: vec![],
    }
}

pub fn flask_input(category_id: market::CategoryId, sku: &str, stock: i64) -> ProductInput {
    ProductInput {
        sku: sku.to_owned(),
        category_id,
        title_zh: "不锈钢真空保温杯 500ml".to_owned(),
        title_en: "Vacuum flask 500 ml".to_owned(),
        description: String::new(),
        attributes: BTreeMap::new(),
        unit: "piece".to_owned(),
        moq: 100,
        price_tiers: vec![
            PriceTier {
                min_quantity: 100,
                unit_price_minor: PRICE_100,
            },
            PriceTier {
                min_quantity: 500,
                unit_price_minor: PRICE_500,
            },
        ],
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: "Yiwu".to_owned(),
        available_quantity: stock,
        images: Vec::new(),
    }
}

/// A company with a storefront in `country`, acting as its owner.
pub async fn company(market: &Market, country: &str) -> Scope {
    let company_id = CompanyId::new();
    market
        .open_storefront(&StorefrontSeed {
            company_id,
            display_name: format!("company {company_id}"),
            country: country.to_owned(),
            province: String::new(),
            city: String::new(),
            staff_size: "51-200".to_owned(),
        })
        .await
        .unwrap();
    Scope::new(company_id, Actor::User(UserId::new()), Role::Owner)
}

pub fn colleague(scope: &Scope, role: Role) -> Scope {
    Scope::new(scope.company_id(), Actor::User(UserId::new()), role)
}

impl Fixture {
    /// Tops a wallet up through the sandbox bank, confirmed at once.
    pub async fn fund(&self, scope: &Scope, minor: i64) {
        let top_up = self
            .pay
            .start_top_up(scope, Money::new(minor, Currency::CNY))
            .await
            .unwrap();
        let viewer = pay::sandbox::SandboxViewer::of(scope);
        let page = self
            .pay
            .sandbox_operations(viewer, PageRequest::first())
            .await
            .unwrap();
        let operation = page
            .items
            .iter()
            .find(|op| op.reference == top_up.id.to_string())
            .unwrap();
        self.pay
            .sandbox_settle(viewer, operation.id, true)
            .await
            .unwrap();
    }

    /// (available, reserved) of a company's CNY wallet, in minor units.
    pub async fn wallet(&self, company: CompanyId) -> (i64, i64) {
        let scope = Scope::new(company, Actor::User(UserId::new()), Role::Owner);
        self.pay
            .balances(&scope)
            .await
            .unwrap()
            .iter()
            .find(|b| b.currency == Currency::CNY)
            .map_or((0, 0), |b| (b.available.minor, b.reserved.minor))
    }

    pub fn order_input(&self, quantity: i64) -> OrderInput {
        OrderInput {
            lines: vec![LineInput {
                product_id: self.flask,
                quantity,
            }],
            delivery_address: "Vogel Haushalt GmbH\nSpeicherstadt 1, Hamburg".to_owned(),
            buyer_note: String::new(),
            terms: String::new(),
        }
    }

    pub async fn available(&self, product: ProductId) -> i64 {
        self.market.published_product(product).await.map_or_else(
            |_| {
                panic!("the product is on the market");
            },
            |product| product.available_quantity,
        )
    }

    /// Places, confirms and pays an order of `quantity` flasks.
    pub async fn paid_order(&self, quantity: i64) -> trade::Order {
        let order = self
            .trade
            .place_order(&self.buyer, &self.order_input(quantity))
            .await
            .unwrap();
        self.trade
            .confirm_order(&self.seller, order.id, &trade::ConfirmInput::default())
            .await
            .unwrap();
        self.trade.pay_order(&self.buyer, order.id).await.unwrap()
    }

    /// A paid order shipped with the sandbox carrier.
    pub async fn shipped_order(&self, quantity: i64) -> (trade::Order, trade::Shipment) {
        let order = self.paid_order(quantity).await;
        let shipment = self
            .trade
            .ship_order(&self.seller, order.id, &sandbox_shipment())
            .await
            .unwrap();
        (
            self.trade.order(&self.buyer, order.id).await.unwrap(),
            shipment,
        )
    }

    /// Moves the sandbox parcel on until it is delivered.
    pub async fn deliver(&self, tracking_number: &str) {
        for _ in 0..10 {
            match self
                .trade
                .sandbox_carrier_advance(&self.seller, tracking_number)
                .await
            {
                Ok(()) => {}
                Err(trade::TradeError::State {
                    code: "parcel_delivered",
                    ..
                }) => return,
                Err(error) => panic!("the sandbox carrier failed: {error}"),
            }
        }
        panic!("the parcel never arrived");
    }

    pub async fn event_names(&self) -> Vec<String> {
        use sqlx::Row;
        sqlx::query("SELECT name FROM kernel_outbox ORDER BY position")
            .fetch_all(self.db.reader())
            .await
            .unwrap()
            .iter()
            .map(|row| row.get::<String, _>(0))
            .collect()
    }

    /// The ledger balances, every account within its limits.
    pub async fn assert_ledger_balances(&self) {
        let check = ledger::check::check(&self.db).await.unwrap();
        assert!(check.balanced(), "the ledger balances: {check:?}");
    }
}

pub fn sandbox_shipment() -> trade::ShipInput {
    trade::ShipInput {
        carrier: "sandbox".to_owned(),
        tracking_number: String::new(),
        packing_list: Vec::new(),
    }
}

/// The code of a state refusal, or a panic naming what came instead.
pub fn state_code<T: std::fmt::Debug>(result: trade::Result<T>) -> &'static str {
    match result {
        Err(trade::TradeError::State { code, .. }) => code,
        other => panic!("expected a state refusal, got {other:?}"),
    }
}

/// The field and code of an invalid-input refusal (trade's or market's).
pub fn invalid<T: std::fmt::Debug>(result: trade::Result<T>) -> (String, &'static str) {
    match result {
        Err(trade::TradeError::Invalid { field, code, .. }) => (field, code),
        Err(trade::TradeError::Market(market::MarketError::Invalid { field, code, .. })) => {
            (field, code)
        }
        other => panic!("expected an invalid-input error, got {other:?}"),
    }
}
