//! `/operator/market`: the operator's hand on the market as a page: the
//! category tree with a form to add a category (and its attribute schema),
//! and the member companies with their verification badge and monthly
//! quotation quota, each settable in place.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use identity::Company;
use kernel::CompanyId;
use market::{AttributeKind, AttributeSpec, CATEGORY_DEPTH_MAX, CategoryTree, NewCategory};

use super::market::{
    CategoryOption, FormError, FormFields, category_options, error_at, explain, invalid, parse_id,
    whole_number, with_status,
};
use super::operator::require_operator;
use super::{Shell, error_response, render};
use crate::error::{ApiError, ErrorCode};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

const SUPPLIERS_PAGE_SIZE: u32 = 50;
/// Attribute lines read from the form; the domain bounds them further.
const ATTRIBUTE_LINES_MAX: usize = 50;

/// A category as a row of the tree table.
pub struct CategoryRow {
    pub path: String,
    pub slug: String,
    pub attributes: String,
    pub position: i64,
}

/// A member company with its market settings.
pub struct SupplierRow {
    pub company_id: String,
    pub name: String,
    pub place: String,
    /// `None` until the company's storefront is opened.
    pub settings: Option<SupplierSettings>,
}

pub struct SupplierSettings {
    pub verified: bool,
    pub quota: i64,
    pub used: i64,
}

/// The new-category form as typed.
#[derive(Debug, Clone, Default)]
pub struct CategoryForm {
    parent_id: String,
    slug: String,
    name_zh: String,
    name_en: String,
    position: String,
    attributes: String,
}

impl CategoryForm {
    fn from_fields(fields: &FormFields) -> CategoryForm {
        CategoryForm {
            parent_id: fields.get("parent_id").to_owned(),
            slug: fields.get("slug").to_owned(),
            name_zh: fields.get("name_zh").to_owned(),
            name_en: fields.get("name_en").to_owned(),
            position: fields.get("position").to_owned(),
            attributes: fields.get("attributes").to_owned(),
        }
    }

    fn input(&self, tree: &CategoryTree) -> Result<NewCategory, ApiError> {
        let parent_id = match self.parent_id.as_str() {
            "" => None,
            text => Some(
                text.parse()
                    .ok()
                    .filter(|id| tree.get(*id).is_some())
                    .ok_or_else(|| invalid("parent_id", "not_found", "no such category"))?,
            ),
        };
        Ok(NewCategory {
            parent_id,
            slug: self.slug.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            position: whole_number("position", &self.position)?.unwrap_or(0),
            attributes: attribute_lines(&self.attributes)?,
        })
    }
}

/// Reads one attribute per line:
/// `key | 中文名 | English name | text, number or choice | unit | choice, choice | required`,
/// the last three parts optional.
fn attribute_lines(text: &str) -> Result<Vec<AttributeSpec>, ApiError> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.len() > ATTRIBUTE_LINES_MAX {
        return Err(invalid(
            "attributes",
            "too_many",
            &format!("at most {ATTRIBUTE_LINES_MAX} attributes"),
        ));
    }
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let field = format!("attributes[{index}]");
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            if !(4..=7).contains(&parts.len()) {
                return Err(invalid(
                    &field,
                    "attribute_line",
                    "key | 中文名 | English name | text, number or choice | unit | choices | required",
                ));
            }
            let kind = match parts[3].to_ascii_lowercase().as_str() {
                "text" => AttributeKind::Text,
                "number" => AttributeKind::Number,
                "choice" => AttributeKind::Choice,
                _ => {
                    return Err(invalid(
                        &format!("{field}.kind"),
                        "not_a_choice",
                        "text, number or choice",
                    ));
                }
            };
            let part = |at: usize| parts.get(at).copied().unwrap_or("");
            Ok(AttributeSpec {
                key: parts[0].to_owned(),
                name_zh: parts[1].to_owned(),
                name_en: parts[2].to_owned(),
                kind,
                unit: Some(part(4)).filter(|unit| !unit.is_empty()).map(str::to_owned),
                choices: part(5)
                    .split([',', '，'])
                    .map(str::trim)
                    .filter(|choice| !choice.is_empty())
                    .map(str::to_owned)
                    .collect(),
                required: matches!(part(6), "required" | "必填"),
            })
        })
        .collect()
}

/// The keys of a category's attributes, for the tree table.
fn attribute_summary(attributes: &[AttributeSpec]) -> String {
    attributes
        .iter()
        .map(|spec| spec.key.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Template)]
#[template(path = "operator_market.html")]
struct MarketPage<'a> {
    shell: &'a Shell,
    categories: Vec<CategoryRow>,
    parents: Vec<CategoryOption>,
    form: CategoryForm,
    suppliers: Vec<SupplierRow>,
    next_page: Option<String>,
    error: Option<FormError>,
    notice: Option<String>,
}

impl MarketPage<'_> {
    fn error_at(&self, field: &str) -> &str {
        error_at(&self.error, field)
    }
}

async fn market_page(
    state: &AppState,
    shell: &Shell,
    cursor: Option<String>,
    form: Option<CategoryForm>,
    error: Option<ApiError>,
    notice: Option<String>,
) -> Response {
    let result = async {
        require_operator(shell)?;
        let tree = state.market.categories().await?;
        let page = page_of_size(SUPPLIERS_PAGE_SIZE, cursor.as_deref())?;
        let companies: PageBody<Company> = state.identity.all_companies(page).await?.into();
        let ids: Vec<CompanyId> = companies.items.iter().map(|company| company.id).collect();
        let mut standings = state.market.supplier_standings(&ids).await?;
        let suppliers = companies
            .items
            .iter()
            .map(|company| SupplierRow {
                company_id: company.id.to_string(),
                name: company.legal_name.clone(),
                place: format!("{} {} {}", company.country, company.region, company.city)
                    .trim()
                    .to_owned(),
                settings: standings.remove(&company.id).map(|(storefront, quota)| {
                    SupplierSettings {
                        verified: storefront.verified,
                        quota: quota.quota,
                        used: quota.used,
                    }
                }),
            })
            .collect();
        let next_page = companies
            .next_cursor
            .map(|cursor| format!("/operator/market?cursor={cursor}"));
        Ok::<_, ApiError>((tree, suppliers, next_page))
    }
    .await;
    let (tree, suppliers, next_page) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let mut categories: Vec<CategoryRow> = tree
        .all()
        .iter()
        .map(|category| CategoryRow {
            path: super::market::category_path(shell, &tree, category.id),
            slug: category.slug.clone(),
            attributes: attribute_summary(&category.attributes),
            position: category.position,
        })
        .collect();
    categories.sort_by(|a, b| a.path.cmp(&b.path));
    let form = form.unwrap_or_default();
    let chosen_parent = form.parent_id.parse().ok();
    let parents = category_options(shell, &tree, false, chosen_parent)
        .into_iter()
        .filter(|option| {
            option
                .id
                .parse()
                .is_ok_and(|id| tree.path(id).len() < CATEGORY_DEPTH_MAX)
        })
        .collect();
    let page = MarketPage {
        shell,
        categories,
        parents,
        form,
        suppliers,
        next_page,
        error: error.as_ref().map(|error| explain(shell, error)),
        notice,
    };
    with_status(render(&page), error.as_ref())
}

fn notice_of(shell: &Shell, query: Option<&str>) -> (Option<String>, Option<String>) {
    let fields = super::market::query_fields(query);
    let notice = match fields.get("notice") {
        "category-added" => Some(shell.t("operator-market-category-added")),
        "settings-saved" => Some(shell.t("operator-market-settings-saved")),
        _ => None,
    };
    let cursor = Some(fields.get("cursor").to_owned()).filter(|cursor| !cursor.is_empty());
    (notice, cursor)
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let (notice, cursor) = notice_of(&shell, query.as_deref());
    market_page(&state, &shell, cursor, None, None, notice).await
}

pub async fn create_category(
    State(state): State<AppState>,
    shell: Shell,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match FormFields::read(form) {
        Ok(fields) => fields,
        Err(error) => return error_response(&shell, error),
    };
    let form = CategoryForm::from_fields(&fields);
    let result = async {
        require_operator(&shell)?;
        let tree = state.market.categories().await?;
        let input = form.input(&tree)?;
        state.market.create_category(&input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/operator/market?notice=category-added").into_response(),
        Err(error) if error.code == ErrorCode::NotFound => error_response(&shell, error),
        Err(error) => market_page(&state, &shell, None, Some(form), Some(error), None).await,
    }
}

pub async fn update_supplier(
    State(state): State<AppState>,
    shell: Shell,
    Path(company_id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match FormFields::read(form) {
        Ok(fields) => fields,
        Err(error) => return error_response(&shell, error),
    };
    let result = async {
        require_operator(&shell)?;
        let company_id: CompanyId = parse_id(&company_id)?;
        let quota = whole_number(
            "quotation_quota_monthly",
            fields.get("quotation_quota_monthly"),
        )?
        .ok_or_else(|| invalid("quotation_quota_monthly", "required", "quotations a month"))?;
        // The quota is checked first, so a bad one leaves the badge as it was.
        state.market.set_quotation_quota(company_id, quota).await?;
        state
            .market
            .set_verified(company_id, fields.checked("verified"))
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/operator/market?notice=settings-saved").into_response(),
        Err(error) if error.code == ErrorCode::NotFound => error_response(&shell, error),
        Err(error) => market_page(&state, &shell, None, None, Some(error), None).await,
    }
}
