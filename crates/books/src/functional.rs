//! Every line's value in the company's functional currency: its amount at
//! the rate of its entry's day (the company's own rate, or for the deal's
//! automatic postings the platform's reference rate where the company set
//! none), rounded so that each entry balances in the functional currency
//! as it does in each of its own.

use std::collections::HashMap;
use std::sync::OnceLock;

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Timestamp};

use crate::error::{BooksError, Result};
use crate::rates::{RATE_SCALE, functional_currency_in, parse_rate, rate_on_in};
use crate::write::{NewEntry, NewLine};

/// Where a rate may come from for the lines being valued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RateSource {
    /// What a member writes: its own rates only (a missing one was refused
    /// before, naming the field).
    Member,
    /// The deal's automatic postings: its own rate, else the platform's.
    MemberOrReference,
}

/// The platform's reference rates, yuan for one unit, × 10^8
/// (`data/reference_rates.toml`).
fn reference_rates() -> &'static HashMap<String, i64> {
    static RATES: OnceLock<HashMap<String, i64>> = OnceLock::new();
    RATES.get_or_init(|| {
        let table: HashMap<String, String> =
            toml::from_str(include_str!("../data/reference_rates.toml"))
                .expect("data/reference_rates.toml is a table of rates");
        table
            .into_iter()
            .map(|(code, rate)| {
                let rate = parse_rate(&rate).expect("every reference rate parses");
                (code, rate)
            })
            .collect()
    })
}

/// The platform's rate for one unit of `currency` in `functional`, × 10^8:
/// through the yuan when neither is it.
pub(crate) fn reference_rate(currency: Currency, functional: Currency) -> Option<i64> {
    let in_yuan = |currency: Currency| {
        if currency == Currency::CNY {
            Some(RATE_SCALE)
        } else {
            reference_rates().get(currency.code()).copied()
        }
    };
    let (from, to) = (in_yuan(currency)?, in_yuan(functional)?);
    Some(round_div(i128::from(from) * i128::from(RATE_SCALE), i128::from(to)) as i64)
}

/// The platform's rate as a decimal, for a member to adopt as its own.
pub fn reference_rate_decimal(currency: Currency, functional: Currency) -> Option<String> {
    reference_rate(currency, functional).map(crate::rates::rate_text)
}

/// `numerator / denominator`, rounded half away from zero.
pub(crate) fn round_div(numerator: i128, denominator: i128) -> i128 {
    let quotient = (numerator.abs() * 2 + denominator.abs()) / (denominator.abs() * 2);
    if (numerator < 0) != (denominator < 0) {
        -quotient
    } else {
        quotient
    }
}

/// `amount_minor` of `currency` in minor units of `functional` at
/// `rate_e8`, rounded half away from zero.
pub(crate) fn convert(
    amount_minor: i128,
    currency: Currency,
    functional: Currency,
    rate_e8: i64,
) -> i128 {
    let scale = |digits: u8| 10_i128.pow(u32::from(digits));
    round_div(
        amount_minor * i128::from(rate_e8) * scale(functional.minor_digits()),
        i128::from(RATE_SCALE) * scale(currency.minor_digits()),
    )
}

/// The functional values of `lines` in one currency at one rate, debit
/// positive: each side converted as a running total, so the debits' values
/// sum to the credits' whenever the amounts do.
fn values_at(lines: &[&NewLine], functional: Currency, rate_e8: i64) -> Vec<i64> {
    let (mut debits, mut credits) = (0_i128, 0_i128);
    let (mut debits_value, mut credits_value) = (0_i128, 0_i128);
    lines
        .iter()
        .map(|line| {
            let value = |total: &mut i128, value: &mut i128, amount: i64| {
                *total += i128::from(amount);
                let next = convert(*total, line.currency, functional, rate_e8);
                let share = next - *value;
                *value = next;
                share as i64
            };
            if line.debit_minor > 0 {
                value(&mut debits, &mut debits_value, line.debit_minor)
            } else {
                -value(&mut credits, &mut credits_value, line.credit_minor)
            }
        })
        .collect()
}

/// Gives every line of `entries` without a functional value one, at the
/// rate of its entry's day from `source`.
pub(crate) async fn value_lines_in(
    tx: &mut Tx,
    company: CompanyId,
    entries: &mut [NewEntry],
    source: RateSource,
) -> Result<()> {
    let functional = functional_currency_in(tx, company).await?;
    let mut rates: HashMap<(Currency, i64), i64> = HashMap::new();
    for entry in entries.iter_mut() {
        let mut currencies: Vec<Currency> = Vec::new();
        for line in entry
            .lines
            .iter()
            .filter(|line| line.functional_minor.is_none())
        {
            if !currencies.contains(&line.currency) {
                currencies.push(line.currency);
            }
        }
        for currency in currencies {
            let rate = if currency == functional {
                RATE_SCALE
            } else {
                rate_of(
                    tx, company, &mut rates, currency, functional, entry.date, source,
                )
                .await?
            };
            let indexes: Vec<usize> = (0..entry.lines.len())
                .filter(|&index| {
                    let line = &entry.lines[index];
                    line.currency == currency && line.functional_minor.is_none()
                })
                .collect();
            let lines: Vec<&NewLine> = indexes.iter().map(|&index| &entry.lines[index]).collect();
            let values = values_at(&lines, functional, rate);
            for (index, value) in indexes.into_iter().zip(values) {
                entry.lines[index].functional_minor = Some(value);
            }
        }
    }
    Ok(())
}

async fn rate_of(
    tx: &mut Tx,
    company: CompanyId,
    rates: &mut HashMap<(Currency, i64), i64>,
    currency: Currency,
    functional: Currency,
    date: Timestamp,
    source: RateSource,
) -> Result<i64> {
    if let Some(rate) = rates.get(&(currency, date.micros())) {
        return Ok(*rate);
    }
    let rate = match rate_on_in(tx, company, currency, date).await? {
        Some(rate) => rate,
        None if source == RateSource::MemberOrReference => {
            reference_rate(currency, functional).ok_or_else(|| no_rate(currency, date))?
        }
        None => return Err(no_rate(currency, date)),
    };
    rates.insert((currency, date.micros()), rate);
    Ok(rate)
}

fn no_rate(currency: Currency, date: Timestamp) -> BooksError {
    BooksError::invalid(
        "currency",
        "no_exchange_rate",
        format!(
            "no exchange rate for {currency} on or before {}",
            crate::period::day_of(date)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccountId;

    fn line(debit_minor: i64, credit_minor: i64, currency: Currency) -> NewLine {
        NewLine {
            account_id: AccountId::from_raw(1),
            currency,
            debit_minor,
            credit_minor,
            memo: String::new(),
            functional_minor: None,
            clears: None,
        }
    }

    #[test]
    fn a_conversion_rounds_half_away_from_zero_across_minor_digits() {
        // 1.00 USD at 7.1180 is 7.12 CNY; 1 JPY (no minor unit) at 0.04712 is 0.05.
        assert_eq!(convert(100, Currency::USD, Currency::CNY, 711_800_000), 712);
        let jpy: Currency = "JPY".parse().unwrap();
        assert_eq!(convert(1, jpy, Currency::CNY, 4_712_000), 5);
        assert_eq!(
            convert(-100, Currency::USD, Currency::CNY, 711_800_000),
            -712
        );
        assert_eq!(convert(7, Currency::CNY, Currency::CNY, RATE_SCALE), 7);
    }

    #[test]
    fn an_entry_stays_balanced_in_the_functional_currency() {
        // Three debits of 0.01 USD against one credit of 0.03: converted one
        // by one each would round to 0.07 CNY and the sides would differ.
        let lines = [
            line(1, 0, Currency::USD),
            line(1, 0, Currency::USD),
            line(1, 0, Currency::USD),
            line(0, 3, Currency::USD),
        ];
        let refs: Vec<&NewLine> = lines.iter().collect();
        let values = values_at(&refs, Currency::CNY, 711_800_000);
        assert_eq!(values.iter().sum::<i64>(), 0, "{values:?}");
        assert_eq!(values[3], -21);
    }

    #[test]
    fn every_reference_rate_parses_and_crosses_through_the_yuan() {
        assert_eq!(
            reference_rate(Currency::USD, Currency::CNY),
            Some(711_800_000)
        );
        assert_eq!(
            reference_rate(Currency::CNY, Currency::CNY),
            Some(RATE_SCALE)
        );
        // One euro in dollars: 7.7420 / 7.1180.
        assert_eq!(
            reference_rate(Currency::EUR, Currency::USD),
            Some(108_766_507)
        );
        for code in reference_rates().keys() {
            let currency: Currency = code.parse().unwrap();
            assert!(reference_rate(currency, Currency::EUR).is_some(), "{code}");
        }
    }
}
