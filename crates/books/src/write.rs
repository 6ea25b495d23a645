//! Writing entries: the checks every entry passes before anything is
//! written (lines that balance per currency, accounts of the company's own
//! chart that take lines by hand, an open period), the running numbers, and
//! multi-row inserts, so a batch of entries costs a few statements, not a few
//! per line.

use std::collections::{BTreeMap, HashMap, HashSet};

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Engine, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{BooksError, Result};
use crate::model::{AccountId, AccountRole, EntryId, EntryState, Journal};
use crate::period::{is_locked, period_of};

/// Lines one entry may have.
pub const LINES_MAX: usize = 100;
/// The largest amount on one line, in minor units: a bound on mistakes.
pub const LINE_AMOUNT_MINOR_MAX: i64 = 1_000_000_000_000;
/// The accounts that mirror the ledger and take no lines by hand.
const KEPT_BY_THE_PLATFORM: [AccountRole; 2] = [AccountRole::Wallet, AccountRole::EscrowAdvance];
/// Rows in one INSERT: well inside SQLite's 32,766 and PostgreSQL's 65,535
/// bound parameters at fourteen a row.
const ROWS_PER_STATEMENT: usize = 500;

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

/// Whether an account is active and what it is for, from a row with
/// `active` and `role`.
pub(crate) fn account_use(row: &AnyRow) -> Result<(bool, String)> {
    Ok((
        row.try_get::<i64, _>("active")? == 1,
        row.try_get::<String, _>("role")?,
    ))
}

/// An account a line by hand may use: in the company's chart (`found`),
/// active, and not one of those that mirror the ledger, which move only with
/// it (a line by hand would break the reconciliation).
pub(crate) fn check_account(field: &str, found: Option<(bool, String)>) -> Result<()> {
    match found {
        None => Err(BooksError::invalid(
            field,
            "unknown_account",
            "no such account in your chart",
        )),
        Some((_, role))
            if AccountRole::parse(&role)
                .is_some_and(|role| KEPT_BY_THE_PLATFORM.contains(&role)) =>
        {
            Err(BooksError::invalid(
                field,
                "account_kept_by_platform",
                "this account mirrors your Hanse wallet and escrow and moves only with them",
            ))
        }
        Some((false, _)) => Err(BooksError::invalid(
            field,
            "account_inactive",
            "this account is deactivated",
        )),
        Some((true, _)) => Ok(()),
    }
}

/// Every account of the company's chart, for checking a batch at once.
pub(crate) async fn account_uses_in(
    tx: &mut Tx,
    company: CompanyId,
) -> Result<HashMap<i64, (bool, String)>> {
    let rows = sqlx::query("SELECT id, active, role FROM books_account WHERE company_id = $1")
        .bind(company)
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get::<i64, _>("id")?, account_use(row)?)))
        .collect()
}

/// The company's locked periods.
pub(crate) async fn locked_periods_in(tx: &mut Tx, company: CompanyId) -> Result<HashSet<String>> {
    let rows = sqlx::query("SELECT period FROM books_period_lock WHERE company_id = $1")
        .bind(company)
        .fetch_all(tx.conn())
        .await?;
    rows.iter().map(|row| Ok(row.try_get("period")?)).collect()
}

/// Takes the next `count` entry numbers of the company: the first of them.
async fn take_numbers(tx: &mut Tx, company: CompanyId, count: i64, now: Timestamp) -> Result<i64> {
    let next: i64 = sqlx::query(
        "UPDATE books_company SET next_entry_no = next_entry_no + $1, updated_at = $2
         WHERE company_id = $3 RETURNING next_entry_no",
    )
    .bind(count)
    .bind(now.micros())
    .bind(company)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(BooksError::NotFound("books"))?
    .try_get("next_entry_no")?;
    Ok(next - count)
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
    Ok(write_entries_in(tx, company, &[new], now).await?.pop())
}

/// Writes checked entries inside `tx` with consecutive numbers, a few rows
/// per statement; answers their ids in order. The caller has checked them.
pub(crate) async fn write_entries_in(
    tx: &mut Tx,
    company: CompanyId,
    entries: &[NewEntry],
    now: Timestamp,
) -> Result<Vec<EntryId>> {
    debug_assert!(
        entries
            .iter()
            .all(|entry| check_balanced(&entry.lines).is_ok())
    );
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let first_no = take_numbers(tx, company, entries.len() as i64, now).await?;
    let ids: Vec<EntryId> = entries.iter().map(|_| EntryId::new()).collect();
    let numbered: Vec<(i64, EntryId, &NewEntry)> = entries
        .iter()
        .zip(&ids)
        .enumerate()
        .map(|(index, (entry, id))| (first_no + index as i64, *id, entry))
        .collect();
    let engine = tx.engine();
    for chunk in numbered.chunks(ROWS_PER_STATEMENT) {
        // reversed_by_id is NULL: a new entry is nobody's reversal yet.
        let sql = rows_sql(
            engine,
            "INSERT INTO books_entry (company_id, id, entry_no, journal, entry_date, period, memo, state, source, order_id, reverses_id, posted_at, created_at, updated_at, reversed_by_id) VALUES ",
            14,
            ", NULL",
            chunk.len(),
        );
        let mut query = sqlx::query(&sql);
        for (entry_no, id, entry) in chunk {
            let posted = entry.state == EntryState::Posted;
            query = query
                .bind(company)
                .bind(*id)
                .bind(*entry_no)
                .bind(entry.journal.code())
                .bind(entry.date.micros())
                .bind(period_of(entry.date))
                .bind(entry.memo.as_str())
                .bind(entry.state.code())
                .bind(entry.source.as_str())
                .bind(entry.order_id)
                .bind(entry.reverses.map(EntryId::raw))
                .bind(posted.then_some(now.micros()))
                .bind(now.micros())
                .bind(now.micros());
        }
        query.execute(tx.conn()).await?;
    }
    let lines: Vec<(EntryId, i64, &NewEntry, &NewLine)> = numbered
        .iter()
        .flat_map(|(_, id, entry)| {
            entry
                .lines
                .iter()
                .enumerate()
                .map(move |(index, line)| (*id, index as i64 + 1, *entry, line))
        })
        .collect();
    for chunk in lines.chunks(ROWS_PER_STATEMENT) {
        let sql = rows_sql(
            engine,
            "INSERT INTO books_line (company_id, entry_id, line_no, account_id, currency, debit_minor, credit_minor, memo, posted, entry_date, created_at, updated_at) VALUES ",
            12,
            "",
            chunk.len(),
        );
        let mut query = sqlx::query(&sql);
        for (id, line_no, entry, line) in chunk {
            query = query
                .bind(company)
                .bind(*id)
                .bind(*line_no)
                .bind(line.account_id)
                .bind(line.currency.code())
                .bind(line.debit_minor)
                .bind(line.credit_minor)
                .bind(line.memo.as_str())
                .bind(i64::from(entry.state == EntryState::Posted))
                .bind(entry.date.micros())
                .bind(now.micros())
                .bind(now.micros());
        }
        query.execute(tx.conn()).await?;
    }
    Ok(ids)
}

/// `INSERT ... VALUES (p, p, ...), ...`: `rows` rows of `per_row` bind
/// parameters each, then `tail` (literal columns). The engine's own
/// placeholders (`?` on SQLite, where numbered ones cost time quadratic in
/// their number).
fn rows_sql(engine: Engine, insert: &str, per_row: usize, tail: &str, rows: usize) -> String {
    let mut sql = String::with_capacity(insert.len() + rows * (per_row * 6 + tail.len() + 4));
    sql.push_str(insert);
    let mut next = 1;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..per_row {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&engine.placeholder(next));
            next += 1;
        }
        sql.push_str(tail);
        sql.push(')');
    }
    sql
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
    fn rows_number_their_parameters_on_postgres_only() {
        assert_eq!(
            rows_sql(Engine::Postgres, "INSERT INTO t VALUES ", 2, ", NULL", 2),
            "INSERT INTO t VALUES ($1, $2, NULL), ($3, $4, NULL)"
        );
        assert_eq!(
            rows_sql(Engine::Sqlite, "I ", 3, "", 2),
            "I (?, ?, ?), (?, ?, ?)"
        );
    }
}
