//! `POST /api/v1/auth/signout`: end this session.

use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::CookieJar;

use super::cleared_session_cookie;
use crate::error::ApiResult;
use crate::extract::SignedIn;
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/auth/signout", tag = "auth",
    responses((status = 204, description = "Signed out; the cookie is cleared")),
    security(("session" = [])))]
pub async fn handler(
    State(state): State<AppState>,
    signed_in: SignedIn,
    jar: CookieJar,
) -> ApiResult<(StatusCode, CookieJar)> {
    state
        .identity
        .revoke_session(signed_in.user.id, signed_in.session_id)
        .await?;
    Ok((StatusCode::NO_CONTENT, jar.add(cleared_session_cookie())))
}
