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

use std::sync::{Arc, LazyLock};

use jieba_rs::{Jieba, TokenizeMode};
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
fn segment(jieba: &Jieba, text: &str, segmentation: Segmentation, output: &mut Vec<Token>) {
    let mode = match segmentation {
        Segmentation::Search => TokenizeMode::Search,
        Segmentation::Default => TokenizeMode::Default,
    };
    // jieba reports offsets in chars; tantivy wants bytes.
    let mut char_to_byte: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
    char_to_byte.push(text.len());
    // HMM off: unknown Chinese words become single characters on both the
    // document and the query side, which keeps the two consistent.
    let mut words: Vec<(usize, usize, &str)> = jieba
        .tokenize(text, mode, false)
        .into_iter()
        .filter(|word| word.word.chars().any(char::is_alphanumeric))
        .map(|word| (char_to_byte[word.start], char_to_byte[word.end], word.word))
        .collect();
    words.sort_by_key(|(start, end, _)| (*start, *end));
    words.dedup_by_key(|(start, end, _)| (*start, *end));
    for (position, (start, end, word)) in words.into_iter().enumerate() {
        output.push(Token {
            offset_from: start,
            offset_to: end,
            position,
            text: word.to_string(),
            position_length: 1,
        });
    }
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
    let mut tokens = Vec::new();
    segment(&JIEBA, text, Segmentation::Search, &mut tokens);
    let mut output = String::new();
    for token in tokens {
        let mut word = String::new();
        let mut has_chinese = false;
        for (character, pinyin) in token.text.chars().zip(token.text.as_str().to_pinyin()) {
            match pinyin {
                Some(pinyin) => {
                    has_chinese = true;
                    word.push_str(pinyin.plain());
                }
                None => word.extend(character.to_lowercase()),
            }
        }
        if has_chinese {
            if !output.is_empty() {
                output.push(' ');
            }
            output.push_str(&word);
        }
    }
    output
}

#[cfg(test)]
mod tests {
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
    }
}
