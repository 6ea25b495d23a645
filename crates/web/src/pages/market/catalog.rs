//! `/catalog`: a member's own products in every status, with publish and
//! unlist buttons, the CSV export, and the CSV import, which either imports
//! the whole file or shows each bad row and imports nothing.

use askama::Template;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use market::product_csv::RowError;
use market::{Product, ProductId, ProductStatus};

use super::multipart_of;
use super::rfqs::query_fields;
use super::{FormFields, category_path, image_url, parse_id, read_upload, upload_action};
use crate::error::{ApiError, ErrorCode};
use crate::pages::{Shell, error_response, render};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

const CATALOG_PAGE_SIZE: u32 = 50;
const STATUSES: [ProductStatus; 3] = [
    ProductStatus::Draft,
    ProductStatus::Published,
    ProductStatus::Unlisted,
];

struct CatalogRow {
    id: String,
    sku: String,
    title: String,
    category: String,
    thumbnail: Option<String>,
    moq: String,
    price: String,
    status: ProductStatus,
    status_label: String,
}

struct StatusChoice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "market/catalog.html")]
struct CatalogPage<'a> {
    shell: &'a Shell,
    rows: Vec<CatalogRow>,
    statuses: Vec<StatusChoice>,
    next_page: Option<String>,
    import_action: String,
    error: Option<String>,
    notice: Option<String>,
    /// The bad rows of a refused import.
    bad_rows: Vec<RowError>,
}

impl CatalogRow {
    fn is_published(&self) -> bool {
        self.status == ProductStatus::Published
    }
}

/// What the catalog was asked to show.
#[derive(Default)]
struct CatalogQuery {
    status: String,
    cursor: String,
    notice: Option<String>,
}

async fn catalog_page(
    state: &AppState,
    shell: &Shell,
    query: CatalogQuery,
    error: Option<ApiError>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let status = match query.status.as_str() {
            "" => None,
            text => Some(ProductStatus::parse(text).ok_or_else(|| {
                ApiError::field(
                    ErrorCode::InvalidQuery,
                    "status",
                    "draft, published or unlisted",
                )
            })?),
        };
        let page = page_of_size(CATALOG_PAGE_SIZE, Some(&query.cursor))?;
        let products: PageBody<Product> = state
            .market
            .own_products(&member.scope, status, page)
            .await?
            .into();
        let tree = state.market.categories().await?;
        Ok::<_, ApiError>((products, tree))
    }
    .await;
    let (products, tree) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let rows = products
        .items
        .iter()
        .map(|product| CatalogRow {
            id: product.id.to_string(),
            sku: product.sku.clone(),
            title: product.title(shell.chinese()).to_owned(),
            category: category_path(shell, &tree, product.category_id),
            thumbnail: product.images.first().map(|hash| image_url(hash, "thumb")),
            moq: format!("{} {}", product.moq, product.unit),
            price: super::tier_rows(&product.price_tiers, product.currency)
                .iter()
                .map(|row| format!("{}: {}", row.quantities, row.unit_price))
                .collect::<Vec<_>>()
                .join(" · "),
            status: product.status,
            status_label: shell.t(&format!("market-status-{}", product.status.as_str())),
        })
        .collect();
    let page = CatalogPage {
        shell,
        rows,
        statuses: STATUSES
            .iter()
            .map(|status| StatusChoice {
                value: status.as_str(),
                label: shell.t(&format!("market-status-{}", status.as_str())),
                selected: query.status == status.as_str(),
            })
            .collect(),
        next_page: products
            .next_cursor
            .map(|cursor| format!("/catalog?status={}&cursor={cursor}", query.status)),
        import_action: upload_action(shell, "/catalog/import"),
        error: error
            .as_ref()
            .map(|error| super::explain(shell, error).message),
        notice: query.notice,
        bad_rows: error
            .as_ref()
            .map(|error| error.rows.clone())
            .unwrap_or_default(),
    };
    super::with_status(render(&page), error.as_ref())
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let fields = query_fields(query.as_deref());
    let notice = match fields.get("notice") {
        "status-changed" => Some(shell.t("market-status-changed")),
        "imported" => Some(shell.t_with(
            "market-imported",
            &[
                ("created", fields.get("created")),
                ("updated", fields.get("updated")),
            ],
        )),
        _ => None,
    };
    let query = CatalogQuery {
        status: fields.get("status").to_owned(),
        cursor: fields.get("cursor").to_owned(),
        notice,
    };
    catalog_page(&state, &shell, query, None).await
}

/// The whole catalog as the product file, to edit in a spreadsheet.
pub async fn export(State(state): State<AppState>, shell: Shell) -> Response {
    let result = async {
        let member = shell.member().await?;
        Ok::<_, ApiError>(state.market.export_products(&member.scope).await?)
    }
    .await;
    match result {
        Ok(csv) => {
            let mut response = csv.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"products.csv\""),
            );
            response
        }
        Err(error) => error_response(&shell, error),
    }
}

pub async fn import(
    State(state): State<AppState>,
    shell: Shell,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let multipart = multipart_of(multipart)?;
        let upload = read_upload(multipart).await?;
        let file = upload
            .files_named("file")
            .next()
            .ok_or_else(|| super::invalid("file", "required", "choose a CSV file"))?;
        let report = state
            .market
            .import_products(&member.scope, file, |_, _| {})
            .await?;
        Ok::<_, ApiError>(report)
    }
    .await;
    match result {
        Ok(report) => Redirect::to(&format!(
            "/catalog?notice=imported&created={}&updated={}",
            report.created, report.updated
        ))
        .into_response(),
        Err(error)
            if matches!(
                error.code,
                ErrorCode::Unauthenticated | ErrorCode::NoActiveCompany
            ) =>
        {
            error_response(&shell, error)
        }
        Err(error) => catalog_page(&state, &shell, CatalogQuery::default(), Some(error)).await,
    }
}

/// Publishes, unlists or returns a product to draft, then back to the list.
pub async fn set_status(
    State(state): State<AppState>,
    shell: Shell,
    Path(product_id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = form
        .map(|Form(fields)| FormFields(fields))
        .unwrap_or_default();
    let result = async {
        let member = shell.member().await?;
        let id: ProductId = parse_id(&product_id)?;
        let status = ProductStatus::parse(fields.get("status")).ok_or_else(|| {
            super::invalid("status", "not_a_choice", "draft, published or unlisted")
        })?;
        state
            .market
            .set_product_status(&member.scope, id, status)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/catalog?notice=status-changed").into_response(),
        Err(error) => error_response(&shell, error),
    }
}
