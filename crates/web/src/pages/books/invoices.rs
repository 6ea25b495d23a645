//! `/books/invoices`: the company's invoices and credit notes with the form
//! for one by hand; `/books/invoices/{id}`: one, printable, with a payment
//! by hand; `/books/aging`: receivables and payables by age.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use books::{
    Account, AccountKind, Aging, CreditNoteInput, Invoice, InvoiceFilter, InvoiceId, InvoiceInput,
    InvoiceKind, InvoiceLineInput, InvoiceState, PaymentInput,
};
use kernel::{CompanyId, Currency, Money};
use serde::Deserialize;

use super::{amount, done, name_in, respond};
use crate::api::books::invoices::{AgingNames, counterparty_names};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, IdPath};
use crate::pages::Shell;
use crate::pages::orders::{CompanyNames, percent};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

/// Invoices on one page.
const PAGE_SIZE: u32 = 50;
/// Line rows the form for an invoice offers.
const FORM_LINES: usize = 5;

#[derive(Template)]
#[template(path = "books/invoices.html")]
struct InvoicesPage<'a> {
    shell: &'a Shell,
    invoices: Vec<Invoice>,
    /// Counterparties' names by invoice id.
    parties: HashMap<i64, String>,
    next_cursor: Option<String>,
    kind: String,
    state: String,
    rates: Vec<i64>,
    accounts: Vec<Account>,
    form_lines: Vec<usize>,
    today: String,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl InvoicesPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        amount(*minor, *currency)
    }

    fn party(&self, invoice: &Invoice) -> String {
        self.parties
            .get(&invoice.id.raw())
            .cloned()
            .unwrap_or_default()
    }

    fn day(&self, at: &kernel::Timestamp) -> String {
        books::period::day_of(*at)
    }

    fn label(&self, what: &str) -> String {
        self.shell.t(&format!("books-invoice-{what}"))
    }

    fn rate(&self, rate: &i64) -> String {
        percent(*rate)
    }

    fn account_name(&self, account: &Account) -> String {
        let name = name_in(self.shell, &account.name_zh, &account.name_en);
        format!("{} {name}", account.code)
    }

    fn filter_query(&self) -> String {
        format!("kind={}&state={}", self.kind, self.state)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoicesQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    state: String,
    cursor: Option<String>,
    notice: Option<String>,
}

/// The name an invoice's other party goes by: a member's storefront name,
/// or the one written by hand.
async fn party_of(
    state: &AppState,
    names: &mut CompanyNames,
    invoice: &Invoice,
) -> Result<String, ApiError> {
    match invoice
        .counterparty_company_id
        .as_deref()
        .and_then(|id| id.parse::<CompanyId>().ok())
    {
        Some(company) => names.of(state, company).await,
        None => Ok(invoice.counterparty_name.clone()),
    }
}

async fn invoices_page(shell: &Shell, query: InvoicesQuery, error: Option<ApiError>) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let parse_kind = |text: &str| {
            (!text.is_empty())
                .then(|| {
                    InvoiceKind::parse(text).ok_or_else(|| {
                        ApiError::field(ErrorCode::InvalidQuery, "kind", "sales or purchase")
                    })
                })
                .transpose()
        };
        let filter = InvoiceFilter {
            kind: parse_kind(&query.kind)?,
            state: (!query.state.is_empty())
                .then(|| {
                    InvoiceState::parse(&query.state).ok_or_else(|| {
                        ApiError::field(ErrorCode::InvalidQuery, "state", "open or settled")
                    })
                })
                .transpose()?,
        };
        let page = page_of_size(PAGE_SIZE, query.cursor.as_deref())?;
        let body: PageBody<Invoice> = state.books.invoices(scope, filter, page).await?.into();
        let mut names = CompanyNames::default();
        let mut parties = HashMap::new();
        for invoice in &body.items {
            parties.insert(
                invoice.id.raw(),
                party_of(state, &mut names, invoice).await?,
            );
        }
        let settings = state.books.settings(scope).await?;
        let accounts = state
            .books
            .accounts(scope)
            .await?
            .into_iter()
            .filter(|account| account.active && account.role.is_none())
            .filter(|account| {
                account.kind != AccountKind::Liability && account.kind != AccountKind::Equity
            })
            .collect();
        Ok::<_, ApiError>(InvoicesPage {
            shell,
            invoices: body.items,
            parties,
            next_cursor: body.next_cursor.map(|cursor| cursor.to_string()),
            kind: query.kind.clone(),
            state: query.state.clone(),
            rates: settings.vat_rates_bp,
            accounts,
            form_lines: (0..FORM_LINES).collect(),
            today: books::period::day_of(state.clock.now()),
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

pub async fn list(shell: Shell, ApiQuery(query): ApiQuery<InvoicesQuery>) -> Response {
    invoices_page(&shell, query, None).await
}

/// The form's fields: `description_0`, `quantity_0`, `price_0`, `rate_0`,
/// `account_0`, ... per line row.
#[derive(Debug, Deserialize)]
pub struct InvoiceForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    counterparty_name: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    memo: String,
    #[serde(flatten)]
    lines: HashMap<String, String>,
}

/// A decimal of the form as minor units of `currency`.
fn minor_of(field: &str, text: &str, currency: Currency) -> Result<i64, ApiError> {
    Money::parse_decimal(text.trim(), currency)
        .map(|money| money.minor)
        .map_err(|error| ApiError::field(ErrorCode::InvalidField, field, error.to_string()))
}

fn number_of(field: &str, text: &str) -> Result<i64, ApiError> {
    text.trim()
        .parse()
        .map_err(|_| ApiError::field(ErrorCode::InvalidField, field, "a whole number"))
}

impl InvoiceForm {
    fn input(&self) -> Result<InvoiceInput, ApiError> {
        let currency: Currency = self.currency.trim().parse().map_err(|_| {
            ApiError::field(ErrorCode::InvalidField, "currency", "unknown currency")
        })?;
        let mut lines = Vec::new();
        for row in 0..FORM_LINES {
            let field = |name: &str| {
                self.lines
                    .get(&format!("{name}_{row}"))
                    .map(String::as_str)
                    .unwrap_or("")
            };
            if field("description").trim().is_empty() {
                continue;
            }
            let at = |name: &str| format!("lines[{}].{name}", lines.len());
            let account_id = match field("account") {
                "" => None,
                text => Some(text.parse().map_err(|_| {
                    ApiError::field(ErrorCode::InvalidField, at("account_id"), "unknown account")
                })?),
            };
            lines.push(InvoiceLineInput {
                description: field("description").to_owned(),
                quantity: number_of(&at("quantity"), field("quantity"))?,
                unit: field("unit").to_owned(),
                unit_price_minor: minor_of(&at("unit_price_minor"), field("price"), currency)?,
                vat_rate_bp: number_of(&at("vat_rate_bp"), field("rate"))?,
                account_id,
            });
        }
        Ok(InvoiceInput {
            kind: self.kind.clone(),
            counterparty_name: self.counterparty_name.clone(),
            date: self.date.clone(),
            due_date: Some(self.due_date.trim().to_owned()).filter(|due| !due.is_empty()),
            currency: currency.code().to_owned(),
            memo: self.memo.clone(),
            lines,
        })
    }
}

pub async fn create(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<InvoiceForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = form.input()?;
        Ok::<_, ApiError>(state.books.create_invoice(&member.scope, &input).await?)
    }
    .await;
    match result {
        Ok(invoice) => done(&format!("/books/invoices/{}", invoice.id), "invoice-saved"),
        Err(error) => invoices_page(&shell, InvoicesQuery::default(), Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "books/invoice.html")]
struct InvoicePage<'a> {
    shell: &'a Shell,
    invoice: Invoice,
    own_name: String,
    party: String,
    /// Account names by id, for the lines.
    accounts: HashMap<i64, String>,
    may_pay: bool,
    /// The company's VAT rates, for a credit note by hand.
    rates: Vec<i64>,
    today: String,
    error: Option<String>,
    notice: Option<String>,
}

impl InvoicePage<'_> {
    fn amount(&self, minor: &i64) -> String {
        amount(*minor, self.invoice.currency)
    }

    fn day(&self, at: &kernel::Timestamp) -> String {
        books::period::day_of(*at)
    }

    fn label(&self, what: &str) -> String {
        self.shell.t(&format!("books-invoice-{what}"))
    }

    fn rate(&self, rate: &i64) -> String {
        percent(*rate)
    }

    /// The rate a credit note starts at: the invoice's first line's.
    fn usual_rate(&self, rate: &i64) -> bool {
        self.invoice.lines.first().map(|line| line.vat_rate_bp) == Some(*rate)
    }

    fn account_name(&self, id: &books::AccountId) -> String {
        self.accounts.get(&id.raw()).cloned().unwrap_or_default()
    }

    /// The month of its entry, for the journal's link.
    fn period(&self) -> String {
        books::period::period_of(self.invoice.issue_date)
    }

    /// The open amount as a decimal for the payment form.
    fn open_decimal(&self) -> String {
        Money::new(self.invoice.open_minor, self.invoice.currency).decimal()
    }

    /// Who issued it and who receives it: the company for a sale, the
    /// supplier for a purchase.
    fn issuer(&self) -> &str {
        match self.invoice.kind {
            InvoiceKind::Sales => &self.own_name,
            InvoiceKind::Purchase => &self.party,
        }
    }

    fn recipient(&self) -> &str {
        match self.invoice.kind {
            InvoiceKind::Sales => &self.party,
            InvoiceKind::Purchase => &self.own_name,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceQuery {
    notice: Option<String>,
}

async fn invoice_page(
    shell: &Shell,
    id: InvoiceId,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let invoice = state.books.invoice(scope, id).await?;
        let mut names = CompanyNames::default();
        let own_name = names.of(state, scope.company_id()).await?;
        let party = party_of(state, &mut names, &invoice).await?;
        let accounts = state
            .books
            .accounts(scope)
            .await?
            .iter()
            .map(|account| {
                let name = name_in(shell, &account.name_zh, &account.name_en);
                (account.id.raw(), format!("{} {name}", account.code))
            })
            .collect();
        let may_pay = books::may_keep_books(scope.role())
            && invoice.order_id.is_none()
            && invoice.state == InvoiceState::Open
            && invoice.document == books::DocumentKind::Invoice;
        Ok::<_, ApiError>(InvoicePage {
            shell,
            invoice,
            own_name,
            party,
            accounts,
            may_pay,
            rates: state.books.settings(scope).await?.vat_rates_bp,
            today: books::period::day_of(state.clock.now()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("books-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(
    shell: Shell,
    IdPath(id): IdPath<InvoiceId>,
    ApiQuery(query): ApiQuery<InvoiceQuery>,
) -> Response {
    invoice_page(&shell, id, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reference: String,
}

pub async fn pay(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<InvoiceId>,
    Form(form): Form<PaymentForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let invoice = state.books.invoice(&member.scope, id).await?;
        let input = PaymentInput {
            date: form.date.clone(),
            amount_minor: minor_of("amount_minor", &form.amount, invoice.currency)?,
            account_id: None,
            reference: form.reference.clone(),
        };
        state
            .books
            .record_payment(&member.scope, id, &input)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/books/invoices/{id}"), "payment-saved"),
        Err(error) => invoice_page(&shell, id, None, Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "books/aging.html")]
struct AgingPage<'a> {
    shell: &'a Shell,
    aging: Aging,
    names: AgingNames,
}

impl AgingPage<'_> {
    fn amount(&self, minor: &i64, currency: &Currency) -> String {
        if *minor == 0 {
            String::new()
        } else {
            amount(*minor, *currency)
        }
    }

    fn name(&self, row: &books::AgingRow) -> String {
        self.names.name_of(row)
    }

    fn receivables(&self) -> bool {
        self.aging.kind == InvoiceKind::Sales
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgingQuery {
    #[serde(default)]
    kind: String,
}

pub async fn aging(
    State(state): State<AppState>,
    shell: Shell,
    ApiQuery(query): ApiQuery<AgingQuery>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let kind = match query.kind.as_str() {
            "" => InvoiceKind::Sales,
            text => InvoiceKind::parse(text).ok_or_else(|| {
                ApiError::field(ErrorCode::InvalidQuery, "kind", "sales or purchase")
            })?,
        };
        let aging = state.books.aging(&member.scope, kind).await?;
        let names = counterparty_names(&state, &aging).await?;
        Ok::<_, ApiError>(AgingPage {
            shell: &shell,
            aging,
            names,
        })
    }
    .await;
    respond(&shell, result, None)
}

#[derive(Debug, Deserialize)]
pub struct CreditForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    description: String,
    /// Before VAT, as a decimal.
    #[serde(default)]
    amount: String,
    #[serde(default)]
    rate: String,
    #[serde(default)]
    memo: String,
}

/// A credit note of one line against the invoice, then its page.
pub async fn credit(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<InvoiceId>,
    Form(form): Form<CreditForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let invoice = state.books.invoice(&member.scope, id).await?;
        let input = CreditNoteInput {
            date: form.date.clone(),
            memo: form.memo.clone(),
            lines: vec![InvoiceLineInput {
                description: form.description.clone(),
                quantity: 1,
                unit: String::new(),
                unit_price_minor: minor_of(
                    "lines[0].unit_price_minor",
                    &form.amount,
                    invoice.currency,
                )?,
                vat_rate_bp: number_of("lines[0].vat_rate_bp", &form.rate)?,
                account_id: None,
            }],
        };
        Ok::<_, ApiError>(
            state
                .books
                .create_credit_note(&member.scope, id, &input)
                .await?,
        )
    }
    .await;
    match result {
        Ok(note) => done(&format!("/books/invoices/{}", note.id), "credit-note-saved"),
        Err(error) => invoice_page(&shell, id, None, Some(error)).await,
    }
}
