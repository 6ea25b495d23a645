//! Cursor pagination: a page of items after a cursor, with a hard maximum size.

use serde::Serialize;

/// The most items any list returns at once.
pub const PAGE_SIZE_MAX: u32 = 200;
/// The size of a page when the caller does not say.
pub const PAGE_SIZE_DEFAULT: u32 = 50;

/// Which page to read: items strictly after `after` (a raw id, in the list's
/// order), at most `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<i64>,
    limit: u32,
}

impl PageRequest {
    /// Clamps `limit` into 1..=PAGE_SIZE_MAX; a caller that wants to refuse
    /// oversized limits checks with [`PageRequest::limit_allowed`] first.
    pub fn new(after: Option<i64>, limit: Option<u32>) -> Self {
        let limit = limit.unwrap_or(PAGE_SIZE_DEFAULT).clamp(1, PAGE_SIZE_MAX);
        PageRequest { after, limit }
    }

    pub fn first() -> Self {
        PageRequest::new(None, None)
    }

    pub fn limit_allowed(limit: u32) -> bool {
        (1..=PAGE_SIZE_MAX).contains(&limit)
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// One more than the limit: fetched to learn whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }

    /// The lowest raw id to start from (exclusive); 0 when reading from the start.
    pub fn after_raw(&self) -> i64 {
        self.after.unwrap_or(0)
    }
}

/// One page of a list, and the cursor of the next page if there is one.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<i64>,
}

impl<T> Page<T> {
    /// Builds a page from up to `fetch_limit()` rows, ordered by `key`.
    pub fn from_rows(mut rows: Vec<T>, request: PageRequest, key: impl Fn(&T) -> i64) -> Self {
        let limit = request.limit() as usize;
        let next_after = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(&key)
        } else {
            None
        };
        Page {
            items: rows,
            next_after,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_after: self.next_after,
        }
    }
}
