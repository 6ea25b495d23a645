//! A provider's webhook: signature and freshness checked, each event handled
//! once however often it is delivered, and the money moved exactly once.

use kernel::CompanyId;
use ledger::{CreateTransferResult, Transfer, TransferId};
use sqlx::Row;

use crate::accounts::ledger_of;
use crate::error::{PayError, Result};
use crate::model::{TransferKind, WithdrawalId};
use crate::provider::{self, WebhookEvent, WebhookKind};
use crate::{AccountKind, Pay, rows};

/// What a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    Applied,
    /// The same event was handled before; nothing changed.
    AlreadyHandled,
}

/// The largest webhook body accepted.
pub const WEBHOOK_BODY_BYTES_MAX: usize = 64 * 1024;

impl Pay {
    /// Handles one delivery from `provider_name`, exactly as it arrived.
    pub async fn handle_webhook(
        &self,
        provider_name: &str,
        signature: &str,
        body: &[u8],
    ) -> Result<WebhookOutcome> {
        let provider = self.provider(provider_name)?;
        if body.len() > WEBHOOK_BODY_BYTES_MAX {
            return Err(PayError::invalid(
                "body",
                "too_large",
                "the webhook body is too large",
            ));
        }
        provider::verify(provider.webhook_secret(), signature, body, self.clock.now())?;
        let event: WebhookEvent = serde_json::from_slice(body)
            .map_err(|error| PayError::invalid("body", "malformed_event", error.to_string()))?;
        if event.event_id.is_empty() || event.event_id.len() > 200 {
            return Err(PayError::invalid(
                "event_id",
                "invalid_event_id",
                "1 to 200 characters",
            ));
        }
        let seen = sqlx::query(
            "SELECT 1 AS one FROM pay_webhook_event WHERE provider = $1 AND event_id = $2",
        )
        .bind(provider_name)
        .bind(&event.event_id)
        .fetch_optional(self.db.reader())
        .await?;
        if seen.is_some() {
            return Ok(WebhookOutcome::AlreadyHandled);
        }
        match event.kind {
            WebhookKind::PaymentSucceeded => {
                self.complete_top_up(provider_name, &event.reference)
                    .await?
            }
            WebhookKind::PaymentFailed => self.fail_top_up(provider_name, &event.reference).await?,
            WebhookKind::PayoutCompleted | WebhookKind::PayoutFailed => {
                let id: WithdrawalId = event
                    .reference
                    .parse()
                    .map_err(|_| PayError::UnknownReference)?;
                self.settle_withdrawal(id, event.kind == WebhookKind::PayoutCompleted)
                    .await?;
            }
        }
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO pay_webhook_event (provider, event_id, created_at, updated_at) VALUES ($1, $2, $3, $3)
             ON CONFLICT (provider, event_id) DO NOTHING",
        )
        .bind(provider_name)
        .bind(&event.event_id)
        .bind(self.clock.now().micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(WebhookOutcome::Applied)
    }

    /// Credits the wallet for a collected top-up. The transfer's id was chosen
    /// when the top-up started, so a second confirmation finds it done.
    async fn complete_top_up(&self, provider_name: &str, reference: &str) -> Result<()> {
        let row = sqlx::query(
            "SELECT company_id, id, currency, amount_minor, status, transfer_id FROM pay_top_up
             WHERE provider = $1 AND provider_reference = $2",
        )
        .bind(provider_name)
        .bind(reference)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(PayError::UnknownReference)?;
        let status: String = row.try_get("status")?;
        if status != "pending" {
            return Ok(());
        }
        let amount = rows::money(&row, "amount_minor")?;
        let company = CompanyId::from_raw(row.try_get("company_id")?);
        let wallet = self.wallet_account(company, amount.currency).await?;
        let settlement = self
            .operator_account(
                amount.currency,
                AccountKind::ProviderSettlement,
                provider_name,
            )
            .await?;
        let credit = Transfer::new(
            TransferId::from_raw(row.try_get("transfer_id")?),
            settlement,
            wallet,
            amount.minor,
            ledger_of(amount.currency),
            TransferKind::TopUp.code(),
        );
        match self.ledger.create_transfers(vec![credit]).await?.first() {
            Some(CreateTransferResult::Ok | CreateTransferResult::Exists) => {}
            Some(other) => return Err(PayError::Refused(*other)),
            None => return Err(PayError::Provider("no answer from the ledger".into())),
        }
        self.set_top_up_status(row.try_get("id")?, "succeeded")
            .await
    }

    async fn fail_top_up(&self, provider_name: &str, reference: &str) -> Result<()> {
        let row = sqlx::query(
            "SELECT id, transfer_id FROM pay_top_up WHERE provider = $1 AND provider_reference = $2",
        )
        .bind(provider_name)
        .bind(reference)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(PayError::UnknownReference)?;
        // A success applied before a crash (the credit made, the status not
        // yet written) outranks a later failure: the money did come in, so
        // the top-up is succeeded, not failed.
        let credit = TransferId::from_raw(row.try_get("transfer_id")?);
        let credited = !self.ledger.lookup_transfers(&[credit]).await?.is_empty();
        if credited {
            tracing::warn!(
                top_up.reference = reference,
                "a failure reported after the credit was made; the top-up stays succeeded"
            );
        }
        let status = if credited { "succeeded" } else { "failed" };
        self.set_top_up_status(row.try_get("id")?, status).await
    }

    async fn set_top_up_status(&self, id: i64, status: &str) -> Result<()> {
        self.transition("pay_top_up", id, "pending", status)
            .await
            .map(|_| ())
    }
}
