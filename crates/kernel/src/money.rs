//! Money as an integer count of minor units with its ISO 4217 currency. Arithmetic
//! is checked, and mixing currencies is an error, never a conversion.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency that Hanse handles, with its number of minor-unit digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(&'static CurrencyInfo);

/// Documented as the list of codes, so that a client (or a fuzzer) knows which
/// codes are refused before it sends one.
impl utoipa::PartialSchema for Currency {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An ISO 4217 currency code that Hanse handles."))
            .enum_values(Some(Currency::all().map(Currency::code)))
            .examples(["CNY"])
            .into()
    }
}

impl utoipa::ToSchema for Currency {}

#[derive(PartialEq, Eq, Hash, PartialOrd, Ord)]
struct CurrencyInfo {
    code: &'static str,
    /// The ISO 4217 numeric code, e.g. 156 for CNY; the ledger numbers its
    /// per-currency ledgers with it.
    numeric: u16,
    minor_digits: u8,
}

/// The currencies a member network trades in. Adding one is a one-line change;
/// a code not listed here is refused, never guessed.
static CURRENCIES: &[CurrencyInfo] = &[
    CurrencyInfo {
        code: "AED",
        numeric: 784,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "AUD",
        numeric: 36,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "BRL",
        numeric: 986,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "CAD",
        numeric: 124,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "CHF",
        numeric: 756,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "CNY",
        numeric: 156,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "EUR",
        numeric: 978,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "GBP",
        numeric: 826,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "HKD",
        numeric: 344,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "IDR",
        numeric: 360,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "INR",
        numeric: 356,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "JPY",
        numeric: 392,
        minor_digits: 0,
    },
    CurrencyInfo {
        code: "KRW",
        numeric: 410,
        minor_digits: 0,
    },
    CurrencyInfo {
        code: "KWD",
        numeric: 414,
        minor_digits: 3,
    },
    CurrencyInfo {
        code: "MYR",
        numeric: 458,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "PLN",
        numeric: 985,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "RUB",
        numeric: 643,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "SGD",
        numeric: 702,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "THB",
        numeric: 764,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "TRY",
        numeric: 949,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "USD",
        numeric: 840,
        minor_digits: 2,
    },
    CurrencyInfo {
        code: "VND",
        numeric: 704,
        minor_digits: 0,
    },
];

impl Currency {
    pub const CNY: Currency = Currency(&CURRENCIES[5]);
    pub const EUR: Currency = Currency(&CURRENCIES[6]);
    pub const USD: Currency = Currency(&CURRENCIES[20]);

    /// The three-letter code, e.g. `CNY`.
    pub fn code(self) -> &'static str {
        self.0.code
    }

    /// The ISO 4217 numeric code: 156 for CNY, 978 for EUR.
    pub fn numeric(self) -> u16 {
        self.0.numeric
    }

    /// The currency with this ISO 4217 numeric code.
    pub fn from_numeric(numeric: u16) -> Option<Currency> {
        CURRENCIES
            .iter()
            .find(|info| info.numeric == numeric)
            .map(Currency)
    }

    /// How many digits follow the decimal point: 2 for CNY, 0 for JPY, 3 for KWD.
    pub fn minor_digits(self) -> u8 {
        self.0.minor_digits
    }

    /// Every currency Hanse knows.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES.iter().map(Currency)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        CURRENCIES
            .iter()
            .find(|info| info.code == code)
            .map(Currency)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.chars().take(8).collect()))
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        code.parse()
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.code().to_owned()
    }
}

/// What can go wrong with money arithmetic or parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency `{0}`")]
    UnknownCurrency(String),
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch { left: Currency, right: Currency },
    #[error("the amount is out of range")]
    Overflow,
    #[error("`{0}` is not an amount in this currency")]
    InvalidAmount(String),
}

/// An amount of money: `minor` units (cents, fen) of `currency`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Money {
    /// Integer count of minor units, e.g. 1250 for ¥12.50.
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// The amount times a whole quantity, e.g. a unit price times units ordered.
    pub fn checked_mul(self, quantity: i64) -> Result<Money, MoneyError> {
        let minor = self
            .minor
            .checked_mul(quantity)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// `basis_points` / 10,000 of the amount, rounded half away from zero, for
    /// fees and taxes. Computed in i128 so no intermediate overflows.
    pub fn checked_basis_points(self, basis_points: i64) -> Result<Money, MoneyError> {
        let product = i128::from(self.minor) * i128::from(basis_points);
        let half = if product >= 0 { 5_000 } else { -5_000 };
        let rounded = (product + half) / 10_000;
        let minor = i64::try_from(rounded).map_err(|_| MoneyError::Overflow)?;
        Ok(Money { minor, ..self })
    }

    /// Parses a decimal amount such as `12.50` in the given currency, refusing
    /// more fraction digits than the currency has rather than rounding them away.
    pub fn parse_decimal(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let invalid = || MoneyError::InvalidAmount(text.chars().take(32).collect());
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = usize::from(currency.minor_digits());
        let well_formed = !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && fraction.len() <= digits
            && !(unsigned.contains('.') && fraction.is_empty());
        if !well_formed {
            return Err(invalid());
        }
        let scale = 10_i64.pow(u32::from(currency.minor_digits()));
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let fraction_minor: i64 = if fraction.is_empty() {
            0
        } else {
            let padded = format!("{fraction:0<digits$}");
            padded.parse().map_err(|_| invalid())?
        };
        let minor = whole
            .checked_mul(scale)
            .and_then(|m| m.checked_add(fraction_minor))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor: if negative { -minor } else { minor },
            currency,
        })
    }
}

impl Money {
    /// `12.50`: the amount alone, with the currency's own number of
    /// decimals, as spreadsheets and `parse_decimal` read it.
    pub fn decimal(self) -> String {
        let digits = u32::from(self.currency.minor_digits());
        let sign = if self.minor < 0 { "-" } else { "" };
        let magnitude = self.minor.unsigned_abs();
        if digits == 0 {
            return format!("{sign}{magnitude}");
        }
        let scale = 10_u64.pow(digits);
        let width = digits as usize;
        format!("{sign}{}.{:0width$}", magnitude / scale, magnitude % scale)
    }
}

impl fmt::Display for Money {
    /// `12.50 CNY`: the amount with the currency's own number of decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn currency() -> impl Strategy<Value = Currency> {
        proptest::sample::select(Currency::all().collect::<Vec<_>>())
    }

    #[test]
    fn formats_with_the_currency_digits() {
        assert_eq!(Money::new(1250, Currency::CNY).to_string(), "12.50 CNY");
        assert_eq!(Money::new(-5, Currency::EUR).to_string(), "-0.05 EUR");
        assert_eq!(
            Money::new(1200, "JPY".parse().unwrap()).to_string(),
            "1200 JPY"
        );
    }

    #[test]
    fn mixing_currencies_is_an_error() {
        let sum = Money::new(1, Currency::CNY).checked_add(Money::new(1, Currency::EUR));
        assert_eq!(
            sum,
            Err(MoneyError::CurrencyMismatch {
                left: Currency::CNY,
                right: Currency::EUR
            })
        );
    }

    #[test]
    fn parse_refuses_extra_digits_and_junk() {
        for bad in ["", ".", "1.", "1.234", "1,00", "abc", "--1", "1e3", " 1"] {
            assert!(Money::parse_decimal(bad, Currency::CNY).is_err(), "{bad:?}");
        }
        assert_eq!(
            Money::parse_decimal("12.5", Currency::CNY),
            Ok(Money::new(1250, Currency::CNY))
        );
    }

    #[test]
    fn fee_rounds_half_away_from_zero() {
        let amount = Money::new(1_005, Currency::CNY);
        assert_eq!(amount.checked_basis_points(50).unwrap().minor, 5);
        assert_eq!(
            Money::new(1_010, Currency::CNY)
                .checked_basis_points(50)
                .unwrap()
                .minor,
            5
        );
        assert_eq!(
            Money::new(1_030, Currency::CNY)
                .checked_basis_points(50)
                .unwrap()
                .minor,
            5
        );
        assert_eq!(
            Money::new(1_100, Currency::CNY)
                .checked_basis_points(50)
                .unwrap()
                .minor,
            6
        );
    }

    proptest! {
        #[test]
        fn add_then_sub_is_identity(a in any::<i32>(), b in any::<i32>(), c in currency()) {
            let (a, b) = (Money::new(a.into(), c), Money::new(b.into(), c));
            prop_assert_eq!(a.checked_add(b).unwrap().checked_sub(b).unwrap(), a);
        }

        #[test]
        fn addition_commutes_or_overflows_both_ways(a in any::<i64>(), b in any::<i64>()) {
            let (a, b) = (Money::new(a, Currency::USD), Money::new(b, Currency::USD));
            prop_assert_eq!(a.checked_add(b), b.checked_add(a));
        }

        #[test]
        fn overflow_is_reported_never_wrapped(a in any::<i64>(), b in any::<i64>()) {
            let sum = Money::new(a, Currency::USD).checked_add(Money::new(b, Currency::USD));
            match a.checked_add(b) {
                Some(expected) => prop_assert_eq!(sum.unwrap().minor, expected),
                None => prop_assert_eq!(sum, Err(MoneyError::Overflow)),
            }
        }

        #[test]
        fn display_parses_back(minor in (i64::MIN + 1)..=i64::MAX, c in currency()) {
            let money = Money::new(minor, c);
            prop_assert_eq!(Money::parse_decimal(&money.decimal(), c), Ok(money));
            prop_assert_eq!(money.to_string(), format!("{} {}", money.decimal(), c));
        }

        #[test]
        fn fee_never_exceeds_amount(minor in 0..i64::MAX, bp in 0..=10_000_i64) {
            let fee = Money::new(minor, Currency::CNY).checked_basis_points(bp).unwrap();
            prop_assert!(fee.minor >= 0 && fee.minor <= minor);
        }
    }
}
