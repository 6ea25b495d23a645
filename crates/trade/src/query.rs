//! Reading orders: one order for either side, each side's list with filters
//! and cursor pagination, the timeline, the shipment and the claims. A company
//! that is neither buyer nor seller finds nothing, not a refusal.

use kernel::page::{Page, PageRequest};
use kernel::{CompanyId, Role, Scope, Timestamp};
use sqlx::Row;

use crate::error::{Result, TradeError};
use crate::model::*;
use crate::rows::{self, DISPUTE_COLUMNS, ORDER_COLUMNS, REFUND_COLUMNS};
use crate::{Trade, store};

/// Whose list: the orders a company bought or sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perspective {
    Buyer,
    Seller,
}

/// Filters of an order list; all optional.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub state: Option<OrderState>,
    pub counterparty: Option<CompanyId>,
    /// Placed at or after.
    pub placed_from: Option<Timestamp>,
    /// Placed before.
    pub placed_until: Option<Timestamp>,
}

impl Trade {
    /// An order of the caller's company, as buyer or seller.
    pub async fn order(&self, scope: &Scope, id: OrderId) -> Result<Order> {
        let order = store::load(self.db.reader(), id)
            .await?
            .ok_or(TradeError::NotFound("order"))?;
        if order.side_of(scope.company_id()).is_none() {
            return Err(TradeError::NotFound("order"));
        }
        Ok(order)
    }

    /// Any order, for the operator.
    pub async fn order_for_operator(&self, id: OrderId) -> Result<Order> {
        store::load(self.db.reader(), id)
            .await?
            .ok_or(TradeError::NotFound("order"))
    }

    /// The order if the caller is its seller with a role `allowed` accepts.
    pub(crate) async fn seller_may(
        &self,
        scope: &Scope,
        id: OrderId,
        allowed: fn(Role) -> bool,
    ) -> Result<Order> {
        let order = self.order(scope, id).await?;
        if order.seller != scope.company_id() {
            return Err(TradeError::state(
                "seller_only",
                "only the seller does this",
            ));
        }
        if !allowed(scope.role()) {
            return Err(TradeError::Forbidden);
        }
        Ok(order)
    }

    /// The order if the caller is its buyer with a role `allowed` accepts.
    pub(crate) async fn buyer_may(
        &self,
        scope: &Scope,
        id: OrderId,
        allowed: fn(Role) -> bool,
    ) -> Result<Order> {
        let order = self.order(scope, id).await?;
        if order.buyer != scope.company_id() {
            return Err(TradeError::state("buyer_only", "only the buyer does this"));
        }
        if !allowed(scope.role()) {
            return Err(TradeError::Forbidden);
        }
        Ok(order)
    }

    /// The company's orders as buyer or seller, newest first.
    pub async fn orders(
        &self,
        scope: &Scope,
        perspective: Perspective,
        filter: &OrderFilter,
        page: PageRequest,
    ) -> Result<Page<Order>> {
        let side = match perspective {
            Perspective::Buyer => "company_id",
            Perspective::Seller => "seller_company_id",
        };
        let other = match perspective {
            Perspective::Buyer => "seller_company_id",
            Perspective::Seller => "company_id",
        };
        let found = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM trade_order WHERE {side} = $1 AND id < $2
             AND ($3 = '' OR state = $3) AND ($4 = 0 OR {other} = $4)
             AND created_at >= $5 AND created_at < $6
             ORDER BY id DESC LIMIT $7"
        ))
        .bind(scope.company_id())
        .bind(page.after.unwrap_or(i64::MAX))
        .bind(filter.state.map_or("", OrderState::as_str))
        .bind(filter.counterparty.map_or(0, CompanyId::raw))
        .bind(filter.placed_from.map_or(i64::MIN, Timestamp::micros))
        .bind(filter.placed_until.map_or(i64::MAX, Timestamp::micros))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let mut orders = found
            .iter()
            .map(rows::order)
            .collect::<Result<Vec<_>, _>>()?;
        self.attach_lines(&mut orders).await?;
        Ok(Page::from_rows(orders, page, |order| order.id.raw()))
    }

    /// Every order's lines, read per buyer (the leading key).
    async fn attach_lines(&self, orders: &mut [Order]) -> Result<()> {
        let mut buyers: Vec<CompanyId> = orders.iter().map(|order| order.buyer).collect();
        buyers.sort();
        buyers.dedup();
        for buyer in buyers {
            let ids: Vec<OrderId> = orders
                .iter()
                .filter(|o| o.buyer == buyer)
                .map(|o| o.id)
                .collect();
            for (order_id, line) in store::lines_of(self.db.reader(), buyer, &ids).await? {
                if let Some(order) = orders.iter_mut().find(|o| o.id == order_id) {
                    order.lines.push(line);
                }
            }
        }
        Ok(())
    }

    /// The order's timeline, oldest first (bounded: an order has few entries,
    /// but a chatty carrier is cut at the limit).
    pub async fn timeline(&self, order: &Order) -> Result<Vec<HistoryEntry>> {
        const ENTRIES_MAX: i64 = 500;
        let found = sqlx::query(
            "SELECT id, kind, actor_company_id, note, at FROM trade_order_history
             WHERE company_id = $1 AND order_id = $2 ORDER BY at, id LIMIT $3",
        )
        .bind(order.buyer)
        .bind(order.id)
        .bind(ENTRIES_MAX)
        .fetch_all(self.db.reader())
        .await?;
        found
            .iter()
            .map(|row| {
                let actor: i64 = row.try_get("actor_company_id")?;
                Ok(HistoryEntry {
                    id: HistoryId::from_raw(row.try_get("id")?),
                    kind: row.try_get("kind")?,
                    actor: (actor != 0).then(|| CompanyId::from_raw(actor)),
                    note: row.try_get("note")?,
                    at: rows::timestamp(row, "at")?,
                })
            })
            .collect()
    }

    /// The order's refund requests, oldest first.
    pub async fn refunds(&self, order: &Order) -> Result<Vec<Refund>> {
        let found = sqlx::query(&format!(
            "SELECT {REFUND_COLUMNS} FROM trade_refund WHERE order_id = $1 ORDER BY id"
        ))
        .bind(order.id)
        .fetch_all(self.db.reader())
        .await?;
        Ok(found
            .iter()
            .map(rows::refund)
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// The order's dispute, if one was opened.
    pub async fn dispute_of(&self, order: &Order) -> Result<Option<Dispute>> {
        let found = sqlx::query(&format!(
            "SELECT {DISPUTE_COLUMNS} FROM trade_dispute WHERE order_id = $1"
        ))
        .bind(order.id)
        .fetch_optional(self.db.reader())
        .await?;
        Ok(found.as_ref().map(rows::dispute).transpose()?)
    }

    /// The operator's queue: disputes with `status` (`open` or `resolved`),
    /// oldest open first.
    pub async fn disputes(&self, status: &str, page: PageRequest) -> Result<Page<Dispute>> {
        let found = sqlx::query(&format!(
            "SELECT {DISPUTE_COLUMNS} FROM trade_dispute WHERE status = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(status)
        .bind(page.after.unwrap_or(0))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let items = found
            .iter()
            .map(rows::dispute)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(items, page, |dispute| dispute.id.raw()))
    }
}
