//! Product search for Hanse: one tantivy index whose text fields are analysed
//! for Chinese and English at once (jieba-rs plus an English stemmer), with
//! filters, facet counts from fast fields, highlighted snippets and
//! suggestions as the user types. Independent of `market`: it indexes its own
//! [`ProductDocument`], which the owner of the products feeds it.

mod analysis;
mod cache;
mod collector;
mod document;
mod highlight;
mod index;
mod query;
mod ranking;
mod request;
mod requests;

pub use analysis::{AnalyzedToken, Segmentation, analyze, pinyin_words};
pub use document::ProductDocument;
pub use highlight::highlight;
pub use index::{SearchIndex, SearchIndexOptions};
pub use request::{
    CategoryCount, Hit, LIMIT_MAX, OFFSET_MAX, PriceFilter, ProvinceCount, QUERY_CHARS_MAX,
    SUGGESTIONS_MAX, SearchRequest, SearchResults, SortOrder,
};
pub use requests::{RequestDocument, RequestHit, RequestIndex, RequestResults, RequestSearch};

/// What can go wrong in the search index. Bad queries are not errors: they
/// are bounded and read leniently.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index file: {0}")]
    Io(#[from] std::io::Error),
}
