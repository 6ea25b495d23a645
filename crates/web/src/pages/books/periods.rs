//! `/books/periods`: the months of the books, how many entries and drafts
//! each holds, and closing (locking) or reopening them.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use books::period::PeriodStatus;
use serde::Deserialize;

use super::{done, respond};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::pages::Shell;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "books/periods.html")]
struct PeriodsPage<'a> {
    shell: &'a Shell,
    periods: Vec<PeriodStatus>,
    current: String,
    may_close: bool,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodsQuery {
    notice: Option<String>,
}

async fn periods_page(shell: &Shell, notice: Option<String>, error: Option<ApiError>) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        Ok::<_, ApiError>(PeriodsPage {
            shell,
            periods: state.books.periods(&member.scope).await?,
            current: books::period::period_of(state.clock.now()),
            may_close: books::may_close_periods(member.scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("books-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<PeriodsQuery>) -> Response {
    periods_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    period: String,
}

pub async fn lock(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<PeriodForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.books.lock_period(&member.scope, &form.period).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/periods", "period-locked"),
        Err(error) => periods_page(&shell, None, Some(error)).await,
    }
}

pub async fn unlock(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<PeriodForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state
            .books
            .unlock_period(&member.scope, &form.period)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/periods", "period-unlocked"),
        Err(error) => periods_page(&shell, None, Some(error)).await,
    }
}
