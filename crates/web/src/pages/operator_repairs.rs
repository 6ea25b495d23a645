//! The operator's repair page: withdrawals a crash left reserved but never
//! settled, what their provider says of each, and a button that settles it.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use pay::repair::{RepairAction, STUCK_AFTER_SECONDS_DEFAULT, StuckWithdrawal};
use pay::{ProviderStatus, WithdrawalId};

use super::operator::require_operator;
use super::{Shell, error_response, render};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "operator_repairs.html")]
struct RepairsPage<'a> {
    shell: &'a Shell,
    stuck: Vec<StuckWithdrawal>,
    minutes: i64,
    error: Option<String>,
}

impl RepairsPage<'_> {
    fn action_key(&self, action: &RepairAction) -> &'static str {
        match action {
            RepairAction::Complete => "repair-action-complete",
            RepairAction::Release => "repair-action-release",
            RepairAction::Wait => "repair-action-wait",
        }
    }

    fn provider_key(&self, status: &ProviderStatus) -> &'static str {
        match status {
            ProviderStatus::Unknown => "repair-provider-unknown",
            ProviderStatus::Pending => "repair-provider-pending",
            ProviderStatus::Succeeded => "repair-provider-succeeded",
            ProviderStatus::Failed => "repair-provider-failed",
        }
    }
}

async fn repairs_page(state: &AppState, shell: &Shell, error: Option<ApiError>) -> Response {
    let result = async {
        require_operator(shell)?;
        Ok::<_, ApiError>(
            state
                .pay
                .stuck_withdrawals(STUCK_AFTER_SECONDS_DEFAULT)
                .await?,
        )
    }
    .await;
    match result {
        Ok(stuck) => {
            let mut response = render(&RepairsPage {
                shell,
                stuck,
                minutes: STUCK_AFTER_SECONDS_DEFAULT / 60,
                error: error.as_ref().map(|e| shell.error_message(e)),
            });
            if let Some(error) = error {
                *response.status_mut() = error.status();
            }
            response
        }
        Err(error) => error_response(shell, error),
    }
}

pub async fn show(State(state): State<AppState>, shell: Shell) -> Response {
    repairs_page(&state, &shell, None).await
}

pub async fn repair(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<WithdrawalId>,
) -> Response {
    let result = async {
        require_operator(&shell)?;
        state
            .pay
            .repair_withdrawal(id, STUCK_AFTER_SECONDS_DEFAULT)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/operator/repairs").into_response(),
        Err(error) if error.code == crate::error::ErrorCode::NotFound => {
            error_response(&shell, error)
        }
        Err(error) => repairs_page(&state, &shell, Some(error)).await,
    }
}
