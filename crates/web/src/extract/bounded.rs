//! `Bounded<MIN, MAX>`: an integer query parameter that is refused outside its
//! range, never clamped, and documented with exactly that range, so the server
//! and the OpenAPI document cannot disagree about it.

use serde::{Deserialize, Deserializer};

/// An integer in `MIN..=MAX`. A value outside is a deserialisation error, which
/// `ApiQuery` answers as `invalid_query` naming the parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounded<const MIN: i64, const MAX: i64>(i64);

impl<const MIN: i64, const MAX: i64> Bounded<MIN, MAX> {
    /// `value` if it lies in the range.
    pub fn new(value: i64) -> Option<Self> {
        (MIN..=MAX).contains(&value).then_some(Bounded(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// For counts and offsets; the range starts at 0 or above, so it fits.
    pub fn to_usize(self) -> usize {
        usize::try_from(self.0).unwrap_or(0)
    }

    /// For page sizes; every page-size range fits in `u32`.
    pub fn to_u32(self) -> u32 {
        u32::try_from(self.0).unwrap_or(0)
    }
}

/// A `usize` limit of another crate as a bound. Evaluated at compile time, so
/// the assertion stops the build rather than a request.
#[allow(clippy::cast_possible_wrap)]
pub const fn bound(limit: usize) -> i64 {
    assert!(limit as u64 <= i64::MAX as u64);
    limit as i64
}

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(deserializer)?;
        Bounded::new(value).ok_or_else(|| {
            serde::de::Error::custom(format_args!("must be between {MIN} and {MAX}"))
        })
    }
}

impl<const MIN: i64, const MAX: i64> utoipa::PartialSchema for Bounded<MIN, MAX> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .minimum(Some(MIN))
            .maximum(Some(MAX))
            .into()
    }
}

impl<const MIN: i64, const MAX: i64> utoipa::ToSchema for Bounded<MIN, MAX> {}
