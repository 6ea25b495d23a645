//! The sandbox bank's page: a person confirms or fails pending payments and
//! payouts, as a bank would.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use pay::sandbox::SandboxViewer;
use pay::{SandboxOperation, SandboxOperationId};

use super::{Shell, error_response, render};
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath};
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sandbox_bank.html")]
struct SandboxBankPage<'a> {
    shell: &'a Shell,
    operations: Vec<SandboxOperation>,
    next_cursor: Option<String>,
    error: Option<String>,
}

async fn viewer(shell: &Shell) -> Result<SandboxViewer, ApiError> {
    let signed_in = shell.signed_in()?;
    if signed_in.user.is_operator {
        return Ok(SandboxViewer::Operator);
    }
    Ok(SandboxViewer::of(&shell.member().await?.scope))
}

async fn bank_page(shell: &Shell, query: PageQuery, error: Option<ApiError>) -> Response {
    let result = async {
        let viewer = viewer(shell).await?;
        let page: PageBody<SandboxOperation> = shell
            .state()
            .pay
            .sandbox_operations(viewer, query.to_request())
            .await?
            .into();
        Ok::<_, ApiError>(page)
    }
    .await;
    match result {
        Ok(page) => {
            let mut response = render(&SandboxBankPage {
                shell,
                operations: page.items,
                next_cursor: page.next_cursor.map(|cursor| cursor.to_string()),
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

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<PageQuery>) -> Response {
    bank_page(&shell, query, None).await
}

async fn settle(state: AppState, shell: Shell, id: SandboxOperationId, confirm: bool) -> Response {
    let result = async {
        let viewer = viewer(&shell).await?;
        state.pay.sandbox_settle(viewer, id, confirm).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/sandbox-bank").into_response(),
        Err(error) if error.code == crate::error::ErrorCode::NotFound => {
            error_response(&shell, error)
        }
        Err(error) => bank_page(&shell, PageQuery::default(), Some(error)).await,
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<SandboxOperationId>,
) -> Response {
    settle(state, shell, id, true).await
}

pub async fn fail(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<SandboxOperationId>,
) -> Response {
    settle(state, shell, id, false).await
}
