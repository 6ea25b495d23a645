//! Withdrawal to a registered bank account: the money is reserved (a pending
//! transfer) at once, posted when the provider completes the payout, and
//! released when it fails.

use kernel::page::{Page, PageRequest};
use kernel::{Money, Scope};
use ledger::{CreateTransferResult, Transfer, TransferFlags, TransferId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::ledger_of;
use crate::error::{PayError, Result};
use crate::model::{BankAccountId, TransferKind, Withdrawal, WithdrawalId};
use crate::provider::PayoutRequest;
use crate::{AccountKind, Pay, check_amount, may_move_money, may_view_money, rows};

fn withdrawal(row: &AnyRow) -> Result<Withdrawal> {
    Ok(Withdrawal {
        id: WithdrawalId::from_raw(row.try_get("id")?),
        bank_account_id: BankAccountId::from_raw(row.try_get("bank_account_id")?),
        amount: rows::money(row, "amount_minor")?,
        provider: row.try_get("provider")?,
        status: row.try_get("status")?,
        created_at: rows::timestamp(row, "created_at")?,
    })
}

impl Pay {
    /// Reserves `amount` in the wallet and asks the provider to pay it out.
    pub async fn start_withdrawal(
        &self,
        scope: &Scope,
        bank_account_id: BankAccountId,
        amount: Money,
    ) -> Result<Withdrawal> {
        let bank_account = self.bank_account(scope, bank_account_id).await?;
        if !may_move_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        check_amount(amount)?;
        if amount.currency != bank_account.currency {
            return Err(PayError::CurrencyMismatch {
                given: amount.currency.code().to_owned(),
                expected: bank_account.currency.code().to_owned(),
            });
        }
        let provider = self.default_provider()?;
        let wallet = self
            .existing_wallet(scope.company_id(), amount.currency)
            .await?
            .ok_or(PayError::InsufficientFunds)?;
        let settlement = self
            .operator_account(
                amount.currency,
                AccountKind::ProviderSettlement,
                provider.name(),
            )
            .await?;
        let now = self.clock.now();
        let record = Withdrawal {
            id: WithdrawalId::new(),
            bank_account_id,
            amount,
            provider: provider.name().to_owned(),
            status: "pending".to_owned(),
            created_at: now,
        };
        let (hold_id, settle_id) = (TransferId::new(), TransferId::new());
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO pay_withdrawal (company_id, id, bank_account_id, currency, amount_minor, provider, provider_reference, status,
                                         hold_transfer_id, settle_transfer_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9, $10, $10)",
        )
        .bind(scope.company_id())
        .bind(record.id)
        .bind(bank_account_id)
        .bind(amount.currency.code())
        .bind(amount.minor)
        .bind(&record.provider)
        .bind(record.id.to_string())
        .bind(hold_id.raw())
        .bind(settle_id.raw())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;

        let hold = Transfer {
            ..Transfer::new(
                hold_id,
                wallet,
                settlement,
                amount.minor,
                ledger_of(amount.currency),
                TransferKind::Withdrawal.code(),
            )
            .with_flags(TransferFlags::PENDING)
        };
        match self.ledger.create_transfers(vec![hold]).await?.first() {
            Some(CreateTransferResult::Ok | CreateTransferResult::Exists) => {}
            Some(CreateTransferResult::ExceedsCredits) => {
                self.delete_unstarted("pay_withdrawal", scope, record.id.raw())
                    .await?;
                return Err(PayError::InsufficientFunds);
            }
            Some(other) => {
                self.delete_unstarted("pay_withdrawal", scope, record.id.raw())
                    .await?;
                return Err(PayError::Refused(*other));
            }
            None => return Err(PayError::Provider("no answer from the ledger".into())),
        }
        if !self
            .set_withdrawal_status(record.id, "requested", "pending")
            .await?
        {
            // An operator's repair took it meanwhile (it settles only old
            // withdrawals, so this is a request that hung for minutes): the
            // repair settles it; it must not also reach the provider.
            return Err(PayError::Provider(
                "the withdrawal was settled by a repair before it reached the provider".into(),
            ));
        }

        let request = PayoutRequest {
            company_id: scope.company_id(),
            amount,
            reference: record.id.to_string(),
            holder_name: bank_account.holder_name,
            bank_name: bank_account.bank_name,
            account_number: bank_account.account_number,
        };
        if let Err(error) = provider.start_payout(request).await {
            // The provider never took it: release the reservation.
            self.settle_withdrawal(record.id, false).await?;
            return Err(error);
        }
        Ok(record)
    }

    pub(crate) async fn set_withdrawal_status(
        &self,
        id: WithdrawalId,
        from: &str,
        to: &str,
    ) -> Result<bool> {
        self.transition("pay_withdrawal", id.raw(), from, to).await
    }

    /// Posts (`completed`) or voids (`failed`) a pending withdrawal's
    /// reservation. Idempotent: the settling transfer's id was chosen up front.
    pub(crate) async fn settle_withdrawal(&self, id: WithdrawalId, completed: bool) -> Result<()> {
        let row = sqlx::query(
            "SELECT company_id, currency, amount_minor, provider, status, hold_transfer_id, settle_transfer_id FROM pay_withdrawal WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(PayError::UnknownReference)?;
        let status: String = row.try_get("status")?;
        if status != "pending" {
            return Ok(());
        }
        let amount = rows::money(&row, "amount_minor")?;
        let provider: String = row.try_get("provider")?;
        let wallet = self
            .existing_wallet(
                kernel::CompanyId::from_raw(row.try_get("company_id")?),
                amount.currency,
            )
            .await?
            .ok_or(PayError::NotFound("wallet"))?;
        let settlement = self
            .operator_account(amount.currency, AccountKind::ProviderSettlement, &provider)
            .await?;
        // The settlement may already be made (a crash before the status was
        // written): it decides, whatever the provider says now, since the
        // one settlement id can be a post or a void, never both.
        let settle_id = TransferId::from_raw(row.try_get("settle_transfer_id")?);
        if let Some((made, _)) = self.ledger.lookup_transfers(&[settle_id]).await?.first() {
            let completed = made.flags.contains(TransferFlags::POST_PENDING);
            self.set_withdrawal_status(
                id,
                "pending",
                if completed { "completed" } else { "failed" },
            )
            .await?;
            return Ok(());
        }
        let flag = if completed {
            TransferFlags::POST_PENDING
        } else {
            TransferFlags::VOID_PENDING
        };
        let settle = Transfer {
            pending_id: Some(TransferId::from_raw(row.try_get("hold_transfer_id")?)),
            ..Transfer::new(
                settle_id,
                wallet,
                settlement,
                amount.minor,
                ledger_of(amount.currency),
                TransferKind::WithdrawalSettled.code(),
            )
            .with_flags(flag)
        };
        match self.ledger.create_transfers(vec![settle]).await?.first() {
            Some(CreateTransferResult::Ok | CreateTransferResult::Exists) => {}
            Some(other) => return Err(PayError::Refused(*other)),
            None => return Err(PayError::Provider("no answer from the ledger".into())),
        }
        self.set_withdrawal_status(
            id,
            "pending",
            if completed { "completed" } else { "failed" },
        )
        .await?;
        Ok(())
    }

    pub async fn withdrawals(&self, scope: &Scope, page: PageRequest) -> Result<Page<Withdrawal>> {
        if !may_view_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT id, bank_account_id, currency, amount_minor, provider, status, created_at FROM pay_withdrawal
             WHERE company_id = $1 AND id < $2 AND status <> 'requested' ORDER BY id DESC LIMIT $3",
        )
        .bind(scope.company_id())
        .bind(page.after.unwrap_or(i64::MAX))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let items = rows.iter().map(withdrawal).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |item| item.id.raw()))
    }
}
