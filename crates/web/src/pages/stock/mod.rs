//! The supply-chain pages: the stock overview (items, levels, the products
//! an item keeps), one item's stock and moves with a move form, the
//! locations, purchase orders with suppliers, receipts and returns, count
//! sheets, supplier prices and replenishment, and the valuation. They call the same `scm::Scm` methods as the API.

mod buying;
mod counts;
mod files;
mod item;
mod locations;
mod overview;
mod purchases;
mod valuation;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};
use kernel::{PageRequest, Scope};
use scm::{Location, LocationId};

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stock", get(overview::show))
        .route("/stock/items", post(overview::create_item))
        .route(
            "/stock/import/items",
            post(files::items).layer(files::upload_limit()),
        )
        .route(
            "/stock/import/suppliers",
            post(files::suppliers).layer(files::upload_limit()),
        )
        .route(
            "/stock/import/stock",
            post(files::stock).layer(files::upload_limit()),
        )
        .route("/stock/links", post(overview::link))
        .route("/stock/links/{product_id}/remove", post(overview::unlink))
        .route("/stock/items/{item_id}", get(item::show))
        .route("/stock/items/{item_id}/reorder", post(buying::reorder))
        .route("/stock/items/{item_id}/prices", post(buying::set_price))
        .route("/stock/replenishment", get(buying::show))
        .route("/stock/replenishment/settings", post(buying::settings))
        .route("/stock/replenishment/run", post(buying::run))
        .route("/stock/counts", get(counts::list).post(counts::open))
        .route("/stock/counts/{count_id}", get(counts::show))
        .route("/stock/counts/{count_id}/lines", post(counts::enter))
        .route("/stock/counts/{count_id}/post", post(counts::post))
        .route("/stock/counts/{count_id}/cancel", post(counts::cancel))
        .route("/stock/moves", post(item::move_stock))
        .route(
            "/stock/locations",
            get(locations::show).post(locations::create),
        )
        .route("/stock/settings", post(locations::set_default))
        .route(
            "/stock/purchases",
            get(purchases::list).post(purchases::create),
        )
        .route("/stock/suppliers", post(purchases::create_supplier))
        .route("/stock/purchases/{purchase_order_id}", get(purchases::show))
        .route(
            "/stock/purchases/{purchase_order_id}/place",
            post(purchases::place),
        )
        .route(
            "/stock/purchases/{purchase_order_id}/cancel",
            post(purchases::cancel),
        )
        .route(
            "/stock/purchases/{purchase_order_id}/receive",
            post(purchases::receive),
        )
        .route(
            "/stock/purchases/{purchase_order_id}/return",
            post(purchases::return_goods),
        )
        .route(
            "/stock/purchases/{purchase_order_id}/send-to-market",
            post(purchases::send_to_market),
        )
        .route("/stock/valuation", get(valuation::show))
        .route("/stock/valuation/method", post(valuation::set_method))
}

/// A page's query: the notice of the change that led back to it.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// The company's locations (the first 200, which is every location of all
/// but the largest members), by id, to name them on every page.
pub(crate) async fn locations_of(
    state: &AppState,
    scope: &Scope,
) -> Result<Vec<Location>, ApiError> {
    let page = PageRequest::new(None, Some(kernel::page::PAGE_SIZE_MAX));
    Ok(state.scm.locations(scope, page).await?.items)
}

/// `WH1 主仓库` for a location id, or the id when it is not among `locations`.
pub(crate) fn names(locations: &[Location]) -> HashMap<LocationId, String> {
    locations
        .iter()
        .map(|location| {
            (
                location.id,
                format!("{} · {}", location.code, location.name),
            )
        })
        .collect()
}

/// A whole number typed in a form, or the field named as the one at fault.
pub(crate) fn whole(field: &str, text: &str) -> Result<i64, ApiError> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| ApiError::field(ErrorCode::InvalidField, field, "a whole number"))
}

/// An id typed or chosen in a form, or the field named as the one at fault.
pub(crate) fn id_of<T: std::str::FromStr>(field: &str, text: &str) -> Result<T, ApiError> {
    text.trim()
        .parse::<T>()
        .map_err(|_| ApiError::field(ErrorCode::InvalidField, field, "choose one"))
}
