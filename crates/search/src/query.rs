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
use tantivy::schema::IndexRecordOption;
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

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

pub(crate) fn build(
    request: &SearchRequest,
    fields: &Fields,
    searcher: &Searcher,
    analyzer: &mut TextAnalyzer,
) -> tantivy::Result<BuiltQuery> {
    let text = bounded_text(&request.text);
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
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(term_query(title_term.clone()), TITLE_BOOST)),
            ),
            (Occur::Should, term_query(body_term.clone())),
        ];
        let is_latin_word = token.surface.chars().all(|c| c.is_ascii_alphabetic());
        if is_latin_word {
            let pinyin_term = Term::from_field_text(fields.pinyin, &token.surface);
            alternatives.push((Occur::Should, term_query(pinyin_term)));
            // A typo is only assumed when the word is nowhere in the index:
            // fuzzy matching every word would cost time and precision.
            if token.surface.len() >= FUZZY_CHARS_MIN
                && searcher.doc_freq(&title_term)? == 0
                && searcher.doc_freq(&body_term)? == 0
            {
                for term in [title_term, body_term] {
                    alternatives
                        .push((Occur::Should, Box::new(FuzzyTermQuery::new(term, 1, true))));
                }
            }
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
    }
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
