//! `/products/{product_id}`: a published product as buyers see it: photos,
//! the price table, terms, attributes named by the category's schema, and a
//! card of its supplier, and the order box (`orders/place.rs`). Drafts and
//! unlisted products are not found here, whoever asks; their own company
//! sees them in the catalog editor.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use market::{AttributeKind, ProductId, Storefront};

use super::{TierRow, category_path, image_url, parse_id, tier_rows};
use crate::error::ApiError;
use crate::pages::orders::place::{OrderBox, OrderForm, order_box};
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

pub struct AttributeRow {
    pub name: String,
    pub value: String,
}

pub struct Photo {
    pub medium: String,
    pub thumbnail: String,
    pub original: String,
}

#[derive(Template)]
#[template(path = "market/product.html")]
struct ProductPage<'a> {
    shell: &'a Shell,
    title: String,
    /// The other language's title, when it differs.
    subtitle: String,
    category: String,
    description: String,
    photos: Vec<Photo>,
    tiers: Vec<TierRow>,
    unit: String,
    moq: i64,
    lead_time: String,
    origin: String,
    available_quantity: i64,
    attributes: Vec<AttributeRow>,
    supplier: Storefront,
    supplier_href: String,
    response_rate: Option<String>,
    sku: String,
    order: Option<OrderBox>,
}

/// `95.5 %` from basis points (tenths are enough to compare suppliers).
pub fn percent(basis_points: i64) -> String {
    match basis_points % 100 {
        0 => format!("{} %", basis_points / 100),
        rest => format!("{}.{} %", basis_points / 100, rest / 10),
    }
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    Path(product_id): Path<String>,
) -> Response {
    product_page(&state, &shell, &product_id, None, None).await
}

/// The product page; after a refused order, with the order form as typed
/// and the refusal (and its status).
pub async fn product_page(
    state: &AppState,
    shell: &Shell,
    product_id: &str,
    typed: Option<OrderForm>,
    error: Option<ApiError>,
) -> Response {
    let result = async {
        let id: ProductId = parse_id(product_id)?;
        let product = state.market.published_product(id).await?;
        let supplier = state.market.storefront(product.company_id).await?;
        let tree = state.market.categories().await?;
        let order = order_box(state, shell, &product, typed, error.as_ref()).await?;
        Ok::<_, ApiError>((product, supplier, tree, order))
    }
    .await;
    let (product, supplier, tree, order) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let chinese = shell.chinese();
    // Attributes in the schema's order, named in the page's language; a
    // value whose attribute left the schema still shows under its key.
    let specs = tree.attributes(product.category_id);
    let mut attributes: Vec<AttributeRow> = specs
        .iter()
        .filter_map(|spec| {
            let value = product.attributes.get(&spec.key)?;
            let name = if chinese {
                &spec.name_zh
            } else {
                &spec.name_en
            };
            let value = match (&spec.kind, &spec.unit) {
                (AttributeKind::Number, Some(unit)) => format!("{value} {unit}"),
                _ => value.clone(),
            };
            Some(AttributeRow {
                name: name.clone(),
                value,
            })
        })
        .collect();
    attributes.extend(
        product
            .attributes
            .iter()
            .filter(|(key, _)| !specs.iter().any(|spec| &spec.key == *key))
            .map(|(key, value)| AttributeRow {
                name: key.clone(),
                value: value.clone(),
            }),
    );
    let title = product.title(chinese).to_owned();
    let other = product.title(!chinese);
    let page = ProductPage {
        shell,
        subtitle: if other == title {
            String::new()
        } else {
            other.to_owned()
        },
        title,
        category: category_path(shell, &tree, product.category_id),
        description: product.description.clone(),
        photos: product
            .images
            .iter()
            .map(|hash| Photo {
                medium: image_url(hash, "medium"),
                thumbnail: image_url(hash, "thumb"),
                original: image_url(hash, "original"),
            })
            .collect(),
        tiers: tier_rows(&product.price_tiers, product.currency),
        unit: product.unit.clone(),
        moq: product.moq,
        lead_time: shell.t_with(
            "market-days",
            &[("days", &product.lead_time_days.to_string())],
        ),
        origin: product.origin.clone(),
        available_quantity: product.available_quantity,
        attributes,
        supplier_href: format!("/companies/{}", supplier.company_id),
        response_rate: supplier.response_rate_bp.map(percent),
        supplier,
        sku: product.sku,
        order,
    };
    super::with_status(render(&page), error.as_ref())
}
