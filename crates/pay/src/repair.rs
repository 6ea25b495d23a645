//! The operator's repair of withdrawals a crash left stuck: reserved in the
//! wallet (or about to be) but never handed to the provider, or settled at the
//! provider without Hanse hearing of it. Each is settled against what the
//! provider says, so nothing is paid out twice and no reservation lingers.

use kernel::{CompanyId, Money, Timestamp};
use ledger::{PendingState, TransferId};
use serde::Serialize;
use sqlx::Row;

use crate::error::{PayError, Result};
use crate::model::WithdrawalId;
use crate::provider::ProviderStatus;
use crate::{Pay, rows};

/// How long a withdrawal may sit reserved before a repair may take it: a
/// request still running is younger by far, and a repair must never race it.
pub const STUCK_AFTER_SECONDS_DEFAULT: i64 = 600;
/// The most stuck withdrawals one listing or repair round looks at.
pub const STUCK_LIST_MAX: i64 = 200;

/// A withdrawal that needs the operator: what Hanse has, what the provider says.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StuckWithdrawal {
    pub id: WithdrawalId,
    pub company_id: CompanyId,
    pub amount: Money,
    pub provider: String,
    /// `requested` (the reservation may or may not exist) or `pending`.
    pub status: String,
    /// Whether the wallet still holds money reserved for it.
    pub reserved: bool,
    pub at_provider: ProviderStatus,
    /// What a repair does: `complete` (the provider paid it out), `release`
    /// (the provider never got it or failed it) or `wait` (the provider is
    /// still working on it; its webhook will settle it).
    pub action: RepairAction,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepairAction {
    Complete,
    Release,
    Wait,
}

impl Pay {
    /// Withdrawals still `requested` or `pending` that were made more than
    /// `older_than_seconds` ago, each with the provider's view, oldest first;
    /// those the provider is still working on are left out.
    pub async fn stuck_withdrawals(&self, older_than_seconds: i64) -> Result<Vec<StuckWithdrawal>> {
        let before = self.clock.now().micros() - older_than_seconds.max(0) * 1_000_000;
        let rows = sqlx::query(
            "SELECT id, company_id, currency, amount_minor, provider, status, hold_transfer_id, created_at
             FROM pay_withdrawal WHERE status IN ('requested', 'pending') AND created_at <= $1
             ORDER BY created_at, id LIMIT $2",
        )
        .bind(before)
        .bind(STUCK_LIST_MAX)
        .fetch_all(self.db.reader())
        .await?;
        let mut stuck = Vec::with_capacity(rows.len());
        for row in &rows {
            let item = self.examine(row).await?;
            if item.action != RepairAction::Wait {
                stuck.push(item);
            }
        }
        Ok(stuck)
    }

    async fn examine(&self, row: &sqlx::any::AnyRow) -> Result<StuckWithdrawal> {
        let id = WithdrawalId::from_raw(row.try_get("id")?);
        let provider_name: String = row.try_get("provider")?;
        let status: String = row.try_get("status")?;
        let hold = TransferId::from_raw(row.try_get("hold_transfer_id")?);
        let reserved = matches!(
            self.ledger.lookup_transfers(&[hold]).await?.first(),
            Some((_, PendingState::Pending))
        );
        // A withdrawal still `requested` never reached the provider: the
        // payout is asked for only after `pending` is written.
        let at_provider = match self.provider(&provider_name) {
            Ok(provider) if status == "pending" => provider.payout_status(&id.to_string()).await?,
            Ok(_) => ProviderStatus::Unknown,
            // A provider no longer configured can't be asked; leave it alone.
            Err(_) => ProviderStatus::Pending,
        };
        let action = match at_provider {
            ProviderStatus::Succeeded => RepairAction::Complete,
            ProviderStatus::Unknown | ProviderStatus::Failed => RepairAction::Release,
            ProviderStatus::Pending => RepairAction::Wait,
        };
        Ok(StuckWithdrawal {
            id,
            company_id: CompanyId::from_raw(row.try_get("company_id")?),
            amount: rows::money(row, "amount_minor")?,
            provider: provider_name,
            status,
            reserved,
            at_provider,
            action,
            created_at: rows::timestamp(row, "created_at")?,
        })
    }

    /// Settles one stuck withdrawal as [`Pay::stuck_withdrawals`] advises and
    /// answers what was done. Repeating it changes nothing: the settling
    /// transfer's id was chosen when the withdrawal was made.
    pub async fn repair_withdrawal(
        &self,
        id: WithdrawalId,
        older_than_seconds: i64,
    ) -> Result<StuckWithdrawal> {
        let before = self.clock.now().micros() - older_than_seconds.max(0) * 1_000_000;
        let row = sqlx::query(
            "SELECT id, company_id, currency, amount_minor, provider, status, hold_transfer_id, created_at
             FROM pay_withdrawal WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(PayError::NotFound("withdrawal"))?;
        let item = self.examine(&row).await?;
        let settled = !matches!(item.status.as_str(), "requested" | "pending");
        if settled || item.created_at.micros() > before || item.action == RepairAction::Wait {
            return Err(PayError::invalid(
                "withdrawal_id",
                "not_stuck",
                "this withdrawal is settled, too recent, or still with its provider",
            ));
        }
        if item.status == "requested" {
            if item.reserved {
                self.set_withdrawal_status(id, "requested", "pending")
                    .await?;
            } else {
                // Nothing was reserved: the request died before its hold.
                self.set_withdrawal_status(id, "requested", "failed")
                    .await?;
                return Ok(item);
            }
        }
        self.settle_withdrawal(id, item.action == RepairAction::Complete)
            .await?;
        tracing::info!(withdrawal.id = %id, action = ?item.action, "stuck withdrawal repaired");
        Ok(item)
    }
}
