//! Sign-up, sign-in and sign-out pages.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use identity::{Language, NewUser};
use serde::Deserialize;

use super::{Shell, error_response, render};
use crate::api::auth::{cleared_session_cookie, new_session_cookie, sign_in};
use crate::state::AppState;

/// Where to go after signing in or up, e.g. back to an invitation link.
#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only paths on this site, so the parameter cannot send people elsewhere.
fn local_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    local.then_some(next)
}

#[derive(Debug, Default, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage<'a> {
    shell: &'a Shell,
    form: SignupForm,
    error: Option<String>,
}

pub async fn signup_form(shell: Shell, Query(query): Query<NextQuery>) -> Response {
    let form = SignupForm {
        next: query.next,
        language: shell.language.as_str().to_owned(),
        time_zone: if shell.language == Language::ZhCn {
            "Asia/Shanghai"
        } else {
            "Europe/Berlin"
        }
        .to_owned(),
        ..SignupForm::default()
    };
    render(&SignupPage {
        shell: &shell,
        form,
        error: None,
    })
}

pub async fn signup(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    shell: Shell,
    Form(form): Form<SignupForm>,
) -> Response {
    let new_user = NewUser {
        email: form.email.clone(),
        password: form.password.clone(),
        display_name: form.display_name.clone(),
        mobile: Some(form.mobile.clone()),
        language: Language::parse(&form.language).unwrap_or(shell.language),
        time_zone: form.time_zone.clone(),
    };
    let result = async {
        let user = state.identity.sign_up(&new_user).await?;
        new_session_cookie(&state, &headers, address, user.id).await
    }
    .await;
    match result {
        Ok(cookie) => (
            jar.add(cookie),
            Redirect::to(local_path(&form.next).unwrap_or("/companies/new")),
        )
            .into_response(),
        Err(error) => {
            let message = shell.error_message(&error);
            let mut response = render(&SignupPage {
                shell: &shell,
                form: SignupForm {
                    password: String::new(),
                    ..form
                },
                error: Some(message),
            });
            *response.status_mut() = error.status();
            response
        }
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage<'a> {
    shell: &'a Shell,
    email: String,
    next: String,
    error: Option<String>,
}

pub async fn signin_form(shell: Shell, Query(query): Query<NextQuery>) -> Response {
    render(&SigninPage {
        shell: &shell,
        email: String::new(),
        next: query.next,
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct SigninForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn signin(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    shell: Shell,
    Form(form): Form<SigninForm>,
) -> Response {
    let result = sign_in(&state, &headers, address, &form.email, &form.password).await;
    match result {
        Ok((_, cookie)) => (
            jar.add(cookie),
            Redirect::to(local_path(&form.next).unwrap_or("/")),
        )
            .into_response(),
        Err(error) => {
            let message = shell.error_message(&error);
            let mut response = render(&SigninPage {
                shell: &shell,
                email: form.email,
                next: form.next,
                error: Some(message),
            });
            *response.status_mut() = error.status();
            if let Some(seconds) = error.retry_after_seconds {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
            }
            response
        }
    }
}

pub async fn signout(State(state): State<AppState>, jar: CookieJar, shell: Shell) -> Response {
    if let Ok(signed_in) = shell.signed_in()
        && let Err(error) = state
            .identity
            .revoke_session(signed_in.user.id, signed_in.session_id)
            .await
    {
        return error_response(&shell, error.into());
    }
    (jar.add(cleared_session_cookie()), Redirect::to("/")).into_response()
}
