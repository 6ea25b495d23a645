//! The operator's overview of member companies and the ledger report.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use identity::Company;

use super::{Shell, error_response, render};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::pagination::{PageBody, PageQuery};
use crate::state::AppState;

/// Operator pages do not exist for anyone else: "not found", as the API says.
pub fn require_operator(shell: &Shell) -> Result<(), ApiError> {
    if shell.signed_in()?.user.is_operator {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// An operator's form about one record: the person checked first, then the
/// record's id from the path and the posted fields.
pub fn operator_form<T: std::str::FromStr>(
    shell: &Shell,
    id: &str,
    form: Result<axum::Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<(T, super::market::FormFields), ApiError> {
    require_operator(shell)?;
    let id = super::market::parse_id(id)?;
    Ok((id, super::market::FormFields::read(form)?))
}

#[derive(Template)]
#[template(path = "operator.html")]
struct OperatorPage<'a> {
    shell: &'a Shell,
    companies: Vec<Company>,
    next_cursor: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Response {
    let result = async {
        require_operator(&shell)?;
        let page: PageBody<Company> = state
            .identity
            .all_companies(query.to_request())
            .await?
            .into();
        Ok(page)
    }
    .await;
    match result {
        Ok(page) => render(&OperatorPage {
            shell: &shell,
            companies: page.items,
            next_cursor: page.next_cursor.map(|cursor| cursor.to_string()),
        }),
        Err(error) => error_response(&shell, error),
    }
}

#[derive(Template)]
#[template(path = "operator_ledger.html")]
struct LedgerPage<'a> {
    shell: &'a Shell,
    report: crate::api::operator::ledger::LedgerReport,
}

/// Ledger totals per currency and the whole-ledger check.
pub async fn ledger(State(state): State<AppState>, shell: Shell) -> Response {
    let result = async {
        require_operator(&shell)?;
        crate::api::operator::ledger::report(&state).await
    }
    .await;
    match result {
        Ok(report) => render(&LedgerPage {
            shell: &shell,
            report,
        }),
        Err(error) => error_response(&shell, error),
    }
}
