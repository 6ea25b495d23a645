//! `GET /api/v1/search/products` and `/api/v1/search/suggestions`: product
//! search in Chinese, English and pinyin. Every request is bounded; unknown
//! filter values are named in a problem response, never a 500.

use axum::extract::State;
use kernel::Currency;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words in Chinese, English or pinyin; all must match. Empty lists everything.
    #[serde(default)]
    pub q: String,
    /// A category id (`cat_…`): this category and everything below it.
    pub category: Option<String>,
    /// The currency of the price filter and price sorts (default CNY).
    pub currency: Option<String>,
    /// The quantity whose tier price is filtered and sorted by.
    pub quantity: Option<i64>,
    /// Unit price at least this, as a decimal in `currency`.
    pub price_min: Option<String>,
    /// Unit price at most this, as a decimal in `currency`.
    pub price_max: Option<String>,
    /// Minimum order quantity at most this.
    pub moq_max: Option<i64>,
    pub province: Option<String>,
    /// ISO 3166 two-letter code.
    pub country: Option<String>,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub in_stock: bool,
    /// `relevance` (default), `price_asc`, `price_desc`, `newest`.
    pub sort: Option<String>,
    /// Results to skip, at most 1,000.
    pub offset: Option<usize>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<usize>,
}

/// One product found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// The product id (`prd_…`).
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    /// HTML: escaped, matches in `<mark>`.
    pub title_zh_html: Option<String>,
    pub title_en_html: Option<String>,
    pub snippet_html: String,
    pub province: String,
    pub country: String,
    pub verified: bool,
    pub in_stock: bool,
    pub moq: i64,
    /// At the requested quantity, or the first tier.
    pub unit_price_minor: Option<i64>,
    pub currency: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FacetCount {
    /// A category id (`cat_…`) or a province name.
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    pub total: u64,
    pub hits: Vec<SearchHit>,
    pub categories: Vec<FacetCount>,
    pub provinces: Vec<FacetCount>,
}

fn invalid(field: &str, detail: &str) -> ApiError {
    ApiError::field(ErrorCode::InvalidQuery, field, detail.to_owned())
}

fn price(field: &str, text: Option<&str>, currency: Currency) -> ApiResult<Option<i64>> {
    text.filter(|text| !text.trim().is_empty())
        .map(|text| {
            kernel::Money::parse_decimal(text.trim(), currency)
                .map(|money| money.minor)
                .ok()
                .filter(|minor| *minor >= 0)
                .ok_or_else(|| invalid(field, "a price such as 12.50"))
        })
        .transpose()
}

/// Turns query parameters into a search request, refusing what cannot mean
/// anything; text is bounded by the search crate itself.
pub fn search_request(query: &SearchQuery) -> ApiResult<search::SearchRequest> {
    let currency = match query.currency.as_deref().filter(|c| !c.is_empty()) {
        Some(code) => code
            .parse::<Currency>()
            .map_err(|_| invalid("currency", "an ISO 4217 code such as CNY"))?,
        None => Currency::CNY,
    };
    let category_id = query
        .category
        .as_deref()
        .filter(|text| !text.is_empty())
        .map(|text| {
            text.parse::<market::CategoryId>()
                .map(|id| id.raw())
                .map_err(|_| invalid("category", "a category id such as cat_…"))
        })
        .transpose()?;
    let min_minor = price("price_min", query.price_min.as_deref(), currency)?;
    let max_minor = price("price_max", query.price_max.as_deref(), currency)?;
    let quantity = query
        .quantity
        .map(|quantity| {
            (1..=market::price::QUANTITY_MAX)
                .contains(&quantity)
                .then_some(quantity)
                .ok_or_else(|| invalid("quantity", "a quantity of at least 1"))
        })
        .transpose()?;
    let sort = match query.sort.as_deref().unwrap_or("relevance") {
        "" | "relevance" => search::SortOrder::Relevance,
        "price_asc" => search::SortOrder::PriceAscending,
        "price_desc" => search::SortOrder::PriceDescending,
        "newest" => search::SortOrder::Newest,
        _ => {
            return Err(invalid(
                "sort",
                "relevance, price_asc, price_desc or newest",
            ));
        }
    };
    let filters_price = min_minor.is_some()
        || max_minor.is_some()
        || quantity.is_some()
        || matches!(
            sort,
            search::SortOrder::PriceAscending | search::SortOrder::PriceDescending
        );
    if let Some(limit) = query.limit
        && !(1..=search::LIMIT_MAX).contains(&limit)
    {
        return Err(invalid("limit", "between 1 and 100"));
    }
    if query
        .offset
        .is_some_and(|offset| offset > search::OFFSET_MAX)
    {
        return Err(invalid(
            "offset",
            "at most 1000; refine the query to go deeper",
        ));
    }
    Ok(search::SearchRequest {
        text: query.q.clone(),
        category_id,
        price: filters_price.then(|| search::PriceFilter {
            currency: currency.code().to_owned(),
            quantity,
            min_minor,
            max_minor,
        }),
        moq_max: query.moq_max,
        province: query.province.clone().filter(|p| !p.is_empty()),
        country: query
            .country
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase),
        verified_only: query.verified,
        in_stock_only: query.in_stock,
        sort,
        offset: query.offset.unwrap_or(0),
        limit: query.limit.unwrap_or(20),
    })
}

fn response(results: search::SearchResults) -> SearchResponse {
    SearchResponse {
        total: results.total,
        hits: results
            .hits
            .into_iter()
            .map(|hit| SearchHit {
                id: market::ProductId::from_raw(hit.id).to_string(),
                company_id: kernel::CompanyId::from_raw(hit.company_id).to_string(),
                company_name: hit.company_name,
                title_zh_html: hit.title_zh_html,
                title_en_html: hit.title_en_html,
                snippet_html: hit.snippet_html,
                province: hit.province,
                country: hit.country,
                verified: hit.verified,
                in_stock: hit.in_stock,
                moq: hit.moq,
                unit_price_minor: hit.unit_price_minor,
                currency: hit.currency,
            })
            .collect(),
        categories: results
            .categories
            .into_iter()
            .map(|count| FacetCount {
                value: market::CategoryId::from_raw(count.category_id).to_string(),
                count: count.count,
            })
            .collect(),
        provinces: results
            .provinces
            .into_iter()
            .map(|count| FacetCount {
                value: count.province,
                count: count.count,
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/search/products", tag = "market", params(SearchQuery),
    responses((status = 200, body = SearchResponse), (status = 400, body = crate::error::Problem)))]
pub async fn products(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> ApiResult<ApiJson<SearchResponse>> {
    let request = search_request(&query)?;
    Ok(ApiJson(response(
        state.market.search_products(request).await?,
    )))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SuggestQuery {
    /// What the user has typed so far.
    #[serde(default)]
    pub q: String,
    /// At most 20 (default 8).
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/v1/search/suggestions", tag = "market", params(SuggestQuery),
    responses((status = 200, body = Vec<String>)))]
pub async fn suggestions(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SuggestQuery>,
) -> ApiResult<ApiJson<Vec<String>>> {
    let limit = query.limit.unwrap_or(8).clamp(1, search::SUGGESTIONS_MAX);
    Ok(ApiJson(state.market.suggest(query.q, limit).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RfqSearchQuery {
    /// Words in Chinese, English or pinyin; all must match. Empty lists the newest.
    #[serde(default)]
    pub q: String,
    /// A category id (`cat_…`): requests in it or below it.
    pub category: Option<String>,
    /// Results to skip, at most 1,000.
    pub offset: Option<usize>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<usize>,
}

/// A buying request found, with the matched words marked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RfqHit {
    pub rfq: market::PublicRfq,
    /// HTML: escaped, matches in `<mark>`.
    pub title_html: String,
    pub snippet_html: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RfqSearchResponse {
    pub total: u64,
    pub hits: Vec<RfqHit>,
}

#[utoipa::path(get, path = "/api/v1/search/rfqs", tag = "market", params(RfqSearchQuery),
    responses((status = 200, body = RfqSearchResponse), (status = 400, body = crate::error::Problem)))]
pub async fn rfqs(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<RfqSearchQuery>,
) -> ApiResult<ApiJson<RfqSearchResponse>> {
    let category_id = query
        .category
        .as_deref()
        .filter(|text| !text.is_empty())
        .map(|text| {
            text.parse::<market::CategoryId>()
                .map(|id| id.raw())
                .map_err(|_| invalid("category", "a category id such as cat_…"))
        })
        .transpose()?;
    if let Some(limit) = query.limit
        && !(1..=search::LIMIT_MAX).contains(&limit)
    {
        return Err(invalid("limit", "between 1 and 100"));
    }
    if query
        .offset
        .is_some_and(|offset| offset > search::OFFSET_MAX)
    {
        return Err(invalid(
            "offset",
            "at most 1000; refine the query to go deeper",
        ));
    }
    let (total, hits) = state
        .market
        .search_rfqs(search::RequestSearch {
            text: query.q,
            category_id,
            offset: query.offset.unwrap_or(0),
            limit: query.limit.unwrap_or(20),
        })
        .await?;
    Ok(ApiJson(RfqSearchResponse {
        total,
        hits: hits
            .into_iter()
            .map(|(hit, rfq)| RfqHit {
                rfq,
                title_html: hit.title_html,
                snippet_html: hit.snippet_html,
            })
            .collect(),
    }))
}
