//! `/stock`: the company's items with their stock and value, the levels per
//! warehouse (on hand, held for orders, free), the market products an item
//! keeps, the forms to add an item and link a product, and the CSV files of
//! items, suppliers and stock to download and import.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use kernel::{Currency, PageRequest};
use scm::{
    Item, ItemId, ItemInput, LinkInput, LocationId, ProductLink, UnitConversion, WarehouseStock,
};
use serde::Deserialize;

use super::{NoticeQuery, id_of, locations_of, names, whole};
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath};
use crate::pages::books::amount;
use crate::pages::market::upload_action;
use crate::pages::{Shell, done, respond};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "stock/overview.html")]
struct OverviewPage<'a> {
    shell: &'a Shell,
    items: Vec<Item>,
    levels: Vec<WarehouseStock>,
    links: Vec<(ProductLink, String)>,
    products: Vec<market::Product>,
    warehouses: Vec<scm::Location>,
    location_names: HashMap<LocationId, String>,
    item_skus: HashMap<ItemId, String>,
    currencies: Vec<Currency>,
    may_keep: bool,
    may_purchase: bool,
    /// The bad rows of a refused import.
    bad_rows: Vec<market::product_csv::RowError>,
    /// Where each import form posts (with the CSRF token, for multipart).
    upload_items: String,
    upload_suppliers: String,
    upload_stock: String,
    error: Option<String>,
    notice: Option<String>,
}

impl OverviewPage<'_> {
    fn value(&self, item: &Item) -> String {
        amount(item.stock_value_minor, item.cost_currency)
    }

    fn place(&self, id: &LocationId) -> String {
        self.location_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn sku(&self, id: &ItemId) -> String {
        self.item_skus
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

pub(super) async fn overview_page(
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
        let locations = locations_of(state, scope).await?;
        let mut links = Vec::new();
        for link in state.scm.product_links(scope, all).await?.items {
            let title = match state.market.own_product(scope, link.product_id).await {
                Ok(product) => {
                    crate::pages::books::name_in(shell, &product.title_zh, &product.title_en)
                        .to_owned()
                }
                Err(_) => link.product_id.to_string(),
            };
            links.push((link, title));
        }
        Ok::<_, ApiError>(OverviewPage {
            shell,
            levels: state.scm.warehouse_stock(scope, None, all).await?.items,
            products: state.market.own_products(scope, None, all).await?.items,
            warehouses: locations
                .iter()
                .filter(|l| l.kind == scm::LocationKind::Warehouse)
                .cloned()
                .collect(),
            location_names: names(&locations),
            item_skus: items
                .iter()
                .map(|item| (item.id, item.sku.clone()))
                .collect(),
            items,
            links,
            currencies: vec![Currency::CNY, Currency::USD, Currency::EUR],
            may_keep: scm::may_keep_stock(scope.role()),
            may_purchase: scm::may_purchase(scope.role()),
            bad_rows: error.as_ref().map(|e| e.rows.clone()).unwrap_or_default(),
            upload_items: upload_action(shell, "/stock/import/items"),
            upload_suppliers: upload_action(shell, "/stock/import/suppliers"),
            upload_stock: upload_action(shell, "/stock/import/stock"),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<NoticeQuery>) -> Response {
    overview_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    sku: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    cost_currency: String,
    #[serde(default)]
    other_unit: String,
    #[serde(default)]
    other_factor: String,
    #[serde(default)]
    reorder_point: String,
}

impl ItemForm {
    fn input(&self) -> Result<ItemInput, ApiError> {
        let units = if self.other_unit.trim().is_empty() {
            Vec::new()
        } else {
            vec![UnitConversion {
                unit: self.other_unit.trim().to_owned(),
                factor: whole("other_factor", &self.other_factor)?,
            }]
        };
        Ok(ItemInput {
            sku: self.sku.clone(),
            name: self.name.clone(),
            unit: self.unit.clone(),
            cost_currency: id_of("cost_currency", &self.cost_currency)?,
            lot_tracked: false,
            reorder_point: if self.reorder_point.trim().is_empty() {
                0
            } else {
                whole("reorder_point", &self.reorder_point)?
            },
            reorder_quantity: 0,
            units,
        })
    }
}

pub async fn create_item(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<ItemForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = form.input()?;
        Ok::<_, ApiError>(state.scm.create_item(&member.scope, &input).await?)
    }
    .await;
    match result {
        Ok(item) => done(&format!("/stock/items/{}", item.id), "item-created"),
        Err(error) => overview_page(&shell, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    warehouse_id: String,
}

pub async fn link(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<LinkForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = LinkInput {
            product_id: id_of("product_id", &form.product_id)?,
            item_id: id_of("item_id", &form.item_id)?,
            warehouse_id: if form.warehouse_id.is_empty() {
                None
            } else {
                Some(id_of("warehouse_id", &form.warehouse_id)?)
            },
        };
        state.scm.link_product(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/stock", "linked"),
        Err(error) => overview_page(&shell, None, Some(error)).await,
    }
}

pub async fn unlink(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(product): IdPath<market::ProductId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.scm.unlink_product(&member.scope, product).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/stock", "unlinked"),
        Err(error) => overview_page(&shell, None, Some(error)).await,
    }
}
