//! Exchange rates: the rates at which a company books the currencies other
//! than its functional one, each holding from its day until the next. A
//! rate is exact (units of the functional currency for one unit of the
//! other, eight decimals, kept as an integer × 10^8); what a member writes by
//! hand in a currency with no rate on or before its date is refused.

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Scope, Timestamp};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::entry::parse_date;
use crate::error::{BooksError, Result};
use crate::{Books, may_keep_books, may_view_books};

kernel::define_id!(
    /// One rate of one currency from one day.
    ExchangeRateId,
    "fxr"
);

/// The scale of a stored rate: eight decimals.
pub(crate) const RATE_SCALE: i64 = 100_000_000;
/// The largest rate: a million units for one (the dong against the yuan is
/// far below, the yuan against the dong far above one, both within).
const RATE_MAX_E8: i64 = 1_000_000 * RATE_SCALE;
/// The most rates one list answers.
pub const EXCHANGE_RATES_MAX: i64 = 1_000;

/// A rate as the member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExchangeRate {
    pub id: ExchangeRateId,
    pub currency: Currency,
    /// The day it holds from, `YYYY-MM-DD`.
    pub date: String,
    /// Units of the functional currency for one unit of `currency`, as a
    /// decimal of up to eight places, e.g. `7.1234`.
    pub rate: String,
}

/// A rate to set; one already set for that currency and day is replaced.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateInput {
    /// ISO 4217, not the functional currency.
    pub currency: String,
    /// `YYYY-MM-DD`: the day it holds from.
    pub date: String,
    /// Units of the functional currency for one unit of `currency`: a
    /// decimal above zero with up to eight places, at most 1,000,000.
    pub rate: String,
}

/// `7.1234` as 712,340,000; refuses what is not a positive decimal of up
/// to eight places within the bound.
pub(crate) fn parse_rate(text: &str) -> Result<i64> {
    let invalid = || {
        BooksError::invalid(
            "rate",
            "invalid",
            "a decimal above zero with up to eight places, at most 1000000",
        )
    };
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 7
        || fraction.len() > 8
        || !digits(whole)
        || !digits(fraction)
    {
        return Err(invalid());
    }
    let whole: i64 = whole.parse().map_err(|_| invalid())?;
    let fraction: i64 = format!("{fraction:0<8}").parse().map_err(|_| invalid())?;
    let rate = whole * RATE_SCALE + fraction;
    if rate <= 0 || rate > RATE_MAX_E8 {
        return Err(invalid());
    }
    Ok(rate)
}

/// A stored rate as its decimal, without trailing zeros.
pub(crate) fn rate_text(rate_e8: i64) -> String {
    let fraction = format!("{:08}", rate_e8 % RATE_SCALE);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        (rate_e8 / RATE_SCALE).to_string()
    } else {
        format!("{}.{fraction}", rate_e8 / RATE_SCALE)
    }
}

/// The company's functional currency, inside `tx`.
pub(crate) async fn functional_currency_in(tx: &mut Tx, company: CompanyId) -> Result<Currency> {
    let code: String =
        sqlx::query("SELECT functional_currency FROM books_company WHERE company_id = $1")
            .bind(company)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(BooksError::NotFound("books"))?
            .try_get("functional_currency")?;
    code.parse().map_err(|_| {
        BooksError::Storage(kernel::StorageError::corrupt("functional currency", code))
    })
}

/// The company's rate for `currency` on `date`: its latest from that day
/// or before, × 10^8.
pub(crate) async fn rate_on_in(
    tx: &mut Tx,
    company: CompanyId,
    currency: Currency,
    date: Timestamp,
) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT rate_e8 FROM books_fx_rate WHERE company_id = $1 AND currency = $2 AND rate_date <= $3
         ORDER BY rate_date DESC LIMIT 1",
    )
    .bind(company)
    .bind(currency.code())
    .bind(date.micros())
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|row| row.try_get("rate_e8")).transpose()?)
}

/// What a batch written by hand has shown to have a rate, so each
/// currency and day is looked up once: a batch in the functional currency
/// costs one query.
pub(crate) struct RatesKnown {
    company: CompanyId,
    functional: Currency,
    known: std::collections::HashSet<(Currency, i64)>,
}

impl RatesKnown {
    pub(crate) async fn of_in(tx: &mut Tx, company: CompanyId) -> Result<RatesKnown> {
        Ok(RatesKnown {
            company,
            functional: functional_currency_in(tx, company).await?,
            known: Default::default(),
        })
    }

    /// Refuses, naming `field`, a currency on `date` that is neither the
    /// functional currency nor one with a rate by then.
    pub(crate) async fn require_in(
        &mut self,
        tx: &mut Tx,
        field: impl FnOnce() -> String,
        currency: Currency,
        date: Timestamp,
    ) -> Result<()> {
        if currency == self.functional || self.known.contains(&(currency, date.micros())) {
            return Ok(());
        }
        if rate_on_in(tx, self.company, currency, date)
            .await?
            .is_none()
        {
            return Err(BooksError::invalid(
                field(),
                "no_exchange_rate",
                format!(
                    "no exchange rate for {currency} on or before {}: set one first",
                    crate::period::day_of(date)
                ),
            ));
        }
        self.known.insert((currency, date.micros()));
        Ok(())
    }
}

/// Refuses, naming `field`, a currency written by hand on `date` without a
/// rate by then (unless it is the functional one).
pub(crate) async fn require_rate_in(
    tx: &mut Tx,
    company: CompanyId,
    field: &str,
    currency: Currency,
    date: Timestamp,
) -> Result<()> {
    RatesKnown::of_in(tx, company)
        .await?
        .require_in(tx, || field.to_owned(), currency, date)
        .await
}

fn rate_of(row: &sqlx::any::AnyRow) -> Result<ExchangeRate> {
    let code: String = row.try_get("currency")?;
    Ok(ExchangeRate {
        id: ExchangeRateId::from_raw(row.try_get("id")?),
        currency: code.parse().map_err(|_| {
            BooksError::Storage(kernel::StorageError::corrupt("rate currency", code))
        })?,
        date: crate::period::day_of(Timestamp::from_micros(row.try_get("rate_date")?)),
        rate: rate_text(row.try_get("rate_e8")?),
    })
}

impl Books {
    /// Sets the rate of a currency from a day (replacing one set for that
    /// day), or refuses with the field at fault.
    pub async fn set_exchange_rate(
        &self,
        scope: &Scope,
        input: &RateInput,
    ) -> Result<ExchangeRate> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let currency: Currency = input
            .currency
            .parse()
            .map_err(|_| BooksError::invalid("currency", "invalid", "an ISO 4217 code"))?;
        let date = parse_date("date", &input.date)?;
        let rate = parse_rate(&input.rate)?;
        let company = scope.company_id();
        self.ensure_open(company).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if functional_currency_in(&mut tx, company).await? == currency {
            return Err(BooksError::invalid(
                "currency",
                "functional_currency",
                "the functional currency needs no rate",
            ));
        }
        sqlx::query(
            "INSERT INTO books_fx_rate (company_id, id, currency, rate_date, rate_e8, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (company_id, currency, rate_date) DO UPDATE SET rate_e8 = excluded.rate_e8,
                 updated_at = excluded.updated_at",
        )
        .bind(company)
        .bind(ExchangeRateId::new())
        .bind(currency.code())
        .bind(date.micros())
        .bind(rate)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        let row = sqlx::query(
            "SELECT id, currency, rate_date, rate_e8 FROM books_fx_rate
             WHERE company_id = $1 AND currency = $2 AND rate_date = $3",
        )
        .bind(company)
        .bind(currency.code())
        .bind(date.micros())
        .fetch_one(tx.conn())
        .await?;
        tx.commit().await?;
        rate_of(&row)
    }

    /// The company's rates, newest day first, at most `EXCHANGE_RATES_MAX`.
    pub async fn exchange_rates(&self, scope: &Scope) -> Result<Vec<ExchangeRate>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT id, currency, rate_date, rate_e8 FROM books_fx_rate WHERE company_id = $1
             ORDER BY rate_date DESC, currency LIMIT $2",
        )
        .bind(scope.company_id())
        .bind(EXCHANGE_RATES_MAX)
        .fetch_all(self.db.reader())
        .await?;
        rows.iter().map(rate_of).collect()
    }

    /// Removes a rate; what was written at it stays as written.
    pub async fn remove_exchange_rate(&self, scope: &Scope, id: ExchangeRateId) -> Result<()> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let mut tx = self.db.begin().await?;
        let removed = sqlx::query("DELETE FROM books_fx_rate WHERE company_id = $1 AND id = $2")
            .bind(scope.company_id())
            .bind(id)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if removed == 0 {
            return Err(BooksError::NotFound("exchange rate"));
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_is_an_exact_decimal_of_up_to_eight_places() {
        assert_eq!(parse_rate("7.1234").unwrap(), 712_340_000);
        assert_eq!(parse_rate("0.00000001").unwrap(), 1);
        assert_eq!(parse_rate("1000000").unwrap(), RATE_MAX_E8);
        for bad in [
            "0",
            "-1",
            "1e3",
            "7.123456789",
            "",
            ".5",
            "1000000.01",
            "7,12",
        ] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        assert_eq!(rate_text(712_340_000), "7.1234");
        assert_eq!(rate_text(700_000_000), "7");
        assert_eq!(rate_text(1), "0.00000001");
    }
}
