//! Cursor pagination on the wire: `?limit=&cursor=`, answered with `items` and
//! `next_cursor`. The cursor is opaque to clients.

use std::str::FromStr;

use kernel::page::{PAGE_SIZE_MAX, Page, PageRequest};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::extract::bounded::Bounded;

/// A page size: 1 to 200; more is refused, not clamped.
pub type PageLimit = Bounded<1, { PAGE_SIZE_MAX as i64 }>;

/// Where the previous page ended: `after_` and 13 base32 digits, written like
/// an id so that the document can give it an exact pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(i64);

const CURSOR_PREFIX: &str = "after";

impl FromStr for Cursor {
    type Err = ApiError;
    fn from_str(text: &str) -> Result<Self, ApiError> {
        kernel::id::decode(CURSOR_PREFIX, text)
            .map(Cursor)
            .map_err(|_| {
                ApiError::field(
                    ErrorCode::InvalidQuery,
                    "cursor",
                    "this cursor was not made by a list",
                )
            })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&kernel::id::encode(CURSOR_PREFIX, self.0))
    }
}

impl Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse()
            .map_err(|error: ApiError| serde::de::Error::custom(error.detail))
    }
}

impl utoipa::PartialSchema for Cursor {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        // The same digits as an id's (see `kernel::define_id!`).
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^after_[0-7][0-9a-hjkmnp-tv-z]{12}$"))
            .into()
    }
}

impl utoipa::ToSchema for Cursor {}

/// Query parameters of every list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

impl PageQuery {
    pub fn to_request(&self) -> PageRequest {
        PageRequest::new(
            self.cursor.map(|cursor| cursor.0),
            self.limit.map(PageLimit::to_u32),
        )
    }
}

/// A page of a fixed size for the pages' lists, which carry the cursor in a
/// form or link: absent or empty means the first page.
pub fn page_of_size(limit: u32, cursor: Option<&str>) -> Result<PageRequest, ApiError> {
    let cursor = cursor
        .filter(|cursor| !cursor.is_empty())
        .map(str::parse::<Cursor>)
        .transpose()?;
    Ok(PageRequest::new(cursor.map(|cursor| cursor.0), Some(limit)))
}

/// A page of a list as the API returns it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PageBody<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<Cursor>,
}

impl<T> From<Page<T>> for PageBody<T> {
    fn from(page: Page<T>) -> Self {
        PageBody {
            items: page.items,
            next_cursor: page.next_after.map(Cursor),
        }
    }
}
