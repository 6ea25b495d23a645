//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document generated from the
//! handlers' annotations.

pub mod auth;
pub mod books;
pub mod carrier_webhook;
pub mod company;
pub mod contract;
pub mod market;
pub mod me;
pub mod operator;
pub mod orders;
pub mod pay_webhook;
pub mod sandbox_bank;
pub mod sandbox_carrier;
pub mod scm;
pub mod wallet;

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use wallet as api_wallet;

#[derive(OpenApi)]
#[openapi(
    info(title = "Hanse API", description = "Companies, people, sign-in and API keys of a Hanse network, its market, the orders between its companies and each company's books and supply chain. \
        Errors are RFC 9457 problem details with a stable `code`. Lists take `limit` (at most 200) and `cursor`."),
    tags(
        (name = "auth", description = "Signing up, in and out"),
        (name = "me", description = "The signed-in person, their companies and sessions"),
        (name = "company", description = "The company the request acts for: profile, staff, invitations, API keys"),
        (name = "wallet", description = "The company's money: balances, statement, top-ups, withdrawals, bank accounts"),
        (name = "pay", description = "Payment providers' webhooks and the sandbox bank"),
        (name = "market", description = "Search, categories, products, storefronts, images, buying requests and quotations"),
        (name = "orders", description = "Orders between companies: placing, confirming, paying into escrow, shipping, \
            receipt, refunds and disputes; carriers' tracking webhooks and the sandbox carrier"),
        (name = "books", description = "The company's own double-entry books: settings, chart of accounts, journal entries, \
            periods, reports (JSON and CSV) and the reconciliation with its wallet and escrow"),
        (name = "scm", description = "The company's supply chain: items and units, warehouses, zones and bins, stock moves, \
            levels and valuation, the market products an item keeps, suppliers, purchase orders and receipts"),
        (name = "operator", description = "For the network's operator")
    ),
    components(schemas(crate::error::Problem, crate::error::ErrorCode)),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::extract::auth::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes, and the OpenAPI document describing them as served.
pub fn router() -> (Router<AppState>, serde_json::Value) {
    let money_moving = money_moving_routes();
    let key_required = contract::operations_of(money_moving.get_openapi());
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::signup::handler))
        .routes(routes!(auth::signin::handler))
        .routes(routes!(auth::signout::handler))
        .routes(routes!(me::show::handler))
        .routes(routes!(me::switch_company::handler))
        .routes(routes!(me::sessions::list))
        .routes(routes!(me::sessions::revoke))
        .routes(routes!(company::register::handler))
        .routes(routes!(company::show::handler))
        .routes(routes!(company::staff::list))
        .routes(routes!(
            company::staff::show,
            company::staff::update,
            company::staff::remove
        ))
        .routes(routes!(
            company::invitations::list,
            company::invitations::create
        ))
        .routes(routes!(company::invitations::revoke))
        .routes(routes!(company::invitations::accept))
        .routes(routes!(company::api_keys::list, company::api_keys::create))
        .routes(routes!(company::api_keys::revoke))
        .routes(routes!(operator::companies::list))
        .routes(routes!(operator::ledger::show))
        .routes(routes!(operator::repairs::list))
        .routes(routes!(api_wallet::balances::handler))
        .routes(routes!(api_wallet::statement::list))
        .routes(routes!(api_wallet::statement::csv))
        .routes(routes!(api_wallet::top_ups::list))
        .routes(routes!(api_wallet::withdrawals::list))
        .routes(routes!(
            api_wallet::bank_accounts::list,
            api_wallet::bank_accounts::create
        ))
        .routes(routes!(api_wallet::bank_accounts::remove))
        .routes(routes!(pay_webhook::handler))
        .routes(routes!(sandbox_bank::list))
        .routes(routes!(operator::market::create_category))
        .routes(routes!(operator::market::update_settings))
        .merge(books_routes())
        .merge(scm_routes())
        .merge(market_routes())
        .merge(order_routes())
        .merge(upload_routes())
        .merge(money_moving)
        .split_for_parts();
    let document = contract::complete(&openapi, &key_required);
    // Written once: the document is the same for every request.
    let served = bytes::Bytes::from(serde_json::to_vec(&document).unwrap_or_default());
    let router = router.route(
        "/api/v1/openapi.json",
        get(move || {
            let body = served.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    body,
                )
            }
        }),
    );
    (router, document)
}

/// The company's books, and the operator's reconciliation across members.
fn books_routes() -> OpenApiRouter<AppState> {
    use books::{
        accounts, attachments, bank, entries, invoices, periods, rates, reconciliation, reports,
        settings, vat,
    };
    OpenApiRouter::new()
        .routes(routes!(settings::show, settings::update))
        .routes(routes!(accounts::list, accounts::create))
        .routes(routes!(accounts::update))
        .routes(routes!(reports::general_ledger))
        .routes(routes!(reports::general_ledger_csv))
        .routes(routes!(entries::list, entries::create))
        .routes(routes!(entries::show, entries::remove))
        .routes(routes!(entries::post))
        .routes(routes!(entries::reverse))
        .routes(routes!(entries::csv))
        .routes(routes!(attachments::list))
        .routes(routes!(attachments::download, attachments::remove))
        .routes(routes!(invoices::list, invoices::create))
        .routes(routes!(invoices::show))
        .routes(routes!(invoices::pay))
        .routes(routes!(invoices::credit))
        .routes(routes!(invoices::aging))
        .routes(routes!(invoices::aging_csv))
        .routes(routes!(bank::list))
        .routes(routes!(bank::match_line))
        .routes(routes!(bank::post_line))
        .routes(routes!(rates::list, rates::set))
        .routes(routes!(rates::remove))
        .routes(routes!(periods::list))
        .routes(routes!(periods::lock))
        .routes(routes!(periods::unlock))
        .routes(routes!(reports::trial_balance))
        .routes(routes!(reports::trial_balance_csv))
        .routes(routes!(reports::profit_and_loss))
        .routes(routes!(reports::profit_and_loss_csv))
        .routes(routes!(reports::balance_sheet))
        .routes(routes!(reports::balance_sheet_csv))
        .routes(routes!(vat::show))
        .routes(routes!(vat::csv))
        .routes(routes!(reconciliation::show))
        .routes(routes!(reconciliation::network))
}

/// The company's supply chain.
fn scm_routes() -> OpenApiRouter<AppState> {
    use scm::{
        counts, files, items, links, locations, moves, purchase_orders, replenishment, send,
        settings, stock, suppliers,
    };
    OpenApiRouter::new()
        .routes(routes!(settings::show, settings::update))
        .routes(routes!(items::list, items::create))
        .routes(routes!(items::show, items::update))
        .routes(routes!(items::suppliers))
        .routes(routes!(items::stock))
        .routes(routes!(items::stock_before))
        .routes(routes!(locations::list, locations::create))
        .routes(routes!(locations::show))
        .routes(routes!(moves::list, moves::create))
        .routes(routes!(moves::batch))
        .routes(routes!(stock::levels))
        .routes(routes!(stock::valuation))
        .routes(routes!(stock::csv))
        .routes(routes!(files::items_csv))
        .routes(routes!(files::suppliers_csv))
        .routes(routes!(links::list, links::create))
        .routes(routes!(links::remove))
        .routes(routes!(suppliers::list, suppliers::create))
        .routes(routes!(suppliers::show))
        .routes(routes!(suppliers::prices))
        .routes(routes!(suppliers::set_price, suppliers::remove_price))
        .routes(routes!(counts::list, counts::open))
        .routes(routes!(counts::show))
        .routes(routes!(counts::enter))
        .routes(routes!(counts::post))
        .routes(routes!(counts::cancel))
        .routes(routes!(replenishment::list))
        .routes(routes!(replenishment::run))
        .routes(routes!(purchase_orders::list, purchase_orders::create))
        .routes(routes!(purchase_orders::show))
        .routes(routes!(purchase_orders::place))
        .routes(routes!(purchase_orders::cancel))
        .routes(routes!(purchase_orders::receive))
        .routes(routes!(purchase_orders::return_goods))
        .routes(routes!(send::send))
}

/// The marketplace: public reading, the own catalog, buying requests and quotations.
fn market_routes() -> OpenApiRouter<AppState> {
    use market::{catalog, quotations, rfqs, search, storefronts};
    OpenApiRouter::new()
        .routes(routes!(search::products))
        .routes(routes!(search::suggestions))
        .routes(routes!(search::rfqs))
        .routes(routes!(catalog::categories))
        .routes(routes!(storefronts::product))
        .routes(routes!(storefronts::show))
        .routes(routes!(storefronts::products))
        .routes(routes!(storefronts::own, storefronts::update))
        .routes(routes!(catalog::list, catalog::create))
        .routes(routes!(catalog::show, catalog::update))
        .routes(routes!(catalog::set_status))
        .routes(routes!(catalog::export))
        .routes(routes!(rfqs::board))
        .routes(routes!(rfqs::public))
        .routes(routes!(rfqs::list, rfqs::create))
        .routes(routes!(rfqs::show))
        .routes(routes!(rfqs::close))
        .routes(routes!(rfqs::matched))
        .routes(routes!(quotations::send))
        .routes(routes!(quotations::sent))
        .routes(routes!(quotations::show))
        .routes(routes!(quotations::accept))
        .routes(routes!(quotations::decline))
        .routes(routes!(quotations::quota))
}

/// Orders for both sides, carriers' webhooks, the sandbox carrier and the
/// operator's side of trade; the steps that move money are in
/// `money_moving_routes`.
fn order_routes() -> OpenApiRouter<AppState> {
    use axum::extract::DefaultBodyLimit;
    let webhooks = OpenApiRouter::new()
        .routes(routes!(carrier_webhook::handler))
        .layer(DefaultBodyLimit::max(
            ::trade::carrier::WEBHOOK_BODY_BYTES_MAX,
        ));
    OpenApiRouter::new()
        .routes(routes!(orders::place::place, orders::list::handler))
        .routes(routes!(orders::show::handler))
        .routes(routes!(orders::place::cancel))
        .routes(routes!(orders::seller::confirm))
        .routes(routes!(orders::seller::decline))
        .routes(routes!(orders::shipping::ship))
        .routes(routes!(orders::refunds::request))
        .routes(routes!(orders::dispute::open))
        .routes(routes!(sandbox_carrier::list))
        .routes(routes!(sandbox_carrier::advance))
        .routes(routes!(operator::disputes::list))
        .routes(routes!(operator::disputes::order))
        .routes(routes!(
            operator::terms::policy,
            operator::terms::set_policy
        ))
        .routes(routes!(operator::terms::category_fees))
        .routes(routes!(
            operator::terms::set_category_fee,
            operator::terms::remove_category_fee
        ))
        .merge(webhooks)
}

/// Uploads, each with its own cap: images, product files, opening
/// balances, bank statements and the supply chain's files.
fn upload_routes() -> OpenApiRouter<AppState> {
    use axum::extract::DefaultBodyLimit;
    let images = OpenApiRouter::new()
        .routes(routes!(market::images::upload))
        .layer(DefaultBodyLimit::max(market::images::IMAGE_BODY_BYTES_MAX));
    let import = OpenApiRouter::new()
        .routes(routes!(market::catalog::import))
        .layer(DefaultBodyLimit::max(
            ::market::product_csv::IMPORT_BYTES_MAX,
        ));
    let opening_balances = OpenApiRouter::new()
        .routes(routes!(books::opening::import))
        .layer(DefaultBodyLimit::max(::books::OPENING_CSV_BYTES_MAX));
    let bank_statements = OpenApiRouter::new()
        .routes(routes!(books::bank::import))
        .layer(DefaultBodyLimit::max(::books::BANK_CSV_BYTES_MAX));
    let attachments = OpenApiRouter::new()
        .routes(routes!(books::attachments::upload))
        .layer(DefaultBodyLimit::max(
            books::attachments::ATTACHMENT_BODY_BYTES_MAX,
        ));
    let supply_chain = OpenApiRouter::new()
        .routes(routes!(scm::files::import_items))
        .routes(routes!(scm::files::import_suppliers))
        .routes(routes!(scm::files::import_stock))
        .layer(DefaultBodyLimit::max(::scm::IMPORT_BYTES_MAX));
    images
        .merge(import)
        .merge(opening_balances)
        .merge(bank_statements)
        .merge(attachments)
        .merge(supply_chain)
}

/// POSTs that move money: an `Idempotency-Key` is required, so a retry after a
/// lost answer can never pay twice.
fn money_moving_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api_wallet::top_ups::create))
        .routes(routes!(api_wallet::withdrawals::create))
        // The sandbox bank's confirmation credits or pays out money too.
        .routes(routes!(sandbox_bank::confirm))
        .routes(routes!(sandbox_bank::fail))
        // A repair posts or voids a withdrawal's reservation.
        .routes(routes!(operator::repairs::repair))
        // An order's escrow: held, released to the seller, refunded, divided.
        .routes(routes!(orders::payment::pay))
        .routes(routes!(orders::payment::confirm_receipt))
        .routes(routes!(orders::refunds::answer))
        .routes(routes!(orders::refunds::return_received))
        .routes(routes!(operator::disputes::resolve))
        .route_layer(axum::middleware::from_fn(crate::idempotency::require_key))
}

/// Unknown paths under `/api` get problem JSON, not the HTML 404 page.
pub async fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::not_found()
}
