//! The market pages: search, product pages, storefronts, images, the buying
//! request board, and the members' catalog, storefront editor and sourcing
//! pages. This module holds their router and what the pages share: form
//! reading (plain and multipart), amounts, dates, tiers and field errors.

mod catalog;
mod editor;
mod images;
pub mod product;
mod rfqs;
mod search;
mod sourcing;
mod storefront;

pub use rfqs::query_fields;

use std::str::FromStr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::rejection::FormRejection;
use axum::routing::{get, post};
use kernel::{Currency, Money, Timestamp};
use market::{Category, CategoryTree, PriceTier};

use super::Shell;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// Room for the form fields and multipart headers around an uploaded file.
const UPLOAD_OVERHEAD_BYTES: usize = 256 * 1024;
/// Everything a multipart form may carry besides its files: a bound on a
/// form made of thousands of tiny fields.
const FORM_FIELDS_MAX: usize = 400;

/// The currencies offered in forms; any ISO code the kernel knows is accepted.
pub const OFFERED_CURRENCIES: &[&str] = &[
    "CNY", "EUR", "USD", "GBP", "AED", "MYR", "PLN", "HKD", "SGD", "JPY",
];

pub fn router() -> Router<AppState> {
    let image_upload_limit = DefaultBodyLimit::max(market::IMAGE_BYTES_MAX + UPLOAD_OVERHEAD_BYTES);
    let csv_upload_limit =
        DefaultBodyLimit::max(market::product_csv::IMPORT_BYTES_MAX + UPLOAD_OVERHEAD_BYTES);
    Router::new()
        .route("/search", get(search::show))
        .route("/search/suggest", get(search::suggest))
        .route("/products/{product_id}", get(product::show))
        .route("/companies/{company_id}", get(storefront::show))
        .route("/images/{hash}", get(images::serve))
        .route("/rfqs", get(rfqs::board))
        .route("/rfqs/{rfq_id}", get(rfqs::show))
        .route("/rfqs/{rfq_id}/quotations", post(rfqs::send_quotation))
        .route("/catalog", get(catalog::show))
        .route("/catalog/export.csv", get(catalog::export))
        .route(
            "/catalog/import",
            post(catalog::import).layer(csv_upload_limit),
        )
        .route(
            "/catalog/new",
            get(editor::new_form)
                .post(editor::create)
                .layer(image_upload_limit),
        )
        .route(
            "/catalog/{product_id}/edit",
            get(editor::edit_form)
                .post(editor::update)
                .layer(image_upload_limit),
        )
        .route("/catalog/{product_id}/status", post(catalog::set_status))
        .route(
            "/storefront/edit",
            get(storefront::edit_form)
                .post(storefront::update)
                .layer(image_upload_limit),
        )
        .route("/sourcing", get(sourcing::mine))
        .route(
            "/sourcing/new",
            get(sourcing::new_form).post(sourcing::post),
        )
        .route("/sourcing/quotations", get(sourcing::sent_quotations))
        .route("/sourcing/matched", get(sourcing::matched))
        .route("/sourcing/{rfq_id}", get(sourcing::compare))
        .route("/sourcing/{rfq_id}/close", post(sourcing::close))
        .route(
            "/sourcing/quotations/{quotation_id}/accept",
            post(sourcing::accept),
        )
        .route(
            "/sourcing/quotations/{quotation_id}/decline",
            post(sourcing::decline),
        )
}

/// An id from the path; a malformed id names nothing, so it is a 404 page
/// like an unknown one.
pub fn parse_id<T: FromStr>(text: &str) -> Result<T, ApiError> {
    text.parse().map_err(|_| ApiError::not_found())
}

/// What went wrong with a form, for the top of the page and next to the
/// field at fault.
#[derive(Debug, Clone)]
pub struct FormError {
    /// The field as the domain names it: `moq`, `price_tiers[1].unit_price_minor`.
    pub field: Option<String>,
    pub message: String,
}

impl FormError {
    /// Whether the error is about `field` or a part of it (`price_tiers`
    /// covers `price_tiers[0].min_quantity`).
    pub fn at(&self, field: &str) -> bool {
        self.field.as_deref().is_some_and(|at| {
            at == field
                || at
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    }
}

/// The error's message next to `field`, or nothing.
pub fn error_at<'a>(error: &'a Option<FormError>, field: &str) -> &'a str {
    match error {
        Some(error) if error.at(field) => &error.message,
        _ => "",
    }
}

/// The translation of `key`, when there is one.
fn translated(shell: &Shell, key: &str) -> Option<String> {
    let text = shell.t(key);
    (text != key).then_some(text)
}

/// What to tell a person about an error on a market form: the field's label
/// and the reason in the page's language, the English detail only when no
/// translation exists. Field paths like `price_tiers[0].unit_price_minor`
/// are labelled by their first part.
pub fn explain(shell: &Shell, error: &ApiError) -> FormError {
    let message = match (&error.field, error.code) {
        (Some(field), ErrorCode::InvalidField) => {
            let base = field
                .split(['.', '['])
                .next()
                .unwrap_or(field.as_str())
                .replace('_', "-");
            let label =
                translated(shell, &format!("label-{base}")).unwrap_or_else(|| field.clone());
            let reason = error
                .reason
                .as_deref()
                .and_then(|reason| {
                    translated(shell, &format!("reason-{}", reason.replace('_', "-")))
                })
                .unwrap_or_else(|| error.detail.clone());
            format!("{label}: {reason}")
        }
        // A bad search parameter: which one and why, after the general word.
        (Some(field), ErrorCode::InvalidQuery) => {
            format!("{} {field}: {}", shell.error_message(error), error.detail)
        }
        _ => shell.error_message(error),
    };
    FormError {
        field: error.field.clone(),
        message,
    }
}

/// A field error made by the pages themselves (a number that is not one).
pub fn invalid(field: &str, reason: &str, detail: &str) -> ApiError {
    ApiError {
        reason: Some(reason.to_owned()),
        ..ApiError::field(ErrorCode::InvalidField, field, detail)
    }
}

/// A form's fields as sent, in order; the same name may come several times.
#[derive(Debug, Default, Clone)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    /// A posted form's fields; a body that is not a form is `malformed_body`.
    pub fn read(
        form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
    ) -> Result<FormFields, ApiError> {
        form.map(|axum::Form(fields)| FormFields(fields))
            .map_err(|_| ApiError::new(ErrorCode::MalformedBody, "the form could not be read"))
    }

    /// The first value of `name`, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.trim())
    }

    /// Every non-empty value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, value)| key == name && !value.trim().is_empty())
            .map(|(_, value)| value.trim())
            .collect()
    }

    /// A checkbox: sent at all means ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }
}

/// A multipart form: its text fields and its non-empty files.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: FormFields,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Upload {
    pub fn files_named(&self, name: &str) -> impl Iterator<Item = &Vec<u8>> {
        self.files
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, bytes)| bytes)
    }
}

/// A part that could not be read: too large for the route's limit, or broken.
pub(crate) fn multipart_error(error: MultipartError) -> ApiError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            ErrorCode::BodyTooLarge,
            "the upload is larger than the limit",
        )
    } else {
        ApiError::new(ErrorCode::MalformedBody, "the upload could not be read")
    }
}

/// The multipart form a file upload must be, or the problem saying so.
pub fn multipart_of(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Multipart, ApiError> {
    multipart.map_err(|_| {
        ApiError::new(
            ErrorCode::MalformedBody,
            "send the file as multipart/form-data",
        )
    })
}

/// Reads a whole multipart form; the route's body limit bounds its size.
pub async fn read_upload(mut multipart: Multipart) -> Result<Upload, ApiError> {
    let mut upload = Upload::default();
    let mut count = 0;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        count += 1;
        if count > FORM_FIELDS_MAX {
            return Err(ApiError::new(
                ErrorCode::MalformedBody,
                "the form has too many fields",
            ));
        }
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            let bytes = field.bytes().await.map_err(multipart_error)?;
            // A file input left empty still sends an empty part.
            if !bytes.is_empty() {
                upload.files.push((name, bytes.to_vec()));
            }
        } else {
            let text = field.text().await.map_err(multipart_error)?;
            upload.fields.0.push((name, text));
        }
    }
    Ok(upload)
}

/// The action of a multipart form: the CSRF token rides in the URL (see
/// `csrf.rs`), because the body is not buffered to look for it.
pub fn upload_action(shell: &Shell, path: &str) -> String {
    let token: String = form_urlencoded::byte_serialize(shell.csrf.as_bytes()).collect();
    format!("{path}?csrf_token={token}")
}

/// A whole number typed into `field`; empty is `None`.
pub fn whole_number(field: &str, text: &str) -> Result<Option<i64>, ApiError> {
    let text = text.trim().replace([',', '_', ' '], "");
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| invalid(field, "not_a_whole_number", "a whole number such as 500"))
}

/// An amount typed as a decimal (`12.50`) in `currency`, as minor units.
pub fn decimal_amount(
    field: &str,
    text: &str,
    currency: Currency,
) -> Result<Option<i64>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Money::parse_decimal(text, currency)
        .map(|money| Some(money.minor))
        .map_err(|_| invalid(field, "invalid_amount", "write the amount like 12.50"))
}

pub fn currency(field: &str, text: &str) -> Result<Currency, ApiError> {
    text.trim().to_ascii_uppercase().parse().map_err(|_| {
        invalid(
            field,
            "unknown_currency",
            "a currency code such as CNY or EUR",
        )
    })
}

/// A date typed as `2026-11-25`, taken as the end of that day in UTC so a
/// deadline of today still lies ahead.
pub fn end_of_day(field: &str, text: &str) -> Result<Option<Timestamp>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format)
        .map_err(|_| invalid(field, "invalid_date", "a date like 2026-11-25"))?;
    let end = date.with_time(time::macros::time!(23:59:59)).assume_utc();
    Ok(Some(Timestamp::from_offset_date_time(end)))
}

/// `2026-11-25`, in UTC: deadlines are typed and read as dates.
pub fn date(at: Timestamp) -> String {
    let value = at.to_offset_date_time();
    format!(
        "{:04}-{:02}-{:02}",
        value.year(),
        u8::from(value.month()),
        value.day()
    )
}

/// `12.50 CNY`.
pub fn money(minor: i64, currency: Currency) -> String {
    Money::new(minor, currency).to_string()
}

/// One row of a price table: `100–499` or `500+`, and the unit price.
#[derive(Debug, Clone)]
pub struct TierRow {
    pub quantities: String,
    pub unit_price: String,
}

pub fn tier_rows(tiers: &[PriceTier], currency: Currency) -> Vec<TierRow> {
    tiers
        .iter()
        .enumerate()
        .map(|(index, tier)| {
            let quantities = match tiers.get(index + 1) {
                Some(next) if next.min_quantity - 1 > tier.min_quantity => {
                    format!("{}–{}", tier.min_quantity, next.min_quantity - 1)
                }
                Some(_) => tier.min_quantity.to_string(),
                None => format!("{}+", tier.min_quantity),
            };
            TierRow {
                quantities,
                unit_price: money(tier.unit_price_minor, currency),
            }
        })
        .collect()
}

/// Rows of quantity and price a form offers for tiers.
pub const TIER_ROWS: usize = 4;

/// One row of a tier form, as typed: `500` and `11.00`.
#[derive(Debug, Clone, Default)]
pub struct TierInput {
    pub quantity: String,
    pub price: String,
}

/// The tier rows of a posted form (`tier_quantity_0`, `tier_price_0`, …).
pub fn tier_inputs(fields: &FormFields) -> Vec<TierInput> {
    (0..TIER_ROWS)
        .map(|row| TierInput {
            quantity: fields.get(&format!("tier_quantity_{row}")).to_owned(),
            price: fields.get(&format!("tier_price_{row}")).to_owned(),
        })
        .collect()
}

/// Stored tiers as form rows, padded with empty rows.
pub fn tier_inputs_of(tiers: &[PriceTier], currency: Currency) -> Vec<TierInput> {
    let mut rows: Vec<TierInput> = tiers
        .iter()
        .take(TIER_ROWS)
        .map(|tier| TierInput {
            quantity: tier.min_quantity.to_string(),
            price: market::product_csv::decimal(tier.unit_price_minor, currency),
        })
        .collect();
    rows.resize(TIER_ROWS.max(rows.len()), TierInput::default());
    rows
}

/// The tiers typed into the rows that are not empty, prices in `currency`;
/// errors name the field as the domain does (`price_tiers[1].min_quantity`).
pub fn parse_tiers(rows: &[TierInput], currency: Currency) -> Result<Vec<PriceTier>, ApiError> {
    let mut tiers = Vec::new();
    for (row, input) in rows
        .iter()
        .filter(|input| !input.quantity.is_empty() || !input.price.is_empty())
        .enumerate()
    {
        let quantity_field = format!("price_tiers[{row}].min_quantity");
        let price_field = format!("price_tiers[{row}].unit_price_minor");
        let min_quantity = whole_number(&quantity_field, &input.quantity)?
            .ok_or_else(|| invalid(&quantity_field, "required", "a quantity such as 100"))?;
        let unit_price_minor = decimal_amount(&price_field, &input.price, currency)?
            .ok_or_else(|| invalid(&price_field, "required", "a price such as 12.50"))?;
        tiers.push(PriceTier {
            min_quantity,
            unit_price_minor,
        });
    }
    Ok(tiers)
}

/// A category's name in the page's language.
pub fn category_name<'a>(shell: &Shell, category: &'a Category) -> &'a str {
    if shell.chinese() {
        &category.name_zh
    } else {
        &category.name_en
    }
}

/// `Housewares › Drinkware › Vacuum flasks`; empty for an unknown id.
pub fn category_path(shell: &Shell, tree: &CategoryTree, id: market::CategoryId) -> String {
    tree.path(id)
        .into_iter()
        .map(|category| category_name(shell, category))
        .collect::<Vec<_>>()
        .join(" › ")
}

/// A category in a select: its id, its path, and whether it is chosen.
#[derive(Debug, Clone)]
pub struct CategoryOption {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

/// Every category (or only the leaves), named by its path, in tree order.
pub fn category_options(
    shell: &Shell,
    tree: &CategoryTree,
    leaves_only: bool,
    selected: Option<market::CategoryId>,
) -> Vec<CategoryOption> {
    let mut options: Vec<CategoryOption> = tree
        .all()
        .iter()
        .filter(|category| !leaves_only || tree.is_leaf(category.id))
        .map(|category| CategoryOption {
            id: category.id.to_string(),
            name: category_path(shell, tree, category.id),
            selected: Some(category.id) == selected,
        })
        .collect();
    options.sort_by(|a, b| a.name.cmp(&b.name));
    options
}

/// A response with the error's status when there was one.
pub fn with_status(
    mut response: axum::response::Response,
    error: Option<&ApiError>,
) -> axum::response::Response {
    if let Some(error) = error {
        *response.status_mut() = error.status();
    }
    response
}

/// An image's address in one of its sizes.
pub fn image_url(hash: &str, size: &str) -> String {
    format!("/images/{hash}?size={size}")
}
