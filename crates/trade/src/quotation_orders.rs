//! An accepted quotation becomes an order: the price, quantity and terms the
//! buyer accepted, confirmed by the quotation itself and waiting for the
//! buyer to pay. An outbox subscriber, so it happens exactly once per
//! `QuotationAccepted`, also across a crash.

use kernel::db::Tx;
use kernel::outbox::{OutboxEvent, Subscriber, SubscriberError};
use market::events::QuotationAccepted;

use crate::Trade;
use crate::model::{LineStock, OrderLine, OrderState};

/// The subscriber that opens orders from accepted quotations.
pub struct QuotationOrders {
    trade: Trade,
}

impl QuotationOrders {
    pub fn new(trade: Trade) -> QuotationOrders {
        QuotationOrders { trade }
    }
}

fn failed(error: impl std::fmt::Display) -> SubscriberError {
    SubscriberError::Failed(error.to_string())
}

#[async_trait::async_trait]
impl Subscriber for QuotationOrders {
    fn name(&self) -> &'static str {
        "trade.quotation_orders"
    }

    async fn handle(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<(), SubscriberError> {
        let Some(accepted) = event.decode::<QuotationAccepted>() else {
            return Ok(());
        };
        let accepted = accepted.map_err(failed)?;
        // Subscribers are idempotent all the same: one order per quotation.
        let exists = sqlx::query("SELECT 1 FROM trade_order WHERE quotation_id = $1")
            .bind(accepted.quotation_id)
            .fetch_optional(tx.conn())
            .await
            .map_err(failed)?
            .is_some();
        if exists {
            return Ok(());
        }
        let rfq = self
            .trade
            .market
            .public_rfq(accepted.rfq_id)
            .await
            .map_err(failed)?;
        let unit_price = market::price::unit_price_at(&accepted.price_tiers, accepted.quantity)
            .or_else(|| {
                accepted
                    .price_tiers
                    .first()
                    .map(|tier| tier.unit_price_minor)
            })
            .ok_or_else(|| failed("a quotation without prices"))?;
        let line_total = unit_price
            .checked_mul(accepted.quantity)
            .ok_or_else(|| failed("the quotation's total overflows"))?;
        let line = OrderLine {
            line_no: 1,
            product_id: None,
            sku: String::new(),
            title: accepted.title.clone(),
            quantity: accepted.quantity,
            unit: accepted.unit.clone(),
            unit_price_minor: unit_price,
            line_total_minor: line_total,
            stock: LineStock::None,
        };
        let destination = if rfq.rfq.destination.trim().is_empty() {
            "as agreed in the quotation".to_owned()
        } else {
            rfq.rfq.destination.clone()
        };
        let mut order = self
            .trade
            .draft_order(
                accepted.buyer_company_id,
                accepted.supplier_company_id,
                accepted.currency,
                vec![line],
                rfq.rfq.category_id,
                &destination,
                &format!("from the accepted quotation {}", accepted.quotation_id),
                accepted.shipping_terms.as_str(),
            )
            .await
            .map_err(failed)?;
        order.quotation_id = Some(accepted.quotation_id);
        order.state = OrderState::Confirmed;
        order.placed_at = event.created_at;
        order.confirmed_at = Some(event.created_at);
        order.updated_at = event.created_at;
        let deadline = self
            .trade
            .unpaid_deadline(event.created_at)
            .await
            .map_err(failed)?;
        self.trade
            .insert_order_in(tx, &mut order, 0, deadline)
            .await
            .map_err(failed)
    }
}
