//! Realised exchange differences. A line that clears what an order or an
//! invoice left open (a receivable, a payable, an advance) takes the
//! functional value the item was booked at, pro rata of what it clears,
//! not the value of the day; whatever that leaves of the entry out of
//! balance in the functional currency is the gain or loss the rate's move
//! made real, and goes to the exchange-differences account on a line that
//! moves no amount of its own currency.

use kernel::db::Tx;
use kernel::{CompanyId, Timestamp};
use sqlx::Row;

use crate::chart::account_of_role_or_template;
use crate::error::Result;
use crate::functional::round_div;
use crate::model::{AccountRole, EntryId};
use crate::rates::functional_currency_in;
use crate::write::{NewEntry, NewLine};

/// What a clearing line clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenItem {
    /// What the order's posted entries booked on the line's account, less
    /// what they cleared of it.
    Order(i64),
    /// What an invoice's entry booked on the line's account, of which
    /// `settled_before` was settled (by payments and credit notes).
    Invoice {
        entry_id: EntryId,
        settled_before: i64,
    },
}

/// An open item as booked: its amount (positive), its functional value
/// (debit positive) and how much of the amount was cleared before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Booked {
    amount: i64,
    value: i64,
    cleared: i64,
}

/// The functional value of clearing `amount` more of `booked`, debit
/// positive: the booked value's share as a running total, so the clearings
/// of a whole item add up to exactly its booked value. `None` when the item
/// was not booked, or not for that much: then the day's rate values it.
fn cleared_value(booked: Booked, amount: i64) -> Option<i64> {
    if booked.amount <= 0 || amount > booked.amount - booked.cleared {
        return None;
    }
    let share = |cleared: i64| {
        round_div(
            i128::from(booked.value) * i128::from(cleared),
            i128::from(booked.amount),
        )
    };
    // The clearing is on the other side: the negative of the booked share.
    Some(-(share(booked.cleared + amount) - share(booked.cleared)) as i64)
}

async fn booked_in(
    tx: &mut Tx,
    company: CompanyId,
    line: &NewLine,
    item: OpenItem,
) -> Result<Booked> {
    // The item was booked on the side this line clears from.
    let booked_side = if line.credit_minor > 0 {
        "l.debit_minor"
    } else {
        "l.credit_minor"
    };
    let cleared_side = if line.credit_minor > 0 {
        "l.credit_minor"
    } else {
        "l.debit_minor"
    };
    let sums = format!(
        "CAST(COALESCE(SUM({booked_side}), 0) AS BIGINT) AS amount,
         CAST(COALESCE(SUM(CASE WHEN {booked_side} > 0 THEN l.functional_minor ELSE 0 END), 0) AS BIGINT) AS value,
         CAST(COALESCE(SUM({cleared_side}), 0) AS BIGINT) AS cleared"
    );
    let row = match item {
        OpenItem::Order(order) => {
            sqlx::query(&format!(
                "SELECT {sums} FROM books_entry e
                 JOIN books_line l ON l.company_id = e.company_id AND l.entry_id = e.id
                 WHERE e.company_id = $1 AND e.order_id = $2 AND e.state = 'posted'
                   AND e.reversed_by_id IS NULL AND l.account_id = $3 AND l.currency = $4"
            ))
            .bind(company)
            .bind(order)
            .bind(line.account_id)
            .bind(line.currency.code())
            .fetch_one(tx.conn())
            .await?
        }
        OpenItem::Invoice { entry_id, .. } => {
            sqlx::query(&format!(
                "SELECT {sums} FROM books_line l
                 WHERE l.company_id = $1 AND l.entry_id = $2 AND l.account_id = $3 AND l.currency = $4"
            ))
            .bind(company)
            .bind(entry_id)
            .bind(line.account_id)
            .bind(line.currency.code())
            .fetch_one(tx.conn())
            .await?
        }
    };
    let cleared = match item {
        OpenItem::Order(_) => row.try_get("cleared")?,
        OpenItem::Invoice { settled_before, .. } => settled_before,
    };
    Ok(Booked {
        amount: row.try_get("amount")?,
        value: row.try_get("value")?,
        cleared,
    })
}

/// Values the clearing lines of `entry` in a currency other than the
/// functional one at what their items were booked at; the rest are valued
/// at the day's rate after.
pub(crate) async fn value_cleared_lines_in(
    tx: &mut Tx,
    company: CompanyId,
    entry: &mut NewEntry,
) -> Result<()> {
    if entry.lines.iter().all(|line| line.clears.is_none()) {
        return Ok(());
    }
    let functional = functional_currency_in(tx, company).await?;
    for index in 0..entry.lines.len() {
        let line = &entry.lines[index];
        let Some(item) = line.clears else { continue };
        if line.currency == functional || line.functional_minor.is_some() {
            continue;
        }
        let booked = booked_in(tx, company, line, item).await?;
        let amount = line.debit_minor.max(line.credit_minor);
        entry.lines[index].functional_minor = cleared_value(booked, amount);
    }
    Ok(())
}

/// Adds the exchange difference to a valued `entry` with clearing lines
/// that no longer balances in the functional currency.
pub(crate) async fn add_exchange_difference_in(
    tx: &mut Tx,
    company: CompanyId,
    entry: &mut NewEntry,
    now: Timestamp,
) -> Result<()> {
    let Some(currency) = entry
        .lines
        .iter()
        .find(|line| line.clears.is_some())
        .map(|line| line.currency)
    else {
        return Ok(());
    };
    let out_of_balance: i64 = entry
        .lines
        .iter()
        .map(|line| line.functional_minor.unwrap_or(0))
        .sum();
    if out_of_balance == 0 {
        return Ok(());
    }
    let account_id =
        account_of_role_or_template(tx, company, AccountRole::ExchangeDifferences, now).await?;
    entry.lines.push(NewLine {
        account_id,
        currency,
        debit_minor: 0,
        credit_minor: 0,
        memo: "汇兑损益 · Exchange difference".to_owned(),
        functional_minor: Some(-out_of_balance),
        clears: None,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearings_of_a_whole_item_add_up_to_its_booked_value() {
        // 100.00 booked at 7.1180 is 711.80; cleared in three thirds.
        let mut booked = Booked {
            amount: 10_000,
            value: 71_180,
            cleared: 0,
        };
        let mut total = 0;
        for amount in [3_333, 3_333, 3_334] {
            let value = cleared_value(booked, amount).unwrap();
            assert!(value < 0, "a debit booking clears as a credit");
            total += value;
            booked.cleared += amount;
        }
        assert_eq!(total, -71_180);
    }

    #[test]
    fn a_payable_booked_as_a_credit_clears_as_a_debit() {
        let booked = Booked {
            amount: 10_000,
            value: -70_000,
            cleared: 2_500,
        };
        assert_eq!(cleared_value(booked, 5_000), Some(35_000));
    }

    #[test]
    fn what_was_not_booked_clears_at_the_days_rate() {
        let nothing = Booked {
            amount: 0,
            value: 0,
            cleared: 0,
        };
        assert_eq!(cleared_value(nothing, 100), None);
        let booked = Booked {
            amount: 100,
            value: 700,
            cleared: 50,
        };
        assert_eq!(cleared_value(booked, 51), None);
        assert_eq!(cleared_value(booked, 50), Some(-350));
    }
}
