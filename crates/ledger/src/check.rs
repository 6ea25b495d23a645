//! The ledger's invariants, checked on one account and on the whole ledger:
//! debits equal credits per currency, balances equal the sum of transfers, and
//! no flagged account passes its limit.

use serde::Serialize;
use sqlx::Row;

use crate::types::{Account, AccountFlags, LedgerError};

/// One account's own invariants: no negative balance, and its flag's limit.
pub fn account_within_limits(account: &Account) -> Result<(), String> {
    let balances = [
        account.debits_pending,
        account.debits_posted,
        account.credits_pending,
        account.credits_posted,
    ];
    if balances.iter().any(|balance| *balance < 0) {
        return Err(format!("account {} has a negative balance", account.id));
    }
    let debits = i128::from(account.debits_pending) + i128::from(account.debits_posted);
    let credits = i128::from(account.credits_pending) + i128::from(account.credits_posted);
    if account
        .flags
        .contains(AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS)
        && debits > i128::from(account.credits_posted)
    {
        return Err(format!(
            "account {} is debited beyond its credits",
            account.id
        ));
    }
    if account
        .flags
        .contains(AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS)
        && credits > i128::from(account.debits_posted)
    {
        return Err(format!(
            "account {} is credited beyond its debits",
            account.id
        ));
    }
    Ok(())
}

/// The totals of one ledger (one currency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LedgerTotals {
    pub ledger: u32,
    pub accounts: i64,
    pub debits_posted: i64,
    pub credits_posted: i64,
    pub debits_pending: i64,
    pub credits_pending: i64,
}

/// The result of checking the whole ledger.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerCheck {
    pub totals: Vec<LedgerTotals>,
    /// Everything that does not hold; empty when the ledger is sound.
    pub violations: Vec<String>,
}

impl LedgerCheck {
    pub fn balanced(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks everything: per ledger, posted debits equal posted credits and
/// pending likewise; every account within its limits; and every account's
/// balances equal the sums of the transfers that touched it.
pub async fn check(db: &kernel::Db) -> Result<LedgerCheck, LedgerError> {
    let reader = db.reader();
    let rows = sqlx::query(
        "SELECT ledger, COUNT(*) AS accounts, CAST(SUM(debits_posted) AS BIGINT) AS debits_posted, CAST(SUM(credits_posted) AS BIGINT) AS credits_posted,
                CAST(SUM(debits_pending) AS BIGINT) AS debits_pending, CAST(SUM(credits_pending) AS BIGINT) AS credits_pending
         FROM ledger_account GROUP BY ledger ORDER BY ledger",
    )
    .fetch_all(reader)
    .await?;
    let mut violations = Vec::new();
    let mut totals = Vec::new();
    for row in rows {
        let sum = |column: &str| -> Result<i64, sqlx::Error> {
            Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0))
        };
        let ledger_totals = LedgerTotals {
            ledger: u32::try_from(row.try_get::<i64, _>("ledger")?).unwrap_or(0),
            accounts: row.try_get("accounts")?,
            debits_posted: sum("debits_posted")?,
            credits_posted: sum("credits_posted")?,
            debits_pending: sum("debits_pending")?,
            credits_pending: sum("credits_pending")?,
        };
        if ledger_totals.debits_posted != ledger_totals.credits_posted {
            violations.push(format!(
                "ledger {}: posted debits differ from posted credits",
                ledger_totals.ledger
            ));
        }
        if ledger_totals.debits_pending != ledger_totals.credits_pending {
            violations.push(format!(
                "ledger {}: pending debits differ from pending credits",
                ledger_totals.ledger
            ));
        }
        totals.push(ledger_totals);
    }

    // Flag limits, checked in SQL so a ledger of any size is read once.
    let over = sqlx::query(
        "SELECT id FROM ledger_account WHERE
            debits_pending < 0 OR debits_posted < 0 OR credits_pending < 0 OR credits_posted < 0
            OR ((flags & 1) = 1 AND debits_pending + debits_posted > credits_posted)
            OR ((flags & 2) = 2 AND credits_pending + credits_posted > debits_posted)
         LIMIT 100",
    )
    .fetch_all(reader)
    .await?;
    for row in over {
        violations.push(format!(
            "account {} breaks its limits",
            row.try_get::<i64, _>("id")?
        ));
    }

    // Balances against transfers: posted amounts are single-phase transfers and
    // posts of pending ones; pending amounts are reservations still open.
    let mismatched = sqlx::query(
        "SELECT a.id FROM ledger_account a
         LEFT JOIN (SELECT debit_account_id AS id,
                       SUM(CASE WHEN (flags & 2) = 0 AND (flags & 8) = 0 THEN amount ELSE 0 END) AS posted,
                       SUM(CASE WHEN pending_state = 1 THEN amount ELSE 0 END) AS pending
                    FROM ledger_transfer GROUP BY debit_account_id) d ON d.id = a.id
         LEFT JOIN (SELECT credit_account_id AS id,
                       SUM(CASE WHEN (flags & 2) = 0 AND (flags & 8) = 0 THEN amount ELSE 0 END) AS posted,
                       SUM(CASE WHEN pending_state = 1 THEN amount ELSE 0 END) AS pending
                    FROM ledger_transfer GROUP BY credit_account_id) c ON c.id = a.id
         WHERE a.debits_posted <> COALESCE(d.posted, 0) OR a.debits_pending <> COALESCE(d.pending, 0)
            OR a.credits_posted <> COALESCE(c.posted, 0) OR a.credits_pending <> COALESCE(c.pending, 0)
         LIMIT 100",
    )
    .fetch_all(reader)
    .await?;
    for row in mismatched {
        violations.push(format!(
            "account {} differs from the sum of its transfers",
            row.try_get::<i64, _>("id")?
        ));
    }
    Ok(LedgerCheck { totals, violations })
}
