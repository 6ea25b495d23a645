//! `/books/reports/vat-summary`: output and input VAT and what is payable
//! per month, printable, with its CSV.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use books::VatSummary;
use kernel::Currency;
use serde::Deserialize;

use super::amount;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

/// Months as the form sends them; empty ends are open.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthsForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "books/vat.html")]
struct VatPage<'a> {
    shell: &'a Shell,
    report: VatSummary,
    from: String,
    to: String,
}

impl VatPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        amount(*minor, *currency)
    }
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    ApiQuery(form): ApiQuery<MonthsForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let month = |text: &str| Some(text.to_owned()).filter(|text| !text.is_empty());
        let (from, to) = (month(&form.from), month(&form.to));
        Ok::<_, ApiError>(
            state
                .books
                .vat_summary(&member.scope, from.as_deref(), to.as_deref())
                .await?,
        )
    }
    .await;
    match result {
        Ok(report) => render(&VatPage {
            shell: &shell,
            report,
            from: form.from,
            to: form.to,
        }),
        Err(error) => error_response(&shell, error),
    }
}
