//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document generated from the
//! handlers' annotations.

pub mod auth;
pub mod company;
pub mod me;
pub mod operator;

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Hanse API", description = "Companies, people, sign-in and API keys of a Hanse network. \
        Errors are RFC 9457 problem details with a stable `code`. Lists take `limit` (at most 200) and `cursor`."),
    tags(
        (name = "auth", description = "Signing up, in and out"),
        (name = "me", description = "The signed-in person, their companies and sessions"),
        (name = "company", description = "The company the request acts for: profile, staff, invitations, API keys"),
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

/// Unknown paths under `/api` get problem JSON, not the HTML 404 page.
pub async fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::not_found()
}
