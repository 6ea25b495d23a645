//! `/orders/{order_id}`: one order as its buyer or seller sees it: the whole
//! record, and a small form for each step that `trade::allowed_actions`
//! allows this side and role now, and no other. Any other company finds
//! nothing here.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use kernel::Money;
use trade::{Action, OrderId, Side};

use super::explain;
use super::record::{LineRow, OrderParts, OrderRecord, record};
use crate::error::ApiError;
use crate::pages::market::{FormError, FormFields, parse_id, query_fields, with_status};
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

/// The pay form: what the wallet holds in the order's currency.
pub struct PayBox {
    pub available: String,
    /// The wallet holds less than the total: a link to top up.
    pub short: bool,
    pub top_up_href: String,
}

/// The steps offered, each with what its form needs.
#[derive(Default)]
pub struct ActionForms {
    pub confirm: bool,
    pub decline: bool,
    pub cancel: bool,
    pub pay: Option<PayBox>,
    /// The configured carriers' codes; `other` is always offered too.
    pub ship: Option<Vec<&'static str>>,
    pub confirm_receipt: bool,
    /// Whether the refund may ask for the goods back (once shipped).
    pub request_refund: Option<bool>,
    /// The refund waiting for the seller's answer.
    pub answer_refund: Option<String>,
    /// The refund whose goods the seller waits to receive back.
    pub confirm_return: Option<String>,
    pub open_dispute: bool,
}

impl ActionForms {
    fn any(&self) -> bool {
        self.confirm
            || self.decline
            || self.cancel
            || self.pay.is_some()
            || self.ship.is_some()
            || self.confirm_receipt
            || self.request_refund.is_some()
            || self.answer_refund.is_some()
            || self.confirm_return.is_some()
            || self.open_dispute
    }
}

/// A refused form as it was sent, so the page shows it again as typed.
pub struct Posted {
    pub action: &'static str,
    pub fields: FormFields,
}

#[derive(Template)]
#[template(path = "orders/order.html")]
struct OrderPage<'a> {
    shell: &'a Shell,
    record: OrderRecord,
    is_buyer: bool,
    actions: ActionForms,
    error: Option<FormError>,
    notice: Option<String>,
    posted: Option<Posted>,
}

impl OrderPage<'_> {
    /// What the person typed into `name` of the `action` form that was
    /// refused, or `default`.
    fn typed(&self, action: &str, name: &str, default: &str) -> String {
        match &self.posted {
            Some(posted) if posted.action == action => posted.fields.get(name).to_owned(),
            _ => default.to_owned(),
        }
    }

    fn typed_price(&self, line: &LineRow) -> String {
        self.typed(
            "confirm",
            &format!("price_{}", line.line_no),
            &line.unit_price_decimal,
        )
    }

    fn typed_packages(&self, line: &LineRow) -> String {
        self.typed("ship", &format!("packages_{}", line.line_no), "1")
    }

    /// The refusal's message next to `field` of the `action` form that was
    /// sent, so a reason refused in one form shows under that form only.
    fn error_at(&self, action: &str, field: &str) -> &str {
        match &self.posted {
            Some(posted) if posted.action == action => {
                crate::pages::market::error_at(&self.error, field)
            }
            _ => "",
        }
    }
}

/// The order page, with a refusal (and the form as sent) or a notice.
pub async fn order_page(
    state: &AppState,
    shell: &Shell,
    id: OrderId,
    error: Option<ApiError>,
    posted: Option<Posted>,
    notice: Option<String>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let order = state.trade.order(&member.scope, id).await?;
        let side = order
            .side_of(member.scope.company_id())
            .ok_or_else(ApiError::not_found)?;
        let parts = OrderParts::read(state, order).await?;
        let allowed = trade::allowed_actions(
            &parts.order,
            side,
            member.scope.role(),
            &parts.refunds,
            parts.dispute.as_ref(),
            state.clock.now(),
        );
        let actions = action_forms(state, &member.scope, &parts, &allowed).await?;
        let record = record(state, shell, &parts, side == Side::Seller).await?;
        Ok::<_, ApiError>((record, side, actions))
    }
    .await;
    let (record, side, actions) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let page = OrderPage {
        shell,
        record,
        is_buyer: side == Side::Buyer,
        actions,
        error: error.as_ref().map(|error| explain(shell, error)),
        notice,
        posted,
    };
    with_status(render(&page), error.as_ref())
}

async fn action_forms(
    state: &AppState,
    scope: &kernel::Scope,
    parts: &OrderParts,
    allowed: &[Action],
) -> Result<ActionForms, ApiError> {
    let order = &parts.order;
    let mut forms = ActionForms::default();
    for action in allowed {
        match action {
            Action::Confirm => forms.confirm = true,
            Action::Decline => forms.decline = true,
            Action::Cancel => forms.cancel = true,
            Action::Pay => {
                let available = state
                    .pay
                    .balances(scope)
                    .await?
                    .into_iter()
                    .find(|balance| balance.currency == order.currency)
                    .map_or(Money::zero(order.currency), |balance| balance.available);
                forms.pay = Some(PayBox {
                    available: available.to_string(),
                    short: available.minor < order.total_minor,
                    top_up_href: format!("/wallet?currency={}", order.currency),
                });
            }
            Action::Ship => forms.ship = Some(state.trade.carriers().codes()),
            Action::ConfirmReceipt => forms.confirm_receipt = true,
            Action::RequestRefund => {
                forms.request_refund = Some(order.state != trade::OrderState::Paid);
            }
            Action::AnswerRefund => {
                forms.answer_refund = parts.refunds.last().map(|refund| refund.id.to_string());
            }
            Action::ConfirmReturn => {
                forms.confirm_return = parts.refunds.last().map(|refund| refund.id.to_string());
            }
            Action::OpenDispute => forms.open_dispute = true,
            // The operator decides on the dispute's own page, never here.
            Action::ResolveDispute => {}
        }
    }
    Ok(forms)
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let id: OrderId = match parse_id(&order_id) {
        Ok(id) => id,
        Err(error) => return error_response(&shell, error),
    };
    let notice = match query_fields(query.as_deref()).get("notice") {
        "" => None,
        key => {
            let key = format!("order-notice-{key}");
            let text = shell.t(&key);
            (text != key).then_some(text)
        }
    };
    order_page(&state, &shell, id, None, None, notice).await
}
