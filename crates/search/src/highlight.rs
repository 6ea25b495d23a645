//! Highlighting done here rather than by tantivy's `SnippetGenerator`: the
//! document analyzer emits overlapping words (保温, 保温杯), whose ranges are
//! merged here, so compound Chinese words are marked whole and no fragment
//! boundary can fall inside one.

use std::collections::HashSet;
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::analyze;

/// The longest snippet, in chars.
const SNIPPET_CHARS_MAX: usize = 160;
/// Chars of context kept before the first match when the text is cut.
const SNIPPET_CONTEXT_CHARS: usize = 30;

/// `text` as escaped HTML with every word whose term is in `terms` in
/// `<mark>`, cut to about [`SNIPPET_CHARS_MAX`] chars around the first match.
pub fn highlight(analyzer: &mut TextAnalyzer, text: &str, terms: &HashSet<String>) -> String {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    if !terms.is_empty() {
        for token in analyze(analyzer, text) {
            if terms.contains(&token.term) {
                ranges.push(token.offset_from..token.offset_to);
            }
        }
    }
    ranges.sort_by_key(|range| (range.start, range.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let window = snippet_window(text, merged.first().map(|range| range.start));
    let mut html = String::with_capacity(window.len() + 32);
    if window.start > 0 {
        html.push('…');
    }
    let mut cursor = window.start;
    for range in merged {
        if range.start >= window.end || range.end <= cursor {
            continue;
        }
        let start = range.start.max(cursor);
        let end = range.end.min(window.end);
        escape_into(&text[cursor..start], &mut html);
        html.push_str("<mark>");
        escape_into(&text[start..end], &mut html);
        html.push_str("</mark>");
        cursor = end;
    }
    escape_into(&text[cursor..window.end], &mut html);
    if window.end < text.len() {
        html.push('…');
    }
    html
}

/// A byte range of at most [`SNIPPET_CHARS_MAX`] chars on char boundaries,
/// starting a little before `first_match`.
fn snippet_window(text: &str, first_match: Option<usize>) -> Range<usize> {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = boundaries.len() - 1;
    if chars <= SNIPPET_CHARS_MAX {
        return 0..text.len();
    }
    let match_char = first_match
        .map(|byte| boundaries.partition_point(|boundary| *boundary < byte))
        .unwrap_or(0);
    let start_char = match_char
        .saturating_sub(SNIPPET_CONTEXT_CHARS)
        .min(chars - SNIPPET_CHARS_MAX);
    boundaries[start_char]..boundaries[start_char + SNIPPET_CHARS_MAX]
}

fn escape_into(text: &str, html: &mut String) {
    for character in text.chars() {
        match character {
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            _ => html.push(character),
        }
    }
}
