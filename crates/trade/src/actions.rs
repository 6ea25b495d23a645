//! What a side of an order may do next: the one answer the API's
//! `allowed_actions` and the order page's buttons both give, so a page never
//! offers a step the service would refuse for its state, side or role.
//!
//! The service still checks every rule when the step is taken; this is the
//! same rules read ahead of time, at the moment `now`.

use kernel::{Role, Timestamp};
use serde::Serialize;

use crate::model::{Dispute, Order, OrderState, Refund, RefundStatus, Side};
use crate::{may_buy, may_pay, may_sell, may_ship};

/// A step a person can take on an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Confirm,
    Decline,
    Cancel,
    Pay,
    Ship,
    ConfirmReceipt,
    RequestRefund,
    AnswerRefund,
    ConfirmReturn,
    OpenDispute,
    /// The operator's step: decide an open dispute.
    ResolveDispute,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Decline => "decline",
            Action::Cancel => "cancel",
            Action::Pay => "pay",
            Action::Ship => "ship",
            Action::ConfirmReceipt => "confirm_receipt",
            Action::RequestRefund => "request_refund",
            Action::AnswerRefund => "answer_refund",
            Action::ConfirmReturn => "confirm_return",
            Action::OpenDispute => "open_dispute",
            Action::ResolveDispute => "resolve_dispute",
        }
    }
}

/// The steps `side`, in `role`, may take on `order` at `now`, given its
/// refunds (oldest first) and dispute.
pub fn allowed_actions(
    order: &Order,
    side: Side,
    role: Role,
    refunds: &[Refund],
    dispute: Option<&Dispute>,
    now: Timestamp,
) -> Vec<Action> {
    let buyer = side == Side::Buyer;
    let seller = side == Side::Seller;
    let mut actions = Vec::new();
    let mut allow = |condition: bool, action: Action| {
        if condition {
            actions.push(action);
        }
    };
    let state = order.state;
    let before_payment = matches!(state, OrderState::Placed | OrderState::Confirmed);
    allow(
        seller && may_sell(role) && state == OrderState::Placed,
        Action::Confirm,
    );
    allow(
        seller && may_sell(role) && state == OrderState::Placed,
        Action::Decline,
    );
    let may_cancel = if buyer { may_buy(role) } else { may_sell(role) };
    allow(before_payment && may_cancel, Action::Cancel);
    allow(
        buyer && may_pay(role) && state == OrderState::Confirmed,
        Action::Pay,
    );
    allow(
        seller && may_ship(role) && state == OrderState::Paid && !order.open_claim,
        Action::Ship,
    );
    let goods_sent = matches!(state, OrderState::Shipped | OrderState::Delivered);
    allow(
        buyer && may_buy(role) && goods_sent && !order.open_claim,
        Action::ConfirmReceipt,
    );
    allow(
        buyer
            && may_buy(role)
            && (state == OrderState::Paid || goods_sent)
            && !order.open_claim
            && dispute.is_none(),
        Action::RequestRefund,
    );
    let last_refund = refunds.last();
    let refund_is = |status: RefundStatus| last_refund.is_some_and(|r| r.status == status);
    allow(
        seller && may_sell(role) && state.holds_escrow() && refund_is(RefundStatus::Requested),
        Action::AnswerRefund,
    );
    allow(
        seller && may_sell(role) && state.holds_escrow() && refund_is(RefundStatus::AwaitingReturn),
        Action::ConfirmReturn,
    );
    let refund_lapsed =
        last_refund.is_some_and(|r| r.status == RefundStatus::Requested && r.answer_by <= now);
    allow(
        may_cancel
            && state.holds_escrow()
            && dispute.is_none()
            && (refund_is(RefundStatus::Refused) || refund_lapsed),
        Action::OpenDispute,
    );
    actions
}

/// The steps the network's operator may take on an order: deciding its
/// dispute while it is open. Everything else is the two sides' to do.
pub fn operator_actions(dispute: Option<&Dispute>) -> Vec<Action> {
    match dispute {
        Some(dispute) if dispute.status == "open" => vec![Action::ResolveDispute],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrderId, RefundId};
    use kernel::{CompanyId, Currency};

    fn order(state: OrderState, open_claim: bool) -> Order {
        let at = Timestamp::from_micros(1_000_000);
        Order {
            id: OrderId::from_raw(1),
            buyer: CompanyId::from_raw(10),
            seller: CompanyId::from_raw(20),
            state,
            currency: Currency::CNY,
            lines: Vec::new(),
            goods_total_minor: 10_000,
            shipping_fee_minor: 0,
            total_minor: 10_000,
            fee_bp: 200,
            fee_minor: 200,
            refunded_minor: 0,
            delivery_address: String::new(),
            buyer_note: String::new(),
            seller_note: String::new(),
            terms: String::new(),
            cross_border: false,
            category_id: market::CategoryId::from_raw(1),
            quotation_id: None,
            open_claim,
            placed_at: at,
            confirmed_at: None,
            paid_at: None,
            shipped_at: None,
            delivered_at: None,
            completed_at: None,
            settled_at: None,
            closed_at: None,
            updated_at: at,
        }
    }

    fn refund(status: RefundStatus, answer_by_micros: i64) -> Refund {
        Refund {
            id: RefundId::from_raw(5),
            order_id: OrderId::from_raw(1),
            amount_minor: 10_000,
            reason: "broken".to_owned(),
            with_return: false,
            status,
            answer: String::new(),
            answer_by: Timestamp::from_micros(answer_by_micros),
            created_at: Timestamp::from_micros(1),
        }
    }

    fn check(
        state: OrderState,
        side: Side,
        role: Role,
        refunds: &[Refund],
        now_micros: i64,
        expected: &[&str],
    ) {
        let open_claim = refunds.iter().any(|r| {
            matches!(
                r.status,
                RefundStatus::Requested | RefundStatus::AwaitingReturn | RefundStatus::Refused
            )
        });
        let actual: Vec<&str> = allowed_actions(
            &order(state, open_claim),
            side,
            role,
            refunds,
            None,
            Timestamp::from_micros(now_micros),
        )
        .into_iter()
        .map(Action::as_str)
        .collect();
        assert_eq!(actual, expected, "{state:?} as {side:?} {role:?}");
    }

    #[test]
    fn each_state_offers_its_own_steps_to_each_side() {
        use OrderState::*;
        check(
            Placed,
            Side::Seller,
            Role::Sales,
            &[],
            0,
            &["confirm", "decline", "cancel"],
        );
        check(Placed, Side::Buyer, Role::Purchasing, &[], 0, &["cancel"]);
        check(Confirmed, Side::Buyer, Role::Finance, &[], 0, &["pay"]);
        check(
            Confirmed,
            Side::Buyer,
            Role::Owner,
            &[],
            0,
            &["cancel", "pay"],
        );
        check(Paid, Side::Seller, Role::Warehouse, &[], 0, &["ship"]);
        check(
            Paid,
            Side::Buyer,
            Role::Purchasing,
            &[],
            0,
            &["request_refund"],
        );
        check(
            Shipped,
            Side::Buyer,
            Role::Owner,
            &[],
            0,
            &["confirm_receipt", "request_refund"],
        );
        check(Delivered, Side::Seller, Role::Owner, &[], 0, &[]);
        check(Settled, Side::Buyer, Role::Owner, &[], 0, &[]);
        check(Cancelled, Side::Seller, Role::Owner, &[], 0, &[]);
    }

    #[test]
    fn viewers_see_no_steps() {
        for state in OrderState::ALL {
            check(state, Side::Buyer, Role::Viewer, &[], 0, &[]);
            check(state, Side::Seller, Role::Viewer, &[], 0, &[]);
        }
    }

    #[test]
    fn a_refund_asks_the_seller_and_a_refusal_or_lapse_opens_the_way_to_a_dispute() {
        use OrderState::*;
        let requested = [refund(RefundStatus::Requested, 100)];
        check(
            Shipped,
            Side::Seller,
            Role::Sales,
            &requested,
            50,
            &["answer_refund"],
        );
        check(Shipped, Side::Buyer, Role::Owner, &requested, 50, &[]);
        check(
            Shipped,
            Side::Buyer,
            Role::Owner,
            &requested,
            100,
            &["open_dispute"],
        );
        let refused = [refund(RefundStatus::Refused, 100)];
        check(
            Delivered,
            Side::Buyer,
            Role::Purchasing,
            &refused,
            50,
            &["open_dispute"],
        );
        check(
            Delivered,
            Side::Seller,
            Role::Admin,
            &refused,
            50,
            &["open_dispute"],
        );
        let awaiting = [refund(RefundStatus::AwaitingReturn, 100)];
        check(
            Shipped,
            Side::Seller,
            Role::Owner,
            &awaiting,
            50,
            &["confirm_return"],
        );
    }

    fn dispute(status: &str) -> Dispute {
        Dispute {
            id: crate::model::DisputeId::from_raw(7),
            order_id: OrderId::from_raw(1),
            buyer: CompanyId::from_raw(10),
            seller: CompanyId::from_raw(20),
            opened_by: CompanyId::from_raw(10),
            reason: "broken".to_owned(),
            status: status.to_owned(),
            to_buyer_minor: 0,
            to_seller_minor: 0,
            decision: String::new(),
            decided_at: None,
            created_at: Timestamp::from_micros(1),
        }
    }

    #[test]
    fn the_operator_decides_an_open_dispute_and_nothing_else() {
        let names =
            |actions: Vec<Action>| actions.into_iter().map(Action::as_str).collect::<Vec<_>>();
        assert_eq!(names(operator_actions(None)), Vec::<&str>::new());
        assert_eq!(
            names(operator_actions(Some(&dispute("open")))),
            ["resolve_dispute"]
        );
        assert_eq!(
            names(operator_actions(Some(&dispute("resolved")))),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn a_dispute_takes_the_sides_steps_away() {
        let refused = [refund(RefundStatus::Disputed, 100)];
        let mut open = order(OrderState::Shipped, true);
        open.open_claim = true;
        for (side, role) in [(Side::Buyer, Role::Owner), (Side::Seller, Role::Owner)] {
            let actions = allowed_actions(
                &open,
                side,
                role,
                &refused,
                Some(&dispute("open")),
                Timestamp::from_micros(50),
            );
            assert!(actions.is_empty(), "{side:?}: {actions:?}");
        }
    }
}
