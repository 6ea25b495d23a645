//! `/books/reports/{report}`: the trial balance, profit and loss and the
//! balance sheet over a range of days, printable, each with its CSV.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use books::{AccountBalance, ReportRange};
use kernel::Currency;
use serde::Deserialize;

use super::{amount, name_in};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

/// A range of days as the report forms send it; empty ends are open.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl RangeForm {
    /// The same range as a query string, for the CSV link.
    pub fn query(&self) -> String {
        format!("from={}&to={}", self.from, self.to)
    }
}

/// The range the form names, refused as the API refuses its query.
pub fn range_of(form: &RangeForm) -> Result<ReportRange, ApiError> {
    let day = |field: &str, text: &str| {
        crate::api::books::query_date(field, Some(text).filter(|text| !text.is_empty()))
    };
    Ok(ReportRange {
        from: day("from", &form.from)?,
        to: day("to", &form.to)?,
    })
}

/// A report's sums as rows of (label key, currency, amount); those of all
/// currencies together are in the functional-value column.
struct Total {
    label: &'static str,
    currency: Currency,
    minor: i64,
    functional: bool,
}

impl Total {
    fn of(label: &'static str, currency: Currency, minor: i64) -> Total {
        Total {
            label,
            currency,
            minor,
            functional: false,
        }
    }

    fn functional(label: &'static str, currency: Currency, minor: i64) -> Total {
        Total {
            functional: true,
            ..Total::of(label, currency, minor)
        }
    }
}

#[derive(Template)]
#[template(path = "books/report.html")]
struct ReportPage<'a> {
    shell: &'a Shell,
    /// `trial-balance`, `profit-and-loss` or `balance-sheet`.
    report: String,
    lines: Vec<AccountBalance>,
    totals: Vec<Total>,
    /// The currency the books value every line in.
    functional: Currency,
    range: RangeForm,
}

impl ReportPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        amount(*minor, *currency)
    }

    fn name(&self, line: &AccountBalance) -> String {
        name_in(self.shell, &line.name_zh, &line.name_en).to_owned()
    }

    fn title(&self) -> String {
        self.shell.t(&format!("books-{}", self.report))
    }

    /// The company the report is of, for the printed page.
    fn company(&self) -> String {
        self.shell
            .companies
            .iter()
            .find(|company| self.shell.is_active(&company.company_id))
            .map(|company| company.legal_name.clone())
            .unwrap_or_default()
    }

    fn csv_link(&self) -> String {
        if self.report == "balance-sheet" {
            format!(
                "/api/v1/books/reports/balance-sheet.csv?at={}",
                self.range.to
            )
        } else {
            format!(
                "/api/v1/books/reports/{}.csv?{}",
                self.report,
                self.range.query()
            )
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    Path(report): Path<String>,
    ApiQuery(range): ApiQuery<RangeForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let dates = range_of(&range)?;
        let (lines, totals, functional) = match report.as_str() {
            "trial-balance" => {
                let report = state.books.trial_balance(scope, dates).await?;
                let fx = report.functional_totals.clone();
                let totals = report
                    .totals
                    .iter()
                    .flat_map(|t| {
                        [
                            Total::of("books-debits", t.currency, t.debit_minor),
                            Total::of("books-credits", t.currency, t.credit_minor),
                        ]
                    })
                    .chain([
                        Total::functional("books-debits", fx.currency, fx.debit_minor),
                        Total::functional("books-credits", fx.currency, fx.credit_minor),
                    ])
                    .collect();
                (report.lines, totals, fx.currency)
            }
            "profit-and-loss" => {
                let report = state.books.profit_and_loss(scope, dates).await?;
                let fx = report.functional_total.clone();
                let totals = report
                    .totals
                    .iter()
                    .flat_map(|t| {
                        [
                            Total::of("books-revenue", t.currency, t.revenue_minor),
                            Total::of("books-expenses", t.currency, t.expenses_minor),
                            Total::of("books-profit", t.currency, t.profit_minor),
                        ]
                    })
                    .chain([
                        Total::functional("books-revenue", fx.currency, fx.revenue_minor),
                        Total::functional("books-expenses", fx.currency, fx.expenses_minor),
                        Total::functional("books-profit", fx.currency, fx.profit_minor),
                    ])
                    .collect();
                (report.lines, totals, fx.currency)
            }
            "balance-sheet" => {
                let report = state.books.balance_sheet(scope, dates.to).await?;
                let fx = report.functional_total.clone();
                let totals = report
                    .totals
                    .iter()
                    .flat_map(|t| {
                        [
                            Total::of("books-assets", t.currency, t.assets_minor),
                            Total::of("books-liabilities", t.currency, t.liabilities_minor),
                            Total::of("books-equity", t.currency, t.equity_minor),
                            Total::of("books-earnings", t.currency, t.earnings_minor),
                        ]
                    })
                    .chain([
                        Total::functional("books-assets", fx.currency, fx.assets_minor),
                        Total::functional("books-liabilities", fx.currency, fx.liabilities_minor),
                        Total::functional("books-equity", fx.currency, fx.equity_minor),
                        Total::functional("books-earnings", fx.currency, fx.earnings_minor),
                    ])
                    .collect();
                (report.lines, totals, fx.currency)
            }
            _ => return Err(ApiError::not_found()),
        };
        Ok::<_, ApiError>((lines, totals, functional))
    }
    .await;
    match result {
        Ok((lines, totals, functional)) => render(&ReportPage {
            shell: &shell,
            report,
            lines,
            totals,
            functional,
            range,
        }),
        Err(error) => error_response(&shell, error),
    }
}
