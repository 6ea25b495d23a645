//! One pass over the matching documents that keeps the top hits in the
//! requested order, applies the exact price-at-quantity filter and counts
//! categories and provinces from fast columns (cheaper than a facet
//! collector, DESIGN.md field notes).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::document::{CATEGORY_LEVEL_NAMES, CATEGORY_LEVELS, unit_price_at};
use crate::request::SortOrder;

/// How much the supplier's quality can lift relevance: score × (1 + w × q).
const QUALITY_WEIGHT: f64 = 0.5;

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

#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub total: u64,
    pub ranked: Vec<RankedDoc>,
    pub categories: HashMap<u64, u64>,
    pub provinces: HashMap<String, u64>,
}

/// (sort key, u32::MAX - doc so the earlier doc wins a tie, score bits,
/// unit price): ordered by the tuple, smallest first out of the heap.
type HeapEntry = ((u64, u64), u32, u32, Option<i64>);

pub(crate) struct SearchSegmentCollector {
    segment_ord: SegmentOrdinal,
    settings: Settings,
    quality: Column<f64>,
    created_at: Column<i64>,
    price_tiers: Column<u64>,
    category_levels: Vec<Column<u64>>,
    province: Option<StrColumn>,
    total: u64,
    top: BinaryHeap<Reverse<HeapEntry>>,
    categories: HashMap<u64, u64>,
    province_ord_counts: HashMap<u64, u64>,
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
        let category_levels = CATEGORY_LEVEL_NAMES
            .iter()
            .map(|name| fast.u64(name))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(SearchSegmentCollector {
            segment_ord,
            settings: Settings {
                sort: self.sort,
                keep: self.keep,
                has_text: self.has_text,
                category_id: self.category_id,
                price_quantity: self.price_quantity,
                price_min_minor: self.price_min_minor,
                price_max_minor: self.price_max_minor,
            },
            quality: fast.f64("quality")?,
            created_at: fast.i64("created_at")?,
            price_tiers: fast.u64("price_tiers")?,
            category_levels,
            province: fast.str("province")?,
            total: 0,
            top: BinaryHeap::new(),
            categories: HashMap::new(),
            province_ord_counts: HashMap::new(),
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

    fn collect(&mut self, doc: DocId, score: Score) {
        let settings = self.settings;
        let needs_price = settings.price_min_minor.is_some()
            || settings.price_max_minor.is_some()
            || matches!(
                settings.sort,
                SortOrder::PriceAscending | SortOrder::PriceDescending
            );
        let unit_price = if needs_price {
            let price = unit_price_at(
                self.price_tiers.values_for_doc(doc),
                settings.price_quantity,
            );
            let in_range = price.is_some_and(|price| {
                settings.price_min_minor.is_none_or(|min| price >= min)
                    && settings.price_max_minor.is_none_or(|max| price <= max)
            });
            let filtered = settings.price_min_minor.is_some() || settings.price_max_minor.is_some();
            if filtered && !in_range {
                return;
            }
            price
        } else {
            None
        };
        self.total += 1;
        self.count_category(doc);
        if let Some(province) = &self.province
            && let Some(ord) = province.ords().first(doc)
        {
            *self.province_ord_counts.entry(ord).or_default() += 1;
        }

        let base = if settings.has_text {
            f64::from(score)
        } else {
            1.0
        };
        let quality = self.quality.first(doc).unwrap_or(0.0).clamp(0.0, 1.0);
        let relevance = (base * (1.0 + QUALITY_WEIGHT * quality)) as f32;
        let relevance_key = u64::from(relevance.max(0.0).to_bits());
        let created_key = ordered_i64(self.created_at.first(doc).unwrap_or(0));
        let key = match settings.sort {
            SortOrder::Relevance => (relevance_key, created_key),
            SortOrder::Newest => (created_key, relevance_key),
            SortOrder::PriceAscending => (
                u64::MAX - ordered_i64(unit_price.unwrap_or(i64::MAX)),
                relevance_key,
            ),
            SortOrder::PriceDescending => {
                (ordered_i64(unit_price.unwrap_or(i64::MIN)), relevance_key)
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
        let mut provinces = HashMap::new();
        if let Some(column) = &self.province {
            let mut name = String::new();
            for (ord, count) in self.province_ord_counts {
                name.clear();
                if column.ord_to_str(ord, &mut name).unwrap_or(false) {
                    *provinces.entry(name.clone()).or_default() += count;
                }
            }
        }
        Collected {
            total: self.total,
            ranked,
            categories: self.categories,
            provinces,
        }
    }
}

impl SearchSegmentCollector {
    /// Counts the category one level below the filtered one (the top level
    /// without a filter). Zero means "no category at this level".
    fn count_category(&mut self, doc: DocId) {
        let child_level = match self.settings.category_id {
            None => 0,
            Some(filtered) => {
                let mut found = None;
                for level in 0..CATEGORY_LEVELS {
                    if self.category_levels[level].first(doc) == Some(filtered) {
                        found = Some(level + 1);
                        break;
                    }
                }
                match found {
                    Some(level) if level < CATEGORY_LEVELS => level,
                    _ => return,
                }
            }
        };
        if let Some(category) = self.category_levels[child_level].first(doc)
            && category != 0
        {
            *self.categories.entry(category).or_default() += 1;
        }
    }
}
