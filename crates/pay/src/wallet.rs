//! A member's wallets: balances per currency, the statement with a running
//! balance, its CSV export, and what the company holds in escrow as a buyer.

use kernel::page::{Page, PageRequest};
use kernel::{Currency, Money, Scope};
use ledger::TransferId;

use crate::error::{PayError, Result};
use crate::model::{StatementLine, TransferKind, WalletBalance};
use crate::{Pay, may_view_money};

/// The most lines one CSV export holds; older lines are in earlier exports.
pub const CSV_LINES_MAX: u32 = 10_000;

impl Pay {
    /// The company's wallets, one per currency it has used.
    pub async fn balances(&self, scope: &Scope) -> Result<Vec<WalletBalance>> {
        if !may_view_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let accounts = self.ledger.company_accounts(scope.company_id()).await?;
        let mut balances: Vec<WalletBalance> = accounts
            .iter()
            .filter(|account| account.code == crate::AccountKind::Wallet.code())
            .filter_map(|account| {
                let currency = crate::currency_of_ledger(account.ledger)?;
                Some(WalletBalance {
                    currency,
                    available: Money::new(account.available(), currency),
                    reserved: Money::new(account.debits_pending, currency),
                    balance: Money::new(account.credit_balance(), currency),
                })
            })
            .collect();
        balances.sort_by_key(|balance| balance.currency.code());
        Ok(balances)
    }

    /// The wallet's statement in `currency`, oldest first, with the balance
    /// after every line.
    pub async fn statement(
        &self,
        scope: &Scope,
        currency: Currency,
        page: PageRequest,
    ) -> Result<Page<StatementLine>> {
        if !may_view_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let Some(account) = self.existing_wallet(scope.company_id(), currency).await? else {
            return Ok(Page {
                items: Vec::new(),
                next_after: None,
            });
        };
        let page = self.ledger.statement(account, page).await?;
        Ok(page.map(|line| {
            let transfer = &line.transfer;
            let incoming = transfer.credit_account_id == account;
            let after = line.after.unwrap_or(ledger::Balances {
                debits_pending: 0,
                debits_posted: 0,
                credits_pending: 0,
                credits_posted: 0,
            });
            let reserved = transfer.flags.contains(ledger::TransferFlags::PENDING);
            // A void releases a reservation and moves no money.
            let moved = if transfer.flags.contains(ledger::TransferFlags::VOID_PENDING) {
                0
            } else {
                transfer.amount
            };
            StatementLine {
                transfer_id: TransferId::to_string(&transfer.id),
                at: transfer.timestamp,
                kind: TransferKind::from_code(transfer.code),
                amount: Money::new(if incoming { moved } else { -moved }, currency),
                reserved,
                balance_after: Money::new(after.credits_posted - after.debits_posted, currency),
                available_after: Money::new(
                    after.credits_posted - after.debits_posted - after.debits_pending,
                    currency,
                ),
            }
        }))
    }

    /// The statement as CSV (RFC 4180), up to [`CSV_LINES_MAX`] lines.
    pub async fn statement_csv(&self, scope: &Scope, currency: Currency) -> Result<String> {
        let mut csv = String::from(
            "time,transfer,kind,amount,currency,reserved,balance_after,available_after\r\n",
        );
        let mut after = None;
        let mut written = 0;
        loop {
            let page = self
                .statement(
                    scope,
                    currency,
                    PageRequest::new(after, Some(kernel::page::PAGE_SIZE_MAX)),
                )
                .await?;
            for line in &page.items {
                let decimal = Money::decimal;
                csv.push_str(&format!(
                    "{},{},{},{},{},{},{},{}\r\n",
                    line.at,
                    line.transfer_id,
                    line.kind.as_str(),
                    decimal(line.amount),
                    currency.code(),
                    line.reserved,
                    decimal(line.balance_after),
                    decimal(line.available_after),
                ));
                written += 1;
            }
            if written >= CSV_LINES_MAX || page.next_after.is_none() {
                return Ok(csv);
            }
            after = page.next_after;
        }
    }
}

impl Pay {
    /// What the company holds in escrow as a buyer, per currency: the paid
    /// orders whose escrow is neither released nor refunded. The books'
    /// escrow advances are reconciled against it.
    pub async fn escrow_held_as_buyer(&self, scope: &Scope) -> Result<Vec<Money>> {
        if !may_view_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT currency, CAST(SUM(amount_minor) AS BIGINT) AS held_minor FROM pay_escrow
             WHERE company_id = $1 AND status = 'held' GROUP BY currency ORDER BY currency",
        )
        .bind(scope.company_id())
        .fetch_all(self.db.reader())
        .await?;
        rows.iter()
            .map(|row| Ok(crate::rows::money(row, "held_minor")?))
            .collect()
    }
}
