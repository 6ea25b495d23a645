//! Writing entries: the checks every entry passes before anything is
//! written (lines that balance per currency, accounts of the company's own
//! chart that take lines by hand, an open period), the running numbers, and
//! multi-row inserts, so a batch of entries costs a few statements, not a few
//! per line.

use std::collections::{BTreeMap, HashMap, HashSet};

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Engine, Timestamp};
use sqlx::Row;
use sqlx::any::{AnyArguments, AnyRow};

use crate::error::{BooksError, Result};
use crate::exchange::{OpenItem, add_exchange_difference_in, value_cleared_lines_in};
use crate::functional::{RateSource, value_lines_in};
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
    /// Its value in the functional currency, debit positive; `None` until
    /// valued at the rate of its entry's day (`functional::value_lines_in`).
    pub functional_minor: Option<i64>,
    /// The open item it clears, so that it takes the value the item was
    /// booked at (`exchange`).
    pub clears: Option<OpenItem>,
}

/// The invariant of double entry, checked before every write: each line is
/// a positive debit or a positive credit (or, made by the books only, an
/// exchange difference: no amount, a value in the functional currency), and
/// per currency the debits equal the credits.
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
        let value_only = line.debit_minor == 0
            && line.credit_minor == 0
            && line.functional_minor.is_some_and(|value| value != 0);
        if !one_side && !value_only {
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
    // What a member writes is valued at its own rates; the deal's postings
    // (with a source) at the platform's where it set none.
    let source = if new.source.is_empty() {
        RateSource::Member
    } else {
        RateSource::MemberOrReference
    };
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
    let mut entries = [new];
    value_cleared_lines_in(tx, company, &mut entries[0]).await?;
    value_lines_in(tx, company, &mut entries, source).await?;
    add_exchange_difference_in(tx, company, &mut entries[0], now).await?;
    Ok(write_entries_in(tx, company, &entries, now).await?.pop())
}

/// Writes checked entries inside `tx` with consecutive numbers; answers
/// their ids in order.
pub(crate) async fn write_entries_in(
    tx: &mut Tx,
    company: CompanyId,
    entries: &[NewEntry],
    now: Timestamp,
) -> Result<Vec<EntryId>> {
    EntryWrites::build(tx.engine(), company, entries, now)
        .run(tx)
        .await
}

/// One statement with its arguments, owned, so it can be built before the
/// transaction that runs it.
type Statement = (String, AnyArguments<'static>);

/// The statements that write a batch of checked entries, the lines' and the
/// balances' built before its transaction begins, so the one writer runs them
/// back to back; the entries' own rows take their numbers inside it.
pub(crate) struct EntryWrites {
    company: CompanyId,
    count: i64,
    now: Timestamp,
    ids: Vec<EntryId>,
    /// The entries' own rows wait for their numbers.
    heads: Vec<EntryHead>,
    /// The lines and the balances per month.
    statements: Vec<Statement>,
}

/// What an entry's own row holds besides its number.
struct EntryHead {
    id: EntryId,
    journal: &'static str,
    date: Timestamp,
    memo: String,
    state: EntryState,
    source: String,
    order_id: Option<i64>,
    reverses: Option<EntryId>,
}

impl EntryWrites {
    pub(crate) fn build(
        engine: Engine,
        company: CompanyId,
        entries: &[NewEntry],
        now: Timestamp,
    ) -> EntryWrites {
        debug_assert!(entries.iter().all(|entry| {
            check_balanced(&entry.lines).is_ok()
                && entry
                    .lines
                    .iter()
                    .map(|line| line.functional_minor)
                    .sum::<Option<i64>>()
                    == Some(0)
        }));
        let count = entries.len() as i64;
        let ids: Vec<EntryId> = entries.iter().map(|_| EntryId::new()).collect();
        let mut statements = Vec::new();
        let heads = entries
            .iter()
            .zip(&ids)
            .map(|(entry, id)| EntryHead {
                id: *id,
                journal: entry.journal.code(),
                date: entry.date,
                memo: entry.memo.clone(),
                state: entry.state,
                source: entry.source.clone(),
                order_id: entry.order_id,
                reverses: entry.reverses,
            })
            .collect();
        let numbered: Vec<(i64, EntryId, &NewEntry)> = entries
            .iter()
            .zip(&ids)
            .enumerate()
            .map(|(index, (entry, id))| (index as i64, *id, entry))
            .collect();
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
            let sql = kernel::db::values_sql(
                engine,
                "INSERT INTO books_line (company_id, entry_id, line_no, account_id, currency, debit_minor, credit_minor, memo, posted, entry_date, functional_minor, created_at, updated_at) VALUES ",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                chunk.len(),
            );
            let mut arguments = AnyArguments::default();
            for (id, line_no, entry, line) in chunk {
                kernel::db::push_argument(&mut arguments, company);
                kernel::db::push_argument(&mut arguments, *id);
                kernel::db::push_argument(&mut arguments, *line_no);
                kernel::db::push_argument(&mut arguments, line.account_id);
                kernel::db::push_argument(&mut arguments, line.currency.code());
                kernel::db::push_argument(&mut arguments, line.debit_minor);
                kernel::db::push_argument(&mut arguments, line.credit_minor);
                kernel::db::push_argument(&mut arguments, line.memo.clone());
                kernel::db::push_argument(
                    &mut arguments,
                    i64::from(entry.state == EntryState::Posted),
                );
                kernel::db::push_argument(&mut arguments, entry.date.micros());
                kernel::db::push_argument(&mut arguments, line.functional_minor.unwrap_or(0));
                kernel::db::push_argument(&mut arguments, now.micros());
                kernel::db::push_argument(&mut arguments, now.micros());
            }
            statements.push((sql, arguments));
        }
        let posted = entries
            .iter()
            .filter(|entry| entry.state == EntryState::Posted)
            .map(|entry| (period_of(entry.date), entry.lines.as_slice()));
        statements.extend(balance_statements(engine, company, posted, now));
        EntryWrites {
            company,
            count,
            now,
            ids,
            heads,
            statements,
        }
    }

    /// Takes the numbers and writes everything inside `tx`.
    pub(crate) async fn run(self, tx: &mut Tx) -> Result<Vec<EntryId>> {
        if self.count == 0 {
            return Ok(self.ids);
        }
        // Moving the counter first locks the company's row on PostgreSQL, so
        // two batches never take the same numbers.
        let next: i64 = sqlx::query(
            "UPDATE books_company SET next_entry_no = next_entry_no + $1, updated_at = $2
             WHERE company_id = $3 RETURNING next_entry_no",
        )
        .bind(self.count)
        .bind(self.now.micros())
        .bind(self.company)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(BooksError::NotFound("books"))?
        .try_get("next_entry_no")?;
        let first_no = next - self.count;
        let engine = tx.engine();
        for (chunk_index, chunk) in self.heads.chunks(ROWS_PER_STATEMENT).enumerate() {
            // reversed_by_id is NULL: a new entry is nobody's reversal yet.
            let sql = kernel::db::values_sql(
                engine,
                "INSERT INTO books_entry (company_id, id, entry_no, journal, entry_date, period, memo, state, source, order_id, reverses_id, posted_at, created_at, updated_at, reversed_by_id) VALUES ",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                chunk.len(),
            );
            let mut query = sqlx::query(&sql);
            for (index, head) in chunk.iter().enumerate() {
                let entry_no = first_no + (chunk_index * ROWS_PER_STATEMENT + index) as i64;
                let posted = head.state == EntryState::Posted;
                query = query
                    .bind(self.company)
                    .bind(head.id)
                    .bind(entry_no)
                    .bind(head.journal)
                    .bind(head.date.micros())
                    .bind(period_of(head.date))
                    .bind(head.memo.as_str())
                    .bind(head.state.code())
                    .bind(head.source.as_str())
                    .bind(head.order_id)
                    .bind(head.reverses.map(EntryId::raw))
                    .bind(posted.then_some(self.now.micros()))
                    .bind(self.now.micros())
                    .bind(self.now.micros());
            }
            query.execute(tx.conn()).await?;
        }
        for (sql, arguments) in self.statements {
            sqlx::query_with(&sql, arguments).execute(tx.conn()).await?;
        }
        Ok(self.ids)
    }
}

/// Adds posted lines to the company's balances per month, account and
/// currency, inside `tx`.
pub(crate) async fn add_to_balances_in<'a>(
    tx: &mut Tx,
    company: CompanyId,
    posted: impl Iterator<Item = (String, &'a [NewLine])>,
    now: Timestamp,
) -> Result<()> {
    for (sql, arguments) in balance_statements(tx.engine(), company, posted, now) {
        sqlx::query_with(&sql, arguments).execute(tx.conn()).await?;
    }
    Ok(())
}

/// The upserts that add posted lines to the balances per month: summed here
/// first, then one statement per few hundred keys.
fn balance_statements<'a>(
    engine: Engine,
    company: CompanyId,
    posted: impl Iterator<Item = (String, &'a [NewLine])>,
    now: Timestamp,
) -> Vec<Statement> {
    let mut sums: BTreeMap<(String, i64, &'static str), (i64, i64, i64)> = BTreeMap::new();
    for (period, lines) in posted {
        for line in lines {
            let sum = sums
                .entry((period.clone(), line.account_id.raw(), line.currency.code()))
                .or_default();
            sum.0 += line.debit_minor;
            sum.1 += line.credit_minor;
            sum.2 += line.functional_minor.unwrap_or(0);
        }
    }
    let sums: Vec<_> = sums.into_iter().collect();
    sums.chunks(ROWS_PER_STATEMENT)
        .map(|chunk| {
            let mut sql = kernel::db::values_sql(
                engine,
                "INSERT INTO books_balance (company_id, period, account_id, currency, debit_minor, credit_minor, functional_minor, created_at, updated_at) VALUES ",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                chunk.len(),
            );
            sql.push_str(
                " ON CONFLICT (company_id, period, account_id, currency) DO UPDATE SET
                   debit_minor = books_balance.debit_minor + excluded.debit_minor,
                   credit_minor = books_balance.credit_minor + excluded.credit_minor,
                   functional_minor = books_balance.functional_minor + excluded.functional_minor,
                   updated_at = excluded.updated_at",
            );
            let mut arguments = AnyArguments::default();
            for ((period, account_id, currency), (debits, credits, functional)) in chunk {
                kernel::db::push_argument(&mut arguments, company);
                kernel::db::push_argument(&mut arguments, period.clone());
                kernel::db::push_argument(&mut arguments, *account_id);
                kernel::db::push_argument(&mut arguments, *currency);
                kernel::db::push_argument(&mut arguments, *debits);
                kernel::db::push_argument(&mut arguments, *credits);
                kernel::db::push_argument(&mut arguments, *functional);
                kernel::db::push_argument(&mut arguments, now.micros());
                kernel::db::push_argument(&mut arguments, now.micros());
            }
            (sql, arguments)
        })
        .collect()
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
            functional_minor: None,
            clears: None,
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
    fn only_an_exchange_difference_moves_no_amount() {
        let usd = Currency::USD;
        let valued = |line: NewLine, value: i64| NewLine {
            functional_minor: Some(value),
            ..line
        };
        let entry = [
            valued(line(100, 0, usd), 720),
            valued(line(0, 100, usd), -700),
            valued(line(0, 0, usd), -20),
        ];
        assert!(check_balanced(&entry).is_ok(), "as written, or reversed");
        assert!(check_balanced(&[line(100, 0, usd), line(0, 100, usd), line(0, 0, usd)]).is_err());
        let nothing = [
            entry[0].clone(),
            entry[1].clone(),
            valued(line(0, 0, usd), 0),
        ];
        assert!(check_balanced(&nothing).is_err());
    }
}
