//! The steps taken on an order's page, one handler each: the seller confirms
//! or declines, either side cancels, the buyer pays, the seller ships, the
//! buyer confirms receipt or asks for a refund, the seller answers it or
//! confirms the goods came back, either side opens a dispute. Done, the order
//! page says so; refused, it shows again with the problem's message and the
//! form as it was sent, and nothing changed.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trade::{ConfirmInput, OrderId, PackingItem, RefundId, RefundInput, ShipInput};

use super::show::{Posted, order_page};
use crate::error::ApiError;
use crate::extract::auth::Member;
use crate::pages::market::{FormFields, decimal_amount, invalid, parse_id, whole_number};
use crate::pages::{Shell, error_response};
use crate::state::AppState;

type PostedForm = Result<Form<Vec<(String, String)>>, FormRejection>;

/// A posted step: the order it is for, the person, and the form.
struct Step {
    id: OrderId,
    member: Member,
    fields: FormFields,
}

/// Reads what every step needs; a stranger's or malformed id is a 404 page.
async fn begin(shell: &Shell, order_id: &str, form: PostedForm) -> Result<Step, ApiError> {
    let id = parse_id(order_id)?;
    let fields = FormFields::read(form)?;
    let member = shell.member().await?;
    Ok(Step { id, member, fields })
}

/// One step from its form to its answer: reads what every step needs, does
/// `work`, then shows the order with a notice or with the refusal.
async fn run_step(
    state: &AppState,
    shell: &Shell,
    order_id: &str,
    form: PostedForm,
    action: &'static str,
    notice: &str,
    work: impl AsyncFnOnce(&AppState, &Step) -> Result<(), ApiError>,
) -> Response {
    let step = match begin(shell, order_id, form).await {
        Ok(step) => step,
        Err(error) => return error_response(shell, error),
    };
    let result = work(state, &step).await;
    finish(state, shell, step, action, notice, result).await
}

/// After a step: the order with a notice, or the order with the refusal.
async fn finish(
    state: &AppState,
    shell: &Shell,
    step: Step,
    action: &'static str,
    notice: &str,
    result: Result<(), ApiError>,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/orders/{}?notice={notice}", step.id)).into_response(),
        Err(error) => {
            let posted = Posted {
                action,
                fields: step.fields,
            };
            order_page(state, shell, step.id, Some(error), Some(posted), None).await
        }
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "confirm",
        "confirmed",
        async |state, step| {
            let order = state.trade.order(&step.member.scope, step.id).await?;
            let currency = order.currency;
            let mut prices = Vec::new();
            for (index, line) in order.lines.iter().enumerate() {
                let field = format!("prices[{index}].unit_price_minor");
                let typed = step.fields.get(&format!("price_{}", line.line_no));
                // Only a changed price is sent: the others keep theirs.
                if let Some(price) = decimal_amount(&field, typed, currency)?
                    && price != line.unit_price_minor
                {
                    prices.push(trade::LinePrice {
                        line_no: line.line_no,
                        unit_price_minor: price,
                    });
                }
            }
            let input = ConfirmInput {
                shipping_fee_minor: decimal_amount(
                    "shipping_fee_minor",
                    step.fields.get("shipping_fee"),
                    currency,
                )?
                .unwrap_or(0),
                prices,
                note: step.fields.get("note").to_owned(),
            };
            state
                .trade
                .confirm_order(&step.member.scope, step.id, &input)
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn decline(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "decline",
        "declined",
        async |state, step| {
            state
                .trade
                .decline_order(&step.member.scope, step.id, step.fields.get("reason"))
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn cancel(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "cancel",
        "cancelled",
        async |state, step| {
            state
                .trade
                .cancel_order(&step.member.scope, step.id, step.fields.get("reason"))
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn pay(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "pay",
        "paid",
        async |state, step| {
            state.trade.pay_order(&step.member.scope, step.id).await?;
            Ok(())
        },
    )
    .await
}

pub async fn ship(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "ship",
        "shipped",
        async |state, step| {
            let order = state.trade.order(&step.member.scope, step.id).await?;
            // Every line whole, in the packages the seller typed (one by default).
            let mut packing_list = Vec::with_capacity(order.lines.len());
            for (index, line) in order.lines.iter().enumerate() {
                let field = format!("packing_list[{index}].packages");
                let typed = step.fields.get(&format!("packages_{}", line.line_no));
                packing_list.push(PackingItem {
                    line_no: line.line_no,
                    quantity: line.quantity,
                    packages: whole_number(&field, typed)?.unwrap_or(1),
                });
            }
            let input = ShipInput {
                carrier: step.fields.get("carrier").to_owned(),
                tracking_number: step.fields.get("tracking_number").to_owned(),
                packing_list,
            };
            state
                .trade
                .ship_order(&step.member.scope, step.id, &input)
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn confirm_receipt(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "confirm_receipt",
        "received",
        async |state, step| {
            state
                .trade
                .confirm_receipt(&step.member.scope, step.id)
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn request_refund(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "request_refund",
        "refund-requested",
        async |state, step| {
            let order = state.trade.order(&step.member.scope, step.id).await?;
            let input = RefundInput {
                amount_minor: decimal_amount(
                    "amount_minor",
                    step.fields.get("amount"),
                    order.currency,
                )?
                .ok_or_else(|| invalid("amount_minor", "required", "how much to give back"))?,
                reason: step.fields.get("reason").to_owned(),
                with_return: step.fields.checked("with_return"),
            };
            state
                .trade
                .request_refund(&step.member.scope, step.id, &input)
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn answer_refund(
    State(state): State<AppState>,
    shell: Shell,
    Path((order_id, refund_id)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "answer_refund",
        "refund-answered",
        async |state, step| {
            let refund_id: RefundId = parse_id(&refund_id)?;
            let accept = match step.fields.get("decision") {
                "accept" => true,
                "refuse" => false,
                _ => return Err(invalid("decision", "not_a_choice", "accept or refuse")),
            };
            state
                .trade
                .answer_refund(
                    &step.member.scope,
                    step.id,
                    refund_id,
                    accept,
                    step.fields.get("answer"),
                )
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn confirm_return(
    State(state): State<AppState>,
    shell: Shell,
    Path((order_id, refund_id)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "confirm_return",
        "return-confirmed",
        async |state, step| {
            let refund_id: RefundId = parse_id(&refund_id)?;
            state
                .trade
                .confirm_return(&step.member.scope, step.id, refund_id)
                .await?;
            Ok(())
        },
    )
    .await
}

pub async fn open_dispute(
    State(state): State<AppState>,
    shell: Shell,
    Path(order_id): Path<String>,
    form: PostedForm,
) -> Response {
    run_step(
        &state,
        &shell,
        &order_id,
        form,
        "open_dispute",
        "dispute-opened",
        async |state, step| {
            state
                .trade
                .open_dispute(&step.member.scope, step.id, step.fields.get("reason"))
                .await?;
            Ok(())
        },
    )
    .await
}
