//! An order's whole record as the pages show it (`orders/record.html`): both
//! companies, lines and totals, terms, address and notes, the timeline with
//! tracking, the shipment, refunds and the dispute. The member's order page
//! and the operator's dispute page show the same record.

use kernel::Currency;
use trade::{Dispute, HistoryEntry, Order, Refund, Shipment, TrackingStatus};

use super::{CompanyNames, percent, state_label};
use crate::error::ApiError;
use crate::pages::Shell;
use crate::pages::market::money;
use crate::state::AppState;

pub struct LineRow {
    pub line_no: i64,
    pub title: String,
    pub sku: String,
    pub product_href: Option<String>,
    pub quantity: i64,
    pub unit: String,
    pub unit_price: String,
    /// The unit price as typed in a form (`12.50`), for the seller's confirmation.
    pub unit_price_decimal: String,
    pub line_total: String,
}

pub struct TimelineRow {
    pub at: String,
    pub what: String,
    pub who: String,
    pub note: String,
}

pub struct PackageRow {
    pub title: String,
    pub quantity: i64,
    pub packages: i64,
}

pub struct TrackingRow {
    pub at: String,
    pub status: String,
    pub location: String,
}

pub struct ShipmentView {
    pub carrier: String,
    pub tracking_number: String,
    pub status: String,
    pub packages: Vec<PackageRow>,
    pub events: Vec<TrackingRow>,
}

pub struct RefundRow {
    pub amount: String,
    pub reason: String,
    pub with_return: bool,
    pub status: String,
    /// Still waiting for the seller, who has until `answer_by`.
    pub awaiting_answer: bool,
    pub answer: String,
    pub answer_by: String,
    pub asked_at: String,
}

pub struct DisputeView {
    pub opened_by: String,
    pub reason: String,
    pub open: bool,
    pub status: String,
    pub to_buyer: String,
    pub to_seller: String,
    pub decision: String,
    pub decided_at: String,
    pub opened_at: String,
}

/// The record of one order, ready for the template.
pub struct OrderRecord {
    pub id: String,
    pub href: String,
    pub state_label: String,
    pub buyer: String,
    pub buyer_href: String,
    pub seller: String,
    pub seller_href: String,
    pub currency: Currency,
    pub lines: Vec<LineRow>,
    pub goods_total: String,
    pub shipping_fee: String,
    pub total: String,
    pub total_decimal: String,
    /// The operator's fee and what the seller keeps: for the seller and the
    /// operator only.
    pub show_fee: bool,
    pub fee: String,
    pub fee_rate: String,
    pub seller_net: String,
    pub refunded: Option<String>,
    pub terms: String,
    pub cross_border: bool,
    pub delivery_address: String,
    pub buyer_note: String,
    pub seller_note: String,
    pub placed_at: String,
    pub timeline: Vec<TimelineRow>,
    pub shipment: Option<ShipmentView>,
    pub refunds: Vec<RefundRow>,
    pub dispute: Option<DisputeView>,
}

/// Everything the record shows, read together.
pub struct OrderParts {
    pub order: Order,
    pub timeline: Vec<HistoryEntry>,
    pub shipment: Option<Shipment>,
    pub refunds: Vec<Refund>,
    pub dispute: Option<Dispute>,
}

impl OrderParts {
    pub async fn read(state: &AppState, order: Order) -> Result<OrderParts, ApiError> {
        let timeline = state.trade.timeline(&order).await?;
        let shipment = state.trade.shipment(&order).await?;
        let refunds = state.trade.refunds(&order).await?;
        let dispute = state.trade.dispute_of(&order).await?;
        Ok(OrderParts {
            order,
            timeline,
            shipment,
            refunds,
            dispute,
        })
    }
}

fn tracking_label(shell: &Shell, status: TrackingStatus) -> String {
    shell.t(&format!(
        "order-tracking-{}",
        status.as_str().replace('_', "-")
    ))
}

/// A timeline entry's kind in the page's language (`OrderPaid` → "Paid").
fn event_label(shell: &Shell, kind: &str) -> String {
    let key = format!("order-event-{kind}");
    let text = shell.t(&key);
    if text == key { kind.to_owned() } else { text }
}

/// The record of `parts`; `show_fee` for the seller and the operator.
pub async fn record(
    state: &AppState,
    shell: &Shell,
    parts: &OrderParts,
    show_fee: bool,
) -> Result<OrderRecord, ApiError> {
    let order = &parts.order;
    let currency = order.currency;
    let mut names = CompanyNames::default();
    let buyer = names.of(state, order.buyer).await?;
    let seller = names.of(state, order.seller).await?;
    let title_of = |line_no: i64| {
        order
            .lines
            .iter()
            .find(|line| line.line_no == line_no)
            .map(|line| line.title.clone())
            .unwrap_or_else(|| line_no.to_string())
    };
    let who = |actor: Option<kernel::CompanyId>, kind: &str| match actor {
        Some(company) if company == order.buyer => buyer.clone(),
        Some(company) if company == order.seller => seller.clone(),
        Some(company) => company.to_string(),
        None if kind == "Tracking" => shell.t("order-actor-carrier"),
        None => shell.t("order-actor-hanse"),
    };
    let timeline = parts
        .timeline
        .iter()
        .map(|entry| {
            // A carrier's report is `status location`: the status in the
            // page's language, the place as reported.
            let (what, note) = match entry.note.split_once(' ') {
                Some((status, location)) if entry.kind == "Tracking" => {
                    match TrackingStatus::parse(status) {
                        Some(status) => (
                            format!(
                                "{}: {}",
                                event_label(shell, "Tracking"),
                                tracking_label(shell, status)
                            ),
                            location.to_owned(),
                        ),
                        None => (event_label(shell, &entry.kind), entry.note.clone()),
                    }
                }
                _ => (event_label(shell, &entry.kind), entry.note.clone()),
            };
            TimelineRow {
                at: shell.time(&entry.at),
                what,
                who: who(entry.actor, &entry.kind),
                note,
            }
        })
        .collect();
    let shipment = parts.shipment.as_ref().map(|shipment| ShipmentView {
        carrier: if shipment.carrier == trade::carrier::OTHER_CARRIER {
            shell.t("order-carrier-other")
        } else {
            shipment.carrier.clone()
        },
        tracking_number: shipment.tracking_number.clone(),
        status: tracking_label(shell, shipment.status),
        packages: shipment
            .packing_list
            .iter()
            .map(|item| PackageRow {
                title: title_of(item.line_no),
                quantity: item.quantity,
                packages: item.packages,
            })
            .collect(),
        events: shipment
            .events
            .iter()
            .map(|event| TrackingRow {
                at: shell.time(&event.occurred_at),
                status: tracking_label(shell, event.status),
                location: event.location.clone(),
            })
            .collect(),
    });
    let refunds = parts
        .refunds
        .iter()
        .map(|refund| RefundRow {
            amount: money(refund.amount_minor, currency),
            reason: refund.reason.clone(),
            with_return: refund.with_return,
            status: shell.t(&format!(
                "order-refund-{}",
                refund.status.as_str().replace('_', "-")
            )),
            awaiting_answer: refund.status == trade::RefundStatus::Requested,
            answer: refund.answer.clone(),
            answer_by: shell.time(&refund.answer_by),
            asked_at: shell.time(&refund.created_at),
        })
        .collect();
    let dispute = parts.dispute.as_ref().map(|dispute| DisputeView {
        opened_by: who(Some(dispute.opened_by), ""),
        reason: dispute.reason.clone(),
        open: dispute.status == "open",
        status: shell.t(&format!("order-dispute-{}", dispute.status)),
        to_buyer: money(dispute.to_buyer_minor, currency),
        to_seller: money(dispute.to_seller_minor, currency),
        decision: dispute.decision.clone(),
        decided_at: dispute
            .decided_at
            .map(|at| shell.time(&at))
            .unwrap_or_default(),
        opened_at: shell.time(&dispute.created_at),
    });
    Ok(OrderRecord {
        id: order.id.to_string(),
        href: format!("/orders/{}", order.id),
        state_label: state_label(shell, order.state),
        buyer_href: format!("/companies/{}", order.buyer),
        seller_href: format!("/companies/{}", order.seller),
        buyer,
        seller,
        currency,
        lines: order
            .lines
            .iter()
            .map(|line| LineRow {
                line_no: line.line_no,
                title: line.title.clone(),
                sku: line.sku.clone(),
                product_href: line.product_id.map(|id| format!("/products/{id}")),
                quantity: line.quantity,
                unit: line.unit.clone(),
                unit_price: money(line.unit_price_minor, currency),
                unit_price_decimal: market::product_csv::decimal(line.unit_price_minor, currency),
                line_total: money(line.line_total_minor, currency),
            })
            .collect(),
        goods_total: money(order.goods_total_minor, currency),
        shipping_fee: money(order.shipping_fee_minor, currency),
        total: money(order.total_minor, currency),
        total_decimal: market::product_csv::decimal(order.total_minor, currency),
        show_fee,
        fee: money(order.fee_minor, currency),
        fee_rate: percent(order.fee_bp),
        seller_net: money(order.total_minor.saturating_sub(order.fee_minor), currency),
        refunded: (order.refunded_minor > 0).then(|| money(order.refunded_minor, currency)),
        terms: order.terms.clone(),
        cross_border: order.cross_border,
        delivery_address: order.delivery_address.clone(),
        buyer_note: order.buyer_note.clone(),
        seller_note: order.seller_note.clone(),
        placed_at: shell.time(&order.placed_at),
        timeline,
        shipment,
        refunds,
        dispute,
    })
}
