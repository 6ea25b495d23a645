//! `/api/v1/operator/repairs/withdrawals`: withdrawals a crash left reserved
//! but not settled, each with what its provider says, and their repair.

use axum::extract::State;
use pay::WithdrawalId;
use pay::repair::{STUCK_AFTER_SECONDS_DEFAULT, StuckWithdrawal};
use serde::Deserialize;

use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, IdPath, OperatorUser};
use crate::state::AppState;

/// The largest `older_than_seconds`: thirty days.
const OLDER_THAN_SECONDS_MAX: i64 = 30 * 24 * 3600;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StuckQuery {
    /// Only withdrawals made at least this long ago, 0 to 2592000 seconds
    /// (default 600): younger ones may still be running.
    #[param(minimum = 0, maximum = 2592000)]
    pub older_than_seconds: Option<i64>,
}

impl StuckQuery {
    pub(crate) fn seconds(&self) -> ApiResult<i64> {
        let seconds = self
            .older_than_seconds
            .unwrap_or(STUCK_AFTER_SECONDS_DEFAULT);
        if !(0..=OLDER_THAN_SECONDS_MAX).contains(&seconds) {
            return Err(crate::error::ApiError::field(
                crate::error::ErrorCode::InvalidQuery,
                "older_than_seconds",
                format!("older_than_seconds must be between 0 and {OLDER_THAN_SECONDS_MAX}"),
            ));
        }
        Ok(seconds)
    }
}

#[utoipa::path(get, path = "/api/v1/operator/repairs/withdrawals", tag = "operator", params(StuckQuery),
    responses((status = 200, body = Vec<StuckWithdrawal>, description = "At most 200, oldest first")),
    security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _operator: OperatorUser,
    ApiQuery(query): ApiQuery<StuckQuery>,
) -> ApiResult<ApiJson<Vec<StuckWithdrawal>>> {
    Ok(ApiJson(
        state.pay.stuck_withdrawals(query.seconds()?).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/operator/repairs/withdrawals/{withdrawal_id}", tag = "operator",
    params(("withdrawal_id" = WithdrawalId, Path), StuckQuery,
        ("Idempotency-Key" = String, Header, description = "Required")),
    responses((status = 200, body = StuckWithdrawal, description = "What was found and done"),
        (status = 404, body = Problem), (status = 422, body = Problem, description = "Not stuck")),
    security(("session" = [])))]
pub async fn repair(
    State(state): State<AppState>,
    _operator: OperatorUser,
    IdPath(id): IdPath<WithdrawalId>,
    ApiQuery(query): ApiQuery<StuckQuery>,
) -> ApiResult<ApiJson<StuckWithdrawal>> {
    Ok(ApiJson(
        state.pay.repair_withdrawal(id, query.seconds()?).await?,
    ))
}
