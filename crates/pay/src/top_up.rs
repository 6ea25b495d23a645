//! Top-up: a member asks to pay money in; the provider collects it and says so
//! by webhook; only then is the wallet credited, once.

use kernel::page::{Page, PageRequest};
use kernel::{Money, Scope};
use ledger::TransferId;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{PayError, Result};
use crate::model::{TopUp, TopUpId};
use crate::provider::PaymentRequest;
use crate::{Pay, check_amount, may_move_money, may_view_money, rows};

fn top_up(row: &AnyRow) -> Result<TopUp> {
    Ok(TopUp {
        id: TopUpId::from_raw(row.try_get("id")?),
        amount: rows::money(row, "amount_minor")?,
        provider: row.try_get("provider")?,
        status: row.try_get("status")?,
        created_at: rows::timestamp(row, "created_at")?,
    })
}

impl Pay {
    /// Starts a top-up at the default provider; the wallet is credited when
    /// the provider confirms.
    pub async fn start_top_up(&self, scope: &Scope, amount: Money) -> Result<TopUp> {
        if !may_move_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        check_amount(amount)?;
        let provider = self.default_provider()?;
        let now = self.clock.now();
        let top_up = TopUp {
            id: TopUpId::new(),
            amount,
            provider: provider.name().to_owned(),
            status: "pending".to_owned(),
            created_at: now,
        };
        let reference = top_up.id.to_string();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO pay_top_up (company_id, id, currency, amount_minor, provider, provider_reference, status, transfer_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $8)",
        )
        .bind(scope.company_id())
        .bind(top_up.id)
        .bind(amount.currency.code())
        .bind(amount.minor)
        .bind(&top_up.provider)
        .bind(&reference)
        .bind(TransferId::new().raw())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        let request = PaymentRequest {
            company_id: scope.company_id(),
            amount,
            reference,
            description: format!("Hanse top-up {}", top_up.id),
        };
        if let Err(error) = provider.start_payment(request).await {
            self.delete_unstarted("pay_top_up", scope, top_up.id.raw())
                .await?;
            return Err(error);
        }
        Ok(top_up)
    }

    pub async fn top_ups(&self, scope: &Scope, page: PageRequest) -> Result<Page<TopUp>> {
        if !may_view_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT id, currency, amount_minor, provider, status, created_at FROM pay_top_up
             WHERE company_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(scope.company_id())
        .bind(page.after.unwrap_or(i64::MAX))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let items = rows.iter().map(top_up).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |item| item.id.raw()))
    }

    /// Removes a record whose provider call failed, so a refused request
    /// leaves nothing behind.
    pub(crate) async fn delete_unstarted(&self, table: &str, scope: &Scope, id: i64) -> Result<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE company_id = $1 AND id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
