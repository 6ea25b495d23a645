//! Invoices the member writes by hand (to a customer outside Hanse, or a
//! supplier's it received) and payments by hand against them: each checked
//! whole before anything is written, then the document and its posted entry
//! in one transaction.

use kernel::db::Tx;
use kernel::{CompanyId, Currency, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;

use crate::chart::account_of_role;
use crate::entry::parse_date;
use crate::error::{BooksError, Result};
use crate::exchange::OpenItem;
use crate::invoice::{
    DocumentKind, DraftLine, Invoice, InvoiceDraft, InvoiceId, InvoiceKind, InvoicePaymentId,
    InvoiceState, LineAccount, vat_on_net,
};
use crate::invoice_store::{insert_invoice_in, invoice_in, settle_invoice_in};
use crate::model::{AccountId, AccountKind, AccountRole, EntryId, EntryState, Journal};
use crate::rates::require_rate_in;
use crate::write::{LINE_AMOUNT_MINOR_MAX, NewEntry, NewLine, check_account, insert_entry_in};
use crate::{Books, may_keep_books};

/// The most lines on one invoice.
pub const INVOICE_LINES_MAX: usize = 100;
/// The longest description, name or memo, in characters.
pub const INVOICE_TEXT_CHARS_MAX: usize = 200;
/// The largest quantity on a line.
pub const INVOICE_QUANTITY_MAX: i64 = 1_000_000_000;

/// An invoice by hand.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceInput {
    /// `sales` (the member issues it) or `purchase` (a supplier's).
    pub kind: String,
    /// The customer or supplier, 1 to 200 characters.
    pub counterparty_name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `YYYY-MM-DD`, not before `date`; by default the company's terms.
    #[serde(default)]
    pub due_date: Option<String>,
    /// ISO 4217, e.g. `CNY`.
    pub currency: String,
    #[serde(default)]
    pub memo: String,
    /// 1 to 100 lines.
    pub lines: Vec<InvoiceLineInput>,
}

/// A line by hand: quantity × unit price before VAT, at one of the
/// company's VAT rates.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceLineInput {
    pub description: String,
    /// 1 to 1,000,000,000.
    pub quantity: i64,
    #[serde(default)]
    pub unit: String,
    /// Before VAT, in minor units.
    pub unit_price_minor: i64,
    /// One of the company's `vat_rates_bp`.
    pub vat_rate_bp: i64,
    /// A revenue account for a sale, a stock or expense account for a
    /// purchase (`acct_…`); by default revenue or inventory.
    #[serde(default)]
    pub account_id: Option<AccountId>,
}

/// A payment by hand of an open invoice, through a bank account.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 1 up to what is open, in the invoice's currency's minor units.
    pub amount_minor: i64,
    /// The asset account the money moved through (`acct_…`); by default
    /// the bank account.
    #[serde(default)]
    pub account_id: Option<AccountId>,
    /// The bank's reference, up to 200 characters.
    #[serde(default)]
    pub reference: String,
}

pub(crate) fn text_field(field: &str, text: &str, required: bool) -> Result<String> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(BooksError::invalid(field, "required", "must not be empty"));
    }
    if text.chars().count() > INVOICE_TEXT_CHARS_MAX {
        return Err(BooksError::invalid(
            field,
            "too_long",
            format!("at most {INVOICE_TEXT_CHARS_MAX} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// The account at `field` if the company may put an invoice line's net (or
/// a payment) on it: its own, active, not kept by the platform, of a kind
/// that fits, and without a role of automatic postings other than `roles`.
pub(crate) async fn line_account(
    tx: &mut Tx,
    company: CompanyId,
    field: &str,
    account: AccountId,
    kinds: &[AccountKind],
    roles: &[AccountRole],
) -> Result<()> {
    let row = sqlx::query(
        "SELECT active, role, kind FROM books_account WHERE company_id = $1 AND id = $2",
    )
    .bind(company)
    .bind(account)
    .fetch_optional(tx.conn())
    .await?;
    let found = row.as_ref().map(crate::write::account_use).transpose()?;
    check_account(field, found)?;
    let kind: String = row
        .as_ref()
        .map_or(Ok(String::new()), |row| row.try_get("kind"))?;
    if !AccountKind::parse(&kind).is_some_and(|kind| kinds.contains(&kind)) {
        let wanted = kinds
            .iter()
            .map(|kind| kind.code())
            .collect::<Vec<_>>()
            .join(" or ");
        return Err(BooksError::invalid(
            field,
            "wrong_account_kind",
            format!("an account of kind {wanted}"),
        ));
    }
    // An account automatic postings keep (the receivable, VAT, ...) takes
    // only what it is for.
    let role: String = row
        .as_ref()
        .map_or(Ok(String::new()), |row| row.try_get("role"))?;
    if let Some(role) = AccountRole::parse(&role)
        && !roles.contains(&role)
    {
        return Err(BooksError::invalid(
            field,
            "account_for_postings",
            format!("this account is kept for {} postings", role.code()),
        ));
    }
    Ok(())
}

/// The lines of a document by hand, each checked in itself, 1 to
/// `INVOICE_LINES_MAX` of them, the net of each to `default_account` unless
/// it names its own.
pub(crate) fn draft_lines(
    lines: &[InvoiceLineInput],
    rates: &[i64],
    default_account: LineAccount,
) -> Result<Vec<DraftLine>> {
    if lines.is_empty() || lines.len() > INVOICE_LINES_MAX {
        return Err(BooksError::invalid(
            "lines",
            "out_of_range",
            format!("1 to {INVOICE_LINES_MAX} lines"),
        ));
    }
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| draft_line(&format!("lines[{index}]."), line, rates, default_account))
        .collect()
}

/// What a document's lines may carry: the role their net goes to by
/// default, and the kinds of account a member may choose instead.
pub(crate) fn line_accounts_of(kind: InvoiceKind) -> (AccountRole, &'static [AccountKind]) {
    match kind {
        InvoiceKind::Sales => (AccountRole::Revenue, &[AccountKind::Revenue]),
        InvoiceKind::Purchase => (
            AccountRole::Inventory,
            &[AccountKind::Asset, AccountKind::Expense],
        ),
    }
}

/// Checks the accounts the lines name, in `tx`.
pub(crate) async fn check_line_accounts(
    tx: &mut Tx,
    company: CompanyId,
    kind: InvoiceKind,
    lines: &[InvoiceLineInput],
) -> Result<()> {
    let (default_role, kinds) = line_accounts_of(kind);
    for (index, line) in lines.iter().enumerate() {
        if let Some(account) = line.account_id {
            let field = format!("lines[{index}].account_id");
            line_account(tx, company, &field, account, kinds, &[default_role]).await?;
        }
    }
    Ok(())
}

/// A line checked in itself: its net is quantity × price, its VAT on it.
fn draft_line(
    prefix: &str,
    line: &InvoiceLineInput,
    rates: &[i64],
    default_account: LineAccount,
) -> Result<DraftLine> {
    let description = text_field(&format!("{prefix}description"), &line.description, true)?;
    let unit = text_field(&format!("{prefix}unit"), &line.unit, false)?;
    if !(1..=INVOICE_QUANTITY_MAX).contains(&line.quantity) {
        return Err(BooksError::invalid(
            format!("{prefix}quantity"),
            "out_of_range",
            format!("1 to {INVOICE_QUANTITY_MAX}"),
        ));
    }
    let net = i128::from(line.quantity) * i128::from(line.unit_price_minor);
    if line.unit_price_minor < 0 || net > i128::from(LINE_AMOUNT_MINOR_MAX) {
        return Err(BooksError::invalid(
            format!("{prefix}unit_price_minor"),
            "out_of_range",
            format!("0 or more, at most {LINE_AMOUNT_MINOR_MAX} for the line"),
        ));
    }
    if !rates.contains(&line.vat_rate_bp) {
        return Err(BooksError::invalid(
            format!("{prefix}vat_rate_bp"),
            "not_a_listed_rate",
            format!("one of your VAT rates: {rates:?}"),
        ));
    }
    let net = net as i64;
    Ok(DraftLine {
        description,
        quantity: line.quantity,
        unit,
        unit_price_minor: line.unit_price_minor,
        vat_rate_bp: line.vat_rate_bp,
        net_minor: net,
        vat_minor: vat_on_net(net, line.vat_rate_bp),
        account: line.account_id.map_or(default_account, LineAccount::Id),
    })
}

/// The entry of an invoice by hand: the receivable against revenue and
/// output VAT for a sale; stock or expense and input VAT against the
/// payable for a purchase. A credit note's is its mirror image.
pub(crate) async fn invoice_entry(
    tx: &mut Tx,
    company: CompanyId,
    draft: &InvoiceDraft,
) -> Result<NewEntry> {
    let currency = draft.currency;
    let line = |account_id, debit_minor, credit_minor| NewLine {
        account_id,
        currency,
        debit_minor,
        credit_minor,
        memo: String::new(),
        functional_minor: None,
        clears: None,
    };
    let mut nets = Vec::new();
    for (account, net) in draft.net_by_account() {
        let id = match account {
            LineAccount::Id(id) => id,
            LineAccount::Role(role) => account_of_role(tx, company, role).await?,
        };
        nets.push((id, net));
    }
    let sales = draft.kind == InvoiceKind::Sales;
    let (counter_role, vat_role) = if sales {
        (AccountRole::Receivable, AccountRole::OutputVat)
    } else {
        (AccountRole::Payable, AccountRole::InputVat)
    };
    let counter = account_of_role(tx, company, counter_role).await?;
    let vat_account = account_of_role(tx, company, vat_role).await?;
    let (gross, vat) = (draft.gross_minor(), draft.vat_minor());
    let mut lines = Vec::new();
    if sales {
        lines.push(line(counter, gross, 0));
        lines.extend(nets.iter().map(|(id, net)| line(*id, 0, *net)));
        lines.push(line(vat_account, 0, vat));
    } else {
        lines.extend(nets.iter().map(|(id, net)| line(*id, *net, 0)));
        lines.push(line(vat_account, vat, 0));
        lines.push(line(counter, 0, gross));
    }
    lines.retain(|line| line.debit_minor != 0 || line.credit_minor != 0);
    if draft.document == DocumentKind::CreditNote {
        for line in &mut lines {
            std::mem::swap(&mut line.debit_minor, &mut line.credit_minor);
        }
    }
    Ok(NewEntry {
        journal: if sales {
            Journal::Sales
        } else {
            Journal::Purchases
        },
        date: draft.issue_date,
        memo: if draft.memo.is_empty() {
            draft.counterparty_name.clone()
        } else {
            format!("{} · {}", draft.counterparty_name, draft.memo)
        },
        source: String::new(),
        order_id: None,
        reverses: None,
        lines,
        state: EntryState::Posted,
    })
}

/// What an invoice left open, for the lines that clear it.
pub(crate) fn invoice_item(invoice: &Invoice) -> OpenItem {
    OpenItem::Invoice {
        entry_id: invoice.entry_id,
        settled_before: invoice.settled_minor,
    }
}

/// A payment of an invoice by hand: when, how much, through which account
/// (the bank by default) and the bank's reference.
pub(crate) struct PaymentOf<'a> {
    pub date: Timestamp,
    pub amount: i64,
    pub account: Option<AccountId>,
    pub reference: &'a str,
}

impl Books {
    /// Writes an invoice by hand and posts it, or refuses with the field at
    /// fault and writes nothing.
    pub async fn create_invoice(&self, scope: &Scope, input: &InvoiceInput) -> Result<Invoice> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let kind = InvoiceKind::parse(&input.kind)
            .ok_or_else(|| BooksError::invalid("kind", "invalid", "sales or purchase"))?;
        let counterparty_name = text_field("counterparty_name", &input.counterparty_name, true)?;
        let memo = text_field("memo", &input.memo, false)?;
        let issue_date = parse_date("date", &input.date)?;
        let due_in_days = match &input.due_date {
            Some(due) => {
                let due = parse_date("due_date", due)?;
                if due.micros() < issue_date.micros() {
                    return Err(BooksError::invalid(
                        "due_date",
                        "before_date",
                        "not before the invoice's date",
                    ));
                }
                Some((due.micros() - issue_date.micros()) / 86_400_000_000)
            }
            None => None,
        };
        let currency: Currency = input
            .currency
            .parse()
            .map_err(|_| BooksError::invalid("currency", "invalid", "an ISO 4217 code"))?;
        let company = scope.company_id();
        let settings = self.ensure_open(company).await?;
        let (default_role, _) = line_accounts_of(kind);
        let lines = draft_lines(
            &input.lines,
            &settings.vat_rates_bp,
            LineAccount::Role(default_role),
        )?;
        let draft = InvoiceDraft {
            kind,
            document: DocumentKind::Invoice,
            counterparty_company_id: None,
            counterparty_name,
            order_id: None,
            credits_invoice_id: None,
            issue_date,
            due_in_days,
            currency,
            memo,
            lines,
        };
        if draft.gross_minor() > LINE_AMOUNT_MINOR_MAX {
            return Err(BooksError::invalid(
                "lines",
                "out_of_range",
                format!("an invoice of at most {LINE_AMOUNT_MINOR_MAX}"),
            ));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        require_rate_in(&mut tx, company, "currency", currency, issue_date).await?;
        check_line_accounts(&mut tx, company, kind, &input.lines).await?;
        let entry = invoice_entry(&mut tx, company, &draft).await?;
        let entry_id = insert_entry_in(&mut tx, company, entry, now)
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        let id = insert_invoice_in(&mut tx, company, &draft, entry_id, now).await?;
        let invoice = invoice_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// Records a payment by hand of an open invoice written by hand: the
    /// bank against the receivable (or the payable against the bank), and
    /// the invoice settled by that much.
    pub async fn record_payment(
        &self,
        scope: &Scope,
        id: InvoiceId,
        input: &PaymentInput,
    ) -> Result<Invoice> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let date = parse_date("date", &input.date)?;
        let reference = text_field("reference", &input.reference, false)?;
        if input.amount_minor <= 0 {
            return Err(BooksError::invalid(
                "amount_minor",
                "out_of_range",
                "more than zero",
            ));
        }
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let invoice = invoice_in(&mut tx, company, id).await?;
        self.pay_invoice_in(
            &mut tx,
            company,
            &invoice,
            PaymentOf {
                date,
                amount: input.amount_minor,
                account: input.account_id,
                reference: &reference,
            },
            now,
        )
        .await?;
        let invoice = invoice_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// Pays `payment.amount` of `invoice` through its account (the bank by
    /// default) inside `tx`, refusing what cannot be paid by hand.
    pub(crate) async fn pay_invoice_in(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        invoice: &Invoice,
        payment: PaymentOf<'_>,
        now: Timestamp,
    ) -> Result<EntryId> {
        let PaymentOf {
            date,
            amount,
            account,
            reference,
        } = payment;
        require_rate_in(tx, company, "date", invoice.currency, date).await?;
        if invoice.document != DocumentKind::Invoice || invoice.order_id.is_some() {
            return Err(BooksError::state(
                "paid_through_escrow",
                "a Hanse order's invoice is settled by its escrow, and a credit note is not paid",
            ));
        }
        if invoice.state != InvoiceState::Open {
            return Err(BooksError::state(
                "invoice_settled",
                "the invoice is settled",
            ));
        }
        if amount > invoice.open_minor {
            return Err(BooksError::invalid(
                "amount_minor",
                "more_than_open",
                format!("at most what is open: {}", invoice.open_minor),
            ));
        }
        let bank = match account {
            Some(account) => {
                let (kinds, roles) = ([AccountKind::Asset], [AccountRole::Bank]);
                line_account(tx, company, "account_id", account, &kinds, &roles).await?;
                account
            }
            None => account_of_role(tx, company, AccountRole::Bank).await?,
        };
        let currency = invoice.currency;
        let line = |account_id, debit_minor, credit_minor| NewLine {
            account_id,
            currency,
            debit_minor,
            credit_minor,
            memo: reference.to_owned(),
            functional_minor: None,
            clears: None,
        };
        // The receivable or payable clears at what the invoice booked it at.
        let clearing = |line: NewLine| NewLine {
            clears: Some(invoice_item(invoice)),
            ..line
        };
        let lines = match invoice.kind {
            InvoiceKind::Sales => {
                let receivable = account_of_role(tx, company, AccountRole::Receivable).await?;
                vec![line(bank, amount, 0), clearing(line(receivable, 0, amount))]
            }
            InvoiceKind::Purchase => {
                let payable = account_of_role(tx, company, AccountRole::Payable).await?;
                vec![clearing(line(payable, amount, 0)), line(bank, 0, amount)]
            }
        };
        let entry = NewEntry {
            journal: Journal::Bank,
            date,
            memo: format!("收付款 · Payment of {}", invoice.number),
            source: String::new(),
            order_id: None,
            reverses: None,
            lines,
            state: EntryState::Posted,
        };
        let entry_id = insert_entry_in(tx, company, entry, now)
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        sqlx::query(
            "INSERT INTO books_invoice_payment (company_id, id, invoice_id, paid_on, amount_minor, account_id,
                 entry_id, reference, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(company)
        .bind(InvoicePaymentId::new())
        .bind(invoice.id)
        .bind(date.micros())
        .bind(amount)
        .bind(bank)
        .bind(entry_id)
        .bind(reference)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        settle_invoice_in(tx, company, invoice.id.raw(), amount, now).await?;
        Ok(entry_id)
    }
}
