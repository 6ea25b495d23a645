//! `/operator/trade`: the operator's terms of trade: the network's default
//! fee in basis points (shown as a percentage too), a fee of its own for any
//! top category, and the periods of the order's timers (auto-confirmation
//! after delivery, cancellation of an unpaid order, the seller's time to
//! answer a refund). Orders already placed keep the fee they were placed
//! with. Not found for anyone but the operator.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use market::CategoryId;
use trade::TradePolicy;

use super::{explain, percent};
use crate::error::ApiError;
use crate::pages::market::{
    FormError, FormFields, category_name, error_at, invalid, query_fields, whole_number,
    with_status,
};
use crate::pages::operator::{operator_form, require_operator};
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

/// The policy form as typed.
pub struct PolicyForm {
    pub fee_default_bp: String,
    pub auto_confirm_after_days: String,
    pub unpaid_cancel_after_hours: String,
    pub refund_answer_within_days: String,
}

impl PolicyForm {
    fn of(policy: &TradePolicy) -> PolicyForm {
        PolicyForm {
            fee_default_bp: policy.fee_default_bp.to_string(),
            auto_confirm_after_days: policy.auto_confirm_after_days.to_string(),
            unpaid_cancel_after_hours: policy.unpaid_cancel_after_hours.to_string(),
            refund_answer_within_days: policy.refund_answer_within_days.to_string(),
        }
    }

    fn from_fields(fields: &FormFields) -> PolicyForm {
        PolicyForm {
            fee_default_bp: fields.get("fee_default_bp").to_owned(),
            auto_confirm_after_days: fields.get("auto_confirm_after_days").to_owned(),
            unpaid_cancel_after_hours: fields.get("unpaid_cancel_after_hours").to_owned(),
            refund_answer_within_days: fields.get("refund_answer_within_days").to_owned(),
        }
    }

    fn policy(&self) -> Result<TradePolicy, ApiError> {
        let number = |field: &str, text: &str| {
            whole_number(field, text)?.ok_or_else(|| invalid(field, "required", "a whole number"))
        };
        Ok(TradePolicy {
            fee_default_bp: number("fee_default_bp", &self.fee_default_bp)?,
            auto_confirm_after_days: number(
                "auto_confirm_after_days",
                &self.auto_confirm_after_days,
            )?,
            unpaid_cancel_after_hours: number(
                "unpaid_cancel_after_hours",
                &self.unpaid_cancel_after_hours,
            )?,
            refund_answer_within_days: number(
                "refund_answer_within_days",
                &self.refund_answer_within_days,
            )?,
        })
    }
}

/// A top category with its own fee, if it has one.
pub struct CategoryFeeRow {
    pub id: String,
    pub name: String,
    pub fee_bp: String,
    pub fee_percent: Option<String>,
}

#[derive(Template)]
#[template(path = "orders/operator_trade.html")]
struct TradePage<'a> {
    shell: &'a Shell,
    form: PolicyForm,
    fee_default_percent: String,
    categories: Vec<CategoryFeeRow>,
    fee_bp_max: i64,
    error: Option<FormError>,
    notice: Option<String>,
}

impl TradePage<'_> {
    fn error_at(&self, field: &str) -> &str {
        error_at(&self.error, field)
    }
}

async fn trade_page(
    state: &AppState,
    shell: &Shell,
    typed: Option<PolicyForm>,
    error: Option<ApiError>,
    notice: Option<String>,
) -> Response {
    let result = async {
        require_operator(shell)?;
        let policy = state.trade.policy().await?;
        let fees = state.trade.category_fees().await?;
        let tree = state.market.categories().await?;
        let categories = tree
            .children(None)
            .into_iter()
            .map(|category| {
                let own = fees
                    .iter()
                    .find(|fee| fee.category_id == category.id)
                    .map(|fee| fee.fee_bp);
                CategoryFeeRow {
                    id: category.id.to_string(),
                    name: category_name(shell, category).to_owned(),
                    fee_bp: own.map(|bp| bp.to_string()).unwrap_or_default(),
                    fee_percent: own.map(percent),
                }
            })
            .collect();
        Ok::<_, ApiError>((policy, categories))
    }
    .await;
    let (policy, categories) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let page = TradePage {
        shell,
        form: typed.unwrap_or_else(|| PolicyForm::of(&policy)),
        fee_default_percent: percent(policy.fee_default_bp),
        categories,
        fee_bp_max: trade::FEE_BP_MAX,
        error: error.as_ref().map(|error| explain(shell, error)),
        notice,
    };
    with_status(render(&page), error.as_ref())
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let notice = match query_fields(query.as_deref()).get("notice") {
        "policy-saved" => Some(shell.t("trade-settings-policy-saved")),
        "fee-saved" => Some(shell.t("trade-settings-fee-saved")),
        _ => None,
    };
    trade_page(&state, &shell, None, None, notice).await
}

pub async fn set_policy(
    State(state): State<AppState>,
    shell: Shell,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match require_operator(&shell).and_then(|()| FormFields::read(form)) {
        Ok(fields) => fields,
        Err(error) => return error_response(&shell, error),
    };
    let form = PolicyForm::from_fields(&fields);
    let result = async {
        state.trade.set_policy(&form.policy()?).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/operator/trade?notice=policy-saved").into_response(),
        Err(error) => trade_page(&state, &shell, Some(form), Some(error), None).await,
    }
}

pub async fn set_category_fee(
    State(state): State<AppState>,
    shell: Shell,
    Path(category_id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let (id, fields) = match operator_form::<CategoryId>(&shell, &category_id, form) {
        Ok(prepared) => prepared,
        Err(error) => return error_response(&shell, error),
    };
    let result = async {
        // Empty gives the category back to the network's default.
        let fee_bp = whole_number("fee_bp", fields.get("fee_bp"))?;
        state.trade.set_category_fee(id, fee_bp).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/operator/trade?notice=fee-saved").into_response(),
        Err(error) if error.code == crate::error::ErrorCode::NotFound => {
            error_response(&shell, error)
        }
        Err(error) => trade_page(&state, &shell, None, Some(error), None).await,
    }
}
