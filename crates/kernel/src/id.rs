//! Typed 64-bit, time-ordered ids (a snowflake: milliseconds, node, sequence),
//! written on the wire as a type prefix and fixed-width base32, e.g. `co_06f2k9...`.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// 2026-01-01T00:00:00Z in Unix milliseconds; ids count from here so that 41 bits
/// of milliseconds last until the 2090s.
const EPOCH_MS: i64 = 1_767_225_600_000;
const NODE_BITS: u32 = 10;
const SEQUENCE_BITS: u32 = 12;
const SEQUENCE_MAX: i64 = (1 << SEQUENCE_BITS) - 1;
/// The largest node number an id can carry.
pub const NODE_MAX: u16 = (1 << NODE_BITS) - 1;

/// Crockford's base32 alphabet, lower case: no i, l, o, u, so ids read aloud well.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// 13 base32 digits hold 65 bits, so every positive i64 fits in a fixed width,
/// which keeps the string order equal to the numeric (time) order.
const ENCODED_LEN: usize = 13;

struct GeneratorState {
    last_ms: i64,
    sequence: i64,
}

static NODE: OnceLock<u16> = OnceLock::new();
static STATE: Mutex<GeneratorState> = Mutex::new(GeneratorState {
    last_ms: 0,
    sequence: 0,
});

/// Sets this process's node number (0..=1023); ids from different nodes never collide.
/// Only the first call takes effect; later calls report whether they agreed.
pub fn set_node(node: u16) -> bool {
    assert!(node <= NODE_MAX, "node must be at most {NODE_MAX}");
    *NODE.get_or_init(|| node) == node
}

fn now_ms() -> i64 {
    let since_unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_unix.as_millis()).unwrap_or(i64::MAX) - EPOCH_MS
}

/// A new id, greater than every id this process made before.
pub fn next_raw() -> i64 {
    let node = i64::from(*NODE.get_or_init(|| 0));
    let mut state = STATE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut ms = now_ms().max(state.last_ms);
    if ms == state.last_ms {
        state.sequence += 1;
        if state.sequence > SEQUENCE_MAX {
            // 4,096 ids in one millisecond: borrow the next millisecond rather than
            // wait, so the clock never has to be slept on while holding the lock.
            ms += 1;
            state.sequence = 0;
        }
    } else {
        state.sequence = 0;
    }
    state.last_ms = ms;
    (ms << (NODE_BITS + SEQUENCE_BITS)) | (node << SEQUENCE_BITS) | state.sequence
}

/// Why a string is not an id of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdParseError {
    #[error("expected an id starting with `{expected}_`")]
    WrongPrefix { expected: &'static str },
    #[error("the id is not {ENCODED_LEN} base32 characters after the prefix")]
    Malformed,
}

/// Writes `value` as fixed-width base32 after `prefix_`.
pub fn encode(prefix: &str, value: i64) -> String {
    let mut digits = [b'0'; ENCODED_LEN];
    let mut rest = value as u64;
    for digit in digits.iter_mut().rev() {
        *digit = ALPHABET[(rest & 31) as usize];
        rest >>= 5;
    }
    let mut out = String::with_capacity(prefix.len() + 1 + ENCODED_LEN);
    out.push_str(prefix);
    out.push('_');
    out.push_str(std::str::from_utf8(&digits).unwrap_or_default());
    out
}

/// Reads a string written by [`encode`] with the same prefix.
pub fn decode(expected: &'static str, text: &str) -> Result<i64, IdParseError> {
    let digits = text
        .strip_prefix(expected)
        .and_then(|rest| rest.strip_prefix('_'))
        .ok_or(IdParseError::WrongPrefix { expected })?;
    if digits.len() != ENCODED_LEN {
        return Err(IdParseError::Malformed);
    }
    let mut value: u64 = 0;
    for byte in digits.bytes() {
        // Lower case only, as `encode` writes it: one spelling per id, which is
        // also what the OpenAPI document's pattern says.
        let digit = ALPHABET
            .iter()
            .position(|&a| a == byte)
            .ok_or(IdParseError::Malformed)?;
        value = value.checked_mul(32).ok_or(IdParseError::Malformed)? | digit as u64;
    }
    i64::try_from(value).map_err(|_| IdParseError::Malformed)
}

/// Defines an id newtype: generated with `new()`, stored as BIGINT, and on the
/// wire a string with the given prefix that parsing checks.
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            /// The prefix this kind of id carries on the wire.
            pub const PREFIX: &'static str = $prefix;

            /// A fresh, time-ordered id.
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self($crate::id::next_raw())
            }

            /// Wraps a number read from storage.
            pub const fn from_raw(raw: i64) -> Self {
                Self(raw)
            }

            /// The number stored in the database.
            pub const fn raw(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::id::encode($prefix, self.0))
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(self, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::id::IdParseError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::id::decode($prefix, text).map(Self)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                // The pattern is exactly what `decode` accepts: the prefix, then 13
                // lower-case digits of `ALPHABET` whose first is at most 7, since
                // 13 digits hold 65 bits and an id is a positive i64.
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("An id, `", $prefix, "_` and 13 base32 characters.")))
                    .pattern(Some(concat!("^", $prefix, "_[0-7][0-9a-hjkmnp-tv-z]{12}$")))
                    .examples([concat!($prefix, "_06f2k9b3c4d5e")])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <i64 as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <i64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&self.0, buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                <i64 as sqlx::Decode<'r, sqlx::Any>>::decode(value).map(Self)
            }
        }
    };
}

define_id!(
    /// A member company (or the operator's own books, later).
    CompanyId,
    "co"
);
define_id!(
    /// A person who signs in.
    UserId,
    "usr"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_increase_within_a_process() {
        let mut previous = next_raw();
        for _ in 0..20_000 {
            let id = next_raw();
            assert!(id > previous);
            previous = id;
        }
    }

    #[test]
    fn wrong_prefix_is_refused() {
        let company = CompanyId::new();
        let text = company.to_string().replacen("co_", "usr_", 1);
        assert_eq!(
            text.parse::<CompanyId>(),
            Err(IdParseError::WrongPrefix { expected: "co" })
        );
        assert!(text.parse::<UserId>().is_ok());
        assert!("co_06f2k9b3c4d5e".parse::<CompanyId>().is_ok());
        assert_eq!(
            "co_06F2K9B3C4D5E".parse::<CompanyId>(),
            Err(IdParseError::Malformed)
        );
    }

    proptest! {
        #[test]
        fn encoding_round_trips_and_keeps_order(a in 0..i64::MAX, b in 0..i64::MAX) {
            let (ea, eb) = (encode("x", a), encode("x", b));
            prop_assert_eq!(decode("x", &ea), Ok(a));
            prop_assert_eq!(a.cmp(&b), ea.cmp(&eb));
        }

        #[test]
        fn garbage_never_panics_and_only_the_written_form_parses(text in ".{0,40}") {
            if let Ok(id) = text.parse::<CompanyId>() {
                prop_assert_eq!(id.to_string(), text);
            }
        }

        /// The `pattern` of the ids' OpenAPI schema, without the prefix.
        #[test]
        fn every_string_of_the_documented_pattern_parses(digits in "[0-7][0-9a-hjkmnp-tv-z]{12}") {
            let text = String::from("x_") + &digits;
            prop_assert!(decode("x", &text).is_ok());
        }
    }
}
