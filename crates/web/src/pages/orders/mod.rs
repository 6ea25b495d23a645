//! The order pages: the order form on a product page, each side's list of
//! orders, one order with the steps its state, side and role allow, the
//! sandbox carrier, and the operator's disputes and terms of trade. They call
//! the same `trade::Trade` methods as the API; this module holds their router
//! and what they share: names of companies, labels of states and the
//! explanation of a refusal.

mod actions;
mod list;
mod operator_disputes;
mod operator_trade;
pub mod place;
mod record;
mod sandbox_carrier;
mod show;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, post};
use kernel::CompanyId;

use super::Shell;
use super::market::FormError;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// Orders on one page of a list.
const LIST_PAGE_SIZE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/products/{product_id}/order", post(place::place))
        .route("/orders", get(list::show))
        .route("/orders/{order_id}", get(show::show))
        .route("/orders/{order_id}/confirm", post(actions::confirm))
        .route("/orders/{order_id}/decline", post(actions::decline))
        .route("/orders/{order_id}/cancel", post(actions::cancel))
        .route("/orders/{order_id}/pay", post(actions::pay))
        .route("/orders/{order_id}/ship", post(actions::ship))
        .route("/orders/{order_id}/receipt", post(actions::confirm_receipt))
        .route("/orders/{order_id}/refunds", post(actions::request_refund))
        .route(
            "/orders/{order_id}/refunds/{refund_id}/answer",
            post(actions::answer_refund),
        )
        .route(
            "/orders/{order_id}/refunds/{refund_id}/return",
            post(actions::confirm_return),
        )
        .route("/orders/{order_id}/dispute", post(actions::open_dispute))
        .route("/sandbox-carrier", get(sandbox_carrier::show))
        .route(
            "/sandbox-carrier/parcels/{tracking_number}/advance",
            post(sandbox_carrier::advance),
        )
        .route("/operator/disputes", get(operator_disputes::queue))
        .route(
            "/operator/disputes/{dispute_id}",
            get(operator_disputes::show),
        )
        .route(
            "/operator/disputes/{dispute_id}/decide",
            post(operator_disputes::decide),
        )
        .route("/operator/trade", get(operator_trade::show))
        .route("/operator/trade/policy", post(operator_trade::set_policy))
        .route(
            "/operator/trade/categories/{category_id}",
            post(operator_trade::set_category_fee),
        )
}

/// A trade refusal as the pages show it. Not enough stock says how many are
/// left, in the page's language; everything else maps as in the API.
pub fn trade_error(shell: &Shell, error: trade::TradeError) -> ApiError {
    match error {
        trade::TradeError::InsufficientStock { field, available } => ApiError::field(
            ErrorCode::InsufficientStock,
            field,
            shell.t_with(
                "order-only-available",
                &[("available", &available.to_string())],
            ),
        ),
        error => error.into(),
    }
}

/// What to tell a person about a refused order form or step: the field's
/// label and the reason, or the translated rule an order's state broke
/// (`transition-not-paid`), the English detail only when no translation
/// exists. A field path such as `lines[0].quantity` is labelled by its last
/// part, which is what the form asked for.
pub fn explain(shell: &Shell, error: &ApiError) -> FormError {
    let translated = |key: String| {
        let text = shell.t(&key);
        (text != key).then_some(text)
    };
    let message = match (&error.field, error.code, &error.reason) {
        (Some(field), ErrorCode::InvalidField, reason) => {
            let last = field
                .rsplit('.')
                .next()
                .unwrap_or(field)
                .split('[')
                .next()
                .unwrap_or(field);
            let label = translated(format!("label-{}", last.replace('_', "-")))
                .unwrap_or_else(|| field.clone());
            let reason = reason
                .as_deref()
                .and_then(|reason| translated(format!("reason-{}", reason.replace('_', "-"))))
                .unwrap_or_else(|| error.detail.clone());
            format!("{label}: {reason}")
        }
        (_, ErrorCode::InvalidTransition, Some(reason)) => {
            translated(format!("transition-{}", reason.replace('_', "-")))
                .unwrap_or_else(|| error.detail.clone())
        }
        (_, ErrorCode::InsufficientStock, _) => error.detail.clone(),
        _ => shell.error_message(error),
    };
    FormError {
        field: error.field.clone(),
        message,
    }
}

/// The name a state goes by on the pages.
pub fn state_label(shell: &Shell, state: trade::OrderState) -> String {
    shell.t(&format!("order-state-{}", state.as_str()))
}

/// Companies' names as their storefronts show them, each read once per page.
#[derive(Default)]
pub struct CompanyNames(HashMap<CompanyId, String>);

impl CompanyNames {
    pub async fn of(&mut self, state: &AppState, company: CompanyId) -> Result<String, ApiError> {
        if let Some(name) = self.0.get(&company) {
            return Ok(name.clone());
        }
        let name = match state.market.storefront(company).await {
            Ok(storefront) => storefront.display_name,
            // A company whose storefront is not open yet is still a party.
            Err(market::MarketError::NotFound(_)) => company.to_string(),
            Err(error) => return Err(error.into()),
        };
        self.0.insert(company, name.clone());
        Ok(name)
    }
}

/// A rate in basis points as an exact percentage: 250 → `2.5 %`, 125 → `1.25 %`.
pub fn percent(basis_points: i64) -> String {
    let whole = basis_points / 100;
    let rest = (basis_points % 100).abs();
    match rest {
        0 => format!("{whole} %"),
        rest if rest % 10 == 0 => format!("{whole}.{} %", rest / 10),
        rest => format!("{whole}.{rest:02} %"),
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_are_exact() {
        for (basis_points, expected) in [
            (0, "0 %"),
            (200, "2 %"),
            (250, "2.5 %"),
            (125, "1.25 %"),
            (5, "0.05 %"),
            (3_000, "30 %"),
        ] {
            assert_eq!(percent(basis_points), expected);
        }
    }
}
