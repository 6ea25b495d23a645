//! Bank statements: a member imports its bank's CSV
//! (`date,amount,currency,reference,counterparty`, money in positive), each
//! line is matched to an open invoice (suggested by the invoice's number in
//! the reference, or by the amount when one invoice alone is open for it),
//! and matching posts the payment. Importing the same statement again adds
//! nothing.

use std::collections::HashMap;

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Money, Page, PageRequest, Scope, Timestamp};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::chart::account_of_role;
use crate::entry::parse_date;
use crate::error::{BooksError, Result};
use crate::invoice::{Invoice, InvoiceId, InvoiceKind};
use crate::invoice_by_hand::{PaymentOf, line_account, text_field};
use crate::invoice_store::{INVOICE_COLUMNS, invoice_head, invoice_in};
use crate::model::{AccountId, AccountKind, AccountRole, EntryId};
use crate::rates::RatesKnown;
use crate::{Books, may_keep_books, may_view_books};

kernel::define_id!(
    /// A line of an imported bank statement.
    BankLineId,
    "bnkl"
);

/// The largest statement file taken.
pub const BANK_CSV_BYTES_MAX: usize = 512 * 1024;
/// The most lines one statement file holds.
pub const BANK_CSV_ROWS_MAX: usize = 2_000;
/// Open invoices by hand read to suggest matches, newest first.
const SUGGESTION_INVOICES_MAX: i64 = 1_000;

const HEADER: [&str; 5] = ["date", "amount", "currency", "reference", "counterparty"];

/// A line is open until it is matched to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BankLineState {
    Open,
    /// Paid an invoice.
    Matched,
    /// Posted to an account without an invoice: a fee, interest, a transfer.
    Posted,
}

impl BankLineState {
    pub fn code(self) -> &'static str {
        match self {
            BankLineState::Open => "open",
            BankLineState::Matched => "matched",
            BankLineState::Posted => "posted",
        }
    }

    fn parse(code: &str) -> Option<BankLineState> {
        [
            BankLineState::Open,
            BankLineState::Matched,
            BankLineState::Posted,
        ]
        .into_iter()
        .find(|state| state.code() == code)
    }
}

/// One line of a bank statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BankLine {
    pub id: BankLineId,
    pub account_id: AccountId,
    pub date: Timestamp,
    pub currency: Currency,
    /// Money in positive, money out negative.
    pub amount_minor: i64,
    pub reference: String,
    pub counterparty: String,
    pub state: BankLineState,
    /// The invoice it paid, once matched.
    pub invoice_id: Option<InvoiceId>,
    /// The payment's entry, once matched or posted.
    pub entry_id: Option<EntryId>,
    /// An open invoice it likely pays, while open.
    pub suggested_invoice_id: Option<InvoiceId>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatementImport {
    /// New lines.
    pub imported: i64,
    /// Lines imported before, left alone.
    pub duplicates: i64,
}

/// Which invoice a line pays.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchInput {
    pub invoice_id: InvoiceId,
}

/// A statement row checked in itself.
struct Row5 {
    date: Timestamp,
    currency: Currency,
    amount_minor: i64,
    reference: String,
    counterparty: String,
}

fn row_field(row: usize, column: &str) -> String {
    format!("rows[{row}].{column}")
}

fn text_cell(row: usize, column: &str, text: &str) -> Result<String> {
    text_field(&row_field(row, column), text, false)
}

/// The file's rows, every one checked, or the first at fault named.
fn rows_of(text: &str) -> Result<Vec<Row5>> {
    if text.len() > BANK_CSV_BYTES_MAX {
        return Err(BooksError::invalid(
            "file",
            "too_large",
            format!("at most {BANK_CSV_BYTES_MAX} bytes"),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|_| BooksError::invalid("file", "malformed", "a CSV file with a header row"))?;
    if header.iter().collect::<Vec<_>>() != HEADER {
        return Err(BooksError::invalid(
            "file",
            "wrong_header",
            format!("the header row is {}", HEADER.join(",")),
        ));
    }
    let mut rows = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record
            .map_err(|_| BooksError::invalid(format!("rows[{row}]"), "malformed", "five cells"))?;
        if rows.len() == BANK_CSV_ROWS_MAX {
            return Err(BooksError::invalid(
                "rows",
                "too_many",
                format!("at most {BANK_CSV_ROWS_MAX} rows"),
            ));
        }
        let date = parse_date(&row_field(row, "date"), &record[0])?;
        let currency: Currency = record[2].parse().map_err(|_| {
            BooksError::invalid(
                row_field(row, "currency"),
                "unknown_currency",
                "an ISO 4217 code",
            )
        })?;
        let amount = Money::parse_decimal(&record[1], currency)
            .map(|money| money.minor)
            .ok()
            .filter(|amount| *amount != 0 && amount.abs() <= crate::write::LINE_AMOUNT_MINOR_MAX)
            .ok_or_else(|| {
                BooksError::invalid(
                    row_field(row, "amount"),
                    "invalid_amount",
                    "a decimal other than zero, negative for money out",
                )
            })?;
        rows.push(Row5 {
            date,
            currency,
            amount_minor: amount,
            reference: text_cell(row, "reference", &record[3])?,
            counterparty: text_cell(row, "counterparty", &record[4])?,
        });
    }
    if rows.is_empty() {
        return Err(BooksError::invalid("rows", "too_few", "at least one row"));
    }
    Ok(rows)
}

fn bank_line(row: &sqlx::any::AnyRow) -> Result<BankLine> {
    let state: String = row.try_get("state")?;
    Ok(BankLine {
        id: BankLineId::from_raw(row.try_get("id")?),
        account_id: AccountId::from_raw(row.try_get("account_id")?),
        date: Timestamp::from_micros(row.try_get("line_date")?),
        currency: crate::rows::currency(row)?,
        amount_minor: row.try_get("amount_minor")?,
        reference: row.try_get("reference")?,
        counterparty: row.try_get("counterparty")?,
        state: BankLineState::parse(&state).ok_or_else(|| {
            BooksError::Storage(kernel::StorageError::corrupt("bank line state", state))
        })?,
        invoice_id: row
            .try_get::<Option<i64>, _>("invoice_id")?
            .map(InvoiceId::from_raw),
        entry_id: row
            .try_get::<Option<i64>, _>("entry_id")?
            .map(EntryId::from_raw),
        suggested_invoice_id: None,
    })
}

const LINE_COLUMNS: &str = "id, account_id, line_date, currency, amount_minor, reference, counterparty, state, invoice_id, entry_id";

/// The open invoice a line likely pays: one of the right kind and currency
/// whose number is in the reference, else the only one open for exactly
/// the amount.
fn suggestion(line: &BankLine, open: &[Invoice]) -> Option<InvoiceId> {
    let kind = if line.amount_minor > 0 {
        InvoiceKind::Sales
    } else {
        InvoiceKind::Purchase
    };
    let fitting: Vec<&Invoice> = open
        .iter()
        .filter(|invoice| invoice.kind == kind && invoice.currency == line.currency)
        .filter(|invoice| invoice.open_minor >= line.amount_minor.abs())
        .collect();
    let reference = line.reference.to_uppercase();
    if let Some(named) = fitting
        .iter()
        .find(|invoice| reference.contains(&invoice.number))
    {
        return Some(named.id);
    }
    let mut exact = fitting
        .iter()
        .filter(|invoice| invoice.open_minor == line.amount_minor.abs());
    match (exact.next(), exact.next()) {
        (Some(only), None) => Some(only.id),
        _ => None,
    }
}

impl Books {
    /// Imports a statement of `account` (the bank account by default): every
    /// row checked first, then the new lines written; lines imported before
    /// are counted and left alone.
    pub async fn import_bank_statement(
        &self,
        scope: &Scope,
        account: Option<AccountId>,
        text: &str,
    ) -> Result<StatementImport> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let rows = rows_of(text)?;
        let company = scope.company_id();
        self.ensure_open(company).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let account = match account {
            Some(account) => {
                let (kinds, roles) = ([AccountKind::Asset], [AccountRole::Bank]);
                line_account(&mut tx, company, "account_id", account, &kinds, &roles).await?;
                account
            }
            None => account_of_role(&mut tx, company, AccountRole::Bank).await?,
        };
        let mut rates = RatesKnown::of_in(&mut tx, company).await?;
        for (index, row) in rows.iter().enumerate() {
            let field = || row_field(index, "currency");
            rates
                .require_in(&mut tx, field, row.currency, row.date)
                .await?;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let (mut imported, mut duplicates) = (0, 0);
        for row in &rows {
            let key = format!(
                "{}|{}|{}|{}",
                row.date.micros(),
                row.amount_minor,
                row.currency.code(),
                row.reference
            );
            let occurrence = seen.entry(key.clone()).or_default();
            *occurrence += 1;
            let fingerprint = format!("{key}|{occurrence}");
            let exists = sqlx::query(
                "SELECT 1 FROM books_bank_line WHERE company_id = $1 AND account_id = $2 AND fingerprint = $3",
            )
            .bind(company)
            .bind(account)
            .bind(&fingerprint)
            .fetch_optional(tx.conn())
            .await?
            .is_some();
            if exists {
                duplicates += 1;
                continue;
            }
            sqlx::query(
                "INSERT INTO books_bank_line (company_id, id, account_id, line_date, currency, amount_minor, reference,
                     counterparty, state, invoice_id, entry_id, fingerprint, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', NULL, NULL, $9, $10, $10)",
            )
            .bind(company)
            .bind(BankLineId::new())
            .bind(account)
            .bind(row.date.micros())
            .bind(row.currency.code())
            .bind(row.amount_minor)
            .bind(&row.reference)
            .bind(&row.counterparty)
            .bind(&fingerprint)
            .bind(now.micros())
            .execute(tx.conn())
            .await?;
            imported += 1;
        }
        tx.commit().await?;
        Ok(StatementImport {
            imported,
            duplicates,
        })
    }

    /// The company's statement lines, newest first, open ones with the
    /// invoice they likely pay.
    pub async fn bank_lines(
        &self,
        scope: &Scope,
        state: Option<BankLineState>,
        page: PageRequest,
    ) -> Result<Page<BankLine>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let after = match page.after_raw() {
            0 => i64::MAX,
            after => after,
        };
        let rows = sqlx::query(&format!(
            "SELECT {LINE_COLUMNS} FROM books_bank_line
             WHERE company_id = $1 AND id < $2 AND ($3 = '' OR state = $3) ORDER BY id DESC LIMIT $4"
        ))
        .bind(company)
        .bind(after)
        .bind(state.map_or("", BankLineState::code))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let mut lines = rows.iter().map(bank_line).collect::<Result<Vec<_>>>()?;
        if lines.iter().any(|line| line.state == BankLineState::Open) {
            let open = self.open_invoices_by_hand(scope).await?;
            for line in lines
                .iter_mut()
                .filter(|line| line.state == BankLineState::Open)
            {
                line.suggested_invoice_id = suggestion(line, &open);
            }
        }
        Ok(Page::from_rows(lines, page, |line| line.id.raw()))
    }

    /// Open invoices written by hand: what a bank line can pay.
    pub async fn open_invoices_by_hand(&self, scope: &Scope) -> Result<Vec<Invoice>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let rows = sqlx::query(&format!(
            "SELECT {INVOICE_COLUMNS} FROM books_invoice
             WHERE company_id = $1 AND state = 'open' AND document = 'invoice' AND order_id IS NULL
             ORDER BY id DESC LIMIT $2"
        ))
        .bind(scope.company_id())
        .bind(SUGGESTION_INVOICES_MAX)
        .fetch_all(self.db.reader())
        .await?;
        rows.iter().map(invoice_head).collect()
    }

    /// Matches an open line to an open invoice it pays: money in to a sales
    /// invoice, money out to a purchase one, in its currency and no more than
    /// is open; posts the payment through the line's bank account.
    pub async fn match_bank_line(
        &self,
        scope: &Scope,
        id: BankLineId,
        input: &MatchInput,
    ) -> Result<BankLine> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let line = open_bank_line_in(&mut tx, company, id).await?;
        let invoice = invoice_in(&mut tx, company, input.invoice_id)
            .await
            .map_err(|error| match error {
                BooksError::NotFound(_) => BooksError::invalid(
                    "invoice_id",
                    "unknown_invoice",
                    "no such invoice in your books",
                ),
                other => other,
            })?;
        let direction = if line.amount_minor > 0 {
            InvoiceKind::Sales
        } else {
            InvoiceKind::Purchase
        };
        if invoice.kind != direction || invoice.currency != line.currency {
            return Err(BooksError::invalid(
                "invoice_id",
                "does_not_fit",
                "money in pays a sales invoice, money out a purchase invoice, in the line's currency",
            ));
        }
        let amount = line.amount_minor.abs();
        let entry = self
            .pay_invoice_in(
                &mut tx,
                company,
                &invoice,
                PaymentOf {
                    date: line.date,
                    amount,
                    account: Some(line.account_id),
                    reference: &line.reference,
                },
                now,
            )
            .await?;
        let line = BankLine {
            state: BankLineState::Matched,
            invoice_id: Some(invoice.id),
            entry_id: Some(entry),
            ..line
        };
        close_bank_line_in(&mut tx, company, &line, now).await?;
        tx.commit().await?;
        Ok(line)
    }
}

/// The open line `id`, refusing one already matched or posted.
pub(crate) async fn open_bank_line_in(
    tx: &mut Tx,
    company: CompanyId,
    id: BankLineId,
) -> Result<BankLine> {
    let row = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM books_bank_line WHERE company_id = $1 AND id = $2"
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(BooksError::NotFound("bank line"))?;
    let line = bank_line(&row)?;
    if line.state != BankLineState::Open {
        return Err(BooksError::state(
            "line_matched",
            "the line is matched or posted already",
        ));
    }
    Ok(line)
}

/// Writes what closed `line`: its state, the invoice it paid, its entry.
pub(crate) async fn close_bank_line_in(
    tx: &mut Tx,
    company: CompanyId,
    line: &BankLine,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE books_bank_line SET state = $1, invoice_id = $2, entry_id = $3, updated_at = $4
         WHERE company_id = $5 AND id = $6",
    )
    .bind(line.state.code())
    .bind(line.invoice_id)
    .bind(line.entry_id)
    .bind(now.micros())
    .bind(company)
    .bind(line.id)
    .execute(tx.conn())
    .await?;
    Ok(())
}
