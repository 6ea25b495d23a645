//! Disputes: after the seller refused a refund, or let its time to answer run
//! out, either side takes the order to the operator, who reads the whole
//! record and decides how the escrow is split. The decision is final.

use kernel::db::Tx;
use kernel::{Scope, Timestamp, UserId};
use serde::Deserialize;

use crate::error::{Result, TradeError};
use crate::events::{DisputeOpened, DisputeResolved, OrderFacts};
use crate::model::{Dispute, DisputeId, Order, OrderId, RefundStatus};
use crate::money::Split;
use crate::refund::Closing;
use crate::rows::{self, DISPUTE_COLUMNS};
use crate::seller::state_refusal;
use crate::{TEXT_CHARS_MAX, Trade, may_buy, may_sell, store};

/// The operator's decision.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// What goes back to the buyer; the rest of the escrow goes to the seller.
    pub to_buyer_minor: i64,
    /// Why, for both sides and the record.
    pub decision: String,
}

impl Trade {
    pub async fn open_dispute(&self, scope: &Scope, id: OrderId, reason: &str) -> Result<Dispute> {
        let order = self.order(scope, id).await?;
        let allowed = if order.buyer == scope.company_id() {
            may_buy(scope.role())
        } else {
            may_sell(scope.role())
        };
        if !allowed {
            return Err(TradeError::Forbidden);
        }
        let reason = market::fields::paragraphs("reason", reason, TEXT_CHARS_MAX)?;
        if reason.is_empty() {
            return Err(TradeError::invalid(
                "reason",
                "required",
                "say what went wrong",
            ));
        }
        if !order.state.holds_escrow() {
            return Err(state_refusal(order.state));
        }
        if self.dispute_of(&order).await?.is_some() {
            return Err(TradeError::state(
                "dispute_exists",
                "this order already has a dispute",
            ));
        }
        let now = self.clock.now();
        let refund = self.refunds(&order).await?.into_iter().last();
        let may_open = refund.as_ref().is_some_and(|refund| {
            refund.status == RefundStatus::Refused
                || (refund.status == RefundStatus::Requested && refund.answer_by <= now)
        });
        if !may_open {
            return Err(TradeError::state(
                "refund_first",
                "ask the seller for a refund first; a dispute follows a refusal or an unanswered request",
            ));
        }
        let dispute = Dispute {
            id: DisputeId::new(),
            order_id: order.id,
            buyer: order.buyer,
            seller: order.seller,
            opened_by: scope.company_id(),
            reason: reason.clone(),
            status: "open".to_owned(),
            to_buyer_minor: 0,
            to_seller_minor: 0,
            decision: String::new(),
            decided_at: None,
            created_at: now,
        };
        let mut tx = self.db.begin().await?;
        let mut order = store::locked(&mut tx, id).await?;
        if !order.state.holds_escrow() {
            return Err(state_refusal(order.state));
        }
        sqlx::query(
            "INSERT INTO trade_dispute (company_id, id, order_id, seller_company_id, opened_by_company_id, reason, status, to_buyer_minor, to_seller_minor, decision, decided_by, decided_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'open', 0, 0, '', 0, NULL, $7, $7)
             ON CONFLICT (order_id) DO NOTHING",
        )
        .bind(order.buyer)
        .bind(dispute.id)
        .bind(order.id)
        .bind(order.seller)
        .bind(dispute.opened_by)
        .bind(&reason)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        if let Some(refund) = refund {
            sqlx::query(
                "UPDATE trade_refund SET status = 'disputed', updated_at = $1 WHERE id = $2",
            )
            .bind(now.micros())
            .bind(refund.id)
            .execute(tx.conn())
            .await?;
        }
        order.open_claim = true;
        order.updated_at = now;
        store::save(&mut tx, &order).await?;
        let event = DisputeOpened {
            order: OrderFacts::of(&order, now),
            dispute_id: dispute.id,
            opened_by: dispute.opened_by,
            reason: reason.clone(),
        };
        store::publish(
            &mut tx,
            &order,
            &event,
            Some(dispute.opened_by),
            &reason,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(dispute)
    }

    /// The operator's decision, carried out through `pay`.
    pub async fn resolve_dispute(
        &self,
        operator: UserId,
        id: DisputeId,
        input: &DecisionInput,
    ) -> Result<Dispute> {
        let decision = market::fields::paragraphs("decision", &input.decision, TEXT_CHARS_MAX)?;
        if decision.is_empty() {
            return Err(TradeError::invalid(
                "decision",
                "required",
                "give the reason for the decision",
            ));
        }
        let dispute = self.dispute(id).await?;
        if dispute.status != "open" {
            return Err(TradeError::state(
                "dispute_resolved",
                "the dispute was already decided",
            ));
        }
        let order = self.order_for_operator(dispute.order_id).await?;
        if !(0..=order.total_minor).contains(&input.to_buyer_minor) {
            return Err(TradeError::invalid(
                "to_buyer_minor",
                "exceeds_paid",
                format!("between 0 and the {} paid", order.total_minor),
            ));
        }
        self.close_with_split(
            order.id,
            input.to_buyer_minor,
            false,
            Closing::Dispute {
                id,
                decision: &decision,
                decided_by: operator,
            },
        )
        .await?;
        self.dispute(id).await
    }

    pub async fn dispute(&self, id: DisputeId) -> Result<Dispute> {
        let row = sqlx::query(&format!(
            "SELECT {DISPUTE_COLUMNS} FROM trade_dispute WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(TradeError::NotFound("dispute"))?;
        Ok(rows::dispute(&row)?)
    }

    /// Writes the decision, inside the transaction that closes the order.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn record_decision(
        &self,
        tx: &mut Tx,
        order: &Order,
        id: DisputeId,
        split: Split,
        decision: &str,
        decided_by: UserId,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE trade_dispute SET status = 'resolved', to_buyer_minor = $1, to_seller_minor = $2, decision = $3,
             decided_by = $4, decided_at = $5, updated_at = $5 WHERE id = $6 AND status = 'open'",
        )
        .bind(split.to_buyer_minor)
        .bind(split.to_seller_minor)
        .bind(decision)
        .bind(decided_by.raw())
        .bind(now.micros())
        .bind(id)
        .execute(tx.conn())
        .await?;
        let event = DisputeResolved {
            order: OrderFacts::of(order, now),
            dispute_id: id,
            to_buyer_minor: split.to_buyer_minor,
            to_seller_minor: split.to_seller_minor,
            fee_taken_minor: split.fee_taken_minor,
            decision: decision.to_owned(),
        };
        store::publish(tx, order, &event, None, decision, now).await
    }
}
