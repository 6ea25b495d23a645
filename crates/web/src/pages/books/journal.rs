//! `/books/journal`: the company's entries, a page at a time, filtered by
//! month and journal, with posting, deleting and reversing; and the form for
//! an entry by hand.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use books::{Account, Attachment, Entry, EntryFilter, EntryId, EntryInput, Journal, LineInput};
use kernel::{Currency, Money};
use serde::Deserialize;

use super::{amount, done, name_in, respond};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pages::Shell;
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

/// Entries on one page.
const PAGE_SIZE: u32 = 50;
/// Line rows the form for an entry offers.
const FORM_LINES: usize = 4;

#[derive(Template)]
#[template(path = "books/journal.html")]
struct JournalPage<'a> {
    shell: &'a Shell,
    entries: Vec<Entry>,
    next_cursor: Option<String>,
    period: String,
    journal: String,
    accounts: Vec<Account>,
    names: HashMap<i64, String>,
    journals: [Journal; 4],
    form_lines: Vec<usize>,
    today: String,
    /// The currency the books value every line in.
    functional: Currency,
    may_keep: bool,
    /// The entries' files, by entry.
    attachments: HashMap<i64, Vec<Attachment>>,
    error: Option<String>,
    notice: Option<String>,
}

impl JournalPage<'_> {
    fn files(&self, entry: &Entry) -> &[Attachment] {
        self.attachments
            .get(&entry.id.raw())
            .map_or(&[], Vec::as_slice)
    }

    fn upload_action(&self, entry: &Entry) -> String {
        crate::pages::market::upload_action(
            self.shell,
            &format!("/books/entries/{}/attachments", entry.id),
        )
    }

    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        if *minor == 0 {
            String::new()
        } else {
            amount(*minor, *currency)
        }
    }

    /// A line's value in the functional currency, where it says more than
    /// its amount: a line in another currency, or an exchange difference.
    fn value(&self, line: &books::EntryLine) -> String {
        let moves_no_amount = line.debit_minor == 0 && line.credit_minor == 0;
        if line.currency == self.functional && !moves_no_amount {
            String::new()
        } else {
            amount(line.functional_minor, self.functional)
        }
    }

    fn account_name(&self, id: &books::AccountId) -> String {
        self.names.get(&id.raw()).cloned().unwrap_or_default()
    }

    fn journal_name(&self, journal: &Journal) -> String {
        self.shell.t(&format!("books-journal-{}", journal.code()))
    }

    fn filter_query(&self) -> String {
        format!("period={}&journal={}", self.period, self.journal)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    journal: String,
    cursor: Option<String>,
    notice: Option<String>,
}

pub(super) async fn journal_page(
    shell: &Shell,
    query: JournalQuery,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let journal = if query.journal.is_empty() {
            None
        } else {
            Some(Journal::parse(&query.journal).ok_or_else(|| {
                ApiError::field(ErrorCode::InvalidQuery, "journal", "an unknown journal")
            })?)
        };
        if !query.period.is_empty() && books::period::period_start(&query.period).is_none() {
            return Err(ApiError::field(
                ErrorCode::InvalidQuery,
                "period",
                "a month as YYYY-MM",
            ));
        }
        let filter = EntryFilter {
            journal,
            period: Some(query.period.clone()).filter(|p| !p.is_empty()),
            order_id: None,
        };
        let page = page_of_size(PAGE_SIZE, query.cursor.as_deref())?;
        let body: PageBody<Entry> = state.books.entries(scope, &filter, page).await?.into();
        let ids: Vec<_> = body.items.iter().map(|entry| entry.id).collect();
        let mut attachments: HashMap<i64, Vec<Attachment>> = HashMap::new();
        for file in state.books.attachments_of(scope, &ids).await? {
            attachments
                .entry(file.entry_id.raw())
                .or_default()
                .push(file);
        }
        let accounts = state.books.accounts(scope).await?;
        let names = accounts
            .iter()
            .map(|account| {
                let name = name_in(shell, &account.name_zh, &account.name_en);
                (account.id.raw(), format!("{} {name}", account.code))
            })
            .collect();
        Ok::<_, ApiError>(JournalPage {
            shell,
            entries: body.items,
            next_cursor: body.next_cursor.map(|cursor| cursor.to_string()),
            period: query.period.clone(),
            journal: query.journal.clone(),
            accounts: accounts.into_iter().filter(|a| a.active).collect(),
            names,
            journals: Journal::ALL,
            form_lines: (0..FORM_LINES).collect(),
            today: books::period::day_of(state.clock.now()),
            functional: state.books.settings(scope).await?.functional_currency,
            may_keep: books::may_keep_books(scope.role()),
            attachments,
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

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<JournalQuery>) -> Response {
    journal_page(&shell, query, None).await
}

/// The form's fields: `account_0`, `debit_0`, `credit_0`, ... per line row.
#[derive(Debug, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    journal: String,
    #[serde(default)]
    memo: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    post: Option<String>,
    #[serde(flatten)]
    lines: HashMap<String, String>,
}

/// A decimal of the form as minor units; empty is zero.
fn minor_of(field: &str, text: &str, currency: Currency) -> Result<i64, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    Money::parse_decimal(text, currency)
        .map(|money| money.minor)
        .map_err(|error| ApiError::field(ErrorCode::InvalidField, field, error.to_string()))
}

impl EntryForm {
    fn input(&self) -> Result<EntryInput, ApiError> {
        let currency: Currency = self.currency.parse().map_err(|_| {
            ApiError::field(ErrorCode::InvalidField, "currency", "unknown currency")
        })?;
        let journal = Journal::parse(&self.journal).ok_or_else(|| {
            ApiError::field(ErrorCode::InvalidField, "journal", "unknown journal")
        })?;
        let mut lines = Vec::new();
        for row in 0..FORM_LINES {
            let field = |name: &str| {
                self.lines
                    .get(&format!("{name}_{row}"))
                    .map(String::as_str)
                    .unwrap_or("")
            };
            if field("account").is_empty() {
                continue;
            }
            let account_id = field("account").parse().map_err(|_| {
                ApiError::field(
                    ErrorCode::InvalidField,
                    format!("lines[{row}].account_id"),
                    "unknown account",
                )
            })?;
            lines.push(LineInput {
                account_id,
                currency,
                debit_minor: minor_of(&format!("lines[{row}].debit"), field("debit"), currency)?,
                credit_minor: minor_of(&format!("lines[{row}].credit"), field("credit"), currency)?,
                memo: String::new(),
            });
        }
        Ok(EntryInput {
            journal,
            date: self.date.clone(),
            memo: self.memo.clone(),
            lines,
            post: self.post.is_some(),
        })
    }
}

pub async fn create(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<EntryForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = form.input()?;
        let entry = state.books.create_entry(&member.scope, &input).await?;
        Ok::<_, ApiError>(entry)
    }
    .await;
    match result {
        Ok(entry) => done(
            &format!("/books/journal?period={}", entry.period),
            "entry-saved",
        ),
        Err(error) => journal_page(&shell, JournalQuery::default(), Some(error)).await,
    }
}

/// Runs a step on one entry and goes back to its month.
async fn step(
    shell: Shell,
    notice: &str,
    run: impl AsyncFnOnce(&kernel::Scope) -> Result<String, books::BooksError>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        Ok::<_, ApiError>(run(&member.scope).await?)
    }
    .await;
    match result {
        Ok(period) => done(&format!("/books/journal?period={period}"), notice),
        Err(error) => journal_page(&shell, JournalQuery::default(), Some(error)).await,
    }
}

pub async fn post(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<EntryId>,
) -> Response {
    step(shell, "entry-posted", async |scope| {
        Ok(state.books.post_entry(scope, id).await?.period)
    })
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<EntryId>,
) -> Response {
    step(shell, "entry-deleted", async |scope| {
        let period = state.books.entry(scope, id).await?.period;
        state.books.delete_draft(scope, id).await?;
        Ok(period)
    })
    .await
}

pub async fn reverse(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<EntryId>,
) -> Response {
    step(shell, "entry-reversed", async |scope| {
        Ok(state.books.reverse_entry(scope, id, None).await?.period)
    })
    .await
}
