//! The reports, derived from the posted lines and never stored: the trial
//! balance, profit and loss over a range, and the balance sheet at a date.
//! Each is per currency, and in the functional currency as a whole: every
//! line carries its value in it (`functional.rs`), so the sums need no rate.

use std::collections::BTreeMap;

use kernel::{Currency, Scope, Timestamp};
use serde::Serialize;
use sqlx::Row;

use crate::chart::{ACCOUNT_COLUMNS, ACCOUNTS_MAX, account};
use crate::error::{BooksError, Result};
use crate::model::{Account, AccountId, AccountKind};
use crate::period::{next_period_start, period_of, period_start};
use crate::{Books, may_view_books};

/// A range of entry dates: from `from` (inclusive) to `to` (exclusive);
/// either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportRange {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// One account's movement in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountBalance {
    pub account_id: AccountId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: AccountKind,
    pub currency: Currency,
    pub debit_minor: i64,
    pub credit_minor: i64,
    /// In the account's normal direction: debits less credits for assets and
    /// expenses, credits less debits for the rest.
    pub balance_minor: i64,
    /// `balance_minor`'s value in the functional currency, in the same
    /// direction.
    pub functional_balance_minor: i64,
}

/// Debits and credits of one currency, which a trial balance shows equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = CurrencyDebitsCredits)]
pub struct CurrencyTotals {
    pub currency: Currency,
    pub debit_minor: i64,
    pub credit_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TrialBalance {
    pub lines: Vec<AccountBalance>,
    pub totals: Vec<CurrencyTotals>,
    /// Every account's value netted in the functional currency: its debit
    /// balances and its credit balances, equal.
    pub functional_totals: CurrencyTotals,
}

/// Profit of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProfitLine {
    pub currency: Currency,
    pub revenue_minor: i64,
    pub expenses_minor: i64,
    pub profit_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProfitAndLoss {
    /// The revenue and expense accounts that moved.
    pub lines: Vec<AccountBalance>,
    pub totals: Vec<ProfitLine>,
    /// All currencies together, in the functional currency.
    pub functional_total: ProfitLine,
}

/// The balance sheet's sums of one currency: assets equal liabilities,
/// equity and the earnings not yet closed into equity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BalanceLine {
    pub currency: Currency,
    pub assets_minor: i64,
    pub liabilities_minor: i64,
    pub equity_minor: i64,
    pub earnings_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BalanceSheet {
    /// The asset, liability and equity accounts with a balance.
    pub lines: Vec<AccountBalance>,
    pub totals: Vec<BalanceLine>,
    /// All currencies together, in the functional currency.
    pub functional_total: BalanceLine,
}

impl Books {
    /// Every account's debits and credits over `range`, per currency.
    pub async fn trial_balance(&self, scope: &Scope, range: ReportRange) -> Result<TrialBalance> {
        let (lines, functional) = self.balances(scope, range).await?;
        let mut totals: BTreeMap<&'static str, CurrencyTotals> = BTreeMap::new();
        for line in &lines {
            let total = totals
                .entry(line.currency.code())
                .or_insert_with(|| CurrencyTotals {
                    currency: line.currency,
                    debit_minor: 0,
                    credit_minor: 0,
                });
            total.debit_minor += line.debit_minor;
            total.credit_minor += line.credit_minor;
        }
        let totals: Vec<CurrencyTotals> = totals.into_values().collect();
        // Every posted entry balanced per currency, so the sums do.
        debug_assert!(totals.iter().all(|t| t.debit_minor == t.credit_minor));
        let mut net_by_account: BTreeMap<i64, i64> = BTreeMap::new();
        for line in &lines {
            let debit_positive = if line.kind.debit_normal() {
                line.functional_balance_minor
            } else {
                -line.functional_balance_minor
            };
            *net_by_account.entry(line.account_id.raw()).or_default() += debit_positive;
        }
        let functional_totals = CurrencyTotals {
            currency: functional,
            debit_minor: net_by_account.values().filter(|net| **net > 0).sum(),
            credit_minor: -net_by_account.values().filter(|net| **net < 0).sum::<i64>(),
        };
        // Every posted entry balanced in the functional currency too.
        debug_assert_eq!(
            functional_totals.debit_minor,
            functional_totals.credit_minor
        );
        Ok(TrialBalance {
            lines,
            totals,
            functional_totals,
        })
    }

    /// Revenue less expenses over `range`, per currency.
    pub async fn profit_and_loss(
        &self,
        scope: &Scope,
        range: ReportRange,
    ) -> Result<ProfitAndLoss> {
        let (lines, functional) = self.balances(scope, range).await?;
        let lines: Vec<AccountBalance> = lines
            .into_iter()
            .filter(|line| matches!(line.kind, AccountKind::Revenue | AccountKind::Expense))
            .collect();
        let mut totals: BTreeMap<&'static str, ProfitLine> = BTreeMap::new();
        for line in &lines {
            let total = totals
                .entry(line.currency.code())
                .or_insert_with(|| ProfitLine {
                    currency: line.currency,
                    revenue_minor: 0,
                    expenses_minor: 0,
                    profit_minor: 0,
                });
            match line.kind {
                AccountKind::Revenue => total.revenue_minor += line.balance_minor,
                _ => total.expenses_minor += line.balance_minor,
            }
            total.profit_minor = total.revenue_minor - total.expenses_minor;
        }
        let mut functional_total = ProfitLine {
            currency: functional,
            revenue_minor: 0,
            expenses_minor: 0,
            profit_minor: 0,
        };
        for line in &lines {
            match line.kind {
                AccountKind::Revenue => {
                    functional_total.revenue_minor += line.functional_balance_minor
                }
                _ => functional_total.expenses_minor += line.functional_balance_minor,
            }
        }
        functional_total.profit_minor =
            functional_total.revenue_minor - functional_total.expenses_minor;
        Ok(ProfitAndLoss {
            lines,
            totals: totals.into_values().collect(),
            functional_total,
        })
    }

    /// Assets, liabilities and equity at the start of `at` (everything
    /// posted before it), per currency.
    pub async fn balance_sheet(
        &self,
        scope: &Scope,
        at: Option<Timestamp>,
    ) -> Result<BalanceSheet> {
        let range = ReportRange { from: None, to: at };
        let (all, functional) = self.balances(scope, range).await?;
        let mut functional_total = BalanceLine {
            currency: functional,
            assets_minor: 0,
            liabilities_minor: 0,
            equity_minor: 0,
            earnings_minor: 0,
        };
        for line in &all {
            let value = line.functional_balance_minor;
            match line.kind {
                AccountKind::Asset => functional_total.assets_minor += value,
                AccountKind::Liability => functional_total.liabilities_minor += value,
                AccountKind::Equity => functional_total.equity_minor += value,
                AccountKind::Revenue => functional_total.earnings_minor += value,
                AccountKind::Expense => functional_total.earnings_minor -= value,
            }
        }
        let mut totals: BTreeMap<&'static str, BalanceLine> = BTreeMap::new();
        for line in &all {
            let total = totals
                .entry(line.currency.code())
                .or_insert_with(|| BalanceLine {
                    currency: line.currency,
                    assets_minor: 0,
                    liabilities_minor: 0,
                    equity_minor: 0,
                    earnings_minor: 0,
                });
            match line.kind {
                AccountKind::Asset => total.assets_minor += line.balance_minor,
                AccountKind::Liability => total.liabilities_minor += line.balance_minor,
                AccountKind::Equity => total.equity_minor += line.balance_minor,
                AccountKind::Revenue => total.earnings_minor += line.balance_minor,
                AccountKind::Expense => total.earnings_minor -= line.balance_minor,
            }
        }
        let totals: Vec<BalanceLine> = totals.into_values().collect();
        debug_assert!(totals.iter().all(|t| {
            t.assets_minor == t.liabilities_minor + t.equity_minor + t.earnings_minor
        }));
        Ok(BalanceSheet {
            lines: all
                .into_iter()
                .filter(|line| {
                    matches!(
                        line.kind,
                        AccountKind::Asset | AccountKind::Liability | AccountKind::Equity
                    ) && (line.balance_minor != 0 || line.functional_balance_minor != 0)
                })
                .collect(),
            totals,
            functional_total,
        })
    }

    /// The posted movement of every account and currency over `range`, by
    /// account code, and the functional currency they are valued in.
    pub(crate) async fn balances(
        &self,
        scope: &Scope,
        range: ReportRange,
    ) -> Result<(Vec<AccountBalance>, Currency)> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let accounts: BTreeMap<i64, Account> = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM books_account WHERE company_id = $1 LIMIT $2"
        ))
        .bind(company)
        .bind(ACCOUNTS_MAX)
        .fetch_all(self.db.reader())
        .await?
        .iter()
        .map(|row| account(row).map(|account| (account.id.raw(), account)))
        .collect::<Result<_>>()?;
        let functional = self.ensure_open(company).await?.functional_currency;
        let mut sums: BTreeMap<(i64, &'static str), Sum> = BTreeMap::new();
        let plan = ReadPlan::of(range);
        if let Some((first, last)) = &plan.months {
            let rows = sqlx::query(
                "SELECT account_id, currency, CAST(SUM(debit_minor) AS BIGINT) AS debits,
                        CAST(SUM(credit_minor) AS BIGINT) AS credits,
                        CAST(SUM(functional_minor) AS BIGINT) AS functional
                 FROM books_balance
                 WHERE company_id = $1 AND period >= $2 AND period < $3
                 GROUP BY account_id, currency",
            )
            .bind(company)
            .bind(first.as_str())
            .bind(last.as_str())
            .fetch_all(self.db.reader())
            .await?;
            add_rows(&mut sums, &rows)?;
        }
        for (from, to) in &plan.days {
            let rows = sqlx::query(
                "SELECT account_id, currency, CAST(SUM(debit_minor) AS BIGINT) AS debits,
                        CAST(SUM(credit_minor) AS BIGINT) AS credits,
                        CAST(SUM(functional_minor) AS BIGINT) AS functional
                 FROM books_line
                 WHERE company_id = $1 AND posted = 1 AND entry_date >= $2 AND entry_date < $3
                 GROUP BY account_id, currency",
            )
            .bind(company)
            .bind(from)
            .bind(to)
            .fetch_all(self.db.reader())
            .await?;
            add_rows(&mut sums, &rows)?;
        }
        let mut lines = Vec::with_capacity(sums.len());
        for ((account_id, _), (currency, debit_minor, credit_minor, functional_minor)) in sums {
            let account = accounts
                .get(&account_id)
                .ok_or_else(|| kernel::StorageError::corrupt("line's account", account_id))?;
            lines.push(AccountBalance {
                account_id: account.id,
                code: account.code.clone(),
                name_zh: account.name_zh.clone(),
                name_en: account.name_en.clone(),
                kind: account.kind,
                currency,
                debit_minor,
                credit_minor,
                balance_minor: if account.kind.debit_normal() {
                    debit_minor - credit_minor
                } else {
                    credit_minor - debit_minor
                },
                functional_balance_minor: if account.kind.debit_normal() {
                    functional_minor
                } else {
                    -functional_minor
                },
            });
        }
        lines.sort_by(|a, b| (&a.code, a.currency.code()).cmp(&(&b.code, b.currency.code())));
        Ok((lines, functional))
    }
}

/// An account's sums in one currency: debits, credits, and their value in
/// the functional currency (debit positive).
type Sum = (Currency, i64, i64, i64);

/// Adds summed rows (`account_id`, `currency`, `debits`, `credits`,
/// `functional`) in.
fn add_rows(
    sums: &mut BTreeMap<(i64, &'static str), Sum>,
    rows: &[sqlx::any::AnyRow],
) -> Result<()> {
    for row in rows {
        let currency = crate::rows::currency(row)?;
        let sum = sums
            .entry((row.try_get("account_id")?, currency.code()))
            .or_insert((currency, 0, 0, 0));
        sum.1 += row.try_get::<i64, _>("debits")?;
        sum.2 += row.try_get::<i64, _>("credits")?;
        sum.3 += row.try_get::<i64, _>("functional")?;
    }
    Ok(())
}

/// How a range is read: the whole months in it from the balances per month
/// (`[first, last)` as `YYYY-MM`), the days at either end that do not fill a
/// month from the lines (`[from, to)` in microseconds).
#[derive(Debug, PartialEq, Eq)]
struct ReadPlan {
    months: Option<(String, String)>,
    days: Vec<(i64, i64)>,
}

impl ReadPlan {
    fn of(range: ReportRange) -> ReadPlan {
        // Below and above every period a YYYY-MM can name.
        const BEFORE_ALL: &str = "";
        const AFTER_ALL: &str = "~";
        let mut days = Vec::new();
        let first = match range.from {
            None => BEFORE_ALL.to_owned(),
            Some(from) => {
                let period = period_of(from);
                if period_start(&period) == Some(from) {
                    period
                } else {
                    match next_period_start(&period) {
                        Some(next) => {
                            days.push((from.micros(), next.micros()));
                            period_of(next)
                        }
                        None => AFTER_ALL.to_owned(),
                    }
                }
            }
        };
        let last = match range.to {
            None => AFTER_ALL.to_owned(),
            Some(to) => {
                let period = period_of(to);
                if let Some(start) = period_start(&period)
                    && start != to
                {
                    days.push((start.micros(), to.micros()));
                }
                period
            }
        };
        if first < last {
            return ReadPlan {
                months: Some((first, last)),
                days,
            };
        }
        // Within one month: the lines alone, once.
        ReadPlan {
            months: None,
            days: vec![(
                range.from.map_or(i64::MIN, Timestamp::micros),
                range.to.map_or(i64::MAX, Timestamp::micros),
            )],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Timestamp {
        crate::parse_date("day", text).unwrap()
    }

    #[test]
    fn whole_months_come_from_the_balances_and_the_rest_from_the_lines() {
        let plan = ReadPlan::of(ReportRange::default());
        assert_eq!(plan.months, Some((String::new(), "~".to_owned())));
        assert!(plan.days.is_empty());

        let plan = ReadPlan::of(ReportRange {
            from: Some(day("2026-01-01")),
            to: Some(day("2026-04-01")),
        });
        assert_eq!(
            plan.months,
            Some(("2026-01".to_owned(), "2026-04".to_owned()))
        );
        assert!(plan.days.is_empty());

        let plan = ReadPlan::of(ReportRange {
            from: Some(day("2026-01-15")),
            to: Some(day("2026-04-10")),
        });
        assert_eq!(
            plan.months,
            Some(("2026-02".to_owned(), "2026-04".to_owned()))
        );
        assert_eq!(
            plan.days,
            vec![
                (day("2026-01-15").micros(), day("2026-02-01").micros()),
                (day("2026-04-01").micros(), day("2026-04-10").micros()),
            ]
        );

        let plan = ReadPlan::of(ReportRange {
            from: Some(day("2026-03-05")),
            to: Some(day("2026-03-20")),
        });
        assert_eq!(plan.months, None);
        assert_eq!(
            plan.days,
            vec![(day("2026-03-05").micros(), day("2026-03-20").micros())]
        );

        let plan = ReadPlan::of(ReportRange {
            from: None,
            to: Some(day("2026-03-20")),
        });
        assert_eq!(plan.months, Some((String::new(), "2026-03".to_owned())));
        assert_eq!(
            plan.days,
            vec![(day("2026-03-01").micros(), day("2026-03-20").micros())]
        );
    }
}
