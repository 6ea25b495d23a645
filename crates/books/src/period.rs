//! Periods: a calendar month, `YYYY-MM` in UTC. A locked period takes no
//! postings; an automatic posting whose date falls in one is dated the first
//! day of the next open month instead, as an accountant books a late invoice.

use kernel::db::Tx;
use kernel::{CompanyId, Scope, Timestamp};
use sqlx::Row;
use time::{Date, Month, OffsetDateTime, Time};

use crate::error::{BooksError, Result};
use crate::{Books, may_close_periods, may_view_books};

/// Locked periods listed at most (ten years of months).
pub const LOCKED_PERIODS_LISTED_MAX: i64 = 120;

/// A month of the books: how full it is and whether it is locked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PeriodStatus {
    /// `YYYY-MM`.
    pub period: String,
    pub entries: i64,
    /// Drafts keep a period from being locked.
    pub drafts: i64,
    pub locked: bool,
}

/// The period an instant falls in.
pub fn period_of(at: Timestamp) -> String {
    let date = at.to_offset_date_time().date();
    format!("{:04}-{:02}", date.year(), u8::from(date.month()))
}

/// The day an instant falls on, `YYYY-MM-DD` in UTC, as entries are dated.
pub fn day_of(at: Timestamp) -> String {
    let date = at.to_offset_date_time().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses `YYYY-MM` into the first instant of that month.
pub fn period_start(period: &str) -> Option<Timestamp> {
    let (year, month) = period.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, 1).ok()?;
    Some(Timestamp::from_offset_date_time(OffsetDateTime::new_utc(
        date,
        Time::MIDNIGHT,
    )))
}

/// The first instant of the month after `period`.
pub(crate) fn next_period_start(period: &str) -> Option<Timestamp> {
    let start = period_start(period)?.to_offset_date_time().date();
    let (year, month) = if start.month() == Month::December {
        (start.year() + 1, Month::January)
    } else {
        (start.year(), start.month().next())
    };
    let date = Date::from_calendar_date(year, month, 1).ok()?;
    Some(Timestamp::from_offset_date_time(OffsetDateTime::new_utc(
        date,
        Time::MIDNIGHT,
    )))
}

pub(crate) async fn is_locked(tx: &mut Tx, company: CompanyId, period: &str) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM books_period_lock WHERE company_id = $1 AND period = $2")
            .bind(company)
            .bind(period)
            .fetch_optional(tx.conn())
            .await?
            .is_some(),
    )
}

/// `at`, or the start of the first open month after it when its month is
/// locked.
pub(crate) async fn first_open_date(
    tx: &mut Tx,
    company: CompanyId,
    at: Timestamp,
) -> Result<Timestamp> {
    let mut date = at;
    // Bounded: at most every month listed as locked can be skipped.
    for _ in 0..=LOCKED_PERIODS_LISTED_MAX {
        let period = period_of(date);
        if !is_locked(tx, company, &period).await? {
            return Ok(date);
        }
        date = next_period_start(&period)
            .ok_or_else(|| BooksError::invalid("date", "out_of_range", "past the calendar"))?;
    }
    Err(BooksError::PeriodLocked {
        period: period_of(date),
    })
}

fn parse_period(period: &str) -> Result<String> {
    period_start(period)
        .map(|_| period.to_owned())
        .ok_or_else(|| BooksError::invalid("period", "invalid", "a month as YYYY-MM"))
}

impl Books {
    /// Locks `period`: from now on nothing posts into it.
    pub async fn lock_period(&self, scope: &Scope, period: &str) -> Result<()> {
        if !may_close_periods(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let period = parse_period(period)?;
        let drafts = sqlx::query(
            "SELECT 1 FROM books_entry WHERE company_id = $1 AND period = $2 AND state = 'draft'",
        )
        .bind(scope.company_id())
        .bind(&period)
        .fetch_optional(self.db.reader())
        .await?
        .is_some();
        if drafts {
            return Err(BooksError::state(
                "drafts_open",
                "post or delete the period's drafts before locking it",
            ));
        }
        let now = self.clock.now().micros();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO books_period_lock (company_id, period, locked_at, created_at, updated_at)
             VALUES ($1, $2, $3, $3, $3) ON CONFLICT (company_id, period) DO NOTHING",
        )
        .bind(scope.company_id())
        .bind(&period)
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a locked period again, for a correction the accountant decided.
    pub async fn unlock_period(&self, scope: &Scope, period: &str) -> Result<()> {
        if !may_close_periods(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let period = parse_period(period)?;
        let mut tx = self.db.begin().await?;
        sqlx::query("DELETE FROM books_period_lock WHERE company_id = $1 AND period = $2")
            .bind(scope.company_id())
            .bind(&period)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The months that have entries or a lock, newest first, with how many
    /// entries each holds and whether it is locked.
    pub async fn periods(&self, scope: &Scope) -> Result<Vec<PeriodStatus>> {
        let locked = self.locked_periods(scope).await?;
        let rows = sqlx::query(
            "SELECT period, COUNT(*) AS entries,
                    CAST(SUM(CASE WHEN state = 'draft' THEN 1 ELSE 0 END) AS BIGINT) AS drafts
             FROM books_entry WHERE company_id = $1
             GROUP BY period ORDER BY period DESC LIMIT $2",
        )
        .bind(scope.company_id())
        .bind(LOCKED_PERIODS_LISTED_MAX)
        .fetch_all(self.db.reader())
        .await?;
        let mut periods = std::collections::BTreeMap::new();
        for row in &rows {
            let period: String = row.try_get("period")?;
            periods.insert(
                period.clone(),
                PeriodStatus {
                    locked: locked.contains(&period),
                    period,
                    entries: row.try_get("entries")?,
                    drafts: row.try_get("drafts")?,
                },
            );
        }
        for period in locked {
            periods.entry(period.clone()).or_insert(PeriodStatus {
                period,
                entries: 0,
                drafts: 0,
                locked: true,
            });
        }
        Ok(periods
            .into_values()
            .rev()
            .take(LOCKED_PERIODS_LISTED_MAX as usize)
            .collect())
    }

    /// The locked periods, newest first.
    pub async fn locked_periods(&self, scope: &Scope) -> Result<Vec<String>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT period FROM books_period_lock WHERE company_id = $1 ORDER BY period DESC LIMIT $2",
        )
        .bind(scope.company_id())
        .bind(LOCKED_PERIODS_LISTED_MAX)
        .fetch_all(self.db.reader())
        .await?;
        rows.iter().map(|row| Ok(row.try_get("period")?)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_calendar_months_in_utc() {
        let start = period_start("2026-12").unwrap();
        assert_eq!(period_of(start), "2026-12");
        assert_eq!(period_of(start.plus_seconds(-1)), "2026-11");
        assert_eq!(period_of(next_period_start("2026-12").unwrap()), "2027-01");
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", ""] {
            assert!(period_start(bad).is_none(), "{bad}");
        }
    }
}
