//! A small cache of collected results for searches that match many
//! products, such as browsing a category with no text: those cost a pass
//! over up to every document, and the same few are asked again and again
//! (a category's landing page, its next page). Entries belong to one
//! searcher generation and are dropped when the reader reloads, so a commit
//! is never hidden; the hits hold document addresses only valid in that
//! generation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::collector::Collected;
use crate::request::SearchRequest;

/// Top hits kept per entry at least, so the first pages of a result come
/// from one entry.
pub(crate) const CACHED_KEEP_MIN: usize = 100;

/// A request without its page: every page of a search shares one entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey(SearchRequest);

impl CacheKey {
    /// The key of `request`, whose text is already cut to its bound.
    pub(crate) fn new(request: &SearchRequest, bounded_text: &str) -> CacheKey {
        CacheKey(SearchRequest {
            text: bounded_text.to_string(),
            offset: 0,
            limit: 0,
            ..request.clone()
        })
    }
}

struct Entry {
    collected: Arc<Collected>,
    last_used: u64,
}

#[derive(Default)]
struct State {
    generation: u64,
    clock: u64,
    entries: HashMap<CacheKey, Entry>,
}

pub(crate) struct ResultCache {
    entries_max: usize,
    total_min: u64,
    state: Mutex<State>,
}

impl ResultCache {
    pub(crate) fn new(entries_max: usize, total_min: u64) -> ResultCache {
        ResultCache {
            entries_max,
            total_min,
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn is_enabled(&self) -> bool {
        self.entries_max > 0
    }

    /// The result for `key` collected in `generation`, if it holds at least
    /// `keep` top hits (or all the hits there are).
    pub(crate) fn get(
        &self,
        generation: u64,
        key: &CacheKey,
        keep: usize,
    ) -> Option<Arc<Collected>> {
        if !self.is_enabled() {
            return None;
        }
        let mut state = self.lock();
        state.switch_to(generation);
        if state.generation != generation {
            return None;
        }
        state.clock += 1;
        let clock = state.clock;
        let entry = state.entries.get_mut(key)?;
        let complete = entry.collected.ranked.len() as u64 >= entry.collected.total;
        if entry.collected.ranked.len() < keep && !complete {
            return None;
        }
        entry.last_used = clock;
        Some(entry.collected.clone())
    }

    /// Keeps `collected` for `key` if it was expensive enough to be worth it,
    /// evicting the least recently used entry when full.
    pub(crate) fn put(&self, generation: u64, key: CacheKey, collected: Arc<Collected>) {
        if !self.is_enabled() || collected.total < self.total_min {
            return;
        }
        let mut state = self.lock();
        state.switch_to(generation);
        if state.generation != generation {
            return;
        }
        if state.entries.len() >= self.entries_max && !state.entries.contains_key(&key) {
            let oldest = state
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                state.entries.remove(&oldest);
            }
        }
        state.clock += 1;
        let last_used = state.clock;
        state.entries.insert(
            key,
            Entry {
                collected,
                last_used,
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    /// Forgets every entry of an older generation. A searcher of an older
    /// generation than the cache's (a search that began before a reload and
    /// ends after) neither reads nor replaces newer entries.
    fn switch_to(&mut self, generation: u64) {
        if generation > self.generation {
            self.entries.clear();
            self.generation = generation;
        }
    }
}
