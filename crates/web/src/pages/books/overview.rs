//! `/books`: the reconciliation with the wallet first (the point of one
//! system), this year's result with revenue and margin by month, the balance
//! sheet's sums, and how the books are kept. `/operator/books`: every
//! member's reconciliation for the operator.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use books::{
    BalanceSheet, BooksSettings, ProfitAndLoss, Reconciliation, ReportRange, SettingsInput,
};
use kernel::{Currency, Money, Scope, Timestamp};
use serde::Deserialize;

use super::{amount, done, respond};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

/// Months the overview's chart shows.
const CHART_MONTHS: usize = 12;

/// One month's bar of the chart.
struct MonthBar {
    period: String,
    revenue_minor: i64,
    profit_minor: i64,
    /// Of the tallest month's revenue, 0 to 100.
    revenue_percent: i64,
    margin_percent: Option<i64>,
}

#[derive(Template)]
#[template(path = "books/overview.html")]
struct OverviewPage<'a> {
    shell: &'a Shell,
    reconciliation: Reconciliation,
    year: i32,
    profit: ProfitAndLoss,
    chart_currency: Option<Currency>,
    months: Vec<MonthBar>,
    sheet: BalanceSheet,
    settings: BooksSettings,
    may_configure: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl OverviewPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        amount(*minor, *currency)
    }

    /// `wallet` or `escrow_advance`, in words.
    fn what(&self, what: &str) -> String {
        self.shell.t(&format!("books-reconcile-{what}"))
    }

    fn chart_name(&self) -> String {
        self.shell
            .t(&format!("books-chart-{}", self.settings.chart))
    }

    /// The VAT rate as a percentage, `13.00`: basis points are hundredths of
    /// a percent, as fen are of a yuan.
    fn vat_rates(&self) -> String {
        let rates: Vec<String> = self
            .settings
            .vat_rates_bp
            .iter()
            .map(|rate| Money::new(*rate, Currency::CNY).decimal())
            .collect();
        rates.join(", ")
    }

    fn vat_percent(&self) -> String {
        Money::new(self.settings.vat_rate_bp, Currency::CNY).decimal()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverviewQuery {
    notice: Option<String>,
}

/// The first instant of `month` (1 = January) of `year`, in UTC.
fn month_start(year: i32, month: i32) -> Option<Timestamp> {
    let (year, month) = (
        year + (month - 1).div_euclid(12),
        (month - 1).rem_euclid(12) + 1,
    );
    books::period::period_start(&format!("{year:04}-{month:02}"))
}

/// Revenue and profit of the last `CHART_MONTHS` months in the currency the
/// company earns most in.
async fn months(
    state: &AppState,
    scope: &Scope,
    now: Timestamp,
) -> Result<(Option<Currency>, Vec<MonthBar>), ApiError> {
    let today = now.to_offset_date_time().date();
    let (year, month) = (today.year(), i32::from(u8::from(today.month())));
    let mut results = Vec::with_capacity(CHART_MONTHS);
    for back in (0..CHART_MONTHS as i32).rev() {
        let range = ReportRange {
            from: month_start(year, month - back),
            to: month_start(year, month - back + 1),
        };
        let period = range.from.map(books::period::period_of).unwrap_or_default();
        results.push((period, state.books.profit_and_loss(scope, range).await?));
    }
    let mut by_currency: std::collections::BTreeMap<&'static str, (Currency, i64)> =
        Default::default();
    for total in results.iter().flat_map(|(_, pl)| &pl.totals) {
        by_currency
            .entry(total.currency.code())
            .or_insert((total.currency, 0))
            .1 += total.revenue_minor;
    }
    let Some((currency, _)) = by_currency
        .into_values()
        .max_by_key(|(_, revenue)| *revenue)
    else {
        return Ok((None, Vec::new()));
    };
    let figures: Vec<(String, i64, i64)> = results
        .into_iter()
        .map(|(period, pl)| {
            let total = pl.totals.iter().find(|total| total.currency == currency);
            (
                period,
                total.map_or(0, |t| t.revenue_minor),
                total.map_or(0, |t| t.profit_minor),
            )
        })
        .collect();
    let tallest = figures
        .iter()
        .map(|(_, revenue, _)| *revenue)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = figures
        .into_iter()
        .map(|(period, revenue_minor, profit_minor)| MonthBar {
            period,
            revenue_minor,
            profit_minor,
            // Integer percentages of a display, not money.
            revenue_percent: (i128::from(revenue_minor.max(0)) * 100 / i128::from(tallest)) as i64,
            margin_percent: (revenue_minor > 0)
                .then(|| (i128::from(profit_minor) * 100 / i128::from(revenue_minor)) as i64),
        })
        .collect();
    Ok((Some(currency), bars))
}

async fn overview_page(shell: &Shell, notice: Option<String>, error: Option<ApiError>) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let now = state.clock.now();
        let year = now.to_offset_date_time().date().year();
        let this_year = ReportRange {
            from: month_start(year, 1),
            to: month_start(year + 1, 1),
        };
        let reconciliation = state.books.reconciliation(scope).await?;
        let profit = state.books.profit_and_loss(scope, this_year).await?;
        let (chart_currency, months) = months(state, scope, now).await?;
        let sheet = state.books.balance_sheet(scope, None).await?;
        let settings = state.books.settings(scope).await?;
        Ok::<_, ApiError>(OverviewPage {
            shell,
            reconciliation,
            year,
            profit,
            chart_currency,
            months,
            sheet,
            settings,
            may_configure: books::may_close_periods(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("books-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<OverviewQuery>) -> Response {
    overview_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    chart: String,
    #[serde(default)]
    vat_percent: String,
    #[serde(default)]
    invoice_on: String,
    /// Percentages separated by commas: `13, 9, 6, 0`.
    #[serde(default)]
    vat_rates: String,
    #[serde(default)]
    payment_terms_days: String,
}

/// `13` or `6.5` percent as basis points, or `field` at fault.
fn percent_as_bp(field: &str, text: &str) -> Result<i64, ApiError> {
    let invalid = || {
        ApiError::field(
            crate::error::ErrorCode::InvalidField,
            field,
            "a percentage such as 13 or 6.5",
        )
    };
    // Read as hundredths with the money parser: exact, no float.
    Money::parse_decimal(text.trim(), Currency::CNY)
        .map(|money| money.minor)
        .map_err(|_| invalid())
}

pub async fn change_settings(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<SettingsForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = SettingsInput {
            chart: Some(form.chart).filter(|chart| !chart.is_empty()),
            vat_rate_bp: Some(percent_as_bp("vat_percent", &form.vat_percent)?),
            invoice_on: Some(form.invoice_on).filter(|on| !on.is_empty()),
            vat_rates_bp: Some(
                form.vat_rates
                    .split([',', '，'])
                    .filter(|rate| !rate.trim().is_empty())
                    .map(|rate| percent_as_bp("vat_rates", rate))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            payment_terms_days: Some(form.payment_terms_days.trim().parse().map_err(|_| {
                ApiError::field(
                    crate::error::ErrorCode::InvalidField,
                    "payment_terms_days",
                    "a number of days",
                )
            })?),
            functional_currency: None,
        };
        state.books.change_settings(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books", "settings-saved"),
        Err(error) => overview_page(&shell, None, Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "books/network.html")]
struct NetworkPage<'a> {
    shell: &'a Shell,
    reconciliation: Reconciliation,
}

impl NetworkPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        amount(*minor, *currency)
    }

    fn what(&self, what: &str) -> String {
        self.shell.t(&format!("books-reconcile-{what}"))
    }
}

/// The operator's view: every member's books against the ledger.
pub async fn network(State(state): State<AppState>, shell: Shell) -> Response {
    let result = async {
        crate::pages::operator::require_operator(&shell)?;
        Ok::<_, ApiError>(state.books.reconciliation_of_network().await?)
    }
    .await;
    match result {
        Ok(reconciliation) => render(&NetworkPage {
            shell: &shell,
            reconciliation,
        }),
        Err(error) => error_response(&shell, error),
    }
}
