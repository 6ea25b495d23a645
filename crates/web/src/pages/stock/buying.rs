//! Buying from the item page and the replenishment page: an item's reorder
//! point and quantity, a supplier's price for it, how the company wants to
//! be replenished, what the daily run proposed, and running it now.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use kernel::{Money, PageRequest};
use scm::{
    Item, ItemId, ItemUpdate, Proposal, ReplenishOutcome, ReplenishWith, SettingsInput,
    SupplierPriceInput,
};
use serde::Deserialize;

use super::item::item_page;
use super::{NoticeQuery, id_of, whole};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pages::{Shell, done, respond};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ReorderForm {
    #[serde(default)]
    reorder_point: String,
    #[serde(default)]
    reorder_quantity: String,
}

pub async fn reorder(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<ItemId>,
    Form(form): Form<ReorderForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let change = ItemUpdate {
            name: None,
            reorder_point: Some(whole("reorder_point", &form.reorder_point)?),
            reorder_quantity: Some(whole("reorder_quantity", &form.reorder_quantity)?),
        };
        state.scm.update_item(&member.scope, id, &change).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/items/{id}"), "reorder-set"),
        Err(error) => item_page(&shell, id, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct PriceForm {
    #[serde(default)]
    supplier_id: String,
    #[serde(default)]
    unit_price: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    lead_time_days: String,
    #[serde(default)]
    supplier_sku: String,
}

pub async fn set_price(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<ItemId>,
    Form(form): Form<PriceForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let item = state.scm.item(&member.scope, id).await?;
        let price =
            Money::parse_decimal(form.unit_price.trim(), item.cost_currency).map_err(|_| {
                ApiError::field(
                    ErrorCode::InvalidField,
                    "unit_price_minor",
                    "an amount such as 12.50",
                )
            })?;
        let input = SupplierPriceInput {
            unit_price_minor: price.minor,
            currency: item.cost_currency,
            unit: (!form.unit.trim().is_empty()).then(|| form.unit.trim().to_owned()),
            lead_time_days: whole("lead_time_days", &form.lead_time_days)?,
            supplier_sku: form.supplier_sku.clone(),
            product_id: None,
        };
        let supplier = id_of("supplier_id", &form.supplier_id)?;
        state
            .scm
            .set_supplier_price(&member.scope, supplier, id, &input)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/items/{id}"), "price-set"),
        Err(error) => item_page(&shell, id, None, Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "stock/replenishment.html")]
struct ReplenishmentPage<'a> {
    shell: &'a Shell,
    replenish_with: ReplenishWith,
    choices: &'static [ReplenishWith],
    proposals: Vec<Proposal>,
    items: HashMap<ItemId, Item>,
    may_purchase: bool,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl ReplenishmentPage<'_> {
    fn choice_name(&self, choice: &ReplenishWith) -> String {
        self.shell
            .t(&format!("stock-replenish-{}", choice.as_str()))
    }

    fn outcome_name(&self, outcome: &ReplenishOutcome) -> String {
        self.shell.t(&format!("stock-outcome-{}", outcome.as_str()))
    }

    fn item_name(&self, id: &ItemId) -> String {
        self.items.get(id).map_or_else(
            || id.to_string(),
            |item| format!("{} {}", item.sku, item.name),
        )
    }

    fn quantity(&self, proposal: &Proposal) -> String {
        let unit = self
            .items
            .get(&proposal.item_id)
            .map_or("", |item| item.unit.as_str());
        format!("{} {unit}", proposal.quantity)
    }

    fn when(&self, proposal: &Proposal) -> String {
        self.shell.time(&proposal.ran_at)
    }

    /// Items (of the first page) whose stock on hand is at or under their
    /// reorder point; what is held or on order is the proposals' business.
    fn short_items(&self) -> Vec<&Item> {
        let mut short: Vec<&Item> = self
            .items
            .values()
            .filter(|item| item.reorder_point > 0 && item.on_hand <= item.reorder_point)
            .collect();
        short.sort_by(|a, b| a.sku.cmp(&b.sku));
        short
    }
}

async fn replenishment_page(
    shell: &Shell,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let all = PageRequest::new(None, Some(kernel::page::PAGE_SIZE_MAX));
        let items = state.scm.items(scope, all).await?.items;
        Ok::<_, ApiError>(ReplenishmentPage {
            shell,
            replenish_with: state.scm.settings(scope).await?.replenish_with,
            choices: ReplenishWith::ALL,
            proposals: state
                .scm
                .proposals(scope, PageRequest::first())
                .await?
                .items,
            items: items.into_iter().map(|item| (item.id, item)).collect(),
            may_purchase: scm::may_purchase(scope.role()),
            may_keep: scm::may_keep_stock(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<NoticeQuery>) -> Response {
    replenishment_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct ReplenishForm {
    #[serde(default)]
    replenish_with: String,
}

pub async fn settings(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<ReplenishForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let choice = ReplenishWith::parse(&form.replenish_with).ok_or_else(|| {
            ApiError::field(ErrorCode::InvalidField, "replenish_with", "choose one")
        })?;
        let change = SettingsInput {
            replenish_with: Some(choice),
            ..SettingsInput::default()
        };
        state.scm.update_settings(&member.scope, &change).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/stock/replenishment", "replenish-set"),
        Err(error) => replenishment_page(&shell, None, Some(error)).await,
    }
}

pub async fn run(State(state): State<AppState>, shell: Shell) -> Response {
    let result = async {
        let member = shell.member().await?;
        Ok::<_, ApiError>(state.scm.replenish_now(&member.scope).await?)
    }
    .await;
    match result {
        Ok(proposals) if proposals.is_empty() => done("/stock/replenishment", "replenish-nothing"),
        Ok(_) => done("/stock/replenishment", "replenish-proposed"),
        Err(error) => replenishment_page(&shell, None, Some(error)).await,
    }
}
