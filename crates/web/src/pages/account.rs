//! The person's own settings: language, and where they are signed in.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use identity::{Language, Session, SessionId};
use serde::Deserialize;

use super::{Shell, error_response, render};
use crate::extract::IdPath;
use crate::i18n::LANGUAGE_COOKIE;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    language: String,
}

/// Switches the language: saved on the account when signed in, and in a cookie.
pub async fn set_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    shell: Shell,
    Form(form): Form<LanguageForm>,
) -> Response {
    let language = Language::parse(&form.language).unwrap_or(Language::En);
    if let Some(user) = &shell.user
        && let Err(error) = state.identity.set_language(user.id, language).await
    {
        return error_response(&shell, error.into());
    }
    let cookie = Cookie::build((LANGUAGE_COOKIE, language.as_str()))
        .path("/")
        .build();
    // Back to the page the switch was pressed on, when it was one of ours.
    let back = headers
        .get(axum::http::header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| referer.strip_prefix(&state.settings.public_url))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or("/")
        .to_owned();
    (jar.add(cookie), Redirect::to(&back)).into_response()
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage<'a> {
    shell: &'a Shell,
    sessions: Vec<Session>,
    current: SessionId,
}

pub async fn sessions(State(state): State<AppState>, shell: Shell) -> Response {
    let signed_in = match shell.signed_in() {
        Ok(signed_in) => signed_in,
        Err(error) => return error_response(&shell, error),
    };
    match state.identity.sessions(signed_in.user.id).await {
        Ok(sessions) => render(&SessionsPage {
            shell: &shell,
            sessions,
            current: signed_in.session_id,
        }),
        Err(error) => error_response(&shell, error.into()),
    }
}

pub async fn revoke_session(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(session_id): IdPath<SessionId>,
) -> Response {
    let result = async {
        let signed_in = shell.signed_in()?;
        state
            .identity
            .revoke_session(signed_in.user.id, session_id)
            .await?;
        Ok::<_, crate::error::ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/account/sessions").into_response(),
        Err(error) => error_response(&shell, error),
    }
}
