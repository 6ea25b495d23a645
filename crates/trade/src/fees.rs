//! The operator's terms of trade: the fee rate (a network default and one per
//! top category) and the periods of the order's timers.

use sqlx::Row;

use crate::error::{Result, TradeError};
use crate::model::{CategoryFee, TradePolicy};
use crate::{FEE_BP_MAX, Trade};

/// The longest period the operator may set for any timer, in days.
const PERIOD_DAYS_MAX: i64 = 365;

impl Trade {
    pub async fn policy(&self) -> Result<TradePolicy> {
        let row = sqlx::query(
            "SELECT fee_default_bp, auto_confirm_after_days, unpaid_cancel_after_hours, refund_answer_within_days
             FROM trade_policy WHERE id = 1",
        )
        .fetch_one(self.db.reader())
        .await?;
        Ok(TradePolicy {
            fee_default_bp: row.try_get("fee_default_bp")?,
            auto_confirm_after_days: row.try_get("auto_confirm_after_days")?,
            unpaid_cancel_after_hours: row.try_get("unpaid_cancel_after_hours")?,
            refund_answer_within_days: row.try_get("refund_answer_within_days")?,
        })
    }

    /// Sets the terms of trade; the operator only (the caller checks that).
    /// Orders already placed keep the fee rate they were placed with.
    pub async fn set_policy(&self, policy: &TradePolicy) -> Result<TradePolicy> {
        check_fee("fee_default_bp", policy.fee_default_bp)?;
        check_period(
            "auto_confirm_after_days",
            policy.auto_confirm_after_days,
            PERIOD_DAYS_MAX,
        )?;
        check_period(
            "unpaid_cancel_after_hours",
            policy.unpaid_cancel_after_hours,
            PERIOD_DAYS_MAX * 24,
        )?;
        check_period(
            "refund_answer_within_days",
            policy.refund_answer_within_days,
            PERIOD_DAYS_MAX,
        )?;
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE trade_policy SET fee_default_bp = $1, auto_confirm_after_days = $2, unpaid_cancel_after_hours = $3,
             refund_answer_within_days = $4, updated_at = $5 WHERE id = 1",
        )
        .bind(policy.fee_default_bp)
        .bind(policy.auto_confirm_after_days)
        .bind(policy.unpaid_cancel_after_hours)
        .bind(policy.refund_answer_within_days)
        .bind(self.clock.now().micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        self.policy().await
    }

    /// The top categories with a fee of their own.
    pub async fn category_fees(&self) -> Result<Vec<CategoryFee>> {
        let rows =
            sqlx::query("SELECT category_id, fee_bp FROM trade_fee_rate ORDER BY category_id")
                .fetch_all(self.db.reader())
                .await?;
        rows.iter()
            .map(|row| {
                Ok(CategoryFee {
                    category_id: market::CategoryId::from_raw(row.try_get("category_id")?),
                    fee_bp: row.try_get("fee_bp")?,
                })
            })
            .collect()
    }

    /// Gives a top category its own fee, or (with `None`) returns it to the
    /// network default.
    pub async fn set_category_fee(
        &self,
        category_id: market::CategoryId,
        fee_bp: Option<i64>,
    ) -> Result<()> {
        let tree = self.market.categories().await?;
        match tree.get(category_id) {
            Some(category) if category.parent_id.is_none() => {}
            Some(_) => {
                return Err(TradeError::invalid(
                    "category_id",
                    "not_top_category",
                    "fees are set per top category",
                ));
            }
            None => return Err(TradeError::NotFound("category")),
        }
        let now = self.clock.now().micros();
        let mut tx = self.db.begin().await?;
        match fee_bp {
            Some(fee_bp) => {
                check_fee("fee_bp", fee_bp)?;
                sqlx::query(
                    "INSERT INTO trade_fee_rate (category_id, fee_bp, created_at, updated_at) VALUES ($1, $2, $3, $3)
                     ON CONFLICT (category_id) DO UPDATE SET fee_bp = excluded.fee_bp, updated_at = excluded.updated_at",
                )
                .bind(category_id)
                .bind(fee_bp)
                .bind(now)
                .execute(tx.conn())
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM trade_fee_rate WHERE category_id = $1")
                    .bind(category_id)
                    .execute(tx.conn())
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The fee rate for an order in `category_id`: its top category's own, or
    /// the network default.
    pub(crate) async fn fee_rate_for(&self, category_id: market::CategoryId) -> Result<i64> {
        let tree = self.market.categories().await?;
        let top = tree
            .path(category_id)
            .first()
            .map_or(category_id, |category| category.id);
        let own: Option<i64> =
            sqlx::query("SELECT fee_bp FROM trade_fee_rate WHERE category_id = $1")
                .bind(top)
                .fetch_optional(self.db.reader())
                .await?
                .map(|row| row.try_get(0))
                .transpose()?;
        match own {
            Some(fee_bp) => Ok(fee_bp),
            None => Ok(self.policy().await?.fee_default_bp),
        }
    }
}

fn check_fee(field: &'static str, fee_bp: i64) -> Result<()> {
    if (0..=FEE_BP_MAX).contains(&fee_bp) {
        Ok(())
    } else {
        Err(TradeError::invalid(
            field,
            "out_of_range",
            format!("a fee between 0 and {FEE_BP_MAX} basis points"),
        ))
    }
}

fn check_period(field: &'static str, value: i64, max: i64) -> Result<()> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(TradeError::invalid(
            field,
            "out_of_range",
            format!("between 1 and {max}"),
        ))
    }
}
