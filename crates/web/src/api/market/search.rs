//! `GET /api/v1/search/products` and `/api/v1/search/suggestions`: product
//! search in Chinese, English and pinyin. Every request is bounded; unknown
//! filter values are named in a problem response, never a 500.

use axum::extract::State;
use kernel::Currency;
use market::CategoryId;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::bounded::{Bounded, bound};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

/// A page of search hits: 1 to 100.
pub type SearchLimit = Bounded<1, { bound(search::LIMIT_MAX) }>;
/// Hits skipped: at most 1,000; deeper pages are refused, refine the query.
pub type SearchOffset = Bounded<0, { bound(search::OFFSET_MAX) }>;
/// An order quantity, as in a product's price tiers.
pub type Quantity = Bounded<1, { market::price::QUANTITY_MAX }>;
/// An amount in minor units of the search's currency.
pub type MinorAmount = Bounded<0, { i64::MAX }>;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words in Chinese, English or pinyin; all must match. Empty lists everything.
    #[serde(default)]
    pub q: String,
    /// A category id (`cat_…`): this category and everything below it.
    #[param(inline)]
    pub category: Option<CategoryId>,
    /// The currency of the price filter and price sorts (default CNY).
    #[param(inline)]
    pub currency: Option<Currency>,
    /// The quantity whose tier price is filtered and sorted by.
    #[param(inline)]
    pub quantity: Option<Quantity>,
    /// Unit price at least this, in minor units of `currency`.
    #[param(inline)]
    pub price_min_minor: Option<MinorAmount>,
    /// Unit price at most this, in minor units of `currency`.
    #[param(inline)]
    pub price_max_minor: Option<MinorAmount>,
    /// Minimum order quantity at most this.
    #[param(inline)]
    pub moq_max: Option<Quantity>,
    pub province: Option<String>,
    /// ISO 3166 two-letter code.
    pub country: Option<String>,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub in_stock: bool,
    /// `relevance` (default), `price_asc`, `price_desc`, `newest`.
    #[param(inline)]
    pub sort: Option<SearchSort>,
    /// Results to skip, at most 1,000.
    #[param(inline)]
    pub offset: Option<SearchOffset>,
    /// Page size, 1 to 100 (default 20).
    #[param(inline)]
    pub limit: Option<SearchLimit>,
}

/// One product found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub id: market::ProductId,
    pub company_id: kernel::CompanyId,
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

/// Turns query parameters into a search request; each was checked against
/// its documented range as it was read, and text is bounded by the search
/// crate itself.
pub fn search_request(query: &SearchQuery) -> search::SearchRequest {
    let sort = match query.sort.unwrap_or_default() {
        SearchSort::Relevance => search::SortOrder::Relevance,
        SearchSort::PriceAsc => search::SortOrder::PriceAscending,
        SearchSort::PriceDesc => search::SortOrder::PriceDescending,
        SearchSort::Newest => search::SortOrder::Newest,
    };
    let min_minor = query.price_min_minor.map(MinorAmount::get);
    let max_minor = query.price_max_minor.map(MinorAmount::get);
    let quantity = query.quantity.map(Quantity::get);
    let filters_price = min_minor.is_some()
        || max_minor.is_some()
        || quantity.is_some()
        || matches!(
            sort,
            search::SortOrder::PriceAscending | search::SortOrder::PriceDescending
        );
    search::SearchRequest {
        text: query.q.clone(),
        category_id: query.category.map(CategoryId::raw),
        price: filters_price.then(|| search::PriceFilter {
            currency: query.currency.unwrap_or(Currency::CNY).code().to_owned(),
            quantity,
            min_minor,
            max_minor,
        }),
        moq_max: query.moq_max.map(Quantity::get),
        province: query.province.clone().filter(|p| !p.is_empty()),
        country: query
            .country
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase),
        verified_only: query.verified,
        in_stock_only: query.in_stock,
        sort,
        offset: query.offset.map_or(0, SearchOffset::to_usize),
        limit: query.limit.map_or(20, SearchLimit::to_usize),
    }
}

fn response(results: search::SearchResults) -> SearchResponse {
    SearchResponse {
        total: results.total,
        hits: results
            .hits
            .into_iter()
            .map(|hit| SearchHit {
                id: market::ProductId::from_raw(hit.id),
                company_id: kernel::CompanyId::from_raw(hit.company_id),
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
    responses((status = 200, body = SearchResponse)))]
pub async fn products(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> ApiResult<ApiJson<SearchResponse>> {
    let request = search_request(&query);
    Ok(ApiJson(response(
        state.market.search_products(request).await?,
    )))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SuggestQuery {
    /// What the user has typed so far.
    #[serde(default)]
    pub q: String,
    /// 1 to 20 (default 8).
    #[param(inline)]
    pub limit: Option<SuggestionLimit>,
}

/// How many suggestions: 1 to 20.
pub type SuggestionLimit = Bounded<1, { bound(search::SUGGESTIONS_MAX) }>;

#[utoipa::path(get, path = "/api/v1/search/suggestions", tag = "market", params(SuggestQuery),
    responses((status = 200, body = Vec<String>)))]
pub async fn suggestions(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SuggestQuery>,
) -> ApiResult<ApiJson<Vec<String>>> {
    let limit = query.limit.map_or(8, SuggestionLimit::to_usize);
    Ok(ApiJson(state.market.suggest(query.q, limit).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RfqSearchQuery {
    /// Words in Chinese, English or pinyin; all must match. Empty lists the newest.
    #[serde(default)]
    pub q: String,
    /// A category id (`cat_…`): requests in it or below it.
    #[param(inline)]
    pub category: Option<CategoryId>,
    /// Results to skip, at most 1,000.
    #[param(inline)]
    pub offset: Option<SearchOffset>,
    /// Page size, 1 to 100 (default 20).
    #[param(inline)]
    pub limit: Option<SearchLimit>,
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
    responses((status = 200, body = RfqSearchResponse)))]
pub async fn rfqs(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<RfqSearchQuery>,
) -> ApiResult<ApiJson<RfqSearchResponse>> {
    let (total, hits) = state
        .market
        .search_rfqs(search::RequestSearch {
            text: query.q,
            category_id: query.category.map(CategoryId::raw),
            offset: query.offset.map_or(0, SearchOffset::to_usize),
            limit: query.limit.map_or(20, SearchLimit::to_usize),
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
