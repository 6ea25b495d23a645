//! The soak's orders after a restart: abandoned money steps finished as a
//! person would finish them, completed orders awaited until the settlement
//! round has released them, and every order checked against the steps sent
//! to it: each answered step is in its timeline, the timeline has no step
//! that was refused or never sent, the state is the one its timeline leads
//! to, its lines' stock and its refunds agree with that state, and each
//! product's stock adds up. What orders mean for wallets (`wallet_terms`) is
//! checked with the rest of the money in `verify.rs`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::Rng;
use serde_json::{Value, json};

use super::trading::{self, Action, STOCK_PER_PRODUCT};
use super::verify::{Findings, all_pages, get_json};
use super::workload::{self, Company, Kind, Operation, Outcome, Request};

/// How long the settlement round (every second) may take to settle the
/// completed orders after a restart.
const SETTLEMENT_WAIT_MAX: Duration = Duration::from_secs(15);
/// Of abandoned payments, the share a person finishes by paying again; for
/// the rest the seller cancels the order instead, which must find the
/// payment if it reached escrow.
const PAY_AGAIN_PROBABILITY: f64 = 0.75;

/// A company's orders and products as the server has them.
pub struct OrderRecords {
    pub bought: Vec<Value>,
    pub sold: Vec<Value>,
    /// Its own products (empty for a company that does not sell).
    pub products: Vec<Value>,
}

pub async fn order_records(
    client: &reqwest::Client,
    base_url: &str,
) -> anyhow::Result<OrderRecords> {
    Ok(OrderRecords {
        bought: all_pages(client, base_url, "/api/v1/orders?side=buyer").await?,
        sold: all_pages(client, base_url, "/api/v1/orders?side=seller").await?,
        products: all_pages(client, base_url, "/api/v1/catalog/products").await?,
    })
}

fn minor(order: &Value, field: &str) -> i64 {
    order[field].as_i64().unwrap_or(0)
}

fn state(order: &Value) -> &str {
    order["state"].as_str().unwrap_or_default()
}

/// The operator's part of an escrow's fee when `to_seller_minor` of its
/// `total_minor` goes to the seller: in proportion, rounded down (pay's rule).
fn fee_share(fee_minor: i64, total_minor: i64, to_seller_minor: i64) -> i64 {
    if total_minor <= 0 {
        return 0;
    }
    i64::try_from(i128::from(fee_minor) * i128::from(to_seller_minor) / i128::from(total_minor))
        .unwrap_or(i64::MAX)
}

/// What a company's orders do to its wallet, in minor units.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WalletTerms {
    /// Paid for orders it bought that closed: the total less the refund.
    pub paid: i64,
    /// Held in escrow for orders it bought that are paid and not closed.
    pub held: i64,
    /// Received for orders it sold that settled: its share less the fee.
    pub received: i64,
}

pub fn wallet_terms(records: &OrderRecords) -> WalletTerms {
    let mut terms = WalletTerms::default();
    for order in &records.bought {
        let (total, refunded) = (minor(order, "total_minor"), minor(order, "refunded_minor"));
        match state(order) {
            "settled" | "refunded" => terms.paid += total - refunded,
            state if trading::holds_escrow(state) => terms.held += total,
            _ => {}
        }
    }
    for order in records.sold.iter().filter(|o| state(o) == "settled") {
        let total = minor(order, "total_minor");
        let to_seller = total - minor(order, "refunded_minor");
        terms.received += to_seller - fee_share(minor(order, "fee_minor"), total, to_seller);
    }
    terms
}

/// Finishes the money steps a crash left in doubt for good (their key stays
/// "in progress"): a payment whose hold may have reached escrow without the
/// order, or an accepted refund whose money may have moved without the
/// order closing. A person sees the order still asking for the step and takes
/// it again with a new key; now and then the seller cancels the unpaid order
/// instead. A completed order needs nothing: the settlement round finishes it.
pub async fn heal_orders(
    companies: &[Company],
    base_url: &str,
    cycle: usize,
    log: &mut Vec<Operation>,
    findings: &mut Findings,
) -> anyhow::Result<()> {
    let abandoned: Vec<Operation> = log
        .iter()
        .filter(|op| op.cycle == cycle && op.outcome == Outcome::Abandoned)
        .filter(|op| {
            matches!(&op.kind, Kind::Order(step)
                if matches!(step.action, Action::Pay | Action::AcceptRefund { .. }))
        })
        .cloned()
        .collect();
    let mut rng = rand::thread_rng();
    for op in abandoned {
        let Kind::Order(step) = &op.kind else {
            continue;
        };
        let Some(order_id) = &step.order_id else {
            continue;
        };
        let buyer = &companies[step.buyer];
        let detail = get_json(
            &buyer.client,
            &format!("{base_url}/api/v1/orders/{order_id}"),
        )
        .await?;
        let order = &detail["order"];
        let still_asked = match &step.action {
            Action::Pay => state(order) == "confirmed",
            Action::AcceptRefund { refund_id } => detail["refunds"]
                .as_array()
                .and_then(|refunds| refunds.iter().find(|r| r["id"] == refund_id.as_str()))
                .is_some_and(|refund| refund["status"] == "requested"),
            _ => false,
        };
        if !still_asked {
            continue;
        }
        let (actor, action, path, body) =
            if step.action == Action::Pay && !rng.gen_bool(PAY_AGAIN_PROBABILITY) {
                let seller = companies
                    .iter()
                    .position(|c| order["seller"] == c.company_id.as_str())
                    .context("the order's seller is not a soak company")?;
                let path = format!("/api/v1/orders/{order_id}/cancel");
                (
                    seller,
                    Action::Cancel,
                    path,
                    json!({"reason": "the payment never showed"}),
                )
            } else {
                (
                    op.company,
                    step.action.clone(),
                    op.request.path.clone(),
                    op.request.body.clone(),
                )
            };
        let request = Request {
            path,
            body,
            key: format!("heal-{}", op.request.key),
        };
        let started = Instant::now();
        let Some(Ok((answer, _))) =
            workload::send(&companies[actor].client, base_url, &request).await
        else {
            anyhow::bail!("no answer while finishing {}", op.request.path);
        };
        log.push(Operation {
            company: actor,
            kind: Kind::Order(trading::Step {
                action,
                ..step.clone()
            }),
            request,
            outcome: Outcome::Answered(answer),
            cycle,
            latency: started.elapsed(),
        });
        findings.healed += 1;
    }
    Ok(())
}

/// Waits until no active company has a completed order left: the settlement
/// round releases each within a second or so. One still completed after
/// [`SETTLEMENT_WAIT_MAX`] is a violation.
pub async fn await_settlement(
    active: &[Company],
    base_url: &str,
    violations: &mut BTreeSet<String>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    for company in active {
        loop {
            let page = get_json(
                &company.client,
                &format!("{base_url}/api/v1/orders?side=buyer&state=completed&limit=1"),
            )
            .await?;
            let waiting = page["items"].as_array().context("items")?;
            let Some(order) = waiting.first() else { break };
            if started.elapsed() > SETTLEMENT_WAIT_MAX {
                violations.insert(format!(
                    "company {}: order {} still completed, not settled, after {SETTLEMENT_WAIT_MAX:?}",
                    company.index, order["id"]
                ));
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    Ok(())
}

/// The order steps sent on one order, by what they did.
#[derive(Default)]
struct Sent<'a> {
    ops: Vec<&'a Operation>,
}

impl Sent<'_> {
    fn steps(&self) -> impl Iterator<Item = (&Operation, &trading::Step)> {
        self.ops.iter().filter_map(|op| match &op.kind {
            Kind::Order(step) => Some((*op, step)),
            _ => None,
        })
    }

    /// Answered with success, and answered or not but possibly done, of the
    /// steps whose timeline event is `event`.
    fn counts(&self, event: &str) -> (usize, usize) {
        let of_event = || {
            self.steps()
                .filter(|(_, s)| s.action.event() == Some(event))
        };
        let acknowledged = of_event().filter(|(op, _)| op.succeeded()).count();
        let abandoned = of_event()
            .filter(|(op, _)| op.outcome == Outcome::Abandoned)
            .count();
        (acknowledged, acknowledged + abandoned)
    }
}

/// The state an order's timeline leads to.
fn state_of_timeline(kinds: &HashMap<&str, usize>) -> &'static str {
    let has = |kind: &str| kinds.contains_key(kind);
    if has("OrderSettled") {
        "settled"
    } else if has("OrderRefunded") {
        "refunded"
    } else if has("OrderDeclined") {
        "declined"
    } else if has("OrderCancelled") {
        "cancelled"
    } else if has("OrderCompleted") {
        "completed"
    } else if has("OrderDelivered") {
        "delivered"
    } else if has("OrderShipped") {
        "shipped"
    } else if has("OrderPaid") {
        "paid"
    } else if has("OrderConfirmed") {
        "confirmed"
    } else {
        "placed"
    }
}

/// The stock every line of an order in `state` must show.
fn line_stock_of(state: &str, shipped: bool) -> &'static str {
    match state {
        "placed" | "confirmed" | "paid" => "reserved",
        "shipped" | "delivered" | "completed" | "settled" => "consumed",
        "refunded" if shipped => "consumed",
        _ => "released",
    }
}

/// Checks one order, read whole, against the steps sent to it.
fn check_order(company: usize, detail: &Value, sent: &Sent, violations: &mut BTreeSet<String>) {
    let order = &detail["order"];
    let id = order["id"].as_str().unwrap_or_default();
    let mut violation = |what: String| {
        violations.insert(format!("company {company}: order {id}: {what}"));
    };
    let mut kinds: HashMap<&str, usize> = HashMap::new();
    for entry in detail["timeline"].as_array().into_iter().flatten() {
        *kinds
            .entry(entry["kind"].as_str().unwrap_or_default())
            .or_default() += 1;
    }
    for event in [
        "OrderPlaced",
        "OrderConfirmed",
        "OrderDeclined",
        "OrderCancelled",
        "OrderPaid",
        "OrderShipped",
        "RefundRequested",
        "OrderCompleted",
    ] {
        let found = kinds.get(event).copied().unwrap_or(0);
        let (acknowledged, possible) = sent.counts(event);
        if acknowledged > 0 && found == 0 {
            violation(format!(
                "{acknowledged} answered step(s) for {event}, none in the timeline"
            ));
        }
        if found > possible {
            violation(format!(
                "{found} {event} in the timeline, but only {possible} step(s) that did or may have done it"
            ));
        }
    }
    for event in ["OrderSettled", "OrderRefunded", "OrderDelivered"] {
        if kinds.get(event).copied().unwrap_or(0) > 1 {
            violation(format!("{event} more than once"));
        }
    }
    let state = state(order);
    let expected = state_of_timeline(&kinds);
    if state != expected {
        violation(format!(
            "state {state}, but its timeline leads to {expected}"
        ));
    }

    let refunds = detail["refunds"].as_array().cloned().unwrap_or_default();
    let refunded: i64 = refunds
        .iter()
        .filter(|r| r["status"] == "refunded")
        .map(|r| minor(r, "amount_minor"))
        .sum();
    let (total, refunded_minor) = (minor(order, "total_minor"), minor(order, "refunded_minor"));
    if refunded_minor != refunded {
        violation(format!(
            "refunded_minor {refunded_minor}, its refunds paid back {refunded}"
        ));
    }
    match state {
        "refunded" if refunded_minor != total => violation(format!(
            "refunded, but {refunded_minor} of {total} went back"
        )),
        "settled" if refunded_minor >= total => violation(format!(
            "settled, but {refunded_minor} of {total} went back"
        )),
        _ => {}
    }
    let claim_open = refunds
        .last()
        .is_some_and(|r| r["status"] == "requested" || r["status"] == "awaiting_return");
    if (order["open_claim"] == true) != (claim_open && trading::holds_escrow(state)) {
        violation(format!(
            "open_claim {}, last refund {:?}",
            order["open_claim"],
            refunds.last().map(|r| &r["status"])
        ));
    }
    let wanted_stock = line_stock_of(state, !order["shipped_at"].is_null());
    for line in order["lines"].as_array().into_iter().flatten() {
        if line["stock"] != wanted_stock {
            violation(format!(
                "{state} with a line's stock {}, not {wanted_stock}",
                line["stock"]
            ));
        }
    }

    for (op, step) in sent.steps().filter(|(op, _)| op.succeeded()) {
        let answer: Value = op
            .answer()
            .and_then(|a| serde_json::from_str(&a.body).ok())
            .unwrap_or(Value::Null);
        match &step.action {
            Action::Place if answer["id"] != id => violation(format!(
                "placing answered {}, the order with its tag is {id}",
                answer["id"]
            )),
            Action::Ship { tracking_number } => {
                let shipment = &detail["shipment"];
                if shipment["tracking_number"] != tracking_number.as_str()
                    || shipment["carrier"] != "other"
                {
                    violation(format!(
                        "shipped with other {tracking_number}, the shipment is {shipment}"
                    ));
                }
            }
            Action::RequestRefund { amount_minor } => {
                let found = refunds.iter().find(|r| r["id"] == answer["id"]);
                if found.is_none_or(|r| minor(r, "amount_minor") != *amount_minor) {
                    violation(format!(
                        "refund {} of {amount_minor} answered, the order has {found:?}",
                        answer["id"]
                    ));
                }
            }
            Action::AcceptRefund { refund_id } => {
                let found = refunds.iter().find(|r| r["id"] == refund_id.as_str());
                if found.is_none_or(|r| r["status"] != "refunded") || !trading::is_closed(state) {
                    violation(format!(
                        "refund {refund_id} accepted, the order is {state} with {found:?}"
                    ));
                }
            }
            Action::ConfirmReceipt if state != "settled" => {
                violation(format!("receipt confirmed, the order is {state}"))
            }
            Action::Cancel if state != "cancelled" => {
                violation(format!("cancelled, the order is {state}"))
            }
            Action::Decline if state != "declined" => {
                violation(format!("declined, the order is {state}"))
            }
            _ => {}
        }
    }
}

/// Checks the orders `company` bought against the steps sent to them, and,
/// if it sells, its products' stock against the orders it sold. Orders found
/// closed are remembered in `final_orders` and not read whole again: nothing
/// changes a closed order.
pub async fn check_orders(
    company: &Company,
    base_url: &str,
    records: &OrderRecords,
    log: &[Operation],
    final_orders: &mut HashSet<String>,
    violations: &mut BTreeSet<String>,
) -> anyhow::Result<()> {
    let index = company.index;
    let mut by_order: HashMap<&str, Sent> = HashMap::new();
    let mut places: HashMap<&str, Vec<&Operation>> = HashMap::new();
    for op in log {
        let Kind::Order(step) = &op.kind else {
            continue;
        };
        if step.buyer != index {
            continue;
        }
        match &step.order_id {
            Some(id) => by_order.entry(id).or_default().ops.push(op),
            None => places.entry(&step.tag).or_default().push(op),
        }
    }
    let mut by_tag: HashMap<&str, Vec<&str>> = HashMap::new();
    for order in &records.bought {
        let tag = order["buyer_note"].as_str().unwrap_or_default();
        by_tag
            .entry(tag)
            .or_default()
            .push(order["id"].as_str().unwrap_or_default());
    }
    for (tag, ops) in &places {
        let found = by_tag.get(tag).map_or(0, Vec::len);
        let acknowledged = ops.iter().any(|op| op.succeeded());
        let possible = ops
            .iter()
            .any(|op| op.succeeded() || op.outcome == Outcome::Abandoned);
        if (acknowledged && found != 1) || found > usize::from(possible) {
            violations.insert(format!(
                "company {index}: {tag:?} placed (answered: {acknowledged}), {found} orders have it"
            ));
        }
    }
    for order in &records.bought {
        let id = order["id"].as_str().context("order id")?;
        if final_orders.contains(id) {
            continue;
        }
        let detail = get_json(&company.client, &format!("{base_url}/api/v1/orders/{id}")).await?;
        let mut sent = by_order.remove(id).unwrap_or_default();
        let tag = order["buyer_note"].as_str().unwrap_or_default();
        sent.ops.extend(places.get(tag).into_iter().flatten());
        check_order(index, &detail, &sent, violations);
        if trading::is_closed(state(&detail["order"])) {
            final_orders.insert(id.to_owned());
        }
    }
    check_stock(index, records, violations);
    Ok(())
}

/// Each product's stock adds up: available, plus reserved by open orders,
/// plus consumed by shipped ones, is what it started with.
fn check_stock(company: usize, records: &OrderRecords, violations: &mut BTreeSet<String>) {
    let mut committed: HashMap<&str, i64> = HashMap::new();
    for order in &records.sold {
        for line in order["lines"].as_array().into_iter().flatten() {
            if line["stock"] == "reserved" || line["stock"] == "consumed" {
                *committed
                    .entry(line["product_id"].as_str().unwrap_or_default())
                    .or_default() += minor(line, "quantity");
            }
        }
    }
    for product in &records.products {
        let id = product["id"].as_str().unwrap_or_default();
        let available = minor(product, "available_quantity");
        let taken = committed.get(id).copied().unwrap_or(0);
        if available + taken != STOCK_PER_PRODUCT {
            violations.insert(format!(
                "company {company}: product {id}: {available} available + {taken} reserved or shipped, not {STOCK_PER_PRODUCT}"
            ));
        }
    }
}

/// The orders each company bought that are still open, to go on with.
pub fn open_orders(records: &OrderRecords) -> Vec<String> {
    records
        .bought
        .iter()
        .filter(|order| !trading::is_closed(state(order)))
        .filter_map(|order| order["id"].as_str().map(str::to_owned))
        .collect()
}
