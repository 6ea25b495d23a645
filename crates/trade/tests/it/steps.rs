//! What buyer, seller, carrier, clock and operator may do to orders, as
//! random steps for property tests: trade's own, and the books' (which mount
//! this file beside trade's fixture). Refusals are part of the game.

use kernel::UserId;
use proptest::prelude::*;
use trade::{DecisionInput, RefundInput};

// `super::support` is trade's fixture both where trade mounts this file and
// where the books do.
use super::support::*;

#[derive(Debug, Clone)]
pub enum Step {
    Place(i64),
    Confirm(usize),
    Decline(usize),
    Cancel(usize),
    Pay(usize),
    Ship(usize),
    CarrierReports(usize),
    ConfirmReceipt(usize),
    AskRefund(usize, i64),
    AnswerRefund(usize, bool),
    Dispute(usize),
    Decide(usize, i64),
    ClockHours(i64),
}

pub fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (100_i64..900).prop_map(Step::Place),
        2 => any::<usize>().prop_map(Step::Confirm),
        1 => any::<usize>().prop_map(Step::Decline),
        1 => any::<usize>().prop_map(Step::Cancel),
        2 => any::<usize>().prop_map(Step::Pay),
        2 => any::<usize>().prop_map(Step::Ship),
        2 => any::<usize>().prop_map(Step::CarrierReports),
        1 => any::<usize>().prop_map(Step::ConfirmReceipt),
        1 => (any::<usize>(), 1_i64..=100).prop_map(|(i, pct)| Step::AskRefund(i, pct)),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, yes)| Step::AnswerRefund(i, yes)),
        1 => any::<usize>().prop_map(Step::Dispute),
        1 => (any::<usize>(), 0_i64..=100).prop_map(|(i, pct)| Step::Decide(i, pct)),
        1 => (1_i64..300).prop_map(Step::ClockHours),
    ]
}

pub async fn apply(f: &Fixture, orders: &mut Vec<trade::OrderId>, step: &Step) {
    let pick = |i: usize| (!orders.is_empty()).then(|| orders[i % orders.len()]);
    // Refusals are part of the game: only the books after each step matter.
    match *step {
        Step::Place(quantity) => {
            if let Ok(order) = f
                .trade
                .place_order(&f.buyer, &f.order_input(quantity))
                .await
            {
                orders.push(order.id);
            }
        }
        Step::ClockHours(hours) => {
            f.clock.advance_seconds(hours * 3_600);
            f.jobs.run_due_once().await.unwrap();
            f.trade.finish_settlements().await.unwrap();
        }
        _ => {
            let Some(id) = pick(match *step {
                Step::Confirm(i)
                | Step::Decline(i)
                | Step::Cancel(i)
                | Step::Pay(i)
                | Step::Ship(i)
                | Step::CarrierReports(i)
                | Step::ConfirmReceipt(i)
                | Step::AskRefund(i, _)
                | Step::AnswerRefund(i, _)
                | Step::Dispute(i)
                | Step::Decide(i, _) => i,
                _ => 0,
            }) else {
                return;
            };
            let order = f.trade.order(&f.buyer, id).await.unwrap();
            let _ = match *step {
                Step::Confirm(_) => f
                    .trade
                    .confirm_order(
                        &f.seller,
                        id,
                        &trade::ConfirmInput {
                            shipping_fee_minor: 1_999,
                            ..Default::default()
                        },
                    )
                    .await
                    .map(|_| ()),
                Step::Decline(_) => f.trade.decline_order(&f.seller, id, "no").await.map(|_| ()),
                Step::Cancel(_) => f
                    .trade
                    .cancel_order(&f.buyer, id, "changed plans")
                    .await
                    .map(|_| ()),
                Step::Pay(_) => f.trade.pay_order(&f.buyer, id).await.map(|_| ()),
                Step::Ship(_) => f
                    .trade
                    .ship_order(&f.seller, id, &sandbox_shipment())
                    .await
                    .map(|_| ()),
                Step::CarrierReports(_) => match f.trade.shipment(&order).await.unwrap() {
                    Some(shipment) => {
                        f.trade
                            .sandbox_carrier_advance(&f.seller, &shipment.tracking_number)
                            .await
                    }
                    None => Ok(()),
                },
                Step::ConfirmReceipt(_) => f.trade.confirm_receipt(&f.buyer, id).await.map(|_| ()),
                Step::AskRefund(_, pct) => f
                    .trade
                    .request_refund(
                        &f.buyer,
                        id,
                        &RefundInput {
                            amount_minor: (order.total_minor * pct / 100).max(1),
                            reason: "not as described".to_owned(),
                            with_return: false,
                        },
                    )
                    .await
                    .map(|_| ()),
                Step::AnswerRefund(_, accept) => {
                    match f.trade.refunds(&order).await.unwrap().last() {
                        Some(refund) => f
                            .trade
                            .answer_refund(&f.seller, id, refund.id, accept, "answer")
                            .await
                            .map(|_| ()),
                        None => Ok(()),
                    }
                }
                Step::Dispute(_) => f
                    .trade
                    .open_dispute(&f.buyer, id, "disagree")
                    .await
                    .map(|_| ()),
                Step::Decide(_, pct) => match f.trade.dispute_of(&order).await.unwrap() {
                    Some(dispute) => f
                        .trade
                        .resolve_dispute(
                            UserId::new(),
                            dispute.id,
                            &DecisionInput {
                                to_buyer_minor: order.total_minor * pct / 100,
                                decision: "decided".to_owned(),
                            },
                        )
                        .await
                        .map(|_| ()),
                    None => Ok(()),
                },
                _ => Ok(()),
            };
        }
    }
}
