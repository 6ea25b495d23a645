//! The page an invitation link opens, and accepting it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use identity::{InvitationPreview, InvitationStatus};

use super::{Shell, error_response, render};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage<'a> {
    shell: &'a Shell,
    preview: InvitationPreview,
    token: String,
    open: bool,
    error: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    Path(token): Path<String>,
) -> Response {
    match state.identity.preview_invitation(&token).await {
        Ok(preview) => {
            let open = preview.status == InvitationStatus::Open;
            render(&InvitationPage {
                shell: &shell,
                preview,
                token,
                open,
                error: None,
            })
        }
        Err(error) => error_response(&shell, error.into()),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    shell: Shell,
    Path(token): Path<String>,
) -> Response {
    let result = async {
        let signed_in = shell.signed_in()?;
        let company_id = state
            .identity
            .accept_invitation(signed_in.user.id, &token)
            .await?;
        state
            .identity
            .switch_company(signed_in.user.id, signed_in.session_id, company_id)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/company/staff").into_response(),
        Err(error) if error.code == crate::error::ErrorCode::Unauthenticated => {
            error_response(&shell, error)
        }
        Err(error) => match state.identity.preview_invitation(&token).await {
            Ok(preview) => {
                let message = shell.error_message(&error);
                let mut response = render(&InvitationPage {
                    shell: &shell,
                    preview,
                    token,
                    open: false,
                    error: Some(message),
                });
                *response.status_mut() = error.status();
                response
            }
            Err(_) => error_response(&shell, error),
        },
    }
}
