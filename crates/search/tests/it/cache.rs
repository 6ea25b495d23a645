//! The result cache never changes an answer: pages served from it equal
//! pages collected afresh, and a commit is seen at once.

use search::{ProductDocument, SearchIndex, SearchIndexOptions, SearchRequest, SortOrder};

fn product(id: i64) -> ProductDocument {
    ProductDocument {
        id,
        company_id: 1,
        company_name: "Company".to_string(),
        title_zh: Some("不锈钢保温杯".to_string()),
        title_en: Some(format!("Vacuum flask model {id}")),
        description: "保温杯".to_string(),
        attributes: Vec::new(),
        category_path: vec![1 + id % 3, 10 + id % 7],
        category_names: String::new(),
        province: ["Zhejiang", "Guangdong", "Fujian"][(id % 3) as usize].to_string(),
        country: "CN".to_string(),
        verified: id % 2 == 0,
        in_stock: true,
        moq: 1,
        price_tiers: vec![(1, 100 + id)],
        currency: "CNY".to_string(),
        created_at_micros: 1_700_000_000_000_000 + id * 1_000,
        quality_score: (id % 10) as f32 / 10.0,
    }
}

fn index(result_cache_entries: usize) -> SearchIndex {
    let index = SearchIndex::in_memory_with(SearchIndexOptions {
        result_cache_entries,
        // Cache every search, however few products it matches.
        result_cache_total_min: 0,
        ..SearchIndexOptions::default()
    })
    .unwrap();
    index
        .index(&(1..=300).map(product).collect::<Vec<_>>())
        .unwrap();
    index.commit().unwrap();
    index
}

/// `request` answers alike with and without the cache, asked twice.
fn check(cached: &SearchIndex, uncached: &SearchIndex, request: &SearchRequest) {
    let expected = uncached.search(request).unwrap();
    assert_eq!(cached.search(request).unwrap(), expected, "{request:?}");
    assert_eq!(
        cached.search(request).unwrap(),
        expected,
        "{request:?} again"
    );
}

#[test]
fn cached_pages_equal_fresh_ones() {
    let (cached, uncached) = (index(16), index(0));
    for sort in [
        SortOrder::Relevance,
        SortOrder::Newest,
        SortOrder::PriceAscending,
        SortOrder::PriceDescending,
    ] {
        for text in ["", "保温杯", "flask"] {
            for (offset, limit) in [(0, 10), (10, 10), (90, 20), (200, 100), (295, 10)] {
                let request = SearchRequest {
                    text: text.to_string(),
                    sort,
                    offset,
                    limit,
                    ..SearchRequest::default()
                };
                check(&cached, &uncached, &request);
                let filtered = SearchRequest {
                    category_id: Some(2),
                    verified_only: true,
                    ..request
                };
                check(&cached, &uncached, &filtered);
            }
        }
    }
}

#[test]
fn a_commit_is_seen_at_once() {
    let index = index(16);
    let everything = SearchRequest::default();
    assert_eq!(index.search(&everything).unwrap().total, 300);
    index.index(&[product(301)]).unwrap();
    // Not committed: the cached answer is still the truth.
    assert_eq!(index.search(&everything).unwrap().total, 300);
    index.commit().unwrap();
    let results = index.search(&everything).unwrap();
    assert_eq!(results.total, 301);
    index.delete(1).unwrap();
    index.delete(2).unwrap();
    index.commit().unwrap();
    assert_eq!(index.search(&everything).unwrap().total, 299);
    index.merge_segments().unwrap();
    assert_eq!(index.search(&everything).unwrap().total, 299);
}
