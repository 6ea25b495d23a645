//! The one text analysis for Chinese and English: jieba-rs segments Chinese in
//! search mode, Latin words are lowercased and stemmed, all in the same field,
//! so "蓝牙耳机 bluetooth" finds both kinds of titles.
//!
//! Tokens are emitted sorted by byte offset with positions that only step
//! forward (position = index in emitted order): tantivy-jieba's search mode lets
//! positions step backwards, which breaks tantivy's snippet code (DESIGN.md,
//! field notes). Highlighting here does not use tantivy's `SnippetGenerator`
//! at all (see `highlight.rs`), but the index stays sane for anything that
//! reads positions.

use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::sync::{Arc, LazyLock};

use jieba_rs::{Jieba, TokenizeMode};
use lru::LruCache;
use pinyin::ToPinyin;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// The name under which the bilingual analyzer is registered in the index.
pub const BILINGUAL_ANALYZER: &str = "hanse_bilingual";
/// The analyzer of the suggestion and pinyin fields: same segmentation,
/// lowercased, not stemmed, so a completion reads as the user would type it.
pub const PLAIN_ANALYZER: &str = "hanse_plain";

/// Whole runs of letters and digits, lowercased: for suggestions.
pub const RUNS_ANALYZER: &str = "hanse_runs";

/// Tokens longer than this (in bytes) are dropped: they are noise (hashes,
/// URLs) and would bloat the term dictionary.
const TOKEN_BYTES_MAX: usize = 40;

/// Loading jieba's dictionary takes a while; every tokenizer shares one.
static JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| Arc::new(Jieba::new()));

/// The mode in which jieba cuts a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmentation {
    /// Every dictionary word plus its dictionary sub-words (保温杯 → 保温, 保温杯):
    /// used for documents, so a query for a part of a compound finds it.
    Search,
    /// Only the longest words: used for queries, so each query word is one
    /// term that every document containing the word was indexed under.
    Default,
}

/// A tantivy tokenizer over jieba-rs with monotonic positions.
#[derive(Clone)]
pub struct JiebaTokenizer {
    jieba: Arc<Jieba>,
    segmentation: Segmentation,
    tokens: Vec<Token>,
}

impl JiebaTokenizer {
    pub fn new(segmentation: Segmentation) -> JiebaTokenizer {
        JiebaTokenizer {
            jieba: JIEBA.clone(),
            segmentation,
            tokens: Vec::new(),
        }
    }
}

impl std::fmt::Debug for JiebaTokenizer {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("JiebaTokenizer")
            .field("segmentation", &self.segmentation)
            .finish()
    }
}

/// The token stream: all tokens are computed up front, then handed out.
#[derive(Debug)]
pub struct JiebaTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    index: usize,
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream<'a> {
        self.tokens.clear();
        segment(&self.jieba, text, self.segmentation, &mut self.tokens);
        JiebaTokenStream {
            tokens: &mut self.tokens,
            index: 0,
        }
    }
}

impl TokenStream for JiebaTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// Cuts `text` into word tokens with byte offsets, sorted by (start, end),
/// dropping whitespace and punctuation.
///
/// A product's title is cut for four fields (title, body, suggestions,
/// pinyin), and its words, attribute lines, stock phrases and company name
/// recur in thousands of products; jieba was most of the indexing time in
/// perf. jieba cuts runs of Chinese characters, Latin letters, digits and a
/// few signs (`.-_%#&+`) each on its own, so a document is cut piece by
/// piece between spaces and punctuation (the same tokens as the whole text;
/// tested), and each thread keeps the words of its recent pieces. Queries
/// are cut whole: they are short and seldom repeat.
fn segment(jieba: &Jieba, text: &str, segmentation: Segmentation, output: &mut Vec<Token>) {
    let first = output.len();
    match segmentation {
        Segmentation::Default => push_words(&cut(jieba, text, TokenizeMode::Default), 0, output),
        Segmentation::Search => RECENT_PIECES.with_borrow_mut(|recent| {
            for (offset, piece) in pieces(text) {
                if piece.len() <= CACHED_PIECE_BYTES_MAX {
                    let words =
                        recent.get_or_insert_ref(piece, || cut(jieba, piece, TokenizeMode::Search));
                    push_words(words, offset, output);
                } else {
                    push_words(&cut(jieba, piece, TokenizeMode::Search), offset, output);
                }
            }
        }),
    }
    for (position, token) in output[first..].iter_mut().enumerate() {
        token.position = position;
    }
}

/// Characters at which jieba always ends a run (none of them is in the runs
/// it cuts as one): whitespace and common punctuation.
#[rustfmt::skip]
fn ends_a_run(character: char) -> bool {
    character.is_whitespace()
        || matches!(
            character,
            ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | '\'' | '/'
                | '|' | '*' | '=' | '<' | '>' | '，' | '。' | '、' | '；' | '：' | '！' | '？'
                | '（' | '）' | '【' | '】' | '《' | '》' | '“' | '”' | '‘' | '’'
        )
}

/// The non-empty pieces of `text` between run-ending characters, with their
/// byte offsets.
fn pieces(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    let mut boundaries = text
        .char_indices()
        .filter(|(_, character)| ends_a_run(*character))
        .map(|(at, character)| (at, at + character.len_utf8()))
        .chain(std::iter::once((text.len(), text.len())));
    std::iter::from_fn(move || {
        loop {
            let (end, next_start) = boundaries.next()?;
            let piece = (start, &text[start..end]);
            start = next_start;
            if !piece.1.is_empty() {
                return Some(piece);
            }
        }
    })
}

/// Pieces at most this long are kept in a thread's recent pieces.
const CACHED_PIECE_BYTES_MAX: usize = 128;
/// Recent pieces kept per thread: a megabyte or so at most.
const CACHED_PIECES_MAX: usize = 4_096;

thread_local! {
    static RECENT_PIECES: RefCell<LruCache<String, Vec<Word>>> = RefCell::new(LruCache::new(
        NonZeroUsize::new(CACHED_PIECES_MAX).expect("the cache holds pieces"),
    ));
}

/// A word jieba cut out of a text, by byte offsets into it.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    text: String,
}

/// The words of `text` with a letter or digit in them, sorted by (start,
/// end) without repeats.
fn cut(jieba: &Jieba, text: &str, mode: TokenizeMode) -> Vec<Word> {
    // jieba reports offsets in chars; tantivy wants bytes.
    let mut char_to_byte: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
    char_to_byte.push(text.len());
    // HMM off: unknown Chinese words become single characters on both the
    // document and the query side, which keeps the two consistent.
    let mut words: Vec<Word> = jieba
        .tokenize(text, mode, false)
        .into_iter()
        .filter(|word| word.word.chars().any(char::is_alphanumeric))
        .map(|word| Word {
            start: char_to_byte[word.start],
            end: char_to_byte[word.end],
            text: word.word.to_string(),
        })
        .collect();
    words.sort_by_key(|word| (word.start, word.end));
    words.dedup_by_key(|word| (word.start, word.end));
    words
}

/// Appends `words` as tokens, their offsets moved by `offset`.
fn push_words(words: &[Word], offset: usize, output: &mut Vec<Token>) {
    output.extend(words.iter().map(|word| Token {
        offset_from: word.start + offset,
        offset_to: word.end + offset,
        position: 0,
        text: word.text.clone(),
        position_length: 1,
    }));
}

/// Registers the analyzers under the names the schemas use.
pub(crate) fn register_analyzers(index: &tantivy::Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(BILINGUAL_ANALYZER, document_analyzer());
    tokenizers.register(PLAIN_ANALYZER, plain_analyzer());
    tokenizers.register(RUNS_ANALYZER, runs_analyzer());
}

/// The analyzer for documents (search mode), registered as [`BILINGUAL_ANALYZER`].
pub fn document_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::new(Segmentation::Search))
        .filter(RemoveLongFilter::limit(TOKEN_BYTES_MAX))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer for queries: the same filters, default segmentation.
pub fn query_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::new(Segmentation::Default))
        .filter(RemoveLongFilter::limit(TOKEN_BYTES_MAX))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Search-mode segmentation, lowercased, not stemmed: for suggestions.
pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::new(Segmentation::Search))
        .filter(RemoveLongFilter::limit(TOKEN_BYTES_MAX))
        .filter(LowerCaser)
        .build()
}

/// Runs of letters and digits, lowercased, Chinese runs kept whole.
pub fn runs_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(TOKEN_BYTES_MAX))
        .filter(LowerCaser)
        .build()
}

/// One analyzed word of a text: its term and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    pub term: String,
    /// The word as written, lowercased but not stemmed.
    pub surface: String,
    pub offset_from: usize,
    pub offset_to: usize,
}

/// Runs `analyzer` over `text`, keeping the surface form beside each term.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedToken> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        tokens.push(AnalyzedToken {
            term: token.text.clone(),
            surface: text[token.offset_from..token.offset_to].to_lowercase(),
            offset_from: token.offset_from,
            offset_to: token.offset_to,
        });
    }
    tokens
}

/// The pinyin of the Chinese words of `text`, one joined word per jieba word
/// and sub-word (保温杯 → "baowen baowenbei"), for the pinyin field.
/// Words without any Chinese character are left out.
pub fn pinyin_words(text: &str) -> String {
    // Most English titles: nothing to cut.
    if text.to_pinyin().all(|pinyin| pinyin.is_none()) {
        return String::new();
    }
    let mut tokens = Vec::new();
    segment(&JIEBA, text, Segmentation::Search, &mut tokens);
    let words: Vec<String> = tokens
        .iter()
        .filter_map(|token| pinyin_of_word(&token.text))
        .collect();
    words.join(" ")
}

/// The pinyin of one word, syllables joined, other characters lowercased
/// (蓝牙 → "lanya", T恤 → "txu"); `None` without any Chinese character.
pub(crate) fn pinyin_of_word(word: &str) -> Option<String> {
    let mut pinyin_word = String::new();
    let mut has_chinese = false;
    for (character, pinyin) in word.chars().zip(word.to_pinyin()) {
        match pinyin {
            Some(pinyin) => {
                has_chinese = true;
                pinyin_word.push_str(pinyin.plain());
            }
            None => pinyin_word.extend(character.to_lowercase()),
        }
    }
    has_chinese.then_some(pinyin_word)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn check(text: &str, expected_terms: &[&str]) {
        let terms: Vec<String> = analyze(&mut document_analyzer(), text)
            .into_iter()
            .map(|token| token.term)
            .collect();
        assert_eq!(terms, expected_terms, "analysis of {text:?}");
    }

    #[test]
    fn chinese_is_segmented_and_english_stemmed_in_one_field() {
        check("Bluetooth Earphones", &["bluetooth", "earphon"]);
        check("蓝牙耳机", &["蓝牙", "耳机"]);
        check("不锈钢保温杯", &["不锈", "不锈钢", "保温", "保温杯"]);
        check("保温杯, 500ml!", &["保温", "保温杯", "500ml"]);
    }

    #[test]
    fn positions_step_forward_and_offsets_never_go_back() {
        let mut analyzer = document_analyzer();
        let text = "不锈钢保温杯 蓝牙耳机 纯棉T恤 stainless steel";
        let mut stream = analyzer.token_stream(text);
        let mut previous: Option<(usize, usize)> = None;
        while let Some(token) = stream.next() {
            assert!(text.is_char_boundary(token.offset_from));
            assert!(text.is_char_boundary(token.offset_to));
            if let Some((position, offset_from)) = previous {
                assert_eq!(token.position, position + 1);
                assert!(token.offset_from >= offset_from);
            }
            previous = Some((token.position, token.offset_from));
        }
    }

    #[test]
    fn pinyin_is_joined_per_word() {
        assert_eq!(pinyin_words("蓝牙耳机 bluetooth"), "lanya erji");
        assert_eq!(pinyin_words("纯棉T恤"), "chunmian txu");
        assert_eq!(pinyin_words("Bluetooth earphones"), "");
    }

    /// Pieces of product text, with the awkward ones: mixed scripts, case
    /// that lowercases to more characters, separators, an over-long word.
    const PIECES: &[&str] = &[
        "保温杯",
        "不锈钢",
        "蓝牙耳机",
        "纯棉",
        "T恤",
        "充电宝",
        "Bluetooth",
        "Earphones",
        "stainless",
        "STEEL",
        "running",
        "500ml",
        "10000mAh",
        "ΣΑΣ",
        "Straße",
        "İstanbul",
        " ",
        "\n",
        "\r\n",
        "\r",
        ",",
        "，",
        "。",
        "!",
        "-",
        "_",
        ".",
        "x",
        "Supercalifragilisticexpialidocious-and-then-some-more",
    ];

    proptest! {
        /// Piece by piece, with recent pieces remembered, gives what jieba
        /// gives for the whole text.
        #[test]
        fn documents_cut_piece_by_piece_as_a_whole(
            texts in prop::collection::vec(
                prop::collection::vec(prop::sample::select(PIECES), 0..16)
                    .prop_map(|pieces| pieces.concat()),
                1..4,
            )
        ) {
            for text in &texts {
                let mut by_line = Vec::new();
                segment(&JIEBA, text, Segmentation::Search, &mut by_line);
                let whole: Vec<(usize, usize, String, usize)> =
                    cut(&JIEBA, text, TokenizeMode::Search)
                        .into_iter()
                        .enumerate()
                        .map(|(position, word)| (word.start, word.end, word.text, position))
                        .collect();
                let by_line: Vec<(usize, usize, String, usize)> = by_line
                    .into_iter()
                    .map(|token| (token.offset_from, token.offset_to, token.text, token.position))
                    .collect();
                prop_assert_eq!(by_line, whole);
            }
        }
    }
}
