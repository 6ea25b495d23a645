//! The operator's disputes: `/operator/disputes`, the open ones first (oldest
//! first, the order they are owed an answer in), then those decided; and
//! `/operator/disputes/{dispute_id}`, the order's whole record (timeline,
//! amounts, tracking, refunds) with the decision form: what goes back to the
//! buyer, the rest to the seller, and why. The decision is final. Every page
//! here is not found for anyone but the operator.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use trade::{DecisionInput, Dispute, DisputeId};

use super::record::{OrderParts, OrderRecord, record};
use super::{CompanyNames, LIST_PAGE_SIZE, explain};
use crate::error::ApiError;
use crate::pages::market::{
    FormError, decimal_amount, invalid, money, parse_id, query_fields, with_status,
};
use crate::pages::operator::{operator_form, require_operator};
use crate::pages::{Shell, error_response, render};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

pub struct DisputeRow {
    pub href: String,
    pub buyer: String,
    pub seller: String,
    pub opened_by: String,
    pub reason: String,
    pub opened_at: String,
    /// For a decided dispute: the split.
    pub to_buyer: String,
    pub to_seller: String,
}

#[derive(Template)]
#[template(path = "orders/operator_disputes.html")]
struct QueuePage<'a> {
    shell: &'a Shell,
    open: Vec<DisputeRow>,
    open_next: Option<String>,
    resolved: Vec<DisputeRow>,
    resolved_next: Option<String>,
}

async fn rows(
    state: &AppState,
    shell: &Shell,
    names: &mut CompanyNames,
    disputes: &[Dispute],
) -> Result<Vec<DisputeRow>, ApiError> {
    let mut rows = Vec::with_capacity(disputes.len());
    for dispute in disputes {
        // The order's currency names the amounts; a decided dispute's split
        // is only shown once decided.
        let currency = if dispute.status == "open" {
            None
        } else {
            Some(
                state
                    .trade
                    .order_for_operator(dispute.order_id)
                    .await?
                    .currency,
            )
        };
        rows.push(DisputeRow {
            href: format!("/operator/disputes/{}", dispute.id),
            buyer: names.of(state, dispute.buyer).await?,
            seller: names.of(state, dispute.seller).await?,
            opened_by: names.of(state, dispute.opened_by).await?,
            reason: dispute.reason.clone(),
            opened_at: shell.time(&dispute.created_at),
            to_buyer: currency
                .map(|currency| money(dispute.to_buyer_minor, currency))
                .unwrap_or_default(),
            to_seller: currency
                .map(|currency| money(dispute.to_seller_minor, currency))
                .unwrap_or_default(),
        });
    }
    Ok(rows)
}

pub async fn queue(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let fields = query_fields(query.as_deref());
    let result = async {
        require_operator(&shell)?;
        let open: PageBody<Dispute> = state
            .trade
            .disputes(
                "open",
                page_of_size(LIST_PAGE_SIZE, Some(fields.get("open_cursor")))?,
            )
            .await?
            .into();
        let resolved: PageBody<Dispute> = state
            .trade
            .disputes(
                "resolved",
                page_of_size(LIST_PAGE_SIZE, Some(fields.get("resolved_cursor")))?,
            )
            .await?
            .into();
        let mut names = CompanyNames::default();
        let page = QueuePage {
            shell: &shell,
            open: rows(&state, &shell, &mut names, &open.items).await?,
            open_next: open
                .next_cursor
                .map(|cursor| format!("/operator/disputes?open_cursor={cursor}")),
            resolved: rows(&state, &shell, &mut names, &resolved.items).await?,
            resolved_next: resolved
                .next_cursor
                .map(|cursor| format!("/operator/disputes?resolved_cursor={cursor}")),
        };
        Ok::<_, ApiError>(render(&page))
    }
    .await;
    result.unwrap_or_else(|error| error_response(&shell, error))
}

/// The decision form as typed.
#[derive(Default)]
pub struct DecisionForm {
    pub to_buyer: String,
    pub decision: String,
}

#[derive(Template)]
#[template(path = "orders/operator_dispute.html")]
struct DisputePage<'a> {
    shell: &'a Shell,
    dispute_id: String,
    record: OrderRecord,
    open: bool,
    form: DecisionForm,
    error: Option<FormError>,
    notice: Option<String>,
}

async fn dispute_page(
    state: &AppState,
    shell: &Shell,
    id: DisputeId,
    form: DecisionForm,
    error: Option<ApiError>,
    notice: Option<String>,
) -> Response {
    let result = async {
        require_operator(shell)?;
        let dispute = state.trade.dispute(id).await?;
        let order = state.trade.order_for_operator(dispute.order_id).await?;
        let parts = OrderParts::read(state, order).await?;
        Ok::<_, ApiError>((dispute, record(state, shell, &parts, true).await?))
    }
    .await;
    let (dispute, record) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let page = DisputePage {
        shell,
        dispute_id: dispute.id.to_string(),
        record,
        open: dispute.status == "open",
        form,
        error: error.as_ref().map(|error| explain(shell, error)),
        notice,
    };
    with_status(render(&page), error.as_ref())
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    Path(dispute_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let id: DisputeId = match parse_id(&dispute_id) {
        Ok(id) => id,
        Err(error) => return error_response(&shell, error),
    };
    let notice = (query_fields(query.as_deref()).get("notice") == "decided")
        .then(|| shell.t("order-notice-decided"));
    dispute_page(&state, &shell, id, DecisionForm::default(), None, notice).await
}

pub async fn decide(
    State(state): State<AppState>,
    shell: Shell,
    Path(dispute_id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let (id, fields) = match operator_form::<DisputeId>(&shell, &dispute_id, form) {
        Ok(prepared) => prepared,
        Err(error) => return error_response(&shell, error),
    };
    let form = DecisionForm {
        to_buyer: fields.get("to_buyer").to_owned(),
        decision: fields.get("decision").to_owned(),
    };
    let result = async {
        let operator = shell.signed_in()?.user.id;
        let dispute = state.trade.dispute(id).await?;
        let order = state.trade.order_for_operator(dispute.order_id).await?;
        let input = DecisionInput {
            to_buyer_minor: decimal_amount("to_buyer_minor", &form.to_buyer, order.currency)?
                .ok_or_else(|| {
                    invalid("to_buyer_minor", "required", "what goes back to the buyer")
                })?,
            decision: form.decision.clone(),
        };
        state.trade.resolve_dispute(operator, id, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/operator/disputes/{id}?notice=decided")).into_response(),
        Err(error) => dispute_page(&state, &shell, id, form, Some(error), None).await,
    }
}
