//! Cursor pagination on the wire: `?limit=&cursor=`, answered with `items` and
//! `next_cursor`. The cursor is opaque to clients.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kernel::page::{PAGE_SIZE_MAX, Page, PageRequest};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};

/// Query parameters of every list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// How many items, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn to_request(&self) -> Result<PageRequest, ApiError> {
        if let Some(limit) = self.limit
            && !PageRequest::limit_allowed(limit)
        {
            return Err(ApiError::field(
                ErrorCode::InvalidQuery,
                "limit",
                format!("limit must be between 1 and {PAGE_SIZE_MAX}"),
            ));
        }
        let after = self.cursor.as_deref().map(decode_cursor).transpose()?;
        Ok(PageRequest::new(after, self.limit))
    }
}

fn decode_cursor(cursor: &str) -> Result<i64, ApiError> {
    let bad = || {
        ApiError::field(
            ErrorCode::InvalidQuery,
            "cursor",
            "this cursor was not made by this list",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("after:")
        .and_then(|n| n.parse().ok())
        .ok_or_else(bad)
}

fn encode_cursor(after: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("after:{after}"))
}

/// A page of a list as the API returns it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageBody<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl<T> From<Page<T>> for PageBody<T> {
    fn from(page: Page<T>) -> Self {
        PageBody {
            items: page.items,
            next_cursor: page.next_after.map(encode_cursor),
        }
    }
}
