//! The search index: opening it, feeding it products in batches, and
//! answering searches and suggestions.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::merge_policy::LogMergePolicy;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::SearchError;
use crate::analysis::{document_analyzer, query_analyzer, register_analyzers};
use crate::cache::{CACHED_KEEP_MIN, CacheKey, ResultCache};
use crate::collector::SearchCollector;
use crate::document::{Fields, ProductDocument, build_schema};
use crate::highlight::highlight;
use crate::query::{self, bounded_text};
use crate::request::{
    CategoryCount, Hit, LIMIT_MAX, OFFSET_MAX, ProvinceCount, SUGGESTIONS_MAX, SearchRequest,
    SearchResults,
};

/// Facet values returned per facet.
const FACET_VALUES_MAX: usize = 30;
/// Terms of the suggestion field looked at per segment for one prefix.
const SUGGEST_TERMS_SCANNED_MAX: usize = 5_000;
pub(crate) const LIMIT_DEFAULT: usize = 20;
/// The result cache holds at most this many searches, whatever is asked.
const RESULT_CACHE_ENTRIES_MAX: usize = 10_000;

#[derive(Debug, Clone, Copy)]
pub struct SearchIndexOptions {
    /// Indexing threads; each holds its own segment in memory.
    pub writer_threads: usize,
    /// Memory for all indexing threads together, in bytes.
    pub writer_memory_bytes: usize,
    /// Results of searches that matched many products kept for the current
    /// searcher generation (see `cache.rs`); 0 turns the cache off.
    pub result_cache_entries: usize,
    /// Only searches matching at least this many products are cached: fewer
    /// are cheaper to collect again than to keep.
    pub result_cache_total_min: u64,
}

impl Default for SearchIndexOptions {
    fn default() -> Self {
        SearchIndexOptions {
            writer_threads: 1,
            writer_memory_bytes: 100_000_000,
            result_cache_entries: 256,
            result_cache_total_min: 10_000,
        }
    }
}

pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    options: SearchIndexOptions,
    /// `None` only while `merge_segments` swaps writers.
    writer: Mutex<Option<IndexWriter>>,
    query_analyzer: TextAnalyzer,
    document_analyzer: TextAnalyzer,
    result_cache: ResultCache,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SearchIndex")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `path`, creating it (and the directory) if absent.
    pub fn open_in_dir(
        path: &Path,
        options: SearchIndexOptions,
    ) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(path)?;
        let (schema, _) = build_schema();
        let directory = tantivy::directory::MmapDirectory::open(path)?;
        let index = Index::open_or_create(directory, schema)?;
        SearchIndex::from_index(index, options)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        SearchIndex::in_memory_with(SearchIndexOptions::default())
    }

    /// An index in memory with `options`, for tests.
    pub fn in_memory_with(options: SearchIndexOptions) -> Result<SearchIndex, SearchError> {
        let (schema, _) = build_schema();
        SearchIndex::from_index(Index::create_in_ram(schema), options)
    }

    fn from_index(index: Index, options: SearchIndexOptions) -> Result<SearchIndex, SearchError> {
        let (_, fields) = build_schema();
        register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = new_writer(&index, options.writer_threads, options.writer_memory_bytes)?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            options,
            writer: Mutex::new(Some(writer)),
            query_analyzer: query_analyzer(),
            document_analyzer: document_analyzer(),
            result_cache: ResultCache::new(
                options.result_cache_entries.min(RESULT_CACHE_ENTRIES_MAX),
                options.result_cache_total_min,
            ),
        })
    }

    /// Adds `products`, replacing any indexed product with the same id.
    /// Searches see them after [`SearchIndex::commit`].
    pub fn index(&self, products: &[ProductDocument]) -> Result<(), SearchError> {
        let guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let writer = guard.as_ref().ok_or_else(writer_missing)?;
        for product in products {
            writer.delete_term(Term::from_field_i64(self.fields.id, product.id));
            writer.add_document(product.to_tantivy(&self.fields))?;
        }
        Ok(())
    }

    /// Removes the product `id`; seen after [`SearchIndex::commit`].
    pub fn delete(&self, id: i64) -> Result<(), SearchError> {
        let guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let writer = guard.as_ref().ok_or_else(writer_missing)?;
        writer.delete_term(Term::from_field_i64(self.fields.id, id));
        Ok(())
    }

    /// Makes everything indexed or deleted so far durable and searchable.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let writer = guard.as_mut().ok_or_else(writer_missing)?;
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Merges all segments into one, as after a bulk load: fewer segments
    /// answer faster (DESIGN.md field notes). Commits first.
    pub fn merge_segments(&self) -> Result<(), SearchError> {
        let mut guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut writer = guard.take().ok_or_else(writer_missing)?;
        writer.commit()?;
        // Background merges hold segments; wait for them before merging all.
        writer.wait_merging_threads()?;
        let mut writer = new_writer(
            &self.index,
            self.options.writer_threads,
            self.options.writer_memory_bytes,
        )?;
        let segment_ids = self.index.searchable_segment_ids()?;
        if segment_ids.len() > 1 {
            writer.merge(&segment_ids).wait()?;
        }
        writer.garbage_collect_files().wait()?;
        *guard = Some(writer);
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Products searchable now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Searchable segments: one after [`SearchIndex::merge_segments`].
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let mut query_analyzer = self.query_analyzer.clone();
        let built = query::build(request, &self.fields, &searcher, &mut query_analyzer)?;
        let offset = request.offset.min(OFFSET_MAX);
        let limit = match request.limit {
            0 => LIMIT_DEFAULT,
            limit => limit.min(LIMIT_MAX),
        };
        let price = request.price.as_ref();
        let generation = searcher.generation().generation_id();
        let cache_key = CacheKey::new(request, bounded_text(&request.text));
        let collected = match self
            .result_cache
            .get(generation, &cache_key, offset + limit)
        {
            Some(collected) => collected,
            None => {
                // A result that may be cached keeps enough hits for the
                // first pages, so the next page is served from it too.
                let keep = if self.result_cache.is_enabled() {
                    (offset + limit).max(CACHED_KEEP_MIN)
                } else {
                    offset + limit
                };
                let collector = SearchCollector {
                    sort: request.sort,
                    keep,
                    has_text: built.has_text,
                    category_id: request.category_id.map(|id| id.max(0) as u64),
                    price_quantity: price.and_then(|price| price.quantity),
                    price_min_minor: price.and_then(|price| price.min_minor),
                    price_max_minor: price.and_then(|price| price.max_minor),
                };
                let collected = Arc::new(searcher.search(&*built.query, &collector)?);
                self.result_cache
                    .put(generation, cache_key, collected.clone());
                collected
            }
        };

        let mut document_analyzer = self.document_analyzer.clone();
        let mut hits = Vec::with_capacity(limit);
        for ranked in collected.ranked.iter().skip(offset).take(limit) {
            let document: TantivyDocument = searcher.doc(ranked.address)?;
            let text = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .map(str::to_string)
            };
            let mut mark = |value: Option<String>| {
                value.map(|value| highlight(&mut document_analyzer, &value, &built.highlight_terms))
            };
            let title_zh_html = mark(text(self.fields.title_zh));
            let title_en_html = mark(text(self.fields.title_en));
            let snippet_html = mark(text(self.fields.description)).unwrap_or_default();
            let integer = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_i64())
                    .unwrap_or(0)
            };
            let boolean = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_bool())
                    .unwrap_or(false)
            };
            let unit_price_minor = match ranked.unit_price_minor {
                Some(price) => Some(price),
                None => {
                    let segment = searcher.segment_reader(ranked.address.segment_ord);
                    let tiers = segment.fast_fields().u64("price_tiers")?;
                    crate::document::unit_price_at(
                        tiers.values_for_doc(ranked.address.doc_id),
                        price.and_then(|price| price.quantity),
                    )
                }
            };
            hits.push(Hit {
                id: integer(self.fields.id),
                company_id: integer(self.fields.company_id),
                company_name: text(self.fields.company_name).unwrap_or_default(),
                title_zh_html,
                title_en_html,
                snippet_html,
                province: text(self.fields.province).unwrap_or_default(),
                country: text(self.fields.country).unwrap_or_default(),
                verified: boolean(self.fields.verified),
                in_stock: boolean(self.fields.in_stock),
                moq: integer(self.fields.moq),
                unit_price_minor,
                currency: text(self.fields.currency).unwrap_or_default(),
                score: ranked.score,
            });
        }

        let mut categories: Vec<CategoryCount> = collected
            .categories
            .iter()
            .map(|(category_id, count)| CategoryCount {
                category_id: *category_id as i64,
                count: *count,
            })
            .collect();
        categories.sort_by_key(|facet| (std::cmp::Reverse(facet.count), facet.category_id));
        categories.truncate(FACET_VALUES_MAX);
        let mut provinces: Vec<ProvinceCount> = collected
            .provinces
            .iter()
            .filter(|(province, _)| !province.is_empty())
            .map(|(province, count)| ProvinceCount {
                province: province.clone(),
                count: *count,
            })
            .collect();
        provinces.sort_by(|left, right| {
            right
                .count
                .cmp(&left.count)
                .then_with(|| left.province.cmp(&right.province))
        });
        provinces.truncate(FACET_VALUES_MAX);
        Ok(SearchResults {
            total: collected.total,
            hits,
            categories,
            provinces,
        })
    }

    /// Completions of what the user is typing: the last word of `typed` is
    /// completed from the words of product titles, most common first, and
    /// the words before it are kept ("bluetooth ear" → "bluetooth earphones";
    /// "蓝牙耳" → "蓝牙耳机").
    pub fn suggest(&self, typed: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let typed = bounded_text(typed);
        // Split after the last whitespace, which may be wider than a byte.
        let (head, last) = match typed.char_indices().rfind(|(_, c)| c.is_whitespace()) {
            Some((split, space)) => typed.split_at(split + space.len_utf8()),
            None => ("", typed),
        };
        let prefix = last.trim().to_lowercase();
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut counts: HashMap<Vec<u8>, u64> = HashMap::new();
        let suggest_fields = [self.fields.suggest, self.fields.suggest_runs];
        for (segment, field) in searcher
            .segment_readers()
            .iter()
            .flat_map(|segment| suggest_fields.map(|field| (segment, field)))
        {
            let inverted_index = segment.inverted_index(field)?;
            let mut stream = inverted_index
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()?;
            let mut scanned = 0;
            while stream.advance() && scanned < SUGGEST_TERMS_SCANNED_MAX {
                if !stream.key().starts_with(prefix.as_bytes()) {
                    break;
                }
                scanned += 1;
                *counts.entry(stream.key().to_vec()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
        let mut completions: Vec<(String, u64)> = counts
            .into_iter()
            .filter_map(|(term, count)| String::from_utf8(term).ok().map(|term| (term, count)))
            .filter(|(term, _)| *term != prefix)
            .collect();
        completions.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(&right.0)));
        Ok(completions
            .into_iter()
            .take(limit.min(SUGGESTIONS_MAX))
            .map(|(term, _)| format!("{head}{term}"))
            .collect())
    }
}

pub(crate) fn new_writer(
    index: &Index,
    threads: usize,
    memory_bytes: usize,
) -> Result<IndexWriter, SearchError> {
    let threads = threads.clamp(1, 8);
    // tantivy requires at least 15 MB per thread.
    let memory = memory_bytes.max(threads * 20_000_000);
    let writer = index.writer_with_num_threads(threads, memory)?;
    writer.set_merge_policy(Box::new(LogMergePolicy::default()));
    Ok(writer)
}

fn writer_missing() -> SearchError {
    SearchError::Index(tantivy::TantivyError::InternalError(
        "the index writer was lost while merging segments".to_string(),
    ))
}
