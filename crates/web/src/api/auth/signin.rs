//! `POST /api/v1/auth/signin`: sign in with email and password, rate-limited per
//! account and per address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;
use identity::User;
use serde::Deserialize;

use super::sign_in;
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/signin", tag = "auth", request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = User),
        (status = 401, description = "`wrong_credentials`"),
        (status = 429, description = "`rate_limited`"),
    ))]
pub async fn handler(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(credentials): ApiJson<Credentials>,
) -> ApiResult<(CookieJar, ApiJson<User>)> {
    let (user, cookie) = sign_in(
        &state,
        &headers,
        address,
        &credentials.email,
        &credentials.password,
    )
    .await?;
    Ok((jar.add(cookie), ApiJson(user)))
}
