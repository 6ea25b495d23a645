//! The demo network's orders: a few dozen orders over the last four months,
//! mostly importers abroad buying the Chinese makers' products and some makers
//! buying from each other, in every state an order can be in, so that a
//! newcomer signing in as buyer or supplier finds a living order list.
//!
//! The plan is data (`orders.toml`); this file reads it and carries out each
//! step through the trade service as the member would (`replay.rs` decides
//! when), so stock, escrow, wallets, the ledger, the timeline and the events
//! agree. Delivery, the clock's cancellations and confirmations, and the
//! releases are not steps: the network does them between the steps, as it
//! would have. Last comes one order from an accepted quotation, made today by
//! the market and trade services themselves.

use std::collections::{BTreeSet, HashMap};

use anyhow::Context as _;
use kernel::page::PageRequest;
use kernel::{CompanyId, Scope};
use serde::Deserialize;

use super::money::DemoMember;
use super::{DEMO_COMPANIES, every_page};

/// The plan, read at start-up and checked by the tests below.
const PLAN_TOML: &str = include_str!("orders.toml");

/// What a load of the demo orders found and made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrdersSummary {
    /// Orders the demo companies placed, in any state.
    pub orders: usize,
    /// Of those, the ones not closed yet (neither settled, declined,
    /// cancelled nor refunded).
    pub open: usize,
    /// Orders made by this load; zero when the demo orders were there already.
    pub created: usize,
}

impl OrdersSummary {
    pub(super) const NONE: OrdersSummary = OrdersSummary {
        orders: 0,
        open: 0,
        created: 0,
    };
}

/// `orders.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OrderPlan {
    pub(super) order: Vec<PlannedOrder>,
    pub(super) quotation: PlannedQuotation,
}

/// One order and what its two sides do with it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlannedOrder {
    /// Ties the steps together in error messages; stored nowhere.
    pub(super) name: String,
    /// By legal name, as in `companies.rs`.
    pub(super) buyer: String,
    pub(super) seller: String,
    /// Incoterms, for an order across a border.
    #[serde(default)]
    pub(super) terms: String,
    /// The buyer's note on the order.
    #[serde(default)]
    pub(super) note: String,
    pub(super) lines: Vec<PlannedLine>,
    /// The state the order is in after the load (`settled`, `shipped`, ...).
    pub(super) ends: String,
    pub(super) steps: Vec<PlannedStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlannedLine {
    /// The seller's product, by SKU.
    pub(super) sku: String,
    pub(super) quantity: i64,
}

/// A step at a time of day: `day` days after the history starts (midnight
/// UTC), at `hour` UTC.
#[derive(Debug, Deserialize)]
pub(super) struct PlannedStep {
    pub(super) day: i64,
    pub(super) hour: i64,
    #[serde(flatten)]
    pub(super) action: Action,
}

/// What one side (or the operator) does.
#[derive(Debug, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub(super) enum Action {
    Place,
    Confirm {
        #[serde(default)]
        shipping_fee_minor: i64,
        #[serde(default)]
        note: String,
    },
    Decline {
        reason: String,
    },
    Cancel {
        by: Party,
        reason: String,
    },
    Pay,
    /// With the sandbox carrier; `packages` per line, one each if left out.
    Ship {
        #[serde(default)]
        packages: Vec<i64>,
    },
    /// The buyer confirms receipt.
    Receive,
    Refund {
        /// The whole total when left out.
        amount_minor: Option<i64>,
        reason: String,
        #[serde(default)]
        with_return: bool,
    },
    AcceptRefund {
        #[serde(default)]
        answer: String,
    },
    RefuseRefund {
        answer: String,
    },
    /// The seller has the returned goods back.
    GoodsReturned,
    Dispute {
        by: Party,
        reason: String,
    },
    /// The operator's decision on the order's dispute.
    Decide {
        to_buyer_minor: i64,
        decision: String,
    },
}

impl Action {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Action::Place => "place",
            Action::Confirm { .. } => "confirm",
            Action::Decline { .. } => "decline",
            Action::Cancel { .. } => "cancel",
            Action::Pay => "pay",
            Action::Ship { .. } => "ship",
            Action::Receive => "receive",
            Action::Refund { .. } => "refund",
            Action::AcceptRefund { .. } => "accept_refund",
            Action::RefuseRefund { .. } => "refuse_refund",
            Action::GoodsReturned => "goods_returned",
            Action::Dispute { .. } => "dispute",
            Action::Decide { .. } => "decide",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Party {
    Buyer,
    Seller,
}

/// The buying request whose quotation the buyer accepts at the end of the
/// load, by its title; the catalog posted it and the supplier quoted on it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlannedQuotation {
    pub(super) buyer: String,
    pub(super) supplier: String,
    pub(super) request: String,
}

impl OrderPlan {
    /// The plan, read and checked: every state it ends in is a state.
    pub(super) fn read() -> anyhow::Result<OrderPlan> {
        let plan: OrderPlan = toml::from_str(PLAN_TOML).context("orders.toml does not read")?;
        for order in &plan.order {
            anyhow::ensure!(
                trade::OrderState::parse(&order.ends).is_some(),
                "the demo order {} ends in {:?}, which is no state",
                order.name,
                order.ends
            );
        }
        Ok(plan)
    }
}

/// Where the buyer's goods go: its address, then its name, so the carrier's
/// tracking shows the street.
fn delivery_address(buyer: &str) -> anyhow::Result<String> {
    let company = DEMO_COMPANIES
        .iter()
        .find(|company| company.legal_name == buyer)
        .with_context(|| format!("{buyer} is not a demo company"))?;
    Ok(format!(
        "{}\n{} ({})",
        company.address, company.legal_name, company.country
    ))
}

/// Carries out the plan's steps one at a time, remembering the orders placed.
pub(super) struct OrderReplay<'a> {
    trade: &'a trade::Trade,
    members: &'a HashMap<&'static str, DemoMember>,
    /// The sellers' products by seller and SKU.
    products: HashMap<(CompanyId, String), market::ProductId>,
    /// The orders placed so far, by the plan's name.
    placed: HashMap<&'a str, trade::OrderId>,
    operator: kernel::UserId,
    /// Sellers that have shipped with the sandbox carrier: their parcels may
    /// have tracking reports due.
    pub(super) shippers: BTreeSet<CompanyId>,
    /// Orders placed so far.
    pub(super) created: usize,
}

impl<'a> OrderReplay<'a> {
    /// Reads the products of every seller the plan names.
    pub(super) async fn new(
        trade: &'a trade::Trade,
        market: &market::Market,
        members: &'a HashMap<&'static str, DemoMember>,
        plan: &OrderPlan,
        operator: kernel::UserId,
    ) -> anyhow::Result<OrderReplay<'a>> {
        let sellers: BTreeSet<&str> = plan
            .order
            .iter()
            .map(|order| order.seller.as_str())
            .collect();
        let mut products = HashMap::new();
        for seller in sellers {
            let scope = &member(members, seller)?.owner_scope;
            for product in every_page(|page| market.own_products(scope, None, page)).await? {
                products.insert((product.company_id, product.sku), product.id);
            }
        }
        Ok(OrderReplay {
            trade,
            members,
            products,
            placed: HashMap::new(),
            operator,
            shippers: BTreeSet::new(),
            created: 0,
        })
    }

    /// One step of `order`, at the clock's time.
    pub(super) async fn apply(
        &mut self,
        order: &'a PlannedOrder,
        step: &PlannedStep,
    ) -> anyhow::Result<()> {
        self.carry_out(order, &step.action).await.with_context(|| {
            format!(
                "the demo order {} on day {}: {}",
                order.name,
                step.day,
                step.action.name()
            )
        })
    }

    async fn carry_out(&mut self, order: &'a PlannedOrder, action: &Action) -> anyhow::Result<()> {
        let buyer = &member(self.members, &order.buyer)?.owner_scope;
        let seller = &member(self.members, &order.seller)?.owner_scope;
        let scope_of = |party: Party| match party {
            Party::Buyer => buyer,
            Party::Seller => seller,
        };
        let trade = self.trade;
        if let Action::Place = action {
            let input = self.order_input(order, seller.company_id())?;
            let placed = trade.place_order(buyer, &input).await?;
            self.placed.insert(order.name.as_str(), placed.id);
            self.created += 1;
            return Ok(());
        }
        let id = *self
            .placed
            .get(order.name.as_str())
            .context("the order was never placed")?;
        match action {
            // Placed above: the order has no id before.
            Action::Place => {}
            Action::Confirm {
                shipping_fee_minor,
                note,
            } => {
                let input = trade::ConfirmInput {
                    shipping_fee_minor: *shipping_fee_minor,
                    note: note.clone(),
                    ..trade::ConfirmInput::default()
                };
                trade.confirm_order(seller, id, &input).await?;
            }
            Action::Decline { reason } => {
                trade.decline_order(seller, id, reason).await?;
            }
            Action::Cancel { by, reason } => {
                trade.cancel_order(scope_of(*by), id, reason).await?;
            }
            Action::Pay => {
                trade.pay_order(buyer, id).await?;
            }
            Action::Ship { packages } => {
                let placed = trade.order(seller, id).await?;
                let packing_list = packing_list(&placed, packages)?;
                let input = trade::ShipInput {
                    carrier: trade::carrier::SANDBOX_CARRIER.to_owned(),
                    tracking_number: String::new(),
                    packing_list,
                };
                trade.ship_order(seller, id, &input).await?;
                self.shippers.insert(seller.company_id());
            }
            Action::Receive => {
                trade.confirm_receipt(buyer, id).await?;
            }
            Action::Refund {
                amount_minor,
                reason,
                with_return,
            } => {
                let placed = trade.order(buyer, id).await?;
                let input = trade::RefundInput {
                    amount_minor: amount_minor.unwrap_or(placed.total_minor),
                    reason: reason.clone(),
                    with_return: *with_return,
                };
                trade.request_refund(buyer, id, &input).await?;
            }
            Action::AcceptRefund { answer } => {
                let refund = self.last_refund(seller, id).await?;
                trade
                    .answer_refund(seller, id, refund, true, answer)
                    .await?;
            }
            Action::RefuseRefund { answer } => {
                let refund = self.last_refund(seller, id).await?;
                trade
                    .answer_refund(seller, id, refund, false, answer)
                    .await?;
            }
            Action::GoodsReturned => {
                let refund = self.last_refund(seller, id).await?;
                trade.confirm_return(seller, id, refund).await?;
            }
            Action::Dispute { by, reason } => {
                trade.open_dispute(scope_of(*by), id, reason).await?;
            }
            Action::Decide {
                to_buyer_minor,
                decision,
            } => {
                let placed = trade.order(buyer, id).await?;
                let dispute = trade
                    .dispute_of(&placed)
                    .await?
                    .context("the order has no dispute to decide")?;
                let input = trade::DecisionInput {
                    to_buyer_minor: *to_buyer_minor,
                    decision: decision.clone(),
                };
                trade
                    .resolve_dispute(self.operator, dispute.id, &input)
                    .await?;
            }
        }
        Ok(())
    }

    fn order_input(
        &self,
        order: &PlannedOrder,
        seller: CompanyId,
    ) -> anyhow::Result<trade::OrderInput> {
        let lines = order
            .lines
            .iter()
            .map(|line| {
                let product_id = *self
                    .products
                    .get(&(seller, line.sku.clone()))
                    .with_context(|| format!("{} lists no product {}", order.seller, line.sku))?;
                Ok(trade::LineInput {
                    product_id,
                    quantity: line.quantity,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(trade::OrderInput {
            lines,
            delivery_address: delivery_address(&order.buyer)?,
            buyer_note: order.note.clone(),
            terms: order.terms.clone(),
        })
    }

    async fn last_refund(
        &self,
        scope: &Scope,
        id: trade::OrderId,
    ) -> anyhow::Result<trade::RefundId> {
        let placed = self.trade.order(scope, id).await?;
        let refund = self
            .trade
            .refunds(&placed)
            .await?
            .pop()
            .context("the order has no refund request")?;
        Ok(refund.id)
    }

    /// Every order of the plan is in the state the plan says it ends in.
    pub(super) async fn check_ends(&self, plan: &'a OrderPlan) -> anyhow::Result<()> {
        let mut wrong = Vec::new();
        for order in &plan.order {
            let buyer = &member(self.members, &order.buyer)?.owner_scope;
            let id = *self
                .placed
                .get(order.name.as_str())
                .with_context(|| format!("the demo order {} was never placed", order.name))?;
            let state = self.trade.order(buyer, id).await?.state;
            if state.as_str() != order.ends {
                wrong.push(format!(
                    "{} is {}, not {}",
                    order.name,
                    state.as_str(),
                    order.ends
                ));
            }
        }
        anyhow::ensure!(
            wrong.is_empty(),
            "demo orders ended elsewhere than planned: {}",
            wrong.join("; ")
        );
        Ok(())
    }
}

fn member<'m>(
    members: &'m HashMap<&'static str, DemoMember>,
    legal_name: &str,
) -> anyhow::Result<&'m DemoMember> {
    members
        .get(legal_name)
        .with_context(|| format!("{legal_name} is not a demo company"))
}

/// Every line in full, in the number of packages the plan gives for it.
fn packing_list(order: &trade::Order, packages: &[i64]) -> anyhow::Result<Vec<trade::PackingItem>> {
    if packages.is_empty() {
        return Ok(Vec::new());
    }
    anyhow::ensure!(
        packages.len() == order.lines.len(),
        "{} package counts for {} lines",
        packages.len(),
        order.lines.len()
    );
    Ok(order
        .lines
        .iter()
        .zip(packages)
        .map(|(line, packages)| trade::PackingItem {
            line_no: line.line_no,
            quantity: line.quantity,
            packages: *packages,
        })
        .collect())
}

/// The buyer accepts the supplier's quotation on the plan's buying request,
/// today, through the market; trade opens the order from it when the outbox
/// is delivered. Answers the order, confirmed and waiting for payment.
pub(super) async fn accept_quotation(
    services: &web::Services,
    members: &HashMap<&'static str, DemoMember>,
    planned: &PlannedQuotation,
) -> anyhow::Result<trade::Order> {
    let market = &services.market;
    let buyer = &member(members, &planned.buyer)?.owner_scope;
    let supplier = member(members, &planned.supplier)?.company_id;
    let rfq = every_page(|page| market.own_rfqs(buyer, page))
        .await?
        .into_iter()
        .find(|rfq| rfq.title == planned.request)
        .with_context(|| {
            format!(
                "{} has no buying request {:?}",
                planned.buyer, planned.request
            )
        })?;
    let (_, quotations) = market.quotations_for_rfq(buyer, rfq.id).await?;
    let quotation = quotations
        .iter()
        .find(|quotation| quotation.company_id == supplier)
        .with_context(|| {
            format!(
                "{} has not quoted on {:?}",
                planned.supplier, planned.request
            )
        })?;
    market.accept_quotation(buyer, quotation.id).await?;
    super::deliver_outbox(services).await?;
    let filter = trade::OrderFilter {
        counterparty: Some(supplier),
        ..trade::OrderFilter::default()
    };
    services
        .trade
        .orders(
            buyer,
            trade::Perspective::Buyer,
            &filter,
            PageRequest::first(),
        )
        .await?
        .items
        .into_iter()
        .find(|order| order.quotation_id == Some(quotation.id))
        .context("no order was opened from the accepted quotation")
}

/// Whether any demo company has bought anything: then the orders were loaded
/// before, and loading them again would double them.
pub(super) async fn orders_exist(
    trade: &trade::Trade,
    members: &HashMap<&'static str, DemoMember>,
) -> anyhow::Result<bool> {
    for member in members.values() {
        let page = trade
            .orders(
                &member.owner_scope,
                trade::Perspective::Buyer,
                &trade::OrderFilter::default(),
                PageRequest::first(),
            )
            .await?;
        if !page.items.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts the demo companies' orders now, made by this load or an earlier one.
pub(super) async fn count_orders(
    trade: &trade::Trade,
    members: &HashMap<&'static str, DemoMember>,
) -> anyhow::Result<OrdersSummary> {
    let mut summary = OrdersSummary::NONE;
    let every_order = trade::OrderFilter::default();
    for member in members.values() {
        // Every order has one buyer, so counting each buyer's list counts it once.
        let bought = every_page(|page| {
            trade.orders(
                &member.owner_scope,
                trade::Perspective::Buyer,
                &every_order,
                page,
            )
        })
        .await?;
        summary.orders += bought.len();
        summary.open += bought
            .iter()
            .filter(|order| !order.state.is_closed())
            .count();
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use super::*;
    use crate::demo::catalog::listed_products;
    use crate::demo::clock::HISTORY_DAYS;
    use crate::demo::company_names::{HENGXIN_THERMOS, VOGEL_HAMBURG};

    fn plan() -> OrderPlan {
        OrderPlan::read().unwrap()
    }

    fn country_of(legal_name: &str) -> &'static str {
        DEMO_COMPANIES
            .iter()
            .find(|company| company.legal_name == legal_name)
            .unwrap_or_else(|| panic!("{legal_name} is not a demo company"))
            .country
    }

    fn has(order: &PlannedOrder, wanted: fn(&Action) -> bool) -> bool {
        order.steps.iter().any(|step| wanted(&step.action))
    }

    #[test]
    fn every_order_buys_listed_products_of_one_seller_within_their_stock() {
        let products: HashMap<(String, String), _> = listed_products()
            .into_iter()
            .map(|product| ((product.company.to_owned(), product.sku.clone()), product))
            .collect();
        let mut ordered: BTreeMap<(String, String), i64> = BTreeMap::new();
        let mut names = HashSet::new();
        let plan = plan();
        assert!(
            (40..=60).contains(&plan.order.len()),
            "{} orders",
            plan.order.len()
        );
        for order in &plan.order {
            let name = &order.name;
            assert!(names.insert(name), "{name} twice");
            assert_ne!(order.buyer, order.seller, "{name}");
            let cross_border = country_of(&order.buyer) != country_of(&order.seller);
            // A cross-border order names its terms; trade refuses it otherwise.
            assert_eq!(!order.terms.is_empty(), cross_border, "{name}");
            if cross_border {
                assert!(
                    market::ShippingTerms::parse(&order.terms).is_some(),
                    "{name}"
                );
            }
            assert!(delivery_address(&order.buyer).is_ok(), "{name}");
            let mut currencies = HashSet::new();
            let mut total_minor = 0;
            for line in &order.lines {
                let key = (order.seller.clone(), line.sku.clone());
                let product = products
                    .get(&key)
                    .unwrap_or_else(|| panic!("{name}: {} lists no {}", order.seller, line.sku));
                assert_eq!(
                    product.status,
                    market::ProductStatus::Published,
                    "{name}: {} is not on the market",
                    line.sku
                );
                assert!(
                    line.quantity >= product.moq,
                    "{name}: {} below the MOQ",
                    line.sku
                );
                currencies.insert(product.currency);
                let unit_price = market::price::unit_price_at(&product.price_tiers, line.quantity);
                total_minor += unit_price.unwrap() * line.quantity;
                *ordered.entry(key).or_default() += line.quantity;
            }
            assert_eq!(currencies.len(), 1, "{name}: one order, one currency");
            for step in &order.steps {
                match step.action {
                    Action::Confirm {
                        shipping_fee_minor, ..
                    } => total_minor += shipping_fee_minor,
                    Action::Refund {
                        amount_minor: Some(amount_minor),
                        ..
                    }
                    | Action::Decide {
                        to_buyer_minor: amount_minor,
                        ..
                    } => assert!(
                        (1..total_minor).contains(&amount_minor),
                        "{name}: {amount_minor} back of {total_minor}"
                    ),
                    _ => {}
                }
            }
        }
        // Even if every order held its stock at once, none is oversold.
        for (key, quantity) in ordered {
            let stock = products[&key].available_quantity;
            assert!(quantity <= stock, "{key:?}: {quantity} ordered of {stock}");
        }
    }

    #[test]
    fn every_order_is_placed_first_and_its_steps_come_in_order_within_the_history() {
        for order in &plan().order {
            let name = &order.name;
            assert!(
                matches!(
                    order.steps.first().map(|step| &step.action),
                    Some(Action::Place)
                ),
                "{name} starts by being placed"
            );
            let mut previous = (0, 0);
            for step in &order.steps {
                assert!((0..24).contains(&step.hour), "{name}");
                assert!(
                    (step.day, step.hour) >= previous,
                    "{name}: day {} comes after day {}",
                    step.day,
                    previous.0
                );
                previous = (step.day, step.hour);
                // The last day of the history ends at midnight before the
                // load at the latest; a step on it may not reach past that.
                assert!(step.day < HISTORY_DAYS, "{name}");
                if let Action::Ship { packages } = &step.action {
                    assert!(
                        packages.is_empty() || packages.len() == order.lines.len(),
                        "{name}: packages per line"
                    );
                }
            }
            let places = order
                .steps
                .iter()
                .filter(|step| matches!(step.action, Action::Place))
                .count();
            assert_eq!(places, 1, "{name}");
        }
    }

    #[test]
    fn the_plan_ends_in_every_state_with_every_kind_of_claim() {
        let plan = plan();
        let ends: HashSet<trade::OrderState> = plan
            .order
            .iter()
            .filter_map(|order| trade::OrderState::parse(&order.ends))
            .collect();
        for state in trade::OrderState::ALL {
            assert!(ends.contains(&state), "no order ends {}", state.as_str());
        }
        let ending =
            |state: &'static str| plan.order.iter().filter(move |order| order.ends == state);
        assert!(
            ending("settled").count() > plan.order.len() / 2,
            "most orders are settled"
        );
        assert!(
            ending("cancelled").any(|order| !has(order, |a| matches!(a, Action::Cancel { .. }))),
            "one order is cancelled by the unpaid timer"
        );
        assert!(
            ending("refunded").any(|order| !has(order, |a| matches!(a, Action::Ship { .. }))),
            "one order is refunded before shipping"
        );
        assert!(
            ending("settled").any(|order| {
                order.steps.iter().any(|step| {
                    matches!(
                        step.action,
                        Action::Refund {
                            amount_minor: Some(_),
                            ..
                        }
                    )
                }) && has(order, |a| matches!(a, Action::AcceptRefund { .. }))
            }),
            "one order is refunded in part after delivery and settled"
        );
        assert!(
            ending("delivered").any(|order| {
                order.steps.iter().any(|step| {
                    matches!(
                        step.action,
                        Action::Refund {
                            with_return: true,
                            ..
                        }
                    )
                }) && has(order, |a| matches!(a, Action::AcceptRefund { .. }))
                    && !has(order, |a| matches!(a, Action::GoodsReturned))
            }),
            "one refund waits for the goods to come back"
        );
        assert!(
            plan.order.iter().any(|order| {
                has(order, |a| matches!(a, Action::RefuseRefund { .. }))
                    && has(order, |a| matches!(a, Action::Dispute { .. }))
                    && !has(order, |a| matches!(a, Action::Decide { .. }))
            }),
            "one refused refund is in an open dispute"
        );
        assert!(
            plan.order.iter().any(|order| has(
                order,
                |a| matches!(a, Action::Decide { decision, .. } if !decision.is_empty())
            )),
            "one dispute is decided with a reason"
        );
    }

    #[test]
    fn the_readme_buyer_and_supplier_trade_with_each_other_in_varied_states() {
        let plan = plan();
        let between: Vec<&PlannedOrder> = plan
            .order
            .iter()
            .filter(|order| order.buyer == VOGEL_HAMBURG && order.seller == HENGXIN_THERMOS)
            .collect();
        let states: HashSet<&str> = between.iter().map(|order| order.ends.as_str()).collect();
        assert!(between.len() >= 5, "{} orders", between.len());
        assert!(states.len() >= 4, "{states:?}");
        assert_eq!(
            (
                plan.quotation.buyer.as_str(),
                plan.quotation.supplier.as_str()
            ),
            (VOGEL_HAMBURG, HENGXIN_THERMOS),
            "the order from a quotation is theirs too"
        );
    }
}
