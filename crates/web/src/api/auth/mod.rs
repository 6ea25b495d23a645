//! Signing up, in and out over the API; the session travels in a cookie.

pub mod signin;
pub mod signout;
pub mod signup;

use std::net::SocketAddr;

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use identity::User;
use kernel::UserId;

use crate::error::ApiResult;
use crate::extract::auth::SESSION_COOKIE;
use crate::state::AppState;

/// The session cookie: HttpOnly so scripts can't read it, SameSite=Lax so other
/// sites can't post with it, Secure when served over TLS.
pub fn session_cookie(secret: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(identity::SESSION_LIFETIME_SECONDS))
        .build()
}

/// A cookie that removes the session cookie.
pub fn cleared_session_cookie() -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .max_age(time::Duration::ZERO)
        .build()
}

/// Starts a session for `user`, recording the client, and returns the cookie
/// that carries it. Used by the API and the pages alike.
pub async fn new_session_cookie(
    state: &AppState,
    headers: &HeaderMap,
    address: SocketAddr,
    user: UserId,
) -> ApiResult<Cookie<'static>> {
    let (user_agent, ip) = client_of(headers, address);
    let (_, secret) = state.identity.start_session(user, &user_agent, &ip).await?;
    Ok(session_cookie(secret, state.settings.secure_cookies))
}

/// Signs a person in: counts the attempt against the limits, checks the
/// password, starts a session.
pub async fn sign_in(
    state: &AppState,
    headers: &HeaderMap,
    address: SocketAddr,
    email: &str,
    password: &str,
) -> ApiResult<(User, Cookie<'static>)> {
    state.sign_in_limits.check(email, address.ip())?;
    let user = state.identity.authenticate(email, password).await?;
    let cookie = new_session_cookie(state, headers, address, user.id).await?;
    Ok((user, cookie))
}

/// The user agent and address recorded with a new session.
fn client_of(headers: &HeaderMap, address: SocketAddr) -> (String, String) {
    let user_agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("unknown");
    (user_agent.to_owned(), address.ip().to_string())
}
