//! One pass over the matching documents that keeps the top hits in the
//! requested order, applies the exact price-at-quantity filter and counts
//! categories and provinces from fast columns (cheaper than a facet
//! collector, DESIGN.md field notes).
//!
//! A search with no text can match every product, so this loop runs a
//! million times for one request: it reads full columns directly (no
//! per-document index lookup), counts into dense arrays rather than hash
//! maps, and reads a hit's second sort key only when its first one could
//! still enter the top (perf showed SipHash and the second column read as
//! a third of the time).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::document::{CATEGORY_LEVEL_NAMES, CATEGORY_LEVELS, unit_price_at};
use crate::ranking::ranking_score;
use crate::request::SortOrder;

/// A category level is counted in a dense array when its ids span at most
/// this many values, in a hash map otherwise.
const DENSE_CATEGORY_SPAN_MAX: u64 = 1 << 20;

pub(crate) struct SearchCollector {
    pub sort: SortOrder,
    /// offset + limit: how many top hits to keep.
    pub keep: usize,
    pub has_text: bool,
    pub category_id: Option<u64>,
    pub price_quantity: Option<i64>,
    pub price_min_minor: Option<i64>,
    pub price_max_minor: Option<i64>,
}

/// A hit before its stored fields are loaded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RankedDoc {
    pub key: (u64, u64),
    pub address: DocAddress,
    pub score: f32,
    pub unit_price_minor: Option<i64>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Collected {
    pub total: u64,
    pub ranked: Vec<RankedDoc>,
    pub categories: HashMap<u64, u64>,
    pub provinces: HashMap<String, u64>,
}

/// (sort key, u32::MAX - doc so the earlier doc wins a tie, score bits,
/// unit price): ordered by the tuple, smallest first out of the heap.
type HeapEntry = ((u64, u64), u32, u32, Option<i64>);

/// The first value of a column for a document, read straight from the
/// values when every document has exactly one (the common case here).
struct FirstValue<T> {
    column: Column<T>,
    full: bool,
    default: T,
}

impl<T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + 'static> FirstValue<T> {
    fn new(column: Column<T>, default: T) -> FirstValue<T> {
        let full = column.get_cardinality() == Cardinality::Full;
        FirstValue {
            column,
            full,
            default,
        }
    }

    #[inline]
    fn get(&self, doc: DocId) -> T {
        if self.full {
            self.column.values.get_val(doc)
        } else {
            self.column.first(doc).unwrap_or(self.default)
        }
    }
}

/// Counts of one category level's ids in one segment.
enum LevelCounts {
    Dense { min: u64, counts: Vec<u32> },
    Sparse(HashMap<u64, u64>),
}

impl LevelCounts {
    fn for_column(column: &Column<u64>) -> LevelCounts {
        let (min, max) = (column.min_value(), column.max_value());
        if max >= min && max - min < DENSE_CATEGORY_SPAN_MAX {
            LevelCounts::Dense {
                min,
                counts: vec![0; (max - min + 1) as usize],
            }
        } else {
            LevelCounts::Sparse(HashMap::new())
        }
    }

    #[inline]
    fn add(&mut self, category: u64) {
        match self {
            LevelCounts::Dense { min, counts } => {
                // Values outside the column's range cannot occur; the
                // check keeps a corrupt column from panicking a search.
                if let Some(count) = category
                    .checked_sub(*min)
                    .and_then(|slot| counts.get_mut(slot as usize))
                {
                    *count += 1;
                }
            }
            LevelCounts::Sparse(map) => *map.entry(category).or_default() += 1,
        }
    }

    fn drain_into(self, output: &mut HashMap<u64, u64>) {
        match self {
            LevelCounts::Dense { min, counts } => {
                for (slot, count) in counts.into_iter().enumerate() {
                    if count > 0 {
                        *output.entry(min + slot as u64).or_default() += u64::from(count);
                    }
                }
            }
            LevelCounts::Sparse(map) => {
                for (category, count) in map {
                    *output.entry(category).or_default() += count;
                }
            }
        }
    }
}

pub(crate) struct SearchSegmentCollector {
    segment_ord: SegmentOrdinal,
    settings: Settings,
    quality: FirstValue<f64>,
    created_at: FirstValue<i64>,
    price_tiers: Column<u64>,
    category_levels: Vec<FirstValue<u64>>,
    /// One counter per level, made when a document is first counted there.
    category_counts: Vec<Option<LevelCounts>>,
    /// The level at which the filtered category was last found: categories
    /// sit at one depth, so it is nearly always the same.
    filtered_level_hint: usize,
    province: Option<StrColumn>,
    /// Indexed by the province's term ordinal in this segment.
    province_counts: Vec<u64>,
    total: u64,
    top: BinaryHeap<Reverse<HeapEntry>>,
}

#[derive(Clone, Copy)]
struct Settings {
    sort: SortOrder,
    keep: usize,
    has_text: bool,
    category_id: Option<u64>,
    price_quantity: Option<i64>,
    price_min_minor: Option<i64>,
    price_max_minor: Option<i64>,
    needs_price: bool,
    price_filtered: bool,
}

/// Maps an i64 onto u64 keeping the order.
fn ordered_i64(value: i64) -> u64 {
    (value as u64) ^ (1 << 63)
}

impl Collector for SearchCollector {
    type Fruit = Collected;
    type Child = SearchSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SearchSegmentCollector> {
        let fast = reader.fast_fields();
        let category_columns = CATEGORY_LEVEL_NAMES
            .iter()
            .map(|name| fast.u64(name))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let category_counts = category_columns
            .iter()
            .map(|_| None)
            .collect::<Vec<Option<LevelCounts>>>();
        let province = fast.str("province")?;
        let province_counts = vec![0; province.as_ref().map_or(0, |column| column.num_terms())];
        let price_filtered = self.price_min_minor.is_some() || self.price_max_minor.is_some();
        Ok(SearchSegmentCollector {
            segment_ord,
            settings: Settings {
                sort: self.sort,
                keep: self.keep.max(1),
                has_text: self.has_text,
                category_id: self.category_id,
                price_quantity: self.price_quantity,
                price_min_minor: self.price_min_minor,
                price_max_minor: self.price_max_minor,
                needs_price: price_filtered
                    || matches!(
                        self.sort,
                        SortOrder::PriceAscending | SortOrder::PriceDescending
                    ),
                price_filtered,
            },
            quality: FirstValue::new(fast.f64("quality")?, 0.0),
            created_at: FirstValue::new(fast.i64("created_at")?, 0),
            price_tiers: fast.u64("price_tiers")?,
            category_levels: category_columns
                .into_iter()
                .map(|column| FirstValue::new(column, 0))
                .collect(),
            category_counts,
            filtered_level_hint: 0,
            province,
            province_counts,
            total: 0,
            top: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.has_text && self.sort == SortOrder::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut merged = Collected::default();
        for fruit in fruits {
            merged.total += fruit.total;
            merged.ranked.extend(fruit.ranked);
            for (category, count) in fruit.categories {
                *merged.categories.entry(category).or_default() += count;
            }
            for (province, count) in fruit.provinces {
                *merged.provinces.entry(province).or_default() += count;
            }
        }
        merged.ranked.sort_by(|left, right| {
            right
                .key
                .cmp(&left.key)
                .then(left.address.cmp(&right.address))
        });
        merged.ranked.truncate(self.keep);
        Ok(merged)
    }
}

impl SegmentCollector for SearchSegmentCollector {
    type Fruit = Collected;

    #[inline]
    fn collect(&mut self, doc: DocId, score: Score) {
        self.collect_one(doc, score);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for doc in docs {
            self.collect_one(*doc, 0.0);
        }
    }

    fn harvest(self) -> Collected {
        let segment_ord = self.segment_ord;
        let ranked = self
            .top
            .into_iter()
            .map(
                |Reverse((key, inverted_doc, score_bits, unit_price_minor))| RankedDoc {
                    key,
                    address: DocAddress::new(segment_ord, u32::MAX - inverted_doc),
                    score: f32::from_bits(score_bits),
                    unit_price_minor,
                },
            )
            .collect();
        let mut categories = HashMap::new();
        for counts in self.category_counts.into_iter().flatten() {
            counts.drain_into(&mut categories);
        }
        let mut provinces = HashMap::new();
        if let Some(column) = &self.province {
            let mut name = String::new();
            for (ord, count) in self.province_counts.into_iter().enumerate() {
                if count == 0 {
                    continue;
                }
                name.clear();
                if column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    *provinces.entry(name.clone()).or_default() += count;
                }
            }
        }
        Collected {
            total: self.total,
            ranked,
            categories,
            provinces,
        }
    }
}

impl SearchSegmentCollector {
    #[inline]
    fn collect_one(&mut self, doc: DocId, score: Score) {
        let settings = self.settings;
        let unit_price = if settings.needs_price {
            let price = unit_price_at(
                self.price_tiers.values_for_doc(doc),
                settings.price_quantity,
            );
            if settings.price_filtered {
                let in_range = price.is_some_and(|price| {
                    settings.price_min_minor.is_none_or(|min| price >= min)
                        && settings.price_max_minor.is_none_or(|max| price <= max)
                });
                if !in_range {
                    return;
                }
            }
            price
        } else {
            None
        };
        self.total += 1;
        self.count_category(doc);
        if let Some(province) = &self.province
            && let Some(ord) = province.ords().first(doc)
            && let Some(count) = self.province_counts.get_mut(ord as usize)
        {
            *count += 1;
        }
        self.offer(doc, score, unit_price);
    }

    /// Puts `doc` among the top hits if it belongs there. The first sort key
    /// alone usually rules a document out, so the second is read only for
    /// documents that tie with or beat the weakest kept hit.
    #[inline]
    fn offer(&mut self, doc: DocId, score: Score, unit_price: Option<i64>) {
        let settings = self.settings;
        let weakest_primary = if self.top.len() < settings.keep {
            None
        } else {
            self.top.peek().map(|Reverse(((primary, _), ..))| *primary)
        };
        let text_score = settings.has_text.then_some(score);
        let relevance = || ranking_score(text_score, self.quality.get(doc));
        let relevance_key = |relevance: f32| u64::from(relevance.max(0.0).to_bits());
        let (key, relevance) = match settings.sort {
            SortOrder::Relevance => {
                // The best quality could lift this score at most to the
                // bound: below the weakest kept hit, quality need not be read.
                if settings.has_text
                    && let Some(weakest) = weakest_primary
                    && relevance_key(ranking_score(text_score, 1.0)) < weakest
                {
                    return;
                }
                let relevance = relevance();
                let primary = relevance_key(relevance);
                if weakest_primary.is_some_and(|weakest| primary < weakest) {
                    return;
                }
                let created_key = ordered_i64(self.created_at.get(doc));
                ((primary, created_key), relevance)
            }
            SortOrder::Newest => {
                let primary = ordered_i64(self.created_at.get(doc));
                if weakest_primary.is_some_and(|weakest| primary < weakest) {
                    return;
                }
                let relevance = relevance();
                ((primary, relevance_key(relevance)), relevance)
            }
            SortOrder::PriceAscending | SortOrder::PriceDescending => {
                let primary = if settings.sort == SortOrder::PriceAscending {
                    u64::MAX - ordered_i64(unit_price.unwrap_or(i64::MAX))
                } else {
                    ordered_i64(unit_price.unwrap_or(i64::MIN))
                };
                if weakest_primary.is_some_and(|weakest| primary < weakest) {
                    return;
                }
                let relevance = relevance();
                ((primary, relevance_key(relevance)), relevance)
            }
        };
        // Among equal keys the earlier document wins, as in the merge.
        let entry = Reverse((key, u32::MAX - doc, relevance.to_bits(), unit_price));
        if self.top.len() < settings.keep {
            self.top.push(entry);
        } else if let Some(smallest) = self.top.peek()
            && entry < *smallest
        {
            self.top.pop();
            self.top.push(entry);
        }
    }

    /// Counts the category one level below the filtered one (the top level
    /// without a filter). Zero means "no category at this level".
    #[inline]
    fn count_category(&mut self, doc: DocId) {
        let child_level = match self.settings.category_id {
            None => 0,
            Some(filtered) => {
                let hint = self.filtered_level_hint;
                let level = if self.category_levels[hint].get(doc) == filtered {
                    Some(hint)
                } else {
                    (0..CATEGORY_LEVELS)
                        .find(|level| self.category_levels[*level].get(doc) == filtered)
                };
                match level {
                    Some(level) if level + 1 < CATEGORY_LEVELS => {
                        self.filtered_level_hint = level;
                        level + 1
                    }
                    _ => return,
                }
            }
        };
        let category = self.category_levels[child_level].get(doc);
        if category != 0 {
            self.category_counts[child_level]
                .get_or_insert_with(|| {
                    LevelCounts::for_column(&self.category_levels[child_level].column)
                })
                .add(category);
        }
    }
}
