//! `/search`: products by words in Chinese, English or pinyin, with filters,
//! facet counts, sorts, highlighted snippets and a bounded page depth; and
//! `/search/suggest`, the completions the search box offers as one types.
//! Every parameter is read leniently: a bad value is a 400 page saying which,
//! never a failure.

use askama::Template;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use kernel::Currency;
use market::{CategoryId, CategoryTree, ProductId};
use search::{OFFSET_MAX, PriceFilter, QUERY_CHARS_MAX, SearchRequest, SortOrder};

use super::{OFFERED_CURRENCIES, category_name, decimal_amount, image_url, whole_number};
use crate::error::{ApiError, ErrorCode};
use crate::pages::{Shell, render};
use crate::state::AppState;

const PAGE_SIZE: usize = 20;
const SUGGESTIONS: usize = 8;
/// Free-text filters beyond this are cut, like the query itself.
const PROVINCE_CHARS_MAX: usize = 100;
const SORTS: [(&str, &str); 4] = [
    ("relevance", "market-sort-relevance"),
    ("price_asc", "market-sort-price-asc"),
    ("price_desc", "market-sort-price-desc"),
    ("newest", "market-sort-newest"),
];

/// The search as typed, echoed back into the form and into every link.
#[derive(Debug, Default, Clone)]
struct SearchForm {
    q: String,
    category: String,
    currency: String,
    quantity: String,
    price_min: String,
    price_max: String,
    moq_max: String,
    province: String,
    verified: bool,
    in_stock: bool,
    sort: String,
    page: usize,
}

fn cut(text: &str, chars_max: usize) -> String {
    text.chars().take(chars_max).collect()
}

impl SearchForm {
    fn from_query(query: &str) -> SearchForm {
        let mut form = SearchForm {
            page: 1,
            ..SearchForm::default()
        };
        let mut page = String::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            match name.as_ref() {
                "q" => form.q = cut(value, QUERY_CHARS_MAX),
                "category" => form.category = cut(value, 80),
                "currency" => form.currency = cut(value, 3),
                "quantity" => form.quantity = cut(value, 20),
                "price_min" => form.price_min = cut(value, 20),
                "price_max" => form.price_max = cut(value, 20),
                "moq_max" => form.moq_max = cut(value, 20),
                "province" => form.province = cut(value, PROVINCE_CHARS_MAX),
                "verified" => form.verified = !value.is_empty(),
                "in_stock" => form.in_stock = !value.is_empty(),
                "sort" => form.sort = cut(value, 20),
                "page" => page = cut(value, 20),
                // Unknown parameters (tracking tags, old links) change nothing.
                _ => {}
            }
        }
        form.page = page.parse().unwrap_or(if page.is_empty() { 1 } else { 0 });
        form
    }

    /// The request, or what is wrong with the parameters.
    fn request(&self, tree: &CategoryTree) -> Result<SearchRequest, ApiError> {
        let bad =
            |field: &str, detail: &str| ApiError::field(ErrorCode::InvalidQuery, field, detail);
        let category_id = match self.category.as_str() {
            "" => None,
            text => {
                let category = text
                    .parse::<CategoryId>()
                    .ok()
                    .and_then(|id| tree.get(id))
                    .or_else(|| tree.by_slug(text))
                    .ok_or_else(|| bad("category", "no such category"))?;
                Some(category.id.raw())
            }
        };
        let sort = match self.sort.as_str() {
            "" | "relevance" => SortOrder::Relevance,
            "price_asc" => SortOrder::PriceAscending,
            "price_desc" => SortOrder::PriceDescending,
            "newest" => SortOrder::Newest,
            _ => {
                return Err(bad(
                    "sort",
                    "sort by relevance, price_asc, price_desc or newest",
                ));
            }
        };
        let price = if self.price_min.is_empty() && self.price_max.is_empty() {
            None
        } else {
            let currency: Currency = match self.currency.as_str() {
                "" => Currency::CNY,
                text => text
                    .to_ascii_uppercase()
                    .parse()
                    .map_err(|_| bad("currency", "a currency code such as CNY"))?,
            };
            let amount = |field: &str, text: &str| {
                decimal_amount(field, text, currency)
                    .map_err(|_| bad(field, "a price such as 12.50"))
            };
            let quantity = whole_number("quantity", &self.quantity)
                .ok()
                .flatten()
                .filter(|quantity| *quantity > 0);
            if !self.quantity.is_empty() && quantity.is_none() {
                return Err(bad("quantity", "a quantity such as 500"));
            }
            Some(PriceFilter {
                currency: currency.code().to_owned(),
                quantity,
                min_minor: amount("price_min", &self.price_min)?,
                max_minor: amount("price_max", &self.price_max)?,
            })
        };
        let moq_max = whole_number("moq_max", &self.moq_max)
            .map_err(|_| bad("moq_max", "a quantity such as 500"))?;
        if self.page == 0 {
            return Err(bad("page", "a page number such as 2"));
        }
        Ok(SearchRequest {
            text: self.q.clone(),
            category_id,
            price,
            moq_max,
            province: (!self.province.is_empty()).then(|| self.province.clone()),
            country: None,
            verified_only: self.verified,
            in_stock_only: self.in_stock,
            sort,
            offset: self.offset(),
            limit: PAGE_SIZE,
        })
    }

    /// Pages past the deepest offset show the last page allowed.
    fn offset(&self) -> usize {
        (self.page.max(1) - 1)
            .saturating_mul(PAGE_SIZE)
            .min(OFFSET_MAX)
    }

    /// `/search?…` with this search's parameters, `changes` applied (an empty
    /// value drops the parameter); a changed filter starts again at page 1.
    fn href(&self, changes: &[(&str, &str)]) -> String {
        let page = self.page.to_string();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("q", &self.q),
            ("category", &self.category),
            ("currency", &self.currency),
            ("quantity", &self.quantity),
            ("price_min", &self.price_min),
            ("price_max", &self.price_max),
            ("moq_max", &self.moq_max),
            ("province", &self.province),
            ("verified", if self.verified { "1" } else { "" }),
            ("in_stock", if self.in_stock { "1" } else { "" }),
            ("sort", &self.sort),
            (
                "page",
                if changes.iter().any(|(name, _)| *name == "page") {
                    &page
                } else {
                    ""
                },
            ),
        ];
        for (name, value) in changes {
            match pairs.iter_mut().find(|(key, _)| key == name) {
                Some(pair) => pair.1 = value,
                None => pairs.push((name, value)),
            }
        }
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs.into_iter().filter(|(_, value)| !value.is_empty()) {
            serializer.append_pair(name, value);
        }
        format!("/search?{}", serializer.finish())
    }
}

struct Facet {
    name: String,
    count: u64,
    href: String,
}

struct HitView {
    href: String,
    /// Escaped by the index, with matches in `<mark>`: shown as is.
    title_html: String,
    /// The other language's title when only it matched, else empty.
    other_title_html: String,
    snippet_html: String,
    company_name: String,
    company_href: String,
    province: String,
    verified: bool,
    in_stock: bool,
    moq: i64,
    price: Option<String>,
    thumbnail: Option<String>,
}

struct SortChoice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "market/search.html")]
struct SearchPage<'a> {
    shell: &'a Shell,
    form: SearchForm,
    error: Option<String>,
    hits: Vec<HitView>,
    categories: Vec<Facet>,
    provinces: Vec<Facet>,
    /// The chosen category's name, and the link that removes it.
    category_chosen: Option<String>,
    category_clear: String,
    province_chosen: Option<String>,
    province_clear: String,
    sorts: Vec<SortChoice>,
    /// Each offered currency and whether the filter uses it.
    currencies: Vec<(&'static str, bool)>,
    results_label: String,
    previous_page: Option<String>,
    next_page: Option<String>,
    page_of: String,
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let form = SearchForm::from_query(query.as_deref().unwrap_or(""));
    let tree = match state.market.categories().await {
        Ok(tree) => tree,
        Err(error) => return crate::pages::error_response(&shell, error.into()),
    };
    let sorts = SORTS
        .iter()
        .map(|(value, key)| SortChoice {
            value,
            label: shell.t(key),
            selected: form.sort == *value || (form.sort.is_empty() && *value == "relevance"),
        })
        .collect();
    let mut page = SearchPage {
        shell: &shell,
        form: form.clone(),
        error: None,
        hits: Vec::new(),
        categories: Vec::new(),
        provinces: Vec::new(),
        category_chosen: None,
        category_clear: form.href(&[("category", "")]),
        province_chosen: (!form.province.is_empty()).then(|| form.province.clone()),
        province_clear: form.href(&[("province", "")]),
        sorts,
        currencies: OFFERED_CURRENCIES
            .iter()
            .map(|code| (*code, form.currency.eq_ignore_ascii_case(code)))
            .collect(),
        results_label: String::new(),
        previous_page: None,
        next_page: None,
        page_of: String::new(),
    };
    let request = match form.request(&tree) {
        Ok(request) => request,
        Err(error) => {
            page.error = Some(super::explain(&shell, &error).message);
            let mut response = render(&page);
            *response.status_mut() = error.status();
            return response;
        }
    };
    let results = match state.market.search_products(request.clone()).await {
        Ok(results) => results,
        Err(error) => return crate::pages::error_response(&shell, error.into()),
    };
    if let Some(id) = request.category_id
        && let Some(category) = tree.get(CategoryId::from_raw(id))
    {
        page.category_chosen = Some(category_name(&shell, category).to_owned());
    }
    page.categories = results
        .categories
        .iter()
        .filter_map(|facet| {
            let category = tree.get(CategoryId::from_raw(facet.category_id))?;
            Some(Facet {
                name: category_name(&shell, category).to_owned(),
                count: facet.count,
                href: form.href(&[("category", &category.id.to_string())]),
            })
        })
        .collect();
    page.provinces = results
        .provinces
        .iter()
        .filter(|facet| !facet.province.is_empty())
        .map(|facet| Facet {
            name: facet.province.clone(),
            count: facet.count,
            href: form.href(&[("province", &facet.province)]),
        })
        .collect();
    // The index keeps no images; the first image of each hit is read from
    // the catalog, all at once.
    let thumbnails = futures::future::join_all(results.hits.iter().map(|hit| {
        let market = state.market.clone();
        let id = ProductId::from_raw(hit.id);
        async move {
            market
                .published_product(id)
                .await
                .ok()
                .and_then(|product| product.images.first().cloned())
        }
    }))
    .await;
    let chinese = shell.chinese();
    page.hits = results
        .hits
        .iter()
        .zip(thumbnails)
        .map(|(hit, thumbnail)| {
            let (first, second) = if chinese {
                (&hit.title_zh_html, &hit.title_en_html)
            } else {
                (&hit.title_en_html, &hit.title_zh_html)
            };
            let title_html = first
                .clone()
                .filter(|title| !title.is_empty())
                .or_else(|| second.clone())
                .unwrap_or_default();
            // A query in the other language matched the other title: show
            // that one too, so the reader sees why the product was found.
            let other_title_html = second
                .clone()
                .filter(|other| other.contains("<mark>") && !title_html.contains("<mark>"))
                .unwrap_or_default();
            let price = hit
                .unit_price_minor
                .map(|minor| match hit.currency.parse::<Currency>() {
                    Ok(currency) => super::money(minor, currency),
                    Err(_) => format!("{minor} {}", hit.currency),
                });
            HitView {
                href: format!("/products/{}", ProductId::from_raw(hit.id)),
                title_html,
                other_title_html,
                snippet_html: hit.snippet_html.clone(),
                company_name: hit.company_name.clone(),
                company_href: format!("/companies/{}", kernel::CompanyId::from_raw(hit.company_id)),
                province: hit.province.clone(),
                verified: hit.verified,
                in_stock: hit.in_stock,
                moq: hit.moq,
                price,
                thumbnail: thumbnail.map(|hash| image_url(&hash, "thumb")),
            }
        })
        .collect();
    page.results_label = shell.t_with("market-results", &[("count", &results.total.to_string())]);
    let reachable = (results.total as usize).min(OFFSET_MAX + PAGE_SIZE);
    let pages = reachable.div_ceil(PAGE_SIZE).max(1);
    let current = request.offset / PAGE_SIZE + 1;
    page.page_of = shell.t_with(
        "market-page-of",
        &[
            ("page", &current.to_string()),
            ("pages", &pages.to_string()),
        ],
    );
    if current > 1 {
        page.previous_page = Some(form.href(&[("page", &(current - 1).to_string())]));
    }
    if current < pages {
        page.next_page = Some(form.href(&[("page", &(current + 1).to_string())]));
    }
    render(&page)
}

/// Completions as a JSON list of strings; anything odd answers an empty list.
pub async fn suggest(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let typed = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, value)| cut(&value, QUERY_CHARS_MAX))
        .unwrap_or_default();
    let suggestions = if typed.trim().is_empty() {
        Vec::new()
    } else {
        state
            .market
            .suggest(typed, SUGGESTIONS)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(error = %error, "search suggestions failed");
                Vec::new()
            })
    };
    Json(suggestions).into_response()
}
