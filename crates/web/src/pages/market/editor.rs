//! The product editor, `/catalog/new` and `/catalog/{product_id}/edit`: in two
//! steps, first the (leaf) category, then the form with that category's
//! attributes, up to four price tiers, and images with thumbnails, a remove
//! box each and an upload with a preview. Another company's product is not
//! found here.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use market::{AttributeKind, CategoryId, CategoryTree, Product, ProductId, ProductInput};

use super::rfqs::query_fields;
use super::{
    CategoryOption, FormError, FormFields, OFFERED_CURRENCIES, TierInput, category_options,
    category_path, error_at, explain, image_url, parse_id, parse_tiers, read_upload, tier_inputs,
    tier_inputs_of, upload_action, whole_number, with_status,
};
use crate::error::{ApiError, ErrorCode};
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

/// The product as typed into the form.
#[derive(Debug, Clone, Default)]
struct ProductForm {
    category_id: String,
    sku: String,
    title_zh: String,
    title_en: String,
    description: String,
    unit: String,
    moq: String,
    currency: String,
    tiers: Vec<TierInput>,
    lead_time_days: String,
    origin: String,
    available_quantity: String,
    attributes: BTreeMap<String, String>,
    images: Vec<String>,
}

impl ProductForm {
    fn new(category: Option<CategoryId>) -> ProductForm {
        ProductForm {
            category_id: category.map(|id| id.to_string()).unwrap_or_default(),
            currency: "CNY".to_owned(),
            tiers: vec![TierInput::default(); super::TIER_ROWS],
            ..ProductForm::default()
        }
    }

    fn of(product: &Product) -> ProductForm {
        ProductForm {
            category_id: product.category_id.to_string(),
            sku: product.sku.clone(),
            title_zh: product.title_zh.clone(),
            title_en: product.title_en.clone(),
            description: product.description.clone(),
            unit: product.unit.clone(),
            moq: product.moq.to_string(),
            currency: product.currency.code().to_owned(),
            tiers: tier_inputs_of(&product.price_tiers, product.currency),
            lead_time_days: product.lead_time_days.to_string(),
            origin: product.origin.clone(),
            available_quantity: product.available_quantity.to_string(),
            attributes: product.attributes.clone(),
            images: product.images.clone(),
        }
    }

    fn from_fields(fields: &FormFields) -> ProductForm {
        let removed = fields.all("remove_image");
        ProductForm {
            category_id: fields.get("category_id").to_owned(),
            sku: fields.get("sku").to_owned(),
            title_zh: fields.get("title_zh").to_owned(),
            title_en: fields.get("title_en").to_owned(),
            description: fields.get("description").to_owned(),
            unit: fields.get("unit").to_owned(),
            moq: fields.get("moq").to_owned(),
            currency: fields.get("currency").to_owned(),
            tiers: tier_inputs(fields),
            lead_time_days: fields.get("lead_time_days").to_owned(),
            origin: fields.get("origin").to_owned(),
            available_quantity: fields.get("available_quantity").to_owned(),
            attributes: fields
                .0
                .iter()
                .filter_map(|(name, value)| {
                    let key = name.strip_prefix("attr_")?;
                    Some((key.to_owned(), value.trim().to_owned()))
                })
                .collect(),
            images: fields
                .all("image")
                .into_iter()
                .filter(|image| !removed.contains(image))
                .map(str::to_owned)
                .collect(),
        }
    }

    fn category(&self, tree: &CategoryTree) -> Option<CategoryId> {
        leaf(tree, &self.category_id)
    }

    fn input(&self, tree: &CategoryTree) -> Result<ProductInput, ApiError> {
        let category_id = self
            .category(tree)
            .ok_or_else(|| super::invalid("category_id", "not_found", "choose a category"))?;
        let currency = super::currency("currency", &self.currency)?;
        let specs = tree.attributes(category_id);
        Ok(ProductInput {
            sku: self.sku.clone(),
            category_id,
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            description: self.description.clone(),
            // Only this category's attributes: a value left from another
            // category the product was in before is dropped, not refused.
            attributes: self
                .attributes
                .iter()
                .filter(|(key, value)| {
                    !value.is_empty() && specs.iter().any(|spec| &spec.key == *key)
                })
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
            unit: self.unit.clone(),
            moq: whole_number("moq", &self.moq)?
                .ok_or_else(|| super::invalid("moq", "required", "the minimum order quantity"))?,
            price_tiers: parse_tiers(&self.tiers, currency)?,
            currency,
            lead_time_days: whole_number("lead_time_days", &self.lead_time_days)?.unwrap_or(0),
            origin: self.origin.clone(),
            available_quantity: whole_number("available_quantity", &self.available_quantity)?
                .unwrap_or(0),
            images: self.images.clone(),
        })
    }
}

/// A leaf category named by id, or none.
fn leaf(tree: &CategoryTree, text: &str) -> Option<CategoryId> {
    let id: CategoryId = text.trim().parse().ok()?;
    (tree.get(id).is_some() && tree.is_leaf(id)).then_some(id)
}

/// One attribute input of the chosen category.
struct AttributeField {
    key: String,
    name: String,
    unit: String,
    choices: Vec<String>,
    required: bool,
    number: bool,
    value: String,
}

#[derive(Template)]
#[template(path = "market/editor.html")]
struct EditorPage<'a> {
    shell: &'a Shell,
    heading: String,
    product_id: Option<String>,
    status_label: String,
    published: bool,
    /// The chosen category's path; `None` shows the first step.
    category: Option<String>,
    categories: Vec<CategoryOption>,
    /// Where the category step goes (a GET of this page).
    choose_action: String,
    form: ProductForm,
    /// The quantity is an item's free stock, kept on the stock pages.
    stock_linked: bool,
    tier_inputs: Vec<TierInput>,
    attributes: Vec<AttributeField>,
    currencies: Vec<(&'static str, bool)>,
    action: String,
    error: Option<FormError>,
    notice: Option<String>,
}

impl EditorPage<'_> {
    fn error_at(&self, field: &str) -> &str {
        error_at(&self.error, field)
    }

    fn thumbnail(&self, hash: &str) -> String {
        image_url(hash, "thumb")
    }
}

fn editor_page(
    shell: &Shell,
    tree: &CategoryTree,
    product: Option<&Product>,
    form: ProductForm,
    error: Option<ApiError>,
    notice: Option<String>,
) -> Response {
    let category = form.category(tree);
    let chinese = shell.chinese();
    let attributes = category
        .map(|id| tree.attributes(id))
        .unwrap_or_default()
        .into_iter()
        .map(|spec| AttributeField {
            key: spec.key.clone(),
            name: if chinese {
                spec.name_zh.clone()
            } else {
                spec.name_en.clone()
            },
            unit: spec.unit.clone().unwrap_or_default(),
            choices: if spec.kind == AttributeKind::Choice {
                spec.choices.clone()
            } else {
                Vec::new()
            },
            required: spec.required,
            number: spec.kind == AttributeKind::Number,
            value: form.attributes.get(&spec.key).cloned().unwrap_or_default(),
        })
        .collect();
    let path = match product {
        Some(product) => format!("/catalog/{}/edit", product.id),
        None => "/catalog/new".to_owned(),
    };
    let page = EditorPage {
        shell,
        heading: match product {
            Some(product) => format!("{} · {}", shell.t("market-edit-product"), product.sku),
            None => shell.t("market-new-product"),
        },
        product_id: product.map(|product| product.id.to_string()),
        status_label: product
            .map(|product| shell.t(&format!("market-status-{}", product.status.as_str())))
            .unwrap_or_default(),
        published: product
            .is_some_and(|product| product.status == market::ProductStatus::Published),
        category: category.map(|id| category_path(shell, tree, id)),
        categories: category_options(shell, tree, true, category),
        choose_action: path.clone(),
        tier_inputs: form.tiers.clone(),
        stock_linked: product.is_some_and(|product| product.stock_linked),
        attributes,
        currencies: OFFERED_CURRENCIES
            .iter()
            .map(|code| (*code, form.currency.eq_ignore_ascii_case(code)))
            .collect(),
        form,
        action: upload_action(shell, &path),
        error: error.as_ref().map(|error| explain(shell, error)),
        notice,
    };
    with_status(render(&page), error.as_ref())
}

fn notice(shell: &Shell, query: Option<&str>) -> Option<String> {
    match query_fields(query).get("notice") {
        "created" => Some(shell.t("market-product-created")),
        "saved" => Some(shell.t("market-product-saved")),
        _ => None,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        shell.member().await?;
        Ok::<_, ApiError>(state.market.categories().await?)
    }
    .await;
    match result {
        Ok(tree) => {
            let category = leaf(&tree, query_fields(query.as_deref()).get("category"));
            editor_page(&shell, &tree, None, ProductForm::new(category), None, None)
        }
        Err(error) => error_response(&shell, error),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    shell: Shell,
    Path(product_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let id: ProductId = parse_id(&product_id)?;
        let product = state.market.own_product(&member.scope, id).await?;
        let tree = state.market.categories().await?;
        Ok::<_, ApiError>((product, tree))
    }
    .await;
    match result {
        Ok((product, tree)) => {
            let mut form = ProductForm::of(&product);
            // The category step of an existing product: another leaf, chosen
            // by a GET of this page.
            if let Some(category) = leaf(&tree, query_fields(query.as_deref()).get("category")) {
                form.category_id = category.to_string();
            }
            let notice = notice(&shell, query.as_deref());
            editor_page(&shell, &tree, Some(&product), form, None, notice)
        }
        Err(error) => error_response(&shell, error),
    }
}

/// Reads the posted form and stores its new images; the form comes back with
/// them even when the product is refused, so nothing is uploaded twice.
async fn posted_form(
    state: &AppState,
    scope: &kernel::Scope,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(ProductForm, Option<ApiError>), ApiError> {
    let multipart = multipart.map_err(|_| {
        ApiError::new(
            ErrorCode::MalformedBody,
            "send the form as multipart/form-data",
        )
    })?;
    let upload = read_upload(multipart).await?;
    let mut form = ProductForm::from_fields(&upload.fields);
    for bytes in upload.files_named("new_images") {
        match state.market.upload_image(scope, bytes.clone()).await {
            Ok(image) if !form.images.contains(&image.hash) => form.images.push(image.hash),
            Ok(_) => {}
            Err(error) => return Ok((form, Some(error.into()))),
        }
    }
    Ok((form, None))
}

pub async fn create(
    State(state): State<AppState>,
    shell: Shell,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let prepared = async {
        let member = shell.member().await?;
        let tree = state.market.categories().await?;
        let (form, upload_error) = posted_form(&state, &member.scope, multipart).await?;
        Ok::<_, ApiError>((member, tree, form, upload_error))
    }
    .await;
    let (member, tree, form, upload_error) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return error_response(&shell, error),
    };
    if let Some(error) = upload_error {
        return editor_page(&shell, &tree, None, form, Some(error), None);
    }
    let created = async {
        let input = form.input(&tree)?;
        Ok::<_, ApiError>(state.market.create_product(&member.scope, &input).await?)
    }
    .await;
    match created {
        Ok(product) => {
            Redirect::to(&format!("/catalog/{}/edit?notice=created", product.id)).into_response()
        }
        Err(error) => editor_page(&shell, &tree, None, form, Some(error), None),
    }
}

pub async fn update(
    State(state): State<AppState>,
    shell: Shell,
    Path(product_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let prepared = async {
        let member = shell.member().await?;
        let id: ProductId = parse_id(&product_id)?;
        // Another company's product is not found before anything is read.
        let product = state.market.own_product(&member.scope, id).await?;
        let tree = state.market.categories().await?;
        let (form, upload_error) = posted_form(&state, &member.scope, multipart).await?;
        Ok::<_, ApiError>((member, product, tree, form, upload_error))
    }
    .await;
    let (member, product, tree, form, upload_error) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return error_response(&shell, error),
    };
    if let Some(error) = upload_error {
        return editor_page(&shell, &tree, Some(&product), form, Some(error), None);
    }
    let updated = async {
        let input = form.input(&tree)?;
        Ok::<_, ApiError>(
            state
                .market
                .update_product(&member.scope, product.id, &input)
                .await?,
        )
    }
    .await;
    match updated {
        Ok(product) => {
            Redirect::to(&format!("/catalog/{}/edit?notice=saved", product.id)).into_response()
        }
        Err(error) => editor_page(&shell, &tree, Some(&product), form, Some(error), None),
    }
}
