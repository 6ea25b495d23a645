//! Searching the market: products through the index the feed keeps, with
//! the category tree to name the facet counts.

use search::{SearchRequest, SearchResults};

use crate::Market;
use crate::error::Result;

impl Market {
    /// Searches published products. The index holds nothing else, so drafts
    /// and unlisted products never show, whoever asks.
    pub async fn search_products(&self, request: SearchRequest) -> Result<SearchResults> {
        let indexes = self.search.clone();
        let results = tokio::task::spawn_blocking(move || indexes.products.search(&request))
            .await
            .map_err(|error| std::io::Error::other(error.to_string()))??;
        Ok(results)
    }

    /// Completions for what the user is typing.
    pub async fn suggest(&self, typed: String, limit: usize) -> Result<Vec<String>> {
        let indexes = self.search.clone();
        let suggestions =
            tokio::task::spawn_blocking(move || indexes.products.suggest(&typed, limit))
                .await
                .map_err(|error| std::io::Error::other(error.to_string()))??;
        Ok(suggestions)
    }

    /// Searches open buying requests; each hit comes with the request as the
    /// board shows it. Requests that closed or expired since they were
    /// indexed are left out of the page.
    pub async fn search_rfqs(
        &self,
        request: search::RequestSearch,
    ) -> Result<(u64, Vec<(search::RequestHit, crate::PublicRfq)>)> {
        let indexes = self.search.clone();
        let results = tokio::task::spawn_blocking(move || indexes.requests.search(&request))
            .await
            .map_err(|error| std::io::Error::other(error.to_string()))??;
        let now = self.clock.now();
        let mut hits = Vec::with_capacity(results.hits.len());
        for hit in results.hits {
            match self.public_rfq(crate::RfqId::from_raw(hit.id)).await {
                Ok(rfq)
                    if rfq.rfq.status == crate::RfqStatus::Open && rfq.rfq.valid_until > now =>
                {
                    hits.push((hit, rfq))
                }
                Ok(_) | Err(crate::MarketError::NotFound(_)) => {}
                Err(other) => return Err(other),
            }
        }
        Ok((results.total, hits))
    }

    pub fn search_indexes(&self) -> &std::sync::Arc<crate::search_feed::SearchIndexes> {
        &self.search
    }
}
