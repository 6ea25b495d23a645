//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document generated from the
//! handlers' annotations.

pub mod auth;
pub mod company;
pub mod me;
pub mod operator;
pub mod pay_webhook;
pub mod sandbox_bank;
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
    info(title = "Hanse API", description = "Companies, people, sign-in and API keys of a Hanse network. \
        Errors are RFC 9457 problem details with a stable `code`. Lists take `limit` (at most 200) and `cursor`."),
    tags(
        (name = "auth", description = "Signing up, in and out"),
        (name = "me", description = "The signed-in person, their companies and sessions"),
        (name = "company", description = "The company the request acts for: profile, staff, invitations, API keys"),
        (name = "wallet", description = "The company's money: balances, statement, top-ups, withdrawals, bank accounts"),
        (name = "pay", description = "Payment providers' webhooks and the sandbox bank"),
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

/// The API routes, and the OpenAPI document describing them.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
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
        .merge(money_moving_routes())
        .split_for_parts();
    let document = openapi.clone();
    let router = router.route(
        "/api/v1/openapi.json",
        get(move || {
            let document = document.clone();
            async move { axum::Json(document) }
        }),
    );
    (router, openapi)
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
        .route_layer(axum::middleware::from_fn(crate::idempotency::require_key))
}

/// Unknown paths under `/api` get problem JSON, not the HTML 404 page.
pub async fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::not_found()
}
