//! Buying requests (RFQs) are searchable too: a second, small tantivy index
//! with the same bilingual analysis, pinyin and highlighting as products,
//! for suppliers looking for buyers. Newest first without text, by relevance
//! with it; bounded like product search.

use std::path::Path;
use std::sync::Mutex;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};

use crate::SearchError;
use crate::analysis::{
    BILINGUAL_ANALYZER, PLAIN_ANALYZER, document_analyzer, pinyin_words, query_analyzer,
    register_analyzers,
};
use crate::document::truncate;
use crate::highlight::highlight;
use crate::index::{LIMIT_DEFAULT, new_writer};
use crate::query::{TextFields, filter, term_query, text_clauses};
use crate::request::{LIMIT_MAX, OFFSET_MAX};

/// Indexed text per field is cut to this many bytes.
const TEXT_INDEXED_BYTES_MAX: usize = 8_000;
/// Stored details are cut to this many bytes: enough for a snippet.
const DETAILS_STORED_BYTES_MAX: usize = 2_000;
/// Titles are stored whole up to this many bytes.
const TITLE_STORED_BYTES_MAX: usize = 500;
/// The writer's memory: the index is small, one thread is plenty.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

/// One buying request as search sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestDocument {
    pub id: i64,
    pub company_id: i64,
    pub title: String,
    pub details: String,
    /// Category ids from the root to the leaf.
    pub category_path: Vec<i64>,
    /// The category names, in any language, for text search.
    pub category_names: String,
    pub quantity: i64,
    pub unit: String,
    pub destination_country: String,
    pub created_at_micros: i64,
    pub valid_until_micros: i64,
}

/// A search of buying requests; out-of-bounds values are clamped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RequestSearch {
    /// Words in Chinese, English or pinyin, all required; empty matches all.
    pub text: String,
    /// Only requests in this category or below it.
    pub category_id: Option<i64>,
    pub offset: usize,
    /// Page size, clamped to 1..=[`LIMIT_MAX`]; 0 means 20.
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestHit {
    pub id: i64,
    /// The title as escaped HTML, matched words in `<mark>`.
    pub title_html: String,
    /// A piece of the details as escaped HTML, matches in `<mark>`.
    pub snippet_html: String,
    /// The text score; 0 when the search had no text.
    pub score: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestResults {
    /// How many requests match in all.
    pub total: u64,
    pub hits: Vec<RequestHit>,
}

#[derive(Debug, Clone, Copy)]
struct RequestFields {
    id: Field,
    company_id: Field,
    title: Field,
    body: Field,
    pinyin: Field,
    details: Field,
    category_ids: Field,
    quantity: Field,
    unit: Field,
    destination_country: Field,
    created_at: Field,
    valid_until: Field,
}

fn build_schema() -> (Schema, RequestFields) {
    let mut builder = Schema::builder();
    let indexed = |analyzer: &str, record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        )
    };
    let stored_only = TextOptions::default().set_stored();
    let fields = RequestFields {
        id: builder.add_i64_field("id", INDEXED | FAST | STORED),
        company_id: builder.add_i64_field("company_id", STORED),
        // The title is both searched and stored for highlighting.
        title: builder.add_text_field(
            "title",
            indexed(BILINGUAL_ANALYZER, IndexRecordOption::WithFreqs).set_stored(),
        ),
        body: builder.add_text_field(
            "body",
            indexed(BILINGUAL_ANALYZER, IndexRecordOption::WithFreqs),
        ),
        pinyin: builder.add_text_field("pinyin", indexed(PLAIN_ANALYZER, IndexRecordOption::Basic)),
        details: builder.add_text_field("details", stored_only.clone()),
        category_ids: builder.add_u64_field("category_ids", INDEXED),
        quantity: builder.add_i64_field("quantity", STORED),
        unit: builder.add_text_field("unit", stored_only.clone()),
        destination_country: builder.add_text_field("destination_country", stored_only),
        created_at: builder.add_i64_field("created_at", FAST),
        valid_until: builder.add_i64_field("valid_until", FAST | STORED),
    };
    (builder.build(), fields)
}

impl RequestDocument {
    fn to_tantivy(&self, fields: &RequestFields) -> TantivyDocument {
        let mut document = TantivyDocument::default();
        document.add_i64(fields.id, self.id);
        document.add_i64(fields.company_id, self.company_id);
        let title = truncate(&self.title, TITLE_STORED_BYTES_MAX);
        document.add_text(fields.title, title);
        let pinyin = pinyin_words(title);
        if !pinyin.is_empty() {
            document.add_text(fields.pinyin, pinyin);
        }
        // The body holds the title too: it alone decides whether a word
        // matches (see `query.rs`).
        let mut body =
            String::with_capacity(title.len() + self.details.len() + self.category_names.len() + 2);
        body.push_str(title);
        body.push('\n');
        body.push_str(&self.details);
        body.push('\n');
        body.push_str(&self.category_names);
        document.add_text(fields.body, truncate(&body, TEXT_INDEXED_BYTES_MAX));
        document.add_text(
            fields.details,
            truncate(&self.details, DETAILS_STORED_BYTES_MAX),
        );
        for category_id in &self.category_path {
            document.add_u64(fields.category_ids, (*category_id).max(0) as u64);
        }
        document.add_i64(fields.quantity, self.quantity);
        document.add_text(fields.unit, truncate(&self.unit, 100));
        document.add_text(
            fields.destination_country,
            truncate(&self.destination_country, 100),
        );
        document.add_i64(fields.created_at, self.created_at_micros);
        document.add_i64(fields.valid_until, self.valid_until_micros);
        document
    }
}

/// The buying-request index.
pub struct RequestIndex {
    fields: RequestFields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    query_analyzer: TextAnalyzer,
    document_analyzer: TextAnalyzer,
}

impl std::fmt::Debug for RequestIndex {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RequestIndex")
            .finish_non_exhaustive()
    }
}

impl RequestIndex {
    /// Opens the index in `path`, creating it (and the directory) if absent.
    pub fn open_in_dir(path: &Path) -> Result<RequestIndex, SearchError> {
        std::fs::create_dir_all(path)?;
        let (schema, _) = build_schema();
        let directory = tantivy::directory::MmapDirectory::open(path)?;
        RequestIndex::from_index(Index::open_or_create(directory, schema)?)
    }

    /// An index in memory.
    pub fn in_memory() -> Result<RequestIndex, SearchError> {
        let (schema, _) = build_schema();
        RequestIndex::from_index(Index::create_in_ram(schema))
    }

    fn from_index(index: Index) -> Result<RequestIndex, SearchError> {
        let (_, fields) = build_schema();
        register_analyzers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = new_writer(&index, 1, WRITER_MEMORY_BYTES)?;
        Ok(RequestIndex {
            fields,
            reader,
            writer: Mutex::new(writer),
            query_analyzer: query_analyzer(),
            document_analyzer: document_analyzer(),
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `requests`, replacing any with the same id; seen after
    /// [`RequestIndex::commit`].
    pub fn index(&self, requests: &[RequestDocument]) -> Result<(), SearchError> {
        let writer = self.writer();
        for request in requests {
            writer.delete_term(Term::from_field_i64(self.fields.id, request.id));
            writer.add_document(request.to_tantivy(&self.fields))?;
        }
        Ok(())
    }

    /// Removes the request `id`; seen after [`RequestIndex::commit`].
    pub fn delete(&self, id: i64) -> Result<(), SearchError> {
        self.writer()
            .delete_term(Term::from_field_i64(self.fields.id, id));
        Ok(())
    }

    /// Makes everything indexed or deleted so far durable and searchable.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer().commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Requests searchable now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn search(&self, search: &RequestSearch) -> Result<RequestResults, SearchError> {
        let searcher = self.reader.searcher();
        let offset = search.offset.min(OFFSET_MAX);
        let limit = match search.limit {
            0 => LIMIT_DEFAULT,
            limit => limit.min(LIMIT_MAX),
        };
        let text_fields = TextFields {
            title: self.fields.title,
            body: self.fields.body,
            pinyin: self.fields.pinyin,
        };
        let mut query_analyzer = self.query_analyzer.clone();
        let (mut clauses, highlight_terms) =
            text_clauses(&search.text, text_fields, &searcher, &mut query_analyzer)?;
        let has_text = !clauses.is_empty();
        if let Some(category_id) = search.category_id {
            let term = Term::from_field_u64(self.fields.category_ids, category_id.max(0) as u64);
            clauses.push(filter(term_query(term)));
        }
        if !has_text {
            clauses.push((Occur::Must, Box::new(AllQuery) as Box<dyn Query>));
        }
        let query = BooleanQuery::new(clauses);
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let (total, ranked): (usize, Vec<(f32, DocAddress)>) = if has_text {
            searcher.search(&query, &(Count, top.order_by_score()))?
        } else {
            let (total, newest) = searcher.search(
                &query,
                &(
                    Count,
                    top.order_by_fast_field::<i64>("created_at", Order::Desc),
                ),
            )?;
            (
                total,
                newest
                    .into_iter()
                    .map(|(_, address)| (0.0, address))
                    .collect(),
            )
        };

        let mut analyzer = self.document_analyzer.clone();
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, address) in ranked {
            let document: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or("")
            };
            hits.push(RequestHit {
                id: document
                    .get_first(self.fields.id)
                    .and_then(|value| value.as_i64())
                    .unwrap_or(0),
                title_html: highlight(&mut analyzer, text(self.fields.title), &highlight_terms),
                snippet_html: highlight(&mut analyzer, text(self.fields.details), &highlight_terms),
                score,
            });
        }
        Ok(RequestResults {
            total: total as u64,
            hits,
        })
    }
}
