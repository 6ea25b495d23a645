//! CSRF protection for the pages' forms: a random token in a cookie, repeated in
//! a hidden field of every form, and compared on every form post (the
//! double-submit pattern). Another site can make a browser post a form, but it
//! can neither read nor set the cookie, so it cannot repeat the token.
//! File uploads (`multipart/form-data`) carry the token in the form's action
//! URL instead, so the upload streams to its handler, with its own size
//! limit, rather than being buffered here under the form limit.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

pub const COOKIE: &str = "hanse_csrf";
/// The hidden form field that repeats the cookie.
pub const FIELD: &str = "csrf_token";

/// The request's CSRF token, for templates to put into forms.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Issues the token cookie when missing, and checks every form post.
pub async fn protect(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let existing = jar
        .get(COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|v| v.len() >= 32);
    let token = existing
        .clone()
        .unwrap_or_else(|| identity::token::generate(""));

    if request.method() == Method::POST && is_multipart(&request) {
        let sent = request.uri().query().and_then(|query| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(name, _)| name == FIELD)
                .map(|(_, value)| value.into_owned())
        });
        let matches = match (&existing, sent) {
            (Some(cookie), Some(sent)) => constant_time_eq(cookie.as_bytes(), sent.as_bytes()),
            _ => false,
        };
        if !matches {
            return crate::pages::error_page(
                &state,
                request.headers(),
                ApiError::new(ErrorCode::CsrfFailed, "reload the page and try again"),
            );
        }
    } else if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = to_bytes(body, state.settings.body_limit_bytes).await else {
            return ApiError::new(ErrorCode::BodyTooLarge, "the form is larger than the limit")
                .into_response();
        };
        let sent = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == FIELD)
            .map(|(_, value)| value.into_owned());
        let matches = match (&existing, sent) {
            (Some(cookie), Some(sent)) => constant_time_eq(cookie.as_bytes(), sent.as_bytes()),
            _ => false,
        };
        if !matches {
            return crate::pages::error_page(
                &state,
                &parts.headers,
                ApiError::new(ErrorCode::CsrfFailed, "reload the page and try again"),
            );
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }

    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    // A response shared caches may keep (a content-addressed image) must not
    // hand one visitor's token to the next.
    let shared = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("public"));
    if existing.is_none() && !shared {
        let cookie = Cookie::build((COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.settings.secure_cookies)
            .build();
        if let Ok(value) = cookie.to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |diff, (x, y)| diff | (x ^ y)) == 0
}
