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

/// A report's sums as rows of (label key, currency, amount).
struct Total {
    label: &'static str,
    currency: Currency,
    minor: i64,
}

#[derive(Template)]
#[template(path = "books/report.html")]
struct ReportPage<'a> {
    shell: &'a Shell,
    /// `trial-balance`, `profit-and-loss` or `balance-sheet`.
    report: String,
    lines: Vec<AccountBalance>,
    totals: Vec<Total>,
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
        let (lines, totals) = match report.as_str() {
            "trial-balance" => {
                let report = state.books.trial_balance(scope, dates).await?;
                let totals = report
                    .totals
                    .iter()
                    .flat_map(|t| {
                        [
                            Total {
                                label: "books-debits",
                                currency: t.currency,
                                minor: t.debit_minor,
                            },
                            Total {
                                label: "books-credits",
                                currency: t.currency,
                                minor: t.credit_minor,
                            },
                        ]
                    })
                    .collect();
                (report.lines, totals)
            }
            "profit-and-loss" => {
                let report = state.books.profit_and_loss(scope, dates).await?;
                let totals = report
                    .totals
                    .iter()
                    .flat_map(|t| {
                        [
                            Total {
                                label: "books-revenue",
                                currency: t.currency,
                                minor: t.revenue_minor,
                            },
                            Total {
                                label: "books-expenses",
                                currency: t.currency,
                                minor: t.expenses_minor,
                            },
                            Total {
                                label: "books-profit",
                                currency: t.currency,
                                minor: t.profit_minor,
                            },
                        ]
                    })
                    .collect();
                (report.lines, totals)
            }
            "balance-sheet" => {
                let report = state.books.balance_sheet(scope, dates.to).await?;
                let totals = report
                    .totals
                    .iter()
                    .flat_map(|t| {
                        [
                            Total {
                                label: "books-assets",
                                currency: t.currency,
                                minor: t.assets_minor,
                            },
                            Total {
                                label: "books-liabilities",
                                currency: t.currency,
                                minor: t.liabilities_minor,
                            },
                            Total {
                                label: "books-equity",
                                currency: t.currency,
                                minor: t.equity_minor,
                            },
                            Total {
                                label: "books-earnings",
                                currency: t.currency,
                                minor: t.earnings_minor,
                            },
                        ]
                    })
                    .collect();
                (report.lines, totals)
            }
            _ => return Err(ApiError::not_found()),
        };
        Ok::<_, ApiError>((lines, totals))
    }
    .await;
    match result {
        Ok((lines, totals)) => render(&ReportPage {
            shell: &shell,
            report,
            lines,
            totals,
            range,
        }),
        Err(error) => error_response(&shell, error),
    }
}
