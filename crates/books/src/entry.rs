//! Journal entries: made by hand or posted automatically, checked to balance
//! per currency before anything is written, draft → posted, never changed
//! once posted (a reversal corrects it), and numbered per company.

use std::collections::BTreeMap;

use kernel::db::Tx;
use kernel::page::{Page, PageRequest};
use kernel::{CompanyId, Currency, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{BooksError, Result};
use crate::model::{AccountId, AccountRole, Entry, EntryId, EntryLine, EntryState, Journal};
use crate::period::{first_open_date, is_locked, period_of, period_start};
use crate::{Books, may_keep_books, may_view_books};

/// Lines one entry may have.
pub const LINES_MAX: usize = 100;
/// The largest amount on one line, in minor units: a bound on mistakes.
pub const LINE_AMOUNT_MINOR_MAX: i64 = 1_000_000_000_000;
const MEMO_CHARS_MAX: usize = 500;
/// The accounts that mirror the ledger and take no lines by hand.
const KEPT_BY_THE_PLATFORM: [AccountRole; 2] = [AccountRole::Wallet, AccountRole::EscrowAdvance];

/// An entry about to be written, by hand or by a posting rule.
#[derive(Debug, Clone)]
pub(crate) struct NewEntry {
    pub journal: Journal,
    pub date: Timestamp,
    pub memo: String,
    /// Empty for an entry made by hand; otherwise written once per company.
    pub source: String,
    pub order_id: Option<i64>,
    pub reverses: Option<EntryId>,
    pub lines: Vec<NewLine>,
    pub state: EntryState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewLine {
    pub account_id: AccountId,
    pub currency: Currency,
    pub debit_minor: i64,
    pub credit_minor: i64,
    pub memo: String,
}

/// The invariant of double entry, checked before every write: each line is
/// a positive debit or a positive credit, and per currency the debits equal
/// the credits.
pub(crate) fn check_balanced(lines: &[NewLine]) -> Result<()> {
    if lines.len() < 2 {
        return Err(BooksError::invalid(
            "lines",
            "too_few",
            "at least two lines",
        ));
    }
    if lines.len() > LINES_MAX {
        return Err(BooksError::invalid(
            "lines",
            "too_many",
            format!("at most {LINES_MAX} lines"),
        ));
    }
    let mut sums: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for (index, line) in lines.iter().enumerate() {
        let one_side = (line.debit_minor > 0) != (line.credit_minor > 0)
            && line.debit_minor >= 0
            && line.credit_minor >= 0;
        if !one_side {
            return Err(BooksError::invalid(
                format!("lines[{index}].debit_minor"),
                "one_side",
                "a positive debit or a positive credit, and zero on the other side",
            ));
        }
        if line.debit_minor.max(line.credit_minor) > LINE_AMOUNT_MINOR_MAX {
            return Err(BooksError::invalid(
                format!("lines[{index}].debit_minor"),
                "out_of_range",
                format!("at most {LINE_AMOUNT_MINOR_MAX}"),
            ));
        }
        let sum = sums.entry(line.currency.code()).or_default();
        // Bounded: at most LINES_MAX lines of at most 10^12 each.
        sum.0 += line.debit_minor;
        sum.1 += line.credit_minor;
    }
    for (currency, (debits, credits)) in sums {
        if debits != credits {
            return Err(BooksError::invalid(
                "lines",
                "unbalanced",
                format!("{currency}: debits {debits} and credits {credits} differ"),
            ));
        }
    }
    Ok(())
}

/// Writes an entry inside `tx`. One with a `source` already written for the
/// company is not written again: `None`. The entry's period must be open,
/// for a draft too: a locked month holds no drafts (locking refuses while it
/// has some), so none can be written into it.
pub(crate) async fn insert_entry_in(
    tx: &mut Tx,
    company: CompanyId,
    new: NewEntry,
    now: Timestamp,
) -> Result<Option<EntryId>> {
    check_balanced(&new.lines)?;
    let period = period_of(new.date);
    if is_locked(tx, company, &period).await? {
        return Err(BooksError::PeriodLocked { period });
    }
    if !new.source.is_empty() {
        let done = sqlx::query("SELECT 1 FROM books_entry WHERE company_id = $1 AND source = $2")
            .bind(company)
            .bind(&new.source)
            .fetch_optional(tx.conn())
            .await?
            .is_some();
        if done {
            return Ok(None);
        }
    }
    let entry_no: i64 = sqlx::query(
        "UPDATE books_company SET next_entry_no = next_entry_no + 1, updated_at = $1
         WHERE company_id = $2 RETURNING next_entry_no",
    )
    .bind(now.micros())
    .bind(company)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(BooksError::NotFound("books"))?
    .try_get::<i64, _>("next_entry_no")?
        - 1;
    let id = EntryId::new();
    let posted = new.state == EntryState::Posted;
    sqlx::query(
        "INSERT INTO books_entry (company_id, id, entry_no, journal, entry_date, period, memo, state, source, order_id, reverses_id, reversed_by_id, posted_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13, $13)",
    )
    .bind(company)
    .bind(id)
    .bind(entry_no)
    .bind(new.journal.code())
    .bind(new.date.micros())
    .bind(&period)
    .bind(&new.memo)
    .bind(new.state.code())
    .bind(&new.source)
    .bind(new.order_id)
    .bind(new.reverses.map(EntryId::raw))
    .bind(posted.then_some(now.micros()))
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    for (index, line) in new.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO books_line (company_id, entry_id, line_no, account_id, currency, debit_minor, credit_minor, memo, posted, entry_date, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(company)
        .bind(id)
        .bind(i64::try_from(index).unwrap_or(0) + 1)
        .bind(line.account_id)
        .bind(line.currency.code())
        .bind(line.debit_minor)
        .bind(line.credit_minor)
        .bind(&line.memo)
        .bind(i64::from(posted))
        .bind(new.date.micros())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
    }
    Ok(Some(id))
}

/// An entry as a member makes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    #[serde(default = "general")]
    pub journal: Journal,
    /// The entry's date, `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub memo: String,
    pub lines: Vec<LineInput>,
    /// Post at once; otherwise the entry stays a draft.
    #[serde(default)]
    pub post: bool,
}

fn general() -> Journal {
    Journal::General
}

/// One line as a member writes it: a debit or a credit.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EntryLineInput)]
pub struct LineInput {
    pub account_id: AccountId,
    pub currency: Currency,
    #[serde(default)]
    pub debit_minor: i64,
    #[serde(default)]
    pub credit_minor: i64,
    #[serde(default)]
    pub memo: String,
}

/// Which entries a list shows.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub journal: Option<Journal>,
    pub period: Option<String>,
    pub order_id: Option<i64>,
}

fn memo(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > MEMO_CHARS_MAX || text.chars().any(char::is_control) {
        return Err(BooksError::invalid(
            field,
            "invalid",
            format!("at most {MEMO_CHARS_MAX} characters, one line"),
        ));
    }
    Ok(text.to_owned())
}

/// `YYYY-MM-DD` as the start of that day in UTC.
pub fn parse_date(field: &str, text: &str) -> Result<Timestamp> {
    let invalid = || BooksError::invalid(field, "invalid", "a date as YYYY-MM-DD");
    let (period, day) = text.rsplit_once('-').ok_or_else(invalid)?;
    let start = period_start(period).ok_or_else(invalid)?;
    if day.len() != 2 {
        return Err(invalid());
    }
    let day: u8 = day.parse().map_err(|_| invalid())?;
    let date = start
        .to_offset_date_time()
        .date()
        .replace_day(day)
        .map_err(|_| invalid())?;
    Ok(Timestamp::from_offset_date_time(
        time::OffsetDateTime::new_utc(date, time::Time::MIDNIGHT),
    ))
}

const ENTRY_COLUMNS: &str = "id, entry_no, journal, entry_date, period, memo, state, source, order_id, reverses_id, reversed_by_id";

fn entry_head(row: &AnyRow) -> Result<Entry> {
    let journal: String = row.try_get("journal")?;
    let state: String = row.try_get("state")?;
    Ok(Entry {
        id: EntryId::from_raw(row.try_get("id")?),
        entry_no: row.try_get("entry_no")?,
        journal: Journal::parse(&journal)
            .ok_or_else(|| kernel::StorageError::corrupt("journal", journal))?,
        date: Timestamp::from_micros(row.try_get("entry_date")?),
        period: row.try_get("period")?,
        memo: row.try_get("memo")?,
        state: if state == "posted" {
            EntryState::Posted
        } else {
            EntryState::Draft
        },
        source: row.try_get("source")?,
        order_id: row
            .try_get::<Option<i64>, _>("order_id")?
            .map(|raw| kernel::id::encode("ord", raw)),
        reverses: row
            .try_get::<Option<i64>, _>("reverses_id")?
            .map(EntryId::from_raw),
        reversed_by: row
            .try_get::<Option<i64>, _>("reversed_by_id")?
            .map(EntryId::from_raw),
        lines: Vec::new(),
    })
}

async fn lines_of(tx: &mut Tx, company: CompanyId, id: EntryId) -> Result<Vec<EntryLine>> {
    let rows = sqlx::query(
        "SELECT line_no, account_id, currency, debit_minor, credit_minor, memo FROM books_line
         WHERE company_id = $1 AND entry_id = $2 ORDER BY line_no",
    )
    .bind(company)
    .bind(id)
    .fetch_all(tx.conn())
    .await?;
    rows.iter()
        .map(|row| {
            let currency: String = row.try_get("currency")?;
            Ok(EntryLine {
                line_no: row.try_get("line_no")?,
                account_id: AccountId::from_raw(row.try_get("account_id")?),
                currency: currency
                    .parse()
                    .map_err(|_| kernel::StorageError::corrupt("currency", currency))?,
                debit_minor: row.try_get("debit_minor")?,
                credit_minor: row.try_get("credit_minor")?,
                memo: row.try_get("memo")?,
            })
        })
        .collect()
}

pub(crate) async fn entry_in(tx: &mut Tx, company: CompanyId, id: EntryId) -> Result<Entry> {
    let row = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM books_entry WHERE company_id = $1 AND id = $2"
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(BooksError::NotFound("entry"))?;
    let mut entry = entry_head(&row)?;
    entry.lines = lines_of(tx, company, id).await?;
    Ok(entry)
}

impl Books {
    /// Makes an entry by hand, a draft or posted, or refuses with the field
    /// at fault and writes nothing.
    pub async fn create_entry(&self, scope: &Scope, input: &EntryInput) -> Result<Entry> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let date = parse_date("date", &input.date)?;
        let memo_text = memo("memo", &input.memo)?;
        let mut lines = Vec::with_capacity(input.lines.len());
        for (index, line) in input.lines.iter().enumerate() {
            lines.push(NewLine {
                account_id: line.account_id,
                currency: line.currency,
                debit_minor: line.debit_minor,
                credit_minor: line.credit_minor,
                memo: memo(&format!("lines[{index}].memo"), &line.memo)?,
            });
        }
        check_balanced(&lines)?;
        self.ensure_open(scope.company_id()).await?;
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        for (index, line) in lines.iter().enumerate() {
            let account = sqlx::query(
                "SELECT active, role FROM books_account WHERE company_id = $1 AND id = $2",
            )
            .bind(company)
            .bind(line.account_id)
            .fetch_optional(tx.conn())
            .await?
            .map(|row| {
                Ok::<_, BooksError>((
                    row.try_get::<i64, _>("active")?,
                    row.try_get::<String, _>("role")?,
                ))
            })
            .transpose()?;
            // The wallet and the escrow advances mirror the ledger and move
            // only with it; a line by hand would break the reconciliation.
            if let Some((_, role)) = &account
                && AccountRole::parse(role).is_some_and(|role| KEPT_BY_THE_PLATFORM.contains(&role))
            {
                return Err(BooksError::invalid(
                    format!("lines[{index}].account_id"),
                    "account_kept_by_platform",
                    "this account mirrors your Hanse wallet and escrow and moves only with them",
                ));
            }
            match account.map(|(active, _)| active) {
                Some(1) => {}
                Some(_) => {
                    return Err(BooksError::invalid(
                        format!("lines[{index}].account_id"),
                        "account_inactive",
                        "this account is deactivated",
                    ));
                }
                None => {
                    return Err(BooksError::invalid(
                        format!("lines[{index}].account_id"),
                        "unknown_account",
                        "no such account in your chart",
                    ));
                }
            }
        }
        let new = NewEntry {
            journal: input.journal,
            date,
            memo: memo_text,
            source: String::new(),
            order_id: None,
            reverses: None,
            lines,
            state: if input.post {
                EntryState::Posted
            } else {
                EntryState::Draft
            },
        };
        let id = insert_entry_in(&mut tx, company, new, self.clock.now())
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        let entry = entry_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// One entry with its lines.
    pub async fn entry(&self, scope: &Scope, id: EntryId) -> Result<Entry> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        // Read inside a transaction so the head and its lines agree.
        let mut tx = self.db.begin().await?;
        let entry = entry_in(&mut tx, scope.company_id(), id).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Posts a draft: from now on it never changes.
    pub async fn post_entry(&self, scope: &Scope, id: EntryId) -> Result<Entry> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let entry = entry_in(&mut tx, company, id).await?;
        if entry.state == EntryState::Posted {
            return Err(BooksError::state("already_posted", "the entry is posted"));
        }
        if is_locked(&mut tx, company, &entry.period).await? {
            return Err(BooksError::PeriodLocked {
                period: entry.period,
            });
        }
        sqlx::query(
            "UPDATE books_entry SET state = 'posted', posted_at = $1, updated_at = $1
             WHERE company_id = $2 AND id = $3 AND state = 'draft'",
        )
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        sqlx::query(
            "UPDATE books_line SET posted = 1, updated_at = $1 WHERE company_id = $2 AND entry_id = $3",
        )
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        let entry = entry_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Deletes a draft; a posted entry stays (reverse it instead).
    pub async fn delete_draft(&self, scope: &Scope, id: EntryId) -> Result<()> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        let entry = entry_in(&mut tx, company, id).await?;
        if entry.state == EntryState::Posted {
            return Err(BooksError::state(
                "posted_entry",
                "a posted entry never changes; reverse it",
            ));
        }
        sqlx::query("DELETE FROM books_line WHERE company_id = $1 AND entry_id = $2")
            .bind(company)
            .bind(id)
            .execute(tx.conn())
            .await?;
        sqlx::query("DELETE FROM books_entry WHERE company_id = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Corrects a posted entry with its mirror image, dated `date` (today
    /// when `None`): debits become credits. An entry is reversed once.
    pub async fn reverse_entry(
        &self,
        scope: &Scope,
        id: EntryId,
        date: Option<&str>,
    ) -> Result<Entry> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let date = match date {
            Some(text) => parse_date("date", text)?,
            None => self.clock.now(),
        };
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let original = entry_in(&mut tx, company, id).await?;
        if original.state != EntryState::Posted {
            return Err(BooksError::state(
                "not_posted",
                "a draft is deleted, not reversed",
            ));
        }
        if original.reversed_by.is_some() || original.reverses.is_some() {
            return Err(BooksError::state(
                "already_reversed",
                "the entry is a reversal or already reversed",
            ));
        }
        let new = NewEntry {
            journal: original.journal,
            date,
            memo: format!("Reversal of #{} {}", original.entry_no, original.memo)
                .trim()
                .to_owned(),
            source: String::new(),
            order_id: None,
            reverses: Some(original.id),
            lines: original
                .lines
                .iter()
                .map(|line| NewLine {
                    account_id: line.account_id,
                    currency: line.currency,
                    debit_minor: line.credit_minor,
                    credit_minor: line.debit_minor,
                    memo: line.memo.clone(),
                })
                .collect(),
            state: EntryState::Posted,
        };
        let reversal = insert_entry_in(&mut tx, company, new, now)
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        sqlx::query(
            "UPDATE books_entry SET reversed_by_id = $1, updated_at = $2 WHERE company_id = $3 AND id = $4",
        )
        .bind(reversal)
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        let entry = entry_in(&mut tx, company, reversal).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The company's entries in the order they were written, with their
    /// lines.
    pub async fn entries(
        &self,
        scope: &Scope,
        filter: &EntryFilter,
        page: PageRequest,
    ) -> Result<Page<Entry>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let mut sql =
            format!("SELECT {ENTRY_COLUMNS} FROM books_entry WHERE company_id = $1 AND id > $2");
        let mut next = 3;
        if filter.journal.is_some() {
            sql.push_str(&format!(" AND journal = ${next}"));
            next += 1;
        }
        if filter.period.is_some() {
            sql.push_str(&format!(" AND period = ${next}"));
            next += 1;
        }
        if filter.order_id.is_some() {
            sql.push_str(&format!(" AND order_id = ${next}"));
            next += 1;
        }
        sql.push_str(&format!(" ORDER BY id LIMIT ${next}"));
        let mut query = sqlx::query(&sql).bind(company).bind(page.after_raw());
        if let Some(journal) = filter.journal {
            query = query.bind(journal.code());
        }
        if let Some(period) = &filter.period {
            query = query.bind(period.clone());
        }
        if let Some(order) = filter.order_id {
            query = query.bind(order);
        }
        let mut tx = self.db.begin().await?;
        let rows = query.bind(page.fetch_limit()).fetch_all(tx.conn()).await?;
        let mut entries = rows.iter().map(entry_head).collect::<Result<Vec<_>>>()?;
        for entry in &mut entries {
            entry.lines = lines_of(&mut tx, company, entry.id).await?;
        }
        tx.commit().await?;
        Ok(Page::from_rows(entries, page, |entry| entry.id.raw()))
    }

    /// Writes an automatic posting for `company`, opening its books first;
    /// the caller's transaction commits it with what caused it.
    pub(crate) async fn post_automatic_in(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        mut new: NewEntry,
    ) -> Result<Option<EntryId>> {
        let now = self.clock.now();
        crate::chart::open_books_in(tx, company, crate::chart::CHART_DEFAULT, now).await?;
        new.date = first_open_date(tx, company, new.date).await?;
        insert_entry_in(tx, company, new, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(debit: i64, credit: i64, currency: Currency) -> NewLine {
        NewLine {
            account_id: AccountId::from_raw(1),
            currency,
            debit_minor: debit,
            credit_minor: credit,
            memo: String::new(),
        }
    }

    #[test]
    fn an_entry_balances_per_currency_with_one_side_per_line() {
        let cny = Currency::CNY;
        let eur = Currency::EUR;
        assert!(check_balanced(&[line(100, 0, cny), line(0, 100, cny)]).is_ok());
        assert!(
            check_balanced(&[line(100, 0, cny), line(0, 100, eur)]).is_err(),
            "balanced in total but not per currency"
        );
        assert!(check_balanced(&[line(100, 0, cny), line(0, 99, cny)]).is_err());
        assert!(check_balanced(&[line(100, 0, cny)]).is_err());
        assert!(check_balanced(&[line(100, 100, cny), line(0, 0, cny)]).is_err());
        assert!(check_balanced(&[line(-5, 0, cny), line(0, -5, cny)]).is_err());
    }

    #[test]
    fn dates_are_days_of_real_months() {
        assert_eq!(
            period_of(parse_date("date", "2026-02-28").unwrap()),
            "2026-02"
        );
        for bad in ["2026-02-30", "2026-2-01", "2026-02-1", "x", "2026-13-01"] {
            assert!(parse_date("date", bad).is_err(), "{bad}");
        }
    }
}
