//! Credit notes by hand: part or all of an open invoice by hand taken back
//! (goods returned, a price agreed down), line by line with their VAT, as a
//! document and the mirror entry of the invoice's, in one transaction. A
//! market order's credit notes follow from its refunds instead.

use kernel::Scope;
use serde::Deserialize;

use crate::chart::account_of_role;
use crate::entry::parse_date;
use crate::error::{BooksError, Result};
use crate::invoice::{
    DocumentKind, Invoice, InvoiceDraft, InvoiceId, InvoiceKind, InvoiceState, LineAccount,
};
use crate::invoice_by_hand::{
    InvoiceLineInput, check_line_accounts, draft_lines, invoice_entry, invoice_item, text_field,
};
use crate::invoice_store::{insert_invoice_in, invoice_in, settle_invoice_in};
use crate::model::AccountRole;
use crate::rates::require_rate_in;
use crate::{Books, may_keep_books};

/// A credit note by hand against one invoice.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditNoteInput {
    /// `YYYY-MM-DD`, not before the invoice's date.
    pub date: String,
    /// Why, up to 200 characters.
    #[serde(default)]
    pub memo: String,
    /// 1 to 100 lines, together at most what is open of the invoice; a
    /// line's net goes back to the invoice's first line's account unless it
    /// names another.
    pub lines: Vec<InvoiceLineInput>,
}

impl Books {
    /// Writes a credit note against the invoice `id` and posts it, settling
    /// that much of the invoice, or refuses with the field at fault and
    /// writes nothing.
    pub async fn create_credit_note(
        &self,
        scope: &Scope,
        id: InvoiceId,
        input: &CreditNoteInput,
    ) -> Result<Invoice> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let issue_date = parse_date("date", &input.date)?;
        let memo = text_field("memo", &input.memo, false)?;
        let company = scope.company_id();
        let settings = self.ensure_open(company).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let invoice = invoice_in(&mut tx, company, id).await?;
        if invoice.document != DocumentKind::Invoice || invoice.order_id.is_some() {
            return Err(BooksError::state(
                "credited_by_refund",
                "a Hanse order's invoice is credited by its refunds, and a credit note is not credited",
            ));
        }
        if invoice.state != InvoiceState::Open {
            return Err(BooksError::state(
                "invoice_settled",
                "the invoice is settled",
            ));
        }
        if issue_date.micros() < invoice.issue_date.micros() {
            return Err(BooksError::invalid(
                "date",
                "before_invoice",
                "not before the invoice's date",
            ));
        }
        let default_account = invoice
            .lines
            .first()
            .map(|line| LineAccount::Id(line.account_id))
            .ok_or(BooksError::NotFound("invoice line"))?;
        let lines = draft_lines(&input.lines, &settings.vat_rates_bp, default_account)?;
        let draft = InvoiceDraft {
            kind: invoice.kind,
            document: DocumentKind::CreditNote,
            counterparty_company_id: None,
            counterparty_name: invoice.counterparty_name.clone(),
            order_id: None,
            credits_invoice_id: Some(invoice.id),
            issue_date,
            due_in_days: Some(0),
            currency: invoice.currency,
            memo: if memo.is_empty() {
                format!("{} · {}", invoice.number, invoice.counterparty_name)
            } else {
                memo
            },
            lines,
        };
        let gross = draft.gross_minor();
        if gross <= 0 || gross > invoice.open_minor {
            return Err(BooksError::invalid(
                "lines",
                "more_than_open",
                format!(
                    "more than zero and at most what is open of {}: {}",
                    invoice.number, invoice.open_minor
                ),
            ));
        }
        require_rate_in(&mut tx, company, "date", invoice.currency, issue_date).await?;
        check_line_accounts(&mut tx, company, invoice.kind, &input.lines).await?;
        let mut entry = invoice_entry(&mut tx, company, &draft).await?;
        // It clears the invoice's receivable or payable at what the invoice
        // booked it at.
        let counter_role = match invoice.kind {
            InvoiceKind::Sales => AccountRole::Receivable,
            InvoiceKind::Purchase => AccountRole::Payable,
        };
        let counter = account_of_role(&mut tx, company, counter_role).await?;
        for line in entry
            .lines
            .iter_mut()
            .filter(|line| line.account_id == counter)
        {
            line.clears = Some(invoice_item(&invoice));
        }
        let entry_id = crate::write::insert_entry_in(&mut tx, company, entry, now)
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        let note = insert_invoice_in(&mut tx, company, &draft, entry_id, now).await?;
        settle_invoice_in(&mut tx, company, invoice.id.raw(), gross, now).await?;
        let note = invoice_in(&mut tx, company, note).await?;
        tx.commit().await?;
        Ok(note)
    }
}
