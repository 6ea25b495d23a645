//! An order with everything a person needs to act on it: the timeline, the
//! shipment with its tracking, the refunds, the dispute and the steps the
//! reader may take now. The API's order detail and the order page both read
//! it here, so they cannot disagree about what an order shows.

use kernel::Scope;
use serde::Serialize;

use crate::Trade;
use crate::actions::{Action, allowed_actions, operator_actions};
use crate::error::{Result, TradeError};
use crate::model::{Dispute, HistoryEntry, Order, OrderId, Refund, Shipment};

/// One order, read whole.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderDetail {
    pub order: Order,
    /// What happened, oldest first: each transition, and each carrier report.
    pub timeline: Vec<HistoryEntry>,
    /// Once shipped.
    pub shipment: Option<Shipment>,
    /// Refund requests, oldest first.
    pub refunds: Vec<Refund>,
    pub dispute: Option<Dispute>,
    /// What the reader may do now, for their side and role (for the operator:
    /// `resolve_dispute` while a dispute is open).
    pub allowed_actions: Vec<Action>,
}

impl Trade {
    /// An order of the caller's company, with the steps its side and role
    /// allow now. A company that is neither buyer nor seller finds nothing.
    pub async fn order_detail(&self, scope: &Scope, id: OrderId) -> Result<OrderDetail> {
        let order = self.order(scope, id).await?;
        let side = order
            .side_of(scope.company_id())
            .ok_or(TradeError::NotFound("order"))?;
        let (timeline, shipment, refunds, dispute) = self.record_of(&order).await?;
        let allowed_actions = allowed_actions(
            &order,
            side,
            scope.role(),
            &refunds,
            dispute.as_ref(),
            self.clock.now(),
        );
        Ok(OrderDetail {
            order,
            timeline,
            shipment,
            refunds,
            dispute,
            allowed_actions,
        })
    }

    /// Any order, whole, for the operator deciding its dispute.
    pub async fn order_detail_for_operator(&self, id: OrderId) -> Result<OrderDetail> {
        let order = self.order_for_operator(id).await?;
        let (timeline, shipment, refunds, dispute) = self.record_of(&order).await?;
        let allowed_actions = operator_actions(dispute.as_ref());
        Ok(OrderDetail {
            order,
            timeline,
            shipment,
            refunds,
            dispute,
            allowed_actions,
        })
    }

    #[allow(clippy::type_complexity)]
    async fn record_of(
        &self,
        order: &Order,
    ) -> Result<(
        Vec<HistoryEntry>,
        Option<Shipment>,
        Vec<Refund>,
        Option<Dispute>,
    )> {
        Ok((
            self.timeline(order).await?,
            self.shipment(order).await?,
            self.refunds(order).await?,
            self.dispute_of(order).await?,
        ))
    }
}
