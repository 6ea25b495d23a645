//! The general ledger of one account: its balance before a range, every
//! posted line in the range in date order with the running balance, and its
//! balance at the end. An accountant reads it to see why an account stands
//! where it does.

use std::collections::BTreeMap;

use kernel::{Currency, Scope, Timestamp};
use serde::Serialize;
use sqlx::Row;

use crate::chart::{ACCOUNT_COLUMNS, account};
use crate::error::{BooksError, Result};
use crate::model::{Account, AccountId, EntryId};
use crate::reports::ReportRange;
use crate::{Books, may_view_books};

/// Lines one general ledger shows; a longer range is cut and says so, the
/// balances stay exact.
pub const GENERAL_LEDGER_LINES_MAX: i64 = 1_000;

/// An amount of one currency, in the account's normal direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CurrencyBalance {
    pub currency: Currency,
    pub balance_minor: i64,
}

/// One posted line of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LedgerLine {
    pub entry_id: EntryId,
    pub entry_no: i64,
    pub date: Timestamp,
    /// The entry's memo, or the line's where it has its own.
    pub memo: String,
    pub currency: Currency,
    pub debit_minor: i64,
    pub credit_minor: i64,
    /// The account's balance in this currency after the line.
    pub balance_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GeneralLedger {
    pub account: Account,
    /// Before the range starts.
    pub opening: Vec<CurrencyBalance>,
    pub lines: Vec<LedgerLine>,
    /// At the end of the range, counting lines beyond the cut too.
    pub closing: Vec<CurrencyBalance>,
    /// More than `GENERAL_LEDGER_LINES_MAX` lines fell in the range; narrow it
    /// to see the rest.
    pub truncated: bool,
}

impl Books {
    /// The general ledger of `account_id` over `range`.
    pub async fn general_ledger(
        &self,
        scope: &Scope,
        account_id: AccountId,
        range: ReportRange,
    ) -> Result<GeneralLedger> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM books_account WHERE company_id = $1 AND id = $2"
        ))
        .bind(company)
        .bind(account_id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(BooksError::NotFound("account"))?;
        let account = account(&row)?;
        let from = range.from.map_or(i64::MIN, Timestamp::micros);
        let to = range.to.map_or(i64::MAX, Timestamp::micros);
        let normal = |debit: i64, credit: i64| {
            if account.kind.debit_normal() {
                debit - credit
            } else {
                credit - debit
            }
        };
        let sums = |from: i64, to: i64| {
            sqlx::query(
                "SELECT currency, CAST(SUM(debit_minor) AS BIGINT) AS debits,
                        CAST(SUM(credit_minor) AS BIGINT) AS credits
                 FROM books_line
                 WHERE company_id = $1 AND account_id = $2 AND posted = 1
                   AND entry_date >= $3 AND entry_date < $4
                 GROUP BY currency",
            )
            .bind(company)
            .bind(account_id)
            .bind(from)
            .bind(to)
            .fetch_all(self.db.reader())
        };
        let mut opening = BTreeMap::new();
        for row in sums(i64::MIN, from).await? {
            let currency = crate::rows::currency(&row)?;
            opening.insert(
                currency.code(),
                (
                    currency,
                    normal(row.try_get("debits")?, row.try_get("credits")?),
                ),
            );
        }
        let mut closing = opening.clone();
        for row in sums(from, to).await? {
            let currency = crate::rows::currency(&row)?;
            let moved = normal(row.try_get("debits")?, row.try_get("credits")?);
            closing.entry(currency.code()).or_insert((currency, 0)).1 += moved;
        }
        let rows = sqlx::query(
            "SELECT l.entry_id, e.entry_no, l.entry_date, e.memo AS entry_memo, l.memo,
                    l.currency, l.debit_minor, l.credit_minor
             FROM books_line l
             JOIN books_entry e ON e.company_id = l.company_id AND e.id = l.entry_id
             WHERE l.company_id = $1 AND l.account_id = $2 AND l.posted = 1
               AND l.entry_date >= $3 AND l.entry_date < $4
             ORDER BY l.entry_date, l.entry_id, l.line_no
             LIMIT $5",
        )
        .bind(company)
        .bind(account_id)
        .bind(from)
        .bind(to)
        .bind(GENERAL_LEDGER_LINES_MAX + 1)
        .fetch_all(self.db.reader())
        .await?;
        let truncated = rows.len() as i64 > GENERAL_LEDGER_LINES_MAX;
        let mut running = opening.clone();
        let mut lines = Vec::with_capacity(rows.len());
        for row in rows.iter().take(GENERAL_LEDGER_LINES_MAX as usize) {
            let currency = crate::rows::currency(row)?;
            let debit_minor: i64 = row.try_get("debit_minor")?;
            let credit_minor: i64 = row.try_get("credit_minor")?;
            let balance = &mut running.entry(currency.code()).or_insert((currency, 0)).1;
            *balance += normal(debit_minor, credit_minor);
            let line_memo: String = row.try_get("memo")?;
            lines.push(LedgerLine {
                entry_id: EntryId::from_raw(row.try_get("entry_id")?),
                entry_no: row.try_get("entry_no")?,
                date: Timestamp::from_micros(row.try_get("entry_date")?),
                memo: if line_memo.is_empty() {
                    row.try_get("entry_memo")?
                } else {
                    line_memo
                },
                currency,
                debit_minor,
                credit_minor,
                balance_minor: *balance,
            });
        }
        let listed = |map: BTreeMap<&'static str, (Currency, i64)>| {
            map.into_values()
                .map(|(currency, balance_minor)| CurrencyBalance {
                    currency,
                    balance_minor,
                })
                .collect()
        };
        Ok(GeneralLedger {
            account,
            opening: listed(opening),
            lines,
            closing: listed(closing),
            truncated,
        })
    }
}
