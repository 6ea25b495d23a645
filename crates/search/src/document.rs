//! The product document the index takes, and how it maps onto the tantivy
//! schema: which fields are searched, which are filtered or counted from fast
//! columns, which are stored for display.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{BILINGUAL_ANALYZER, PLAIN_ANALYZER, RUNS_ANALYZER, pinyin_words};

/// One product as search sees it: denormalised, with its company and its
/// category names, so a hit needs no other lookup to be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDocument {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    pub description: String,
    pub attributes: Vec<(String, String)>,
    /// Category ids from the root to the leaf.
    pub category_path: Vec<i64>,
    /// The category names, in any language, for text search.
    pub category_names: String,
    pub province: String,
    pub country: String,
    pub verified: bool,
    pub in_stock: bool,
    pub moq: i64,
    /// (minimum quantity, unit price in minor units), in any order.
    pub price_tiers: Vec<(i64, i64)>,
    pub currency: String,
    pub created_at_micros: i64,
    /// Supplier quality signal in 0..=1, fed by trust and ads.
    pub quality_score: f32,
}

/// Category levels counted from fast columns; deeper paths are still
/// filterable (every ancestor is indexed) but not counted below this depth.
pub(crate) const CATEGORY_LEVELS: usize = 4;
/// Bits of a packed price tier that hold the unit price; the minimum
/// quantity takes the bits above.
pub(crate) const TIER_PRICE_BITS: u32 = 40;
pub(crate) const TIER_PRICE_MAX_MINOR: i64 = (1 << TIER_PRICE_BITS) - 1;
pub(crate) const TIER_QUANTITY_MAX: i64 = (1 << (64 - TIER_PRICE_BITS)) - 1;
/// Stored text is cut to this many bytes: the index keeps what a snippet needs.
const DESCRIPTION_STORED_BYTES_MAX: usize = 2_000;
/// Indexed text per document is cut to this many bytes.
const TEXT_INDEXED_BYTES_MAX: usize = 8_000;

/// The fields of the index, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub id: Field,
    pub company_id: Field,
    pub company_name: Field,
    pub title: Field,
    pub title_zh: Field,
    pub title_en: Field,
    pub body: Field,
    pub description: Field,
    pub pinyin: Field,
    pub suggest: Field,
    pub suggest_runs: Field,
    pub category_ids: Field,
    pub category_levels: [Field; CATEGORY_LEVELS],
    pub province: Field,
    pub country: Field,
    pub verified: Field,
    pub in_stock: Field,
    pub moq: Field,
    pub price_tiers: Field,
    pub price_min: Field,
    pub currency: Field,
    pub created_at: Field,
    pub quality: Field,
}

pub(crate) const CATEGORY_LEVEL_NAMES: [&str; CATEGORY_LEVELS] = [
    "category_level_0",
    "category_level_1",
    "category_level_2",
    "category_level_3",
];

fn text(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let stored_only = TextOptions::default().set_stored();
    let fields = Fields {
        id: builder.add_i64_field("id", INDEXED | FAST | STORED),
        company_id: builder.add_i64_field("company_id", INDEXED | STORED),
        company_name: builder.add_text_field("company_name", stored_only.clone()),
        // No positions: queries are sets of required words, not phrases,
        // and positions would double the postings.
        title: builder.add_text_field(
            "title",
            text(BILINGUAL_ANALYZER, IndexRecordOption::WithFreqs),
        ),
        title_zh: builder.add_text_field("title_zh", stored_only.clone()),
        title_en: builder.add_text_field("title_en", stored_only.clone()),
        body: builder.add_text_field(
            "body",
            text(BILINGUAL_ANALYZER, IndexRecordOption::WithFreqs),
        ),
        description: builder.add_text_field("description", stored_only),
        pinyin: builder.add_text_field("pinyin", text(PLAIN_ANALYZER, IndexRecordOption::Basic)),
        suggest: builder.add_text_field("suggest", text(PLAIN_ANALYZER, IndexRecordOption::Basic)),
        // Whole runs of letters ("蓝牙耳机"), which jieba may cut where the
        // user is still typing ("蓝牙耳" should complete to "蓝牙耳机").
        suggest_runs: builder.add_text_field(
            "suggest_runs",
            text(RUNS_ANALYZER, IndexRecordOption::Basic),
        ),
        category_ids: builder.add_u64_field("category_ids", INDEXED),
        category_levels: CATEGORY_LEVEL_NAMES.map(|name| builder.add_u64_field(name, FAST)),
        province: builder.add_text_field("province", STRING | FAST | STORED),
        country: builder.add_text_field("country", STRING | STORED),
        verified: builder.add_bool_field("verified", INDEXED | STORED),
        in_stock: builder.add_bool_field("in_stock", INDEXED | STORED),
        moq: builder.add_i64_field("moq", INDEXED | FAST | STORED),
        price_tiers: builder.add_u64_field("price_tiers", FAST),
        price_min: builder.add_i64_field("price_min", INDEXED | FAST),
        currency: builder.add_text_field("currency", STRING | STORED),
        created_at: builder.add_i64_field("created_at", FAST),
        quality: builder.add_f64_field("quality", FAST),
    };
    (builder.build(), fields)
}

/// Cuts `text` to at most `bytes_max` bytes on a char boundary.
pub(crate) fn truncate(text: &str, bytes_max: usize) -> &str {
    if text.len() <= bytes_max {
        return text;
    }
    let mut end = bytes_max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Packs a tier into one u64: quantity in the high bits, price in the low.
pub(crate) fn pack_tier(min_quantity: i64, unit_price_minor: i64) -> u64 {
    let quantity = min_quantity.clamp(0, TIER_QUANTITY_MAX) as u64;
    let price = unit_price_minor.clamp(0, TIER_PRICE_MAX_MINOR) as u64;
    (quantity << TIER_PRICE_BITS) | price
}

/// The unit price for `quantity` from packed tiers: the tier with the
/// largest minimum quantity at or below `quantity`; below every tier (or with
/// no quantity given) the tier with the smallest minimum quantity.
pub(crate) fn unit_price_at(
    tiers: impl Iterator<Item = u64>,
    quantity: Option<i64>,
) -> Option<i64> {
    let mut best: Option<(i64, i64)> = None; // (min_quantity, price) of the applicable tier
    let mut smallest: Option<(i64, i64)> = None;
    for packed in tiers {
        let tier_quantity = (packed >> TIER_PRICE_BITS) as i64;
        let price = (packed & TIER_PRICE_MAX_MINOR as u64) as i64;
        if smallest.is_none_or(|(smallest_quantity, _)| tier_quantity < smallest_quantity) {
            smallest = Some((tier_quantity, price));
        }
        if let Some(quantity) = quantity
            && tier_quantity <= quantity
            && best.is_none_or(|(best_quantity, _)| tier_quantity > best_quantity)
        {
            best = Some((tier_quantity, price));
        }
    }
    best.or(smallest).map(|(_, price)| price)
}

impl ProductDocument {
    pub(crate) fn to_tantivy(&self, fields: &Fields) -> TantivyDocument {
        let mut document = TantivyDocument::default();
        document.add_i64(fields.id, self.id);
        document.add_i64(fields.company_id, self.company_id);
        document.add_text(fields.company_name, &self.company_name);
        for title in [&self.title_zh, &self.title_en].into_iter().flatten() {
            let title = truncate(title, TEXT_INDEXED_BYTES_MAX);
            document.add_text(fields.title, title);
            document.add_text(fields.suggest, title);
            document.add_text(fields.suggest_runs, title);
            let pinyin = pinyin_words(title);
            if !pinyin.is_empty() {
                document.add_text(fields.pinyin, pinyin);
            }
        }
        if let Some(title) = &self.title_zh {
            document.add_text(fields.title_zh, title);
        }
        if let Some(title) = &self.title_en {
            document.add_text(fields.title_en, title);
        }
        // The body holds the titles too, so that it alone decides whether a
        // word matches (see `query.rs`).
        let mut body = String::with_capacity(self.description.len() + 256);
        for title in [&self.title_zh, &self.title_en].into_iter().flatten() {
            body.push_str(truncate(title, TEXT_INDEXED_BYTES_MAX));
            body.push('\n');
        }
        body.push_str(&self.description);
        for (name, value) in &self.attributes {
            body.push('\n');
            body.push_str(name);
            body.push(' ');
            body.push_str(value);
        }
        body.push('\n');
        body.push_str(&self.category_names);
        body.push('\n');
        body.push_str(&self.company_name);
        document.add_text(fields.body, truncate(&body, TEXT_INDEXED_BYTES_MAX));
        document.add_text(
            fields.description,
            truncate(&self.description, DESCRIPTION_STORED_BYTES_MAX),
        );
        for category_id in &self.category_path {
            document.add_u64(fields.category_ids, *category_id as u64);
        }
        for (level, field) in fields.category_levels.iter().enumerate() {
            let category_id = self.category_path.get(level).copied().unwrap_or(0);
            document.add_u64(*field, category_id as u64);
        }
        document.add_text(fields.province, &self.province);
        document.add_text(fields.country, &self.country);
        document.add_bool(fields.verified, self.verified);
        document.add_bool(fields.in_stock, self.in_stock);
        document.add_i64(fields.moq, self.moq);
        for (min_quantity, unit_price_minor) in &self.price_tiers {
            document.add_u64(
                fields.price_tiers,
                pack_tier(*min_quantity, *unit_price_minor),
            );
        }
        let price_min = self
            .price_tiers
            .iter()
            .map(|(_, price)| *price)
            .min()
            .unwrap_or(0);
        document.add_i64(fields.price_min, price_min);
        document.add_text(fields.currency, &self.currency);
        document.add_i64(fields.created_at, self.created_at_micros);
        document.add_f64(
            fields.quality,
            f64::from(self.quality_score.clamp(0.0, 1.0)),
        );
        document
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(tiers: &[(i64, i64)], quantity: Option<i64>, expected: Option<i64>) {
        let packed = tiers.iter().map(|(q, p)| pack_tier(*q, *p));
        assert_eq!(
            unit_price_at(packed, quantity),
            expected,
            "{tiers:?} at {quantity:?}"
        );
    }

    #[test]
    fn unit_price_follows_the_tiers() {
        let tiers = [(1_000, 80), (10, 120), (100, 100)];
        check(&tiers, None, Some(120));
        check(&tiers, Some(1), Some(120));
        check(&tiers, Some(10), Some(120));
        check(&tiers, Some(99), Some(120));
        check(&tiers, Some(100), Some(100));
        check(&tiers, Some(5_000), Some(80));
        check(&[], Some(5), None);
    }
}
