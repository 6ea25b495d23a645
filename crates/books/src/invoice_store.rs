//! Writing invoices and credit notes beside their entries, settling them,
//! and reading them back.

use kernel::db::Tx;
use kernel::{CompanyId, Page, PageRequest, Scope, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::chart::account_of_role;
use crate::error::{BooksError, Result};
use crate::invoice::{
    DocumentKind, Invoice, InvoiceDraft, InvoiceId, InvoiceKind, InvoiceLine, InvoiceState,
    LineAccount,
};
use crate::model::{AccountId, EntryId};
use crate::{Books, may_view_books};

const DAY_MICROS: i64 = 86_400_000_000;

/// Which invoices a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct InvoiceFilter {
    pub kind: Option<InvoiceKind>,
    pub state: Option<InvoiceState>,
}

/// The company's next document number, inside `tx` (the row is locked on
/// PostgreSQL until commit).
async fn next_number(tx: &mut Tx, company: CompanyId) -> Result<i64> {
    sqlx::query(
        "UPDATE books_company SET next_document_no = next_document_no + 1 WHERE company_id = $1",
    )
    .bind(company)
    .execute(tx.conn())
    .await?;
    let row = sqlx::query("SELECT next_document_no FROM books_company WHERE company_id = $1")
        .bind(company)
        .fetch_one(tx.conn())
        .await?;
    Ok(row.try_get::<i64, _>("next_document_no")? - 1)
}

/// The days after its date an invoice of the company is due.
pub(crate) async fn payment_terms_days_in(tx: &mut Tx, company: CompanyId) -> Result<i64> {
    let row = sqlx::query("SELECT payment_terms_days FROM books_company WHERE company_id = $1")
        .bind(company)
        .fetch_one(tx.conn())
        .await?;
    Ok(row.try_get("payment_terms_days")?)
}

/// The order's invoice in the company's books, if it has one.
async fn order_invoice_in(tx: &mut Tx, company: CompanyId, order_id: i64) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT id FROM books_invoice WHERE company_id = $1 AND order_id = $2 AND document = 'invoice'",
    )
    .bind(company)
    .bind(order_id)
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map(|row| row.try_get("id")).transpose()?)
}

/// Writes `draft` as a document of the entry `entry_id`, numbered next;
/// a credit note is tied to its invoice (an order's, to the order's).
pub(crate) async fn insert_invoice_in(
    tx: &mut Tx,
    company: CompanyId,
    draft: &InvoiceDraft,
    entry_id: EntryId,
    now: Timestamp,
) -> Result<InvoiceId> {
    let id = InvoiceId::new();
    let number = format!(
        "{}-{:06}",
        draft.document.prefix(draft.kind),
        next_number(tx, company).await?
    );
    let terms = match draft.due_in_days {
        Some(days) => days,
        None => payment_terms_days_in(tx, company).await?,
    };
    let credits = match (draft.document, draft.credits_invoice_id, draft.order_id) {
        (DocumentKind::CreditNote, Some(invoice), _) => Some(invoice.raw()),
        (DocumentKind::CreditNote, None, Some(order)) => {
            order_invoice_in(tx, company, order).await?
        }
        _ => None,
    };
    let gross = draft.gross_minor();
    // A credit note settles nothing of its own: it is settled when written.
    let (settled, state) = match draft.document {
        DocumentKind::CreditNote => (gross, InvoiceState::Settled),
        DocumentKind::Invoice if gross == 0 => (0, InvoiceState::Settled),
        DocumentKind::Invoice => (0, InvoiceState::Open),
    };
    sqlx::query(
        "INSERT INTO books_invoice (company_id, id, kind, document, number, counterparty_company_id, counterparty_name,
             order_id, credits_invoice_id, issue_date, due_date, currency, net_minor, vat_minor, gross_minor,
             settled_minor, state, entry_id, memo, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)",
    )
    .bind(company)
    .bind(id)
    .bind(draft.kind.code())
    .bind(draft.document.code())
    .bind(&number)
    .bind(draft.counterparty_company_id.map(CompanyId::raw))
    .bind(&draft.counterparty_name)
    .bind(draft.order_id)
    .bind(credits)
    .bind(draft.issue_date.micros())
    .bind(draft.issue_date.micros() + terms * DAY_MICROS)
    .bind(draft.currency.code())
    .bind(draft.net_minor())
    .bind(draft.vat_minor())
    .bind(gross)
    .bind(settled)
    .bind(state.code())
    .bind(entry_id)
    .bind(&draft.memo)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    for (index, line) in draft.lines.iter().enumerate() {
        let account = match line.account {
            LineAccount::Id(account) => account,
            LineAccount::Role(role) => account_of_role(tx, company, role).await?,
        };
        sqlx::query(
            "INSERT INTO books_invoice_line (company_id, invoice_id, line_no, description, quantity, unit,
                 unit_price_minor, vat_rate_bp, net_minor, vat_minor, gross_minor, account_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        )
        .bind(company)
        .bind(id)
        .bind(index as i64 + 1)
        .bind(&line.description)
        .bind(line.quantity)
        .bind(&line.unit)
        .bind(line.unit_price_minor)
        .bind(line.vat_rate_bp)
        .bind(line.net_minor)
        .bind(line.vat_minor)
        .bind(line.gross_minor())
        .bind(account)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
    }
    Ok(id)
}

/// Settles `amount` more of the invoice `id`; it is settled once nothing
/// is left open.
pub(crate) async fn settle_invoice_in(
    tx: &mut Tx,
    company: CompanyId,
    id: i64,
    amount: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE books_invoice SET settled_minor = settled_minor + $1,
             state = CASE WHEN settled_minor + $1 >= gross_minor THEN 'settled' ELSE 'open' END,
             updated_at = $2
         WHERE company_id = $3 AND id = $4",
    )
    .bind(amount)
    .bind(now.micros())
    .bind(company)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Settles `amount` more of the order's invoice in the company's books, if
/// it has one (books opened after the invoice have none).
pub(crate) async fn settle_order_invoice_in(
    tx: &mut Tx,
    company: CompanyId,
    order_id: i64,
    amount: i64,
    now: Timestamp,
) -> Result<()> {
    if let Some(id) = order_invoice_in(tx, company, order_id).await? {
        settle_invoice_in(tx, company, id, amount, now).await?;
    }
    Ok(())
}

pub(crate) const INVOICE_COLUMNS: &str = "id, kind, document, number, counterparty_company_id, counterparty_name, order_id,
     credits_invoice_id, issue_date, due_date, currency, net_minor, vat_minor, gross_minor, settled_minor, state,
     entry_id, memo";

fn corrupt(what: &'static str, value: String) -> BooksError {
    BooksError::Storage(kernel::StorageError::corrupt(what, value))
}

pub(crate) fn invoice_head(row: &AnyRow) -> Result<Invoice> {
    let kind: String = row.try_get("kind")?;
    let document: String = row.try_get("document")?;
    let state: String = row.try_get("state")?;
    let gross: i64 = row.try_get("gross_minor")?;
    let settled: i64 = row.try_get("settled_minor")?;
    Ok(Invoice {
        id: InvoiceId::from_raw(row.try_get("id")?),
        kind: InvoiceKind::parse(&kind).ok_or_else(|| corrupt("invoice kind", kind))?,
        document: DocumentKind::parse(&document).ok_or_else(|| corrupt("document", document))?,
        number: row.try_get("number")?,
        counterparty_company_id: row
            .try_get::<Option<i64>, _>("counterparty_company_id")?
            .map(|raw| CompanyId::from_raw(raw).to_string()),
        counterparty_name: row.try_get("counterparty_name")?,
        order_id: row
            .try_get::<Option<i64>, _>("order_id")?
            .map(|raw| trade::OrderId::from_raw(raw).to_string()),
        credits_invoice_id: row
            .try_get::<Option<i64>, _>("credits_invoice_id")?
            .map(InvoiceId::from_raw),
        issue_date: Timestamp::from_micros(row.try_get("issue_date")?),
        due_date: Timestamp::from_micros(row.try_get("due_date")?),
        currency: crate::rows::currency(row)?,
        net_minor: row.try_get("net_minor")?,
        vat_minor: row.try_get("vat_minor")?,
        gross_minor: gross,
        settled_minor: settled,
        open_minor: (gross - settled).max(0),
        state: InvoiceState::parse(&state).ok_or_else(|| corrupt("invoice state", state))?,
        entry_id: EntryId::from_raw(row.try_get("entry_id")?),
        memo: row.try_get("memo")?,
        lines: Vec::new(),
    })
}

async fn lines_of(
    connection: &mut sqlx::AnyConnection,
    company: CompanyId,
    id: InvoiceId,
) -> Result<Vec<InvoiceLine>> {
    let rows = sqlx::query(
        "SELECT line_no, description, quantity, unit, unit_price_minor, vat_rate_bp, net_minor, vat_minor,
                gross_minor, account_id
         FROM books_invoice_line WHERE company_id = $1 AND invoice_id = $2 ORDER BY line_no",
    )
    .bind(company)
    .bind(id)
    .fetch_all(connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(InvoiceLine {
                line_no: row.try_get("line_no")?,
                description: row.try_get("description")?,
                quantity: row.try_get("quantity")?,
                unit: row.try_get("unit")?,
                unit_price_minor: row.try_get("unit_price_minor")?,
                vat_rate_bp: row.try_get("vat_rate_bp")?,
                net_minor: row.try_get("net_minor")?,
                vat_minor: row.try_get("vat_minor")?,
                gross_minor: row.try_get("gross_minor")?,
                account_id: AccountId::from_raw(row.try_get("account_id")?),
            })
        })
        .collect()
}

/// The invoice `id` of the company with its lines, read on `connection`.
async fn invoice_on(
    connection: &mut sqlx::AnyConnection,
    company: CompanyId,
    id: InvoiceId,
) -> Result<Invoice> {
    let row = sqlx::query(&format!(
        "SELECT {INVOICE_COLUMNS} FROM books_invoice WHERE company_id = $1 AND id = $2"
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(&mut *connection)
    .await?
    .ok_or(BooksError::NotFound("invoice"))?;
    let mut invoice = invoice_head(&row)?;
    invoice.lines = lines_of(connection, company, id).await?;
    Ok(invoice)
}

/// The invoice `id` of the company with its lines, inside `tx`.
pub(crate) async fn invoice_in(tx: &mut Tx, company: CompanyId, id: InvoiceId) -> Result<Invoice> {
    invoice_on(tx.conn(), company, id).await
}

impl Books {
    /// One invoice or credit note with its lines.
    pub async fn invoice(&self, scope: &Scope, id: InvoiceId) -> Result<Invoice> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let mut connection = self.db.reader().acquire().await?;
        invoice_on(&mut connection, scope.company_id(), id).await
    }

    /// The company's invoices and credit notes, newest first, without lines.
    pub async fn invoices(
        &self,
        scope: &Scope,
        filter: InvoiceFilter,
        page: PageRequest,
    ) -> Result<Page<Invoice>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let after = match page.after_raw() {
            0 => i64::MAX,
            after => after,
        };
        let rows = sqlx::query(&format!(
            "SELECT {INVOICE_COLUMNS} FROM books_invoice
             WHERE company_id = $1 AND id < $2 AND ($3 = '' OR kind = $3) AND ($4 = '' OR state = $4)
             ORDER BY id DESC LIMIT $5"
        ))
        .bind(scope.company_id())
        .bind(after)
        .bind(filter.kind.map_or("", InvoiceKind::code))
        .bind(filter.state.map_or("", InvoiceState::code))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let invoices = rows.iter().map(invoice_head).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(invoices, page, |invoice| invoice.id.raw()))
    }

    /// The invoices of one market order in the company's books.
    pub async fn invoices_of_order(&self, scope: &Scope, order_id: i64) -> Result<Vec<Invoice>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let rows = sqlx::query(&format!(
            "SELECT {INVOICE_COLUMNS} FROM books_invoice WHERE company_id = $1 AND order_id = $2 ORDER BY id"
        ))
        .bind(scope.company_id())
        .bind(order_id)
        .fetch_all(self.db.reader())
        .await?;
        rows.iter().map(invoice_head).collect()
    }
}
