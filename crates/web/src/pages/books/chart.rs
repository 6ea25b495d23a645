//! `/books/accounts`: the chart of accounts, adding an account, activating
//! and deactivating; `/books/accounts/{id}`: one account's general ledger.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use books::{Account, AccountChange, AccountId, AccountInput, AccountKind, GeneralLedger};
use kernel::Currency;
use serde::Deserialize;

use super::reports::{RangeForm, range_of};
use super::{amount, done, name_in, respond};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

const KINDS: [AccountKind; 5] = [
    AccountKind::Asset,
    AccountKind::Liability,
    AccountKind::Equity,
    AccountKind::Revenue,
    AccountKind::Expense,
];

#[derive(Template)]
#[template(path = "books/chart.html")]
struct ChartPage<'a> {
    shell: &'a Shell,
    accounts: Vec<Account>,
    kinds: [AccountKind; 5],
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl ChartPage<'_> {
    fn name(&self, account: &Account) -> String {
        account_name(self.shell, account)
    }

    fn kind_name(&self, kind: &AccountKind) -> String {
        self.shell.t(&format!("books-kind-{}", kind.code()))
    }
}

fn account_name(shell: &Shell, account: &Account) -> String {
    name_in(shell, &account.name_zh, &account.name_en).to_owned()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartQuery {
    notice: Option<String>,
}

async fn chart_page(shell: &Shell, notice: Option<String>, error: Option<ApiError>) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        Ok::<_, ApiError>(ChartPage {
            shell,
            accounts: state.books.accounts(&member.scope).await?,
            kinds: KINDS,
            may_keep: books::may_keep_books(member.scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("books-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<ChartQuery>) -> Response {
    chart_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    kind: String,
}

pub async fn create(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<AccountForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let kind = AccountKind::parse(&form.kind)
            .ok_or_else(|| ApiError::field(ErrorCode::InvalidField, "kind", "unknown kind"))?;
        let input = AccountInput {
            code: form.code,
            name_zh: form.name_zh,
            name_en: form.name_en,
            kind,
        };
        state.books.add_account(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/accounts", "account-added"),
        Err(error) => chart_page(&shell, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct OpeningForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    file: String,
}

/// The opening balances pasted as CSV: one posted entry, or the chart page
/// again with the row at fault.
pub async fn opening_balances(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<OpeningForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let entry = state
            .books
            .import_opening_balances(&member.scope, &form.date, &form.file)
            .await?;
        Ok::<_, ApiError>(entry.period)
    }
    .await;
    match result {
        Ok(period) => done(&format!("/books/journal?period={period}"), "opening-saved"),
        Err(error) => chart_page(&shell, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<AccountId>,
    Form(form): Form<ActiveForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let change = AccountChange {
            active: Some(form.active == "true"),
            ..AccountChange::default()
        };
        state
            .books
            .change_account(&member.scope, id, &change)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/accounts", "account-changed"),
        Err(error) => chart_page(&shell, None, Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "books/ledger.html")]
struct LedgerPage<'a> {
    shell: &'a Shell,
    report: GeneralLedger,
    name: String,
    range: RangeForm,
}

impl LedgerPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        amount(*minor, *currency)
    }

    fn day(&self, at: &kernel::Timestamp) -> String {
        books::period::day_of(*at)
    }

    fn period(&self, at: &kernel::Timestamp) -> String {
        books::period::period_of(*at)
    }
}

pub async fn ledger(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<AccountId>,
    ApiQuery(range): ApiQuery<RangeForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let report = state
            .books
            .general_ledger(&member.scope, id, range_of(&range)?)
            .await?;
        Ok::<_, ApiError>(report)
    }
    .await;
    match result {
        Ok(report) => render(&LedgerPage {
            name: account_name(&shell, &report.account),
            shell: &shell,
            report,
            range,
        }),
        Err(error) => error_response(&shell, error),
    }
}
