//! `/books/rates`: the functional currency and the exchange rates the
//! company books its other currencies at, with forms to set a rate, remove
//! one and (before the first entry) choose the functional currency.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use books::{ExchangeRate, ExchangeRateId, RateInput, SettingsInput};
use kernel::Currency;
use serde::Deserialize;

use super::{done, respond};
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath};
use crate::pages::Shell;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "books/rates.html")]
struct RatesPage<'a> {
    shell: &'a Shell,
    functional: Currency,
    rates: Vec<ExchangeRate>,
    today: String,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatesQuery {
    notice: Option<String>,
}

async fn rates_page(shell: &Shell, notice: Option<String>, error: Option<ApiError>) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        Ok::<_, ApiError>(RatesPage {
            shell,
            functional: state.books.settings(scope).await?.functional_currency,
            rates: state.books.exchange_rates(scope).await?,
            today: books::period::day_of(state.clock.now()),
            may_keep: books::may_keep_books(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("books-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<RatesQuery>) -> Response {
    rates_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    currency: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    rate: String,
}

pub async fn set(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<RateForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = RateInput {
            currency: form.currency.trim().to_uppercase(),
            date: form.date,
            rate: form.rate,
        };
        state.books.set_exchange_rate(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/rates", "rate-saved"),
        Err(error) => rates_page(&shell, None, Some(error)).await,
    }
}

pub async fn remove(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<ExchangeRateId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.books.remove_exchange_rate(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/rates", "rate-removed"),
        Err(error) => rates_page(&shell, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct FunctionalForm {
    #[serde(default)]
    currency: String,
}

pub async fn functional(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<FunctionalForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = SettingsInput {
            functional_currency: Some(form.currency.trim().to_uppercase()),
            ..SettingsInput::default()
        };
        state.books.change_settings(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/rates", "functional-saved"),
        Err(error) => rates_page(&shell, None, Some(error)).await,
    }
}
