//! The wallet page: balances per currency, the statement with its running
//! balance and CSV export, top-up, withdrawal and bank accounts.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kernel::{Currency, Money};
use pay::{BankAccount, BankAccountId, NewBankAccount, StatementLine, WalletBalance};
use serde::Deserialize;

use super::{Shell, error_response, render};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

/// The currencies offered in forms; any ISO code the kernel knows is accepted.
const OFFERED_CURRENCIES: &[&str] = &[
    "CNY", "EUR", "USD", "GBP", "AED", "MYR", "PLN", "HKD", "SGD", "JPY",
];

#[derive(Template)]
#[template(path = "wallet.html")]
struct WalletPage<'a> {
    shell: &'a Shell,
    balances: Vec<WalletBalance>,
    currency: Option<Currency>,
    lines: Vec<StatementLine>,
    next_cursor: Option<String>,
    bank_accounts: Vec<BankAccount>,
    moves_money: bool,
    currencies: &'static [&'static str],
    error: Option<String>,
    notice: Option<String>,
}

impl WalletPage<'_> {
    fn currency_is(&self, code: &str) -> bool {
        self.currency
            .is_some_and(|currency| currency.code() == code)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletQuery {
    currency: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
}

async fn wallet_page(shell: &Shell, query: WalletQuery, error: Option<ApiError>) -> Response {
    let result = async {
        let member = shell.member().await?;
        let pay = &shell.state().pay;
        let balances = pay.balances(&member.scope).await?;
        let currency = match query.currency.as_deref() {
            Some(code) => Some(code.parse::<Currency>().map_err(|_| {
                ApiError::field(ErrorCode::InvalidQuery, "currency", "unknown currency")
            })?),
            None => balances.first().map(|balance| balance.currency),
        };
        let (lines, next_cursor) = match currency {
            Some(currency) => {
                let page = page_of_size(50, query.cursor.as_deref())?;
                let body: PageBody<StatementLine> =
                    pay.statement(&member.scope, currency, page).await?.into();
                (body.items, body.next_cursor)
            }
            None => (Vec::new(), None),
        };
        let bank_accounts = pay.bank_accounts(&member.scope).await?;
        Ok::<_, ApiError>((
            member,
            balances,
            currency,
            lines,
            next_cursor,
            bank_accounts,
        ))
    }
    .await;
    let (member, balances, currency, lines, next_cursor, bank_accounts) = match result {
        Ok(parts) => parts,
        Err(error) => return error_response(shell, error),
    };
    let notice = query
        .notice
        .as_deref()
        .map(|key| shell.t(&format!("wallet-{key}")));
    let mut response = render(&WalletPage {
        shell,
        balances,
        currency,
        lines,
        next_cursor: next_cursor.map(|cursor| cursor.to_string()),
        bank_accounts,
        moves_money: pay::may_move_money(member.scope.role()),
        currencies: OFFERED_CURRENCIES,
        error: error.as_ref().map(|e| shell.error_message(e)),
        notice,
    });
    if let Some(error) = error {
        *response.status_mut() = error.status();
    }
    response
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<WalletQuery>) -> Response {
    wallet_page(&shell, query, None).await
}

fn parse_money(amount: &str, currency: &str) -> Result<Money, ApiError> {
    let currency: Currency = currency
        .parse()
        .map_err(|_| ApiError::field(ErrorCode::InvalidField, "currency", "unknown currency"))?;
    Money::parse_decimal(amount.trim(), currency).map_err(|error| ApiError {
        reason: Some("invalid_amount".to_owned()),
        ..ApiError::field(ErrorCode::InvalidField, "amount", error.to_string())
    })
}

/// After a change: back to the page, saying what happened.
fn done(currency: Currency, notice: &str) -> Response {
    Redirect::to(&format!(
        "/wallet?currency={}&notice={notice}",
        currency.code()
    ))
    .into_response()
}

#[derive(Debug, Deserialize)]
pub struct TopUpForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
}

pub async fn top_up(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<TopUpForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let amount = parse_money(&form.amount, &form.currency)?;
        state.pay.start_top_up(&member.scope, amount).await?;
        Ok::<_, ApiError>(amount.currency)
    }
    .await;
    match result {
        Ok(currency) => done(currency, "top-up-started"),
        Err(error) => wallet_page(&shell, WalletQuery::default(), Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct WithdrawalForm {
    bank_account_id: String,
    #[serde(default)]
    amount: String,
}

pub async fn withdraw(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<WithdrawalForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let id: BankAccountId = form
            .bank_account_id
            .parse()
            .map_err(|_| ApiError::not_found())?;
        let account = state.pay.bank_account(&member.scope, id).await?;
        let amount = parse_money(&form.amount, account.currency.code())?;
        state
            .pay
            .start_withdrawal(&member.scope, id, amount)
            .await?;
        Ok::<_, ApiError>(amount.currency)
    }
    .await;
    match result {
        Ok(currency) => done(currency, "withdrawal-started"),
        Err(error) => wallet_page(&shell, WalletQuery::default(), Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct BankAccountForm {
    #[serde(default)]
    holder_name: String,
    #[serde(default)]
    bank_name: String,
    #[serde(default)]
    account_number: String,
    #[serde(default)]
    currency: String,
}

pub async fn add_bank_account(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<BankAccountForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let currency: Currency = form.currency.parse().map_err(|_| {
            ApiError::field(ErrorCode::InvalidField, "currency", "unknown currency")
        })?;
        let new = NewBankAccount {
            holder_name: form.holder_name,
            bank_name: form.bank_name,
            account_number: form.account_number,
            currency,
        };
        state.pay.add_bank_account(&member.scope, &new).await?;
        Ok::<_, ApiError>(currency)
    }
    .await;
    match result {
        Ok(currency) => done(currency, "bank-account-added"),
        Err(error) => wallet_page(&shell, WalletQuery::default(), Some(error)).await,
    }
}

pub async fn remove_bank_account(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<BankAccountId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.pay.remove_bank_account(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/wallet").into_response(),
        Err(error) => error_response(&shell, error),
    }
}
