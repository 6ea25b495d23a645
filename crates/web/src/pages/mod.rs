//! Server-rendered pages (askama templates, Fluent strings in zh-CN and en):
//! sign-up, sign-in, the company switcher, staff, API keys and sessions, the
//! wallet, the market (`market/`), orders (`orders/`), the books (`books/`)
//! and the supply chain (`stock/`). Usable without
//! JavaScript; every form carries the CSRF token.

mod account;
mod auth;
mod books;
mod company;
mod home;
mod invitation;
mod market;
mod operator;
mod operator_market;
mod operator_repairs;
pub(crate) mod orders;
mod sandbox_bank;
mod shell;
mod staff;
mod stock;
mod wallet;

use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub use shell::Shell;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/signup", get(auth::signup_form).post(auth::signup))
        .route("/signin", get(auth::signin_form).post(auth::signin))
        .route("/signout", post(auth::signout))
        .route("/language", post(account::set_language))
        .route(
            "/companies/new",
            get(company::new_form).post(company::create),
        )
        .route("/switch-company", post(company::switch))
        .route("/company/staff", get(staff::show))
        .route("/company/staff/invite", post(staff::invite))
        .route(
            "/company/staff/{membership_id}/role",
            post(staff::change_role),
        )
        .route("/company/staff/{membership_id}/remove", post(staff::remove))
        .route(
            "/company/invitations/{invitation_id}/revoke",
            post(staff::revoke_invitation),
        )
        .route(
            "/company/api-keys",
            get(company::api_keys).post(company::create_api_key),
        )
        .route(
            "/company/api-keys/{api_key_id}/revoke",
            post(company::revoke_api_key),
        )
        .route("/account/sessions", get(account::sessions))
        .route(
            "/account/sessions/{session_id}/revoke",
            post(account::revoke_session),
        )
        .route("/invitations/{token}", get(invitation::show))
        .route("/invitations/{token}/accept", post(invitation::accept))
        .route("/operator", get(operator::show))
        .route("/operator/ledger", get(operator::ledger))
        .route("/operator/market", get(operator_market::show))
        .route("/operator/repairs", get(operator_repairs::show))
        .route(
            "/operator/repairs/withdrawals/{withdrawal_id}",
            post(operator_repairs::repair),
        )
        .route(
            "/operator/market/categories",
            post(operator_market::create_category),
        )
        .route(
            "/operator/market/companies/{company_id}",
            post(operator_market::update_supplier),
        )
        .route("/wallet", get(wallet::show))
        .route("/wallet/top-ups", post(wallet::top_up))
        .route("/wallet/withdrawals", post(wallet::withdraw))
        .route("/wallet/bank-accounts", post(wallet::add_bank_account))
        .route(
            "/wallet/bank-accounts/{bank_account_id}/remove",
            post(wallet::remove_bank_account),
        )
        .route("/sandbox-bank", get(sandbox_bank::show))
        .route(
            "/sandbox-bank/operations/{operation_id}/confirm",
            post(sandbox_bank::confirm),
        )
        .route(
            "/sandbox-bank/operations/{operation_id}/fail",
            post(sandbox_bank::fail),
        )
        .merge(books::router())
        .merge(stock::router())
        .merge(market::router())
        .merge(orders::router())
        .fallback(not_found)
}

/// A page built with the message of `error` (if a change was refused)
/// already in it, answered with that error's status; or the error page when
/// the page itself could not be built.
pub(crate) fn respond(
    shell: &Shell,
    built: Result<impl Template, ApiError>,
    error: Option<&ApiError>,
) -> Response {
    match built {
        Ok(page) => {
            let mut response = render(&page);
            if let Some(error) = error {
                *response.status_mut() = error.status();
            }
            response
        }
        Err(failure) => error_response(shell, failure),
    }
}

/// After a change: back to `to`, saying what happened.
pub(crate) fn done(to: &str, notice: &str) -> Response {
    let separator = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{separator}notice={notice}")).into_response()
}

/// Renders a page, or the error page if the template fails.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => ApiError::internal(error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    shell: &'a Shell,
    message: String,
}

/// The HTML page for an error; a missing sign-in goes to the sign-in page.
pub fn error_response(shell: &Shell, error: ApiError) -> Response {
    if error.code == ErrorCode::Unauthenticated {
        return Redirect::to("/signin").into_response();
    }
    if error.code == ErrorCode::NoActiveCompany {
        return Redirect::to("/companies/new").into_response();
    }
    let message = shell.error_message(&error);
    let mut response = render(&ErrorPage { shell, message });
    *response.status_mut() = error.status();
    response
}

/// The error page when no shell could be built (e.g. a failed CSRF check).
pub fn error_page(state: &AppState, headers: &HeaderMap, error: ApiError) -> Response {
    let shell = Shell::anonymous(state, headers);
    error_response(&shell, error)
}

async fn not_found(shell: Shell) -> Response {
    let mut response = error_response(&shell, ApiError::not_found());
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
