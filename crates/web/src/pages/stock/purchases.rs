//! `/stock/purchases`: purchase orders (drafted here, or mirrored from the
//! market orders the company placed), suppliers, and one order's page with
//! sending, cancelling and receiving its goods.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use kernel::{Currency, Money, PageRequest};
use scm::{
    Item, ItemId, Location, LocationId, PurchaseInput, PurchaseLineInput, PurchaseOrder,
    PurchaseOrderId, PurchaseState, ReceiptInput, ReceiptLineInput, ReturnInput, ReturnLineInput,
    Supplier, SupplierId, SupplierInput,
};
use serde::Deserialize;

use super::{NoticeQuery, id_of, locations_of, names, whole};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pages::books::amount;
use crate::pages::{Shell, done, respond};
use crate::state::AppState;

/// Everything a purchase page names: suppliers and items by id.
struct Names {
    suppliers: HashMap<SupplierId, String>,
    items: HashMap<ItemId, String>,
}

impl Names {
    async fn of(
        state: &AppState,
        scope: &kernel::Scope,
    ) -> Result<(Names, Vec<Supplier>, Vec<Item>), ApiError> {
        let all = PageRequest::new(None, Some(kernel::page::PAGE_SIZE_MAX));
        let suppliers = state.scm.suppliers(scope, all).await?.items;
        let items = state.scm.items(scope, all).await?.items;
        let names = Names {
            suppliers: suppliers.iter().map(|s| (s.id, s.name.clone())).collect(),
            items: items
                .iter()
                .map(|i| (i.id, format!("{} {}", i.sku, i.name)))
                .collect(),
        };
        Ok((names, suppliers, items))
    }

    fn supplier(&self, id: &SupplierId) -> String {
        self.suppliers
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn item(&self, id: &ItemId) -> String {
        self.items
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}

fn total(order: &PurchaseOrder) -> String {
    let goods: i64 = order
        .lines
        .iter()
        .map(|l| l.quantity * l.unit_price_minor)
        .sum();
    amount(goods + order.shipping_fee_minor, order.currency)
}

#[derive(Template)]
#[template(path = "stock/purchases.html")]
struct PurchasesPage<'a> {
    shell: &'a Shell,
    orders: Vec<PurchaseOrder>,
    suppliers: Vec<Supplier>,
    items: Vec<Item>,
    names: Names,
    currencies: Vec<Currency>,
    may_purchase: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl PurchasesPage<'_> {
    fn supplier(&self, id: &SupplierId) -> String {
        self.names.supplier(id)
    }

    fn total(&self, order: &PurchaseOrder) -> String {
        total(order)
    }

    fn state_name(&self, state: &PurchaseState) -> String {
        self.shell.t(&format!("stock-po-{}", state.as_str()))
    }
}

async fn purchases_page(
    shell: &Shell,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let (names, suppliers, items) = Names::of(state, scope).await?;
        Ok::<_, ApiError>(PurchasesPage {
            shell,
            orders: state
                .scm
                .purchase_orders(scope, None, PageRequest::first())
                .await?
                .items,
            suppliers,
            items,
            names,
            currencies: vec![Currency::CNY, Currency::USD, Currency::EUR],
            may_purchase: scm::may_purchase(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn list(shell: Shell, ApiQuery(query): ApiQuery<NoticeQuery>) -> Response {
    purchases_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct SupplierForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    /// From a storefront's "add as supplier".
    #[serde(default)]
    network_company_id: String,
}

pub async fn create_supplier(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<SupplierForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = SupplierInput {
            name: form.name.clone(),
            contact: form.contact.clone(),
            email: form.email.clone(),
            phone: form.phone.clone(),
            network_company_id: if form.network_company_id.trim().is_empty() {
                None
            } else {
                Some(id_of("network_company_id", &form.network_company_id)?)
            },
        };
        state.scm.create_supplier(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/stock/purchases", "supplier-created"),
        Err(error) => purchases_page(&shell, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct PurchaseForm {
    #[serde(default)]
    supplier_id: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_price: String,
    #[serde(default)]
    note: String,
}

pub async fn create(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<PurchaseForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let currency: Currency = id_of("currency", &form.currency)?;
        let price = Money::parse_decimal(form.unit_price.trim(), currency).map_err(|_| {
            ApiError::field(
                ErrorCode::InvalidField,
                "lines[0].unit_price_minor",
                "an amount such as 12.50",
            )
        })?;
        let input = PurchaseInput {
            supplier_id: id_of("supplier_id", &form.supplier_id)?,
            currency,
            warehouse_id: None,
            note: form.note.clone(),
            lines: vec![PurchaseLineInput {
                item_id: id_of("lines[0].item_id", &form.item_id)?,
                quantity: whole("lines[0].quantity", &form.quantity)?,
                unit: (!form.unit.trim().is_empty()).then(|| form.unit.trim().to_owned()),
                unit_price_minor: price.minor,
            }],
        };
        Ok::<_, ApiError>(
            state
                .scm
                .create_purchase_order(&member.scope, &input)
                .await?,
        )
    }
    .await;
    match result {
        Ok(order) => done(
            &format!("/stock/purchases/{}", order.id),
            "purchase-drafted",
        ),
        Err(error) => purchases_page(&shell, None, Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "stock/purchase.html")]
struct PurchasePage<'a> {
    shell: &'a Shell,
    order: PurchaseOrder,
    supplier_on_hanse: bool,
    names: Names,
    locations: Vec<Location>,
    location_names: HashMap<LocationId, String>,
    may_purchase: bool,
    may_receive: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl PurchasePage<'_> {
    fn supplier(&self, id: &SupplierId) -> String {
        self.names.supplier(id)
    }

    fn item(&self, id: &ItemId) -> String {
        self.names.item(id)
    }

    fn price(&self, minor: &i64) -> String {
        amount(*minor, self.order.currency)
    }

    fn total(&self) -> String {
        total(&self.order)
    }

    fn place(&self, id: &LocationId) -> String {
        self.location_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn state_name(&self) -> String {
        self.shell
            .t(&format!("stock-po-{}", self.order.state.as_str()))
    }

    fn open(&self) -> bool {
        matches!(
            self.order.state,
            PurchaseState::Ordered | PurchaseState::PartiallyReceived
        )
    }

    fn own_locations(&self) -> Vec<&Location> {
        self.locations.iter().filter(|l| l.kind.is_own()).collect()
    }

    /// A draft for a supplier on Hanse: it can go out as a market order.
    fn sendable(&self) -> bool {
        self.order.state == PurchaseState::Draft && self.supplier_on_hanse
    }

    /// Goods received off the market that may still go back to the supplier.
    fn returnable(&self) -> bool {
        self.order.market_order_id.is_none()
            && self
                .order
                .lines
                .iter()
                .any(|l| l.received_quantity > l.returned_quantity)
    }
}

async fn purchase_page(
    shell: &Shell,
    id: PurchaseOrderId,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let (known, _, _) = Names::of(state, scope).await?;
        let locations = locations_of(state, scope).await?;
        let order = state.scm.purchase_order(scope, id).await?;
        Ok::<_, ApiError>(PurchasePage {
            shell,
            supplier_on_hanse: state
                .scm
                .supplier(scope, order.supplier_id)
                .await?
                .network_company_id
                .is_some(),
            order,
            names: known,
            location_names: names(&locations),
            locations,
            may_purchase: scm::may_purchase(scope.role()),
            may_receive: scm::may_receive(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(
    shell: Shell,
    IdPath(id): IdPath<PurchaseOrderId>,
    ApiQuery(query): ApiQuery<NoticeQuery>,
) -> Response {
    purchase_page(&shell, id, query.notice, None).await
}

pub async fn place(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<PurchaseOrderId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.scm.place_purchase_order(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/purchases/{id}"), "purchase-placed"),
        Err(error) => purchase_page(&shell, id, None, Some(error)).await,
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<PurchaseOrderId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.scm.cancel_purchase_order(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/purchases/{id}"), "purchase-cancelled"),
        Err(error) => purchase_page(&shell, id, None, Some(error)).await,
    }
}

/// The quantities a line form names: `{prefix}{line_no}` per line, blank or
/// 0 for lines left out, in line order.
fn quantities(form: &HashMap<String, String>, prefix: &str) -> Result<Vec<(i64, i64)>, ApiError> {
    let mut lines = Vec::new();
    for (key, value) in form {
        let Some(line_no) = key.strip_prefix(prefix) else {
            continue;
        };
        if value.trim().is_empty() || value.trim() == "0" {
            continue;
        }
        lines.push((whole("line_no", line_no)?, whole(key, value)?));
    }
    lines.sort_unstable();
    Ok(lines)
}

/// The chosen location and lot of a line form; the order's warehouse and no lot when blank.
fn place_and_lot(
    form: &HashMap<String, String>,
) -> Result<(Option<LocationId>, Option<String>), ApiError> {
    let location = match form.get("location_id").map(|l| l.trim()) {
        Some(location) if !location.is_empty() => Some(id_of("location_id", location)?),
        _ => None,
    };
    let lot = form
        .get("lot")
        .filter(|lot| !lot.trim().is_empty())
        .cloned();
    Ok((location, lot))
}

/// The receipt form: a quantity per line (`quantity_{line_no}`), the
/// location and an optional lot.
pub async fn receive(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<PurchaseOrderId>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let (location_id, lot) = place_and_lot(&form)?;
        let lines = quantities(&form, "quantity_")?
            .into_iter()
            .map(|(line_no, quantity)| ReceiptLineInput {
                line_no,
                quantity,
                lot: lot.clone(),
            })
            .collect();
        let input = ReceiptInput { location_id, lines };
        state.scm.receive(&member.scope, id, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/purchases/{id}"), "goods-received"),
        Err(error) => purchase_page(&shell, id, None, Some(error)).await,
    }
}

/// The return form: a quantity per line (`return_{line_no}`), where the
/// goods are taken from, an optional lot and why they go back.
pub async fn return_goods(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<PurchaseOrderId>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let (location_id, lot) = place_and_lot(&form)?;
        let lines = quantities(&form, "return_")?
            .into_iter()
            .map(|(line_no, quantity)| ReturnLineInput {
                line_no,
                quantity,
                lot: lot.clone(),
            })
            .collect();
        let input = ReturnInput {
            location_id,
            reason: form.get("reason").cloned().unwrap_or_default(),
            lines,
        };
        state
            .scm
            .return_to_supplier(&member.scope, id, &input)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/purchases/{id}"), "goods-returned"),
        Err(error) => purchase_page(&shell, id, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct MarketSendForm {
    #[serde(default)]
    delivery_address: String,
    #[serde(default)]
    terms: String,
}

/// Sends a draft to its supplier on Hanse as a market order.
pub async fn send_to_market(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<PurchaseOrderId>,
    Form(form): Form<MarketSendForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = crate::api::scm::send::MarketSendInput {
            delivery_address: form.delivery_address.clone(),
            terms: form.terms.clone(),
        };
        crate::api::scm::send::send_to_market(&state, &member.scope, id, &input).await
    }
    .await;
    match result {
        Ok(_) => done(&format!("/stock/purchases/{id}"), "sent-to-market"),
        Err(error) => purchase_page(&shell, id, None, Some(error)).await,
    }
}
