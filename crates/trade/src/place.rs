//! Placing an order from a seller's products (the stock is reserved in the
//! same transaction), and cancelling one before it is paid.

use std::collections::BTreeSet;

use kernel::{CompanyId, Currency, Money, Scope, Timestamp};
use serde::Deserialize;

use crate::error::{Result, TradeError};
use crate::events::{OrderCancelled, OrderFacts, OrderPlaced};
use crate::model::{LineStock, Order, OrderId, OrderLine, OrderState, Side};
use crate::{LINES_MAX, TEXT_CHARS_MAX, Trade, may_buy, store, timers};

/// One line as the buyer asks for it: which product, how many.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    pub product_id: market::ProductId,
    /// At least the product's MOQ; the tier price for this quantity applies.
    pub quantity: i64,
}

/// An order as the buyer places it: lines from one seller.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub lines: Vec<LineInput>,
    pub delivery_address: String,
    #[serde(default)]
    pub buyer_note: String,
    /// Incoterms (`EXW`, `FOB`, `CIF`, `DAP`, ...); required when buyer and
    /// seller are in different countries.
    #[serde(default)]
    pub terms: String,
}

impl Trade {
    /// Places an order and reserves its stock, or refuses with the field at
    /// fault and changes nothing.
    pub async fn place_order(&self, scope: &Scope, input: &OrderInput) -> Result<Order> {
        if !may_buy(scope.role()) {
            return Err(TradeError::Forbidden);
        }
        if input.lines.is_empty() {
            return Err(TradeError::invalid(
                "lines",
                "required",
                "at least one line",
            ));
        }
        if input.lines.len() > LINES_MAX {
            return Err(TradeError::invalid(
                "lines",
                "too_many",
                format!("at most {LINES_MAX} lines"),
            ));
        }
        let mut seen = BTreeSet::new();
        let mut lines = Vec::with_capacity(input.lines.len());
        let mut seller: Option<(CompanyId, Currency)> = None;
        let mut category_id = None;
        for (index, wanted) in input.lines.iter().enumerate() {
            if !seen.insert(wanted.product_id) {
                return Err(TradeError::invalid(
                    format!("lines[{index}].product_id"),
                    "duplicate",
                    "each product once; put the whole quantity on one line",
                ));
            }
            let product = match self.market.published_product(wanted.product_id).await {
                Ok(product) => product,
                Err(market::MarketError::NotFound(_)) => {
                    return Err(TradeError::invalid(
                        format!("lines[{index}].product_id"),
                        "not_for_sale",
                        "no such product on the market",
                    ));
                }
                Err(error) => return Err(error.into()),
            };
            match seller {
                None => seller = Some((product.company_id, product.currency)),
                Some((company, _)) if company != product.company_id => {
                    return Err(TradeError::invalid(
                        format!("lines[{index}].product_id"),
                        "another_seller",
                        "one order buys from one seller",
                    ));
                }
                Some((_, currency)) if currency != product.currency => {
                    return Err(TradeError::invalid(
                        format!("lines[{index}].product_id"),
                        "another_currency",
                        "one order is in one currency",
                    ));
                }
                Some(_) => {}
            }
            category_id.get_or_insert(product.category_id);
            let field = format!("lines[{index}].quantity");
            if wanted.quantity > market::price::QUANTITY_MAX {
                return Err(TradeError::invalid(
                    field,
                    "out_of_range",
                    format!("at most {}", market::price::QUANTITY_MAX),
                ));
            }
            if wanted.quantity < product.moq {
                return Err(TradeError::invalid(
                    field,
                    "below_moq",
                    format!("the minimum order is {} {}", product.moq, product.unit),
                ));
            }
            let unit_price = market::price::unit_price_at(&product.price_tiers, wanted.quantity)
                .ok_or_else(|| {
                    TradeError::invalid(field.clone(), "below_moq", "below the first price tier")
                })?;
            let line_total = Money::new(unit_price, product.currency)
                .checked_mul(wanted.quantity)
                .map_err(|_| {
                    TradeError::invalid(
                        field.clone(),
                        "out_of_range",
                        "the line's total is too large",
                    )
                })?;
            let title = if product.title_en.is_empty() || product.title_zh.is_empty() {
                format!("{}{}", product.title_zh, product.title_en)
            } else {
                format!("{} / {}", product.title_zh, product.title_en)
            };
            lines.push(OrderLine {
                line_no: i64::try_from(index).unwrap_or(0) + 1,
                product_id: Some(product.id),
                sku: product.sku.clone(),
                title,
                quantity: wanted.quantity,
                unit: product.unit.clone(),
                unit_price_minor: unit_price,
                line_total_minor: line_total.minor,
                stock: LineStock::None,
            });
        }
        let (seller, currency) = seller.ok_or(TradeError::NotFound("product"))?;
        if seller == scope.company_id() {
            return Err(TradeError::invalid(
                "lines[0].product_id",
                "own_product",
                "a company cannot order its own products",
            ));
        }
        let category_id = category_id.ok_or(TradeError::NotFound("product"))?;
        let draft = self
            .draft_order(
                scope.company_id(),
                seller,
                currency,
                lines,
                category_id,
                &input.delivery_address,
                &input.buyer_note,
                &input.terms,
            )
            .await?;
        self.insert_order(scope, draft).await
    }

    /// A new order's record, checked: the texts, the terms, the totals and
    /// the fee rate of its category.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn draft_order(
        &self,
        buyer: CompanyId,
        seller: CompanyId,
        currency: Currency,
        lines: Vec<OrderLine>,
        category_id: market::CategoryId,
        delivery_address: &str,
        buyer_note: &str,
        terms: &str,
    ) -> Result<Order> {
        let delivery_address =
            market::fields::paragraphs("delivery_address", delivery_address, TEXT_CHARS_MAX)?;
        if delivery_address.is_empty() {
            return Err(TradeError::invalid(
                "delivery_address",
                "required",
                "where the goods go",
            ));
        }
        let buyer_note = market::fields::paragraphs("buyer_note", buyer_note, TEXT_CHARS_MAX)?;
        let cross_border = self.cross_border(buyer, seller).await?;
        let terms = match terms.trim() {
            "" if cross_border => {
                return Err(TradeError::invalid(
                    "terms",
                    "required",
                    "a cross-border order names its trade terms (EXW, FOB, CIF, DAP, ...)",
                ));
            }
            "" => String::new(),
            text => market::ShippingTerms::parse(text)
                .ok_or_else(|| {
                    TradeError::invalid(
                        "terms",
                        "unknown_terms",
                        "one of EXW, FCA, FOB, CFR, CIF, DAP, DDP",
                    )
                })?
                .as_str()
                .to_owned(),
        };
        let goods = lines.iter().try_fold(Money::zero(currency), |sum, line| {
            sum.checked_add(Money::new(line.line_total_minor, currency))
        });
        let goods = goods.map_err(|_| {
            TradeError::invalid("lines", "out_of_range", "the order's total is too large")
        })?;
        if goods.minor > pay::AMOUNT_MINOR_MAX {
            return Err(TradeError::invalid(
                "lines",
                "out_of_range",
                "the order's total is above what one escrow may hold",
            ));
        }
        let fee_bp = self.fee_rate_for(category_id).await?;
        let now = self.clock.now();
        Ok(Order {
            id: OrderId::new(),
            buyer,
            seller,
            state: OrderState::Placed,
            currency,
            lines,
            goods_total_minor: goods.minor,
            shipping_fee_minor: 0,
            total_minor: goods.minor,
            fee_bp,
            fee_minor: fee_of(goods.minor, fee_bp, currency)?,
            refunded_minor: 0,
            delivery_address,
            buyer_note,
            seller_note: String::new(),
            terms,
            cross_border,
            category_id,
            quotation_id: None,
            open_claim: false,
            placed_at: now,
            confirmed_at: None,
            paid_at: None,
            shipped_at: None,
            delivered_at: None,
            completed_at: None,
            settled_at: None,
            closed_at: None,
            updated_at: now,
        })
    }

    /// Writes a drafted order, reserves its stock and publishes it, in one
    /// transaction; with its timer for an unanswered or unpaid order.
    async fn insert_order(&self, scope: &Scope, mut order: Order) -> Result<Order> {
        // Read before the transaction: on PostgreSQL reads share the pool, and
        // transactions that each wait for a second connection can starve it.
        let deadline = self.unpaid_deadline(order.placed_at).await?;
        let mut tx = self.db.begin().await?;
        self.insert_order_in(&mut tx, &mut order, actor_raw(scope), deadline)
            .await?;
        tx.commit().await?;
        Ok(order)
    }

    /// [`Trade::insert_order`] inside `tx`.
    pub(crate) async fn insert_order_in(
        &self,
        tx: &mut kernel::Tx,
        order: &mut Order,
        placed_by: i64,
        deadline: Timestamp,
    ) -> Result<()> {
        let now = order.placed_at;
        self.reserve_lines(tx, order, now).await?;
        store::insert(tx, order, placed_by).await?;
        timers::schedule_cancel_unpaid(tx, order.id, deadline, now).await?;
        let event = OrderPlaced {
            order: OrderFacts::of(order, now),
        };
        store::publish(tx, order, &event, Some(order.buyer), &order.buyer_note, now).await?;
        if order.state == OrderState::Confirmed {
            let event = crate::events::OrderConfirmed {
                order: OrderFacts::of(order, now),
            };
            store::publish(
                tx,
                order,
                &event,
                Some(order.seller),
                "the accepted quotation's terms",
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// Whether buyer and seller are in different countries, from their
    /// storefronts.
    async fn cross_border(&self, buyer: CompanyId, seller: CompanyId) -> Result<bool> {
        let country = |company| async move {
            match self.market.storefront(company).await {
                Ok(storefront) => Ok(storefront.country),
                Err(market::MarketError::NotFound(_)) => Ok(String::new()),
                Err(error) => Err(TradeError::from(error)),
            }
        };
        let (buyer, seller) = (country(buyer).await?, country(seller).await?);
        Ok(!buyer.is_empty() && !seller.is_empty() && !buyer.eq_ignore_ascii_case(&seller))
    }

    pub(crate) async fn unpaid_deadline(&self, from: Timestamp) -> Result<Timestamp> {
        let hours = self.policy().await?.unpaid_cancel_after_hours;
        Ok(from.plus_seconds(hours * 3_600))
    }

    /// Either side cancels an order that is not paid yet; its reservation is
    /// released. A payment that reached escrow first wins: the order is then
    /// paid, and cancelling it is refused.
    pub async fn cancel_order(&self, scope: &Scope, id: OrderId, reason: &str) -> Result<Order> {
        let order = self.order(scope, id).await?;
        let side = order
            .side_of(scope.company_id())
            .ok_or(TradeError::NotFound("order"))?;
        let allowed = match side {
            Side::Buyer => may_buy(scope.role()),
            Side::Seller => crate::may_sell(scope.role()),
        };
        if !allowed {
            return Err(TradeError::Forbidden);
        }
        let reason = market::fields::paragraphs("reason", reason, TEXT_CHARS_MAX)?;
        self.cancel(id, Some(scope.company_id()), &reason).await
    }

    /// Cancels an unpaid order, for a side (`by`) or for the clock (`None`).
    pub(crate) async fn cancel(
        &self,
        id: OrderId,
        by: Option<CompanyId>,
        reason: &str,
    ) -> Result<Order> {
        let order = store::load(self.db.reader(), id)
            .await?
            .ok_or(TradeError::NotFound("order"))?;
        if matches!(order.state, OrderState::Confirmed) && self.payment_held(&order).await? {
            // Finish pay's record of the hold first, if a crash cut it short.
            self.hold_payment(&order).await?;
            self.record_payment(id).await?;
            return Err(TradeError::state(
                "already_paid",
                "the order was paid; ask for a refund instead",
            ));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        timers::cancel_order_timers(&mut tx, id, now).await?;
        let order = store::locked(&mut tx, id).await?;
        let order = self.cancel_in(&mut tx, order, by, reason, now).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Cancels a locked order inside `tx` (whose caller stopped its timers).
    pub(crate) async fn cancel_in(
        &self,
        tx: &mut kernel::Tx,
        mut order: Order,
        by: Option<CompanyId>,
        reason: &str,
        now: Timestamp,
    ) -> Result<Order> {
        match order.state {
            OrderState::Placed | OrderState::Confirmed => {}
            state if state.holds_escrow() => {
                return Err(TradeError::state(
                    "already_paid",
                    "the order was paid; ask for a refund instead",
                ));
            }
            _ => return Err(TradeError::state("order_closed", "the order is closed")),
        }
        self.release_lines(tx, &mut order, now).await?;
        order.state = OrderState::Cancelled;
        order.closed_at = Some(now);
        order.updated_at = now;
        store::save(tx, &order).await?;
        let event = OrderCancelled {
            order: OrderFacts::of(&order, now),
            cancelled_by: by,
            reason: reason.to_owned(),
        };
        store::publish(tx, &order, &event, by, reason, now).await?;
        Ok(order)
    }
}

/// The fee on `total_minor` at `fee_bp`, rounded half away from zero.
pub(crate) fn fee_of(total_minor: i64, fee_bp: i64, currency: Currency) -> Result<i64> {
    Money::new(total_minor, currency)
        .checked_basis_points(fee_bp)
        .map(|fee| fee.minor)
        .map_err(|_| TradeError::invalid("total_minor", "out_of_range", "the total is too large"))
}

/// The raw id of whoever acted, for the record.
pub(crate) fn actor_raw(scope: &Scope) -> i64 {
    match scope.actor() {
        kernel::Actor::User(user) => user.raw(),
        kernel::Actor::ApiKey(key) => key,
    }
}
