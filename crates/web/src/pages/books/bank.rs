//! `/books/bank`: a bank statement pasted as CSV, its lines with the open
//! invoice each likely pays, and forms per open line to match it to an
//! invoice or post it to an account (a fee).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use books::{
    Account, AccountKind, AccountRole, BankLine, BankLineId, BankLineState, Invoice, InvoiceKind,
    MatchInput, PostLineInput,
};
use kernel::Currency;
use serde::Deserialize;

use super::{amount, done, name_in, respond};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pages::Shell;
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

/// Lines on one page.
const PAGE_SIZE: u32 = 50;

#[derive(Template)]
#[template(path = "books/bank.html")]
struct BankPage<'a> {
    shell: &'a Shell,
    lines: Vec<BankLine>,
    next_cursor: Option<String>,
    /// Open invoices by hand a line may pay.
    invoices: Vec<Invoice>,
    /// Asset accounts a statement may be of, the bank account first.
    accounts: Vec<Account>,
    /// Accounts a line that pays no invoice may be posted to.
    postable: Vec<Account>,
    names: HashMap<i64, String>,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl BankPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        amount(*minor, *currency)
    }

    fn day(&self, at: &kernel::Timestamp) -> String {
        books::period::day_of(*at)
    }

    fn account_name(&self, id: &books::AccountId) -> String {
        self.names.get(&id.raw()).cloned().unwrap_or_default()
    }

    /// The invoices a line can pay: sales for money in, purchases for money
    /// out, in its currency.
    fn fitting(&self, line: &BankLine) -> Vec<&Invoice> {
        let kind = if line.amount_minor > 0 {
            InvoiceKind::Sales
        } else {
            InvoiceKind::Purchase
        };
        self.invoices
            .iter()
            .filter(|invoice| invoice.kind == kind && invoice.currency == line.currency)
            .collect()
    }

    fn invoice_label(&self, invoice: &Invoice) -> String {
        format!(
            "{} · {} · {}",
            invoice.number,
            invoice.counterparty_name,
            amount(invoice.open_minor, invoice.currency)
        )
    }

    fn suggested(&self, line: &BankLine, invoice: &Invoice) -> bool {
        line.suggested_invoice_id == Some(invoice.id)
    }

    /// Where a line that pays no invoice may go: expenses first for money
    /// out, revenue first for money in; never the statement's own account.
    fn post_targets(&self, line: &BankLine) -> Vec<&Account> {
        let first = if line.amount_minor > 0 {
            AccountKind::Revenue
        } else {
            AccountKind::Expense
        };
        let mut targets: Vec<&Account> = self
            .postable
            .iter()
            .filter(|account| account.id != line.account_id)
            .collect();
        targets.sort_by_key(|account| account.kind != first);
        targets
    }

    fn is_open(&self, line: &BankLine) -> bool {
        line.state == BankLineState::Open
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankQuery {
    cursor: Option<String>,
    notice: Option<String>,
}

async fn bank_page(shell: &Shell, query: BankQuery, error: Option<ApiError>) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let page = page_of_size(PAGE_SIZE, query.cursor.as_deref())?;
        let body: PageBody<BankLine> = state.books.bank_lines(scope, None, page).await?.into();
        let all = state.books.accounts(scope).await?;
        let names = all
            .iter()
            .map(|account| {
                let name = name_in(shell, &account.name_zh, &account.name_en);
                (account.id.raw(), format!("{} {name}", account.code))
            })
            .collect();
        let postable: Vec<Account> = all
            .into_iter()
            .filter(|account| account.active)
            .filter(|account| account.role.is_none() || account.role == Some(AccountRole::Bank))
            .collect();
        let mut accounts: Vec<Account> = postable
            .iter()
            .filter(|account| account.kind == AccountKind::Asset)
            .cloned()
            .collect();
        accounts.sort_by_key(|account| account.role != Some(AccountRole::Bank));
        Ok::<_, ApiError>(BankPage {
            shell,
            lines: body.items,
            next_cursor: body.next_cursor.map(|cursor| cursor.to_string()),
            invoices: state.books.open_invoices_by_hand(scope).await?,
            accounts,
            postable,
            names,
            may_keep: books::may_keep_books(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: query
                .notice
                .as_deref()
                .map(|key| shell.t(&format!("books-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<BankQuery>) -> Response {
    bank_page(&shell, query, None).await
}

#[derive(Debug, Deserialize)]
pub struct StatementForm {
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    file: String,
}

pub async fn import(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<StatementForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let account = match form.account_id.as_str() {
            "" => None,
            text => Some(text.parse().map_err(|_| {
                ApiError::field(ErrorCode::InvalidField, "account_id", "unknown account")
            })?),
        };
        let imported = state
            .books
            .import_bank_statement(&member.scope, account, &form.file)
            .await?;
        Ok::<_, ApiError>(imported)
    }
    .await;
    match result {
        Ok(_) => done("/books/bank", "statement-imported"),
        Err(error) => bank_page(&shell, BankQuery::default(), Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct MatchForm {
    #[serde(default)]
    invoice_id: String,
}

pub async fn match_line(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<BankLineId>,
    Form(form): Form<MatchForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let invoice_id = form.invoice_id.parse().map_err(|_| {
            ApiError::field(ErrorCode::InvalidField, "invoice_id", "choose an invoice")
        })?;
        let input = MatchInput { invoice_id };
        state
            .books
            .match_bank_line(&member.scope, id, &input)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/bank", "line-matched"),
        Err(error) => bank_page(&shell, BankQuery::default(), Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct PostForm {
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    memo: String,
}

pub async fn post_line(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<BankLineId>,
    Form(form): Form<PostForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let account_id = form.account_id.parse().map_err(|_| {
            ApiError::field(ErrorCode::InvalidField, "account_id", "choose an account")
        })?;
        let input = PostLineInput {
            account_id,
            memo: form.memo,
        };
        state
            .books
            .post_bank_line(&member.scope, id, &input)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/books/bank", "line-posted"),
        Err(error) => bank_page(&shell, BankQuery::default(), Some(error)).await,
    }
}
