//! Signing up, in and out over the API; the session travels in a cookie.

pub mod signin;
pub mod signout;
pub mod signup;

use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::extract::auth::SESSION_COOKIE;

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

/// The user agent and address recorded with a new session.
pub fn client_of(
    headers: &axum::http::HeaderMap,
    address: std::net::SocketAddr,
) -> (String, String) {
    let user_agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("unknown");
    (user_agent.to_owned(), address.ip().to_string())
}
