//! `/api/v1/operator/repairs/withdrawals`: withdrawals a crash left reserved
//! but not settled, each with what its provider says, and their repair.

use axum::extract::State;
use pay::WithdrawalId;
use pay::repair::{STUCK_AFTER_SECONDS_DEFAULT, StuckWithdrawal};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::bounded::Bounded;
use crate::extract::{ApiJson, ApiQuery, IdPath, OperatorUser};
use crate::state::AppState;

/// How old a withdrawal must be to count as stuck: 0 to thirty days.
pub type StuckAfterSeconds = Bounded<0, { 30 * 24 * 3600 }>;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StuckQuery {
    /// Only withdrawals made at least this long ago, 0 to 2592000 seconds
    /// (default 600): younger ones may still be running.
    #[param(inline)]
    pub older_than_seconds: Option<StuckAfterSeconds>,
}

impl StuckQuery {
    pub(crate) fn seconds(&self) -> i64 {
        self.older_than_seconds
            .map_or(STUCK_AFTER_SECONDS_DEFAULT, StuckAfterSeconds::get)
    }
}

#[utoipa::path(get, path = "/api/v1/operator/repairs/withdrawals", tag = "operator", params(StuckQuery),
    responses((status = 200, body = Vec<StuckWithdrawal>, description = "At most 200, oldest first")),
    security(("session" = ["operator"])))]
pub async fn list(
    State(state): State<AppState>,
    _operator: OperatorUser,
    ApiQuery(query): ApiQuery<StuckQuery>,
) -> ApiResult<ApiJson<Vec<StuckWithdrawal>>> {
    Ok(ApiJson(state.pay.stuck_withdrawals(query.seconds()).await?))
}

#[utoipa::path(post, path = "/api/v1/operator/repairs/withdrawals/{withdrawal_id}", tag = "operator",
    params(("withdrawal_id" = WithdrawalId, Path), StuckQuery),
    responses((status = 200, body = StuckWithdrawal, description = "What was found and done"),
        (status = 422, description = "`invalid_field`: not stuck")),
    security(("session" = ["operator"])))]
pub async fn repair(
    State(state): State<AppState>,
    _operator: OperatorUser,
    IdPath(id): IdPath<WithdrawalId>,
    ApiQuery(query): ApiQuery<StuckQuery>,
) -> ApiResult<ApiJson<StuckWithdrawal>> {
    Ok(ApiJson(
        state.pay.repair_withdrawal(id, query.seconds()).await?,
    ))
}
