//! `GET /api/v1/operator/ledger`: totals per currency and the whole-ledger
//! check (debits equal credits, limits kept, balances equal their transfers).

use axum::extract::State;
use ledger::LedgerTotals;
use serde::Serialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, OperatorUser};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LedgerReport {
    pub totals: Vec<CurrencyTotals>,
    pub balanced: bool,
    pub violations: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CurrencyTotals {
    /// ISO 4217, or the ledger number when no currency has it.
    pub currency: String,
    #[serde(flatten)]
    pub totals: LedgerTotals,
}

pub(crate) async fn report(state: &AppState) -> ApiResult<LedgerReport> {
    let check = state.pay.check_ledger().await?;
    let totals = check
        .totals
        .iter()
        .map(|totals| CurrencyTotals {
            currency: pay::currency_of_ledger(totals.ledger)
                .map_or_else(|| totals.ledger.to_string(), |c| c.code().to_owned()),
            totals: totals.clone(),
        })
        .collect();
    Ok(LedgerReport {
        totals,
        balanced: check.balanced(),
        violations: check.violations,
    })
}

#[utoipa::path(get, path = "/api/v1/operator/ledger", tag = "operator",
    responses((status = 200, body = LedgerReport)), security(("session" = ["operator"])))]
pub async fn show(
    State(state): State<AppState>,
    _operator: OperatorUser,
) -> ApiResult<ApiJson<LedgerReport>> {
    Ok(ApiJson(report(&state).await?))
}
