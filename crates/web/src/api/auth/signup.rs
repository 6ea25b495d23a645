//! `POST /api/v1/auth/signup`: create an account and sign in.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use identity::{NewUser, User};

use super::new_session_cookie;
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = NewUser,
    responses(
        (status = 201, description = "Signed up and signed in; the session cookie is set", body = User),
        (status = 409, description = "`email_taken`"),
        (status = 422, description = "`invalid_field`"),
    ))]
pub async fn handler(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(new_user): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, CookieJar, ApiJson<User>)> {
    let user = state.identity.sign_up(&new_user).await?;
    let jar = jar.add(new_session_cookie(&state, &headers, address, user.id).await?);
    Ok((StatusCode::CREATED, jar, ApiJson(user)))
}
