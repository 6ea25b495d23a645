//! `GET /api/v1/me/sessions` and `DELETE /api/v1/me/sessions/{session_id}`:
//! where I am signed in, and signing out elsewhere.

use axum::extract::State;
use axum::http::StatusCode;
use identity::{Session, SessionId};
use serde::Serialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, IdPath, SignedIn};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionList {
    pub items: Vec<Session>,
    /// The session making this request.
    pub current: SessionId,
}

#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "me",
    responses((status = 200, body = SessionList)), security(("session" = [])))]
pub async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> ApiResult<ApiJson<SessionList>> {
    let items = state.identity.sessions(signed_in.user.id).await?;
    Ok(ApiJson(SessionList {
        items,
        current: signed_in.session_id,
    }))
}

#[utoipa::path(delete, path = "/api/v1/me/sessions/{session_id}", tag = "me",
    params(("session_id" = SessionId, Path, description = "A session of mine")),
    responses((status = 204)), security(("session" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    IdPath(session_id): IdPath<SessionId>,
) -> ApiResult<StatusCode> {
    state
        .identity
        .revoke_session(signed_in.user.id, session_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
