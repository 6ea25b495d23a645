//! Builds the tantivy query for a request from analysed tokens, never from a
//! query language, so no input can be a syntax error: every word is required
//! (AND), which keeps words found in nearly every product cheap (DESIGN.md,
//! field notes), and filters add no score.

use std::collections::HashSet;
use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::analysis::analyze;
use crate::document::{Fields, truncate};
use crate::request::{QUERY_CHARS_MAX, SearchRequest};

/// Words beyond this are ignored: each adds a required clause.
const QUERY_TERMS_MAX: usize = 12;
/// Latin words this long or longer may match with one typo.
const FUZZY_CHARS_MIN: usize = 5;
const TITLE_BOOST: f32 = 2.0;

/// The query and the terms to highlight in hits.
pub(crate) struct BuiltQuery {
    pub query: Box<dyn Query>,
    pub highlight_terms: HashSet<String>,
    pub has_text: bool,
}

/// The first [`QUERY_CHARS_MAX`] chars of `text`.
pub(crate) fn bounded_text(text: &str) -> &str {
    match text.char_indices().nth(QUERY_CHARS_MAX) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

pub(crate) fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

pub(crate) fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

/// One clause of a boolean query.
pub(crate) type Clause = (Occur, Box<dyn Query>);

/// The fields a text is searched in: the same three for products and for
/// buying requests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextFields {
    /// Titles, bilingual analysis, boosted.
    pub title: Field,
    /// Everything searchable, the titles included, bilingual analysis.
    pub body: Field,
    /// The pinyin of the Chinese title words.
    pub pinyin: Field,
}

/// The analysed words of `text` (bounded), each a required clause that
/// matches the word in the body or the pinyin, with one typo allowed for a
/// long Latin word the index does not hold, and scores a match in the title
/// higher; and the terms to highlight.
pub(crate) fn text_clauses(
    text: &str,
    fields: TextFields,
    searcher: &Searcher,
    analyzer: &mut TextAnalyzer,
) -> tantivy::Result<(Vec<Clause>, HashSet<String>)> {
    let text = bounded_text(text);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight_terms = HashSet::new();
    let mut seen_terms = HashSet::new();
    for token in analyze(analyzer, text) {
        if seen_terms.len() >= QUERY_TERMS_MAX {
            break;
        }
        if !seen_terms.insert(token.term.clone()) {
            continue;
        }
        highlight_terms.insert(token.term.clone());
        let title_term = Term::from_field_text(fields.title, &token.term);
        let body_term = Term::from_field_text(fields.body, &token.term);
        // Which documents match is decided by the body alone (it holds the
        // titles too), or the pinyin, or a typo: alternatives with no
        // documents are left out, so most words are one posting list and the
        // words intersect by skipping instead of through a union of lists
        // (the unions were a quarter of the search time in perf).
        let body_documents = searcher.doc_freq(&body_term)?;
        let mut matchers: Vec<Box<dyn Query>> = Vec::new();
        if body_documents > 0 {
            matchers.push(term_query(body_term.clone()));
        }
        let is_latin_word = token.surface.chars().all(|c| c.is_ascii_alphabetic());
        if is_latin_word {
            let pinyin_term = Term::from_field_text(fields.pinyin, &token.surface);
            if searcher.doc_freq(&pinyin_term)? > 0 {
                matchers.push(term_query(pinyin_term));
            }
            // A typo is only assumed when the word is nowhere in the index:
            // fuzzy matching every word would cost time and precision.
            if token.surface.len() >= FUZZY_CHARS_MIN && body_documents == 0 {
                matchers.push(Box::new(FuzzyTermQuery::new(body_term.clone(), 1, true)));
            }
        }
        let matcher: Box<dyn Query> = match matchers.len() {
            // Matches nothing, which makes the whole search match nothing.
            0 => term_query(body_term),
            1 => matchers.remove(0),
            _ => Box::new(BooleanQuery::union(matchers)),
        };
        let mut word: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, matcher)];
        // A word in the title only adds to the score: it selects nothing.
        if searcher.doc_freq(&title_term)? > 0 {
            word.push((
                Occur::Should,
                Box::new(BoostQuery::new(term_query(title_term), TITLE_BOOST)),
            ));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(word))));
    }
    Ok((clauses, highlight_terms))
}

pub(crate) fn build(
    request: &SearchRequest,
    fields: &Fields,
    searcher: &Searcher,
    analyzer: &mut TextAnalyzer,
) -> tantivy::Result<BuiltQuery> {
    let text_fields = TextFields {
        title: fields.title,
        body: fields.body,
        pinyin: fields.pinyin,
    };
    let (mut clauses, highlight_terms) =
        text_clauses(&request.text, text_fields, searcher, analyzer)?;
    let has_text = !clauses.is_empty();

    if let Some(category_id) = request.category_id {
        let term = Term::from_field_u64(fields.category_ids, category_id.max(0) as u64);
        clauses.push(filter(term_query(term)));
    }
    if let Some(moq_max) = request.moq_max {
        let range = RangeQuery::new(
            Bound::Unbounded,
            Bound::Included(Term::from_field_i64(fields.moq, moq_max)),
        );
        clauses.push(filter(Box::new(range)));
    }
    if let Some(price) = &request.price {
        let currency = truncate(&price.currency, 16);
        clauses.push(filter(term_query(Term::from_field_text(
            fields.currency,
            currency,
        ))));
        // The exact unit price at the quantity is checked in the collector;
        // the lowest tier is a cheap necessary condition for the maximum.
        if let Some(max_minor) = price.max_minor {
            let range = RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_i64(fields.price_min, max_minor)),
            );
            clauses.push(filter(Box::new(range)));
        }
    }
    if let Some(province) = &request.province {
        let term = Term::from_field_text(fields.province, truncate(province, 100));
        clauses.push(filter(term_query(term)));
    }
    if let Some(country) = &request.country {
        let term = Term::from_field_text(fields.country, truncate(country, 100));
        clauses.push(filter(term_query(term)));
    }
    if request.verified_only {
        clauses.push(filter(term_query(Term::from_field_bool(
            fields.verified,
            true,
        ))));
    }
    if request.in_stock_only {
        clauses.push(filter(term_query(Term::from_field_bool(
            fields.in_stock,
            true,
        ))));
    }
    if !has_text {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok(BuiltQuery {
        query: Box::new(BooleanQuery::new(clauses)),
        highlight_terms,
        has_text,
    })
}
