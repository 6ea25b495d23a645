//! What a search asks and what it answers, with the bounds every request is
//! held to: a request out of bounds is clamped, never refused.

/// Text beyond this many chars is ignored.
pub const QUERY_CHARS_MAX: usize = 200;
/// The largest page.
pub const LIMIT_MAX: usize = 100;
/// The deepest a client may page; deeper results are for refining the query.
pub const OFFSET_MAX: usize = 1_000;
/// The most suggestions returned for a prefix.
pub const SUGGESTIONS_MAX: usize = 20;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Text relevance weighted by the supplier's quality score; with no text,
    /// quality then newest.
    #[default]
    Relevance,
    /// Unit price at the filter's quantity (or the first tier), lowest first.
    PriceAscending,
    PriceDescending,
    Newest,
}

/// Unit price between `min_minor` and `max_minor` (inclusive) when buying
/// `quantity` (the first tier when absent), in `currency` only: prices in
/// other currencies are not comparable and are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PriceFilter {
    pub currency: String,
    pub quantity: Option<i64>,
    pub min_minor: Option<i64>,
    pub max_minor: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    /// Words in Chinese, English or pinyin; all must match (a Latin word of
    /// five letters or more that is nowhere in the index matches at edit
    /// distance 1). Empty matches every product.
    pub text: String,
    /// Only products in this category or below it.
    pub category_id: Option<i64>,
    pub price: Option<PriceFilter>,
    /// Only products whose minimum order quantity is at most this.
    pub moq_max: Option<i64>,
    pub province: Option<String>,
    pub country: Option<String>,
    pub verified_only: bool,
    pub in_stock_only: bool,
    pub sort: SortOrder,
    pub offset: usize,
    /// Page size, clamped to 1..=[`LIMIT_MAX`]; 0 means 20.
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    /// Titles as HTML, escaped, with matched words in `<mark>`.
    pub title_zh_html: Option<String>,
    pub title_en_html: Option<String>,
    /// A piece of the description as HTML, escaped, matches in `<mark>`.
    pub snippet_html: String,
    pub province: String,
    pub country: String,
    pub verified: bool,
    pub in_stock: bool,
    pub moq: i64,
    /// Unit price at the filter's quantity, or at the first tier.
    pub unit_price_minor: Option<i64>,
    pub currency: String,
    pub score: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryCount {
    pub category_id: i64,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceCount {
    pub province: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// How many products match in all.
    pub total: u64,
    pub hits: Vec<Hit>,
    /// Counts one level below the filtered category (the top level without
    /// a category filter), most first.
    pub categories: Vec<CategoryCount>,
    pub provinces: Vec<ProvinceCount>,
}
