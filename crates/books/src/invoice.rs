//! Invoices and credit notes as documents: what a member issued (sales) or
//! received (purchase), line by line with the VAT of each line, beside the
//! journal entry that posted them, and how much of each is settled. Those of
//! market orders are drawn here from the order's facts; the rest are made by
//! hand (`invoice_by_hand`).

use kernel::{CompanyId, Currency, Timestamp};
use serde::{Deserialize, Serialize};
use trade::events::OrderFacts;

use crate::model::{AccountId, AccountRole, EntryId};
use crate::postings::vat_split;

kernel::define_id!(
    /// An invoice or credit note in one company's books.
    InvoiceId,
    "invc"
);
kernel::define_id!(
    /// A payment by hand against an invoice.
    InvoicePaymentId,
    "ipmt"
);

/// Whose document: one the company issued, or one it received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    Sales,
    Purchase,
}

impl InvoiceKind {
    pub fn code(self) -> &'static str {
        match self {
            InvoiceKind::Sales => "sales",
            InvoiceKind::Purchase => "purchase",
        }
    }

    pub fn parse(code: &str) -> Option<InvoiceKind> {
        [InvoiceKind::Sales, InvoiceKind::Purchase]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// An invoice, or a credit note that takes part of one back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

impl DocumentKind {
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    pub fn parse(code: &str) -> Option<DocumentKind> {
        [DocumentKind::Invoice, DocumentKind::CreditNote]
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// The number's prefix: INV, CN for sales; PI, PCN for purchases.
    pub(crate) fn prefix(self, kind: InvoiceKind) -> &'static str {
        match (kind, self) {
            (InvoiceKind::Sales, DocumentKind::Invoice) => "INV",
            (InvoiceKind::Sales, DocumentKind::CreditNote) => "CN",
            (InvoiceKind::Purchase, DocumentKind::Invoice) => "PI",
            (InvoiceKind::Purchase, DocumentKind::CreditNote) => "PCN",
        }
    }
}

/// An invoice is open until payments and credit notes settle all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceState {
    Open,
    Settled,
}

impl InvoiceState {
    pub fn code(self) -> &'static str {
        match self {
            InvoiceState::Open => "open",
            InvoiceState::Settled => "settled",
        }
    }

    pub fn parse(code: &str) -> Option<InvoiceState> {
        [InvoiceState::Open, InvoiceState::Settled]
            .into_iter()
            .find(|state| state.code() == code)
    }
}

/// An invoice or credit note as the member sees and prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Invoice {
    pub id: InvoiceId,
    pub kind: InvoiceKind,
    pub document: DocumentKind,
    /// The company's number for it: `INV-000123`, `CN-…`, `PI-…`, `PCN-…`.
    pub number: String,
    /// The other company when it is a member (`co_…`).
    pub counterparty_company_id: Option<String>,
    /// The other party's name as written by hand; empty for a member, whose
    /// name is its storefront's.
    pub counterparty_name: String,
    /// The market order it follows from (`ord_…`).
    pub order_id: Option<String>,
    /// A credit note's invoice.
    pub credits_invoice_id: Option<InvoiceId>,
    pub issue_date: Timestamp,
    pub due_date: Timestamp,
    pub currency: Currency,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
    /// What payments and credit notes have settled so far.
    pub settled_minor: i64,
    /// What is still owed: the gross less what is settled, never below zero.
    pub open_minor: i64,
    pub state: InvoiceState,
    /// The journal entry that posted it.
    pub entry_id: EntryId,
    pub memo: String,
    pub lines: Vec<InvoiceLine>,
}

/// One line: quantity × unit price before VAT, and the VAT at the line's rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InvoiceLine {
    pub line_no: i64,
    pub description: String,
    pub quantity: i64,
    pub unit: String,
    /// Before VAT, rounded to the minor unit (the net is exact).
    pub unit_price_minor: i64,
    pub vat_rate_bp: i64,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub gross_minor: i64,
    /// The revenue, stock or expense account the net went to.
    pub account_id: AccountId,
}

/// Where a line's net goes: an account by role (automatic documents) or
/// one the member chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineAccount {
    Role(AccountRole),
    Id(AccountId),
}

/// A line before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLine {
    pub description: String,
    pub quantity: i64,
    pub unit: String,
    pub unit_price_minor: i64,
    pub vat_rate_bp: i64,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub account: LineAccount,
}

impl DraftLine {
    pub fn gross_minor(&self) -> i64 {
        self.net_minor + self.vat_minor
    }
}

/// A document before it is written; its totals are its lines'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    pub kind: InvoiceKind,
    pub document: DocumentKind,
    pub counterparty_company_id: Option<CompanyId>,
    pub counterparty_name: String,
    pub order_id: Option<i64>,
    /// A credit note by hand's invoice (one of an order's is found by the
    /// order).
    pub credits_invoice_id: Option<InvoiceId>,
    pub issue_date: Timestamp,
    /// Days after the issue date it is due; `None` takes the company's terms.
    pub due_in_days: Option<i64>,
    pub currency: Currency,
    pub memo: String,
    pub lines: Vec<DraftLine>,
}

impl InvoiceDraft {
    pub fn net_minor(&self) -> i64 {
        self.lines.iter().map(|line| line.net_minor).sum()
    }

    pub fn vat_minor(&self) -> i64 {
        self.lines.iter().map(|line| line.vat_minor).sum()
    }

    pub fn gross_minor(&self) -> i64 {
        self.net_minor() + self.vat_minor()
    }

    /// The net per account, in line order of first use: the credit (sales)
    /// or debit (purchase) side of the entry.
    pub fn net_by_account(&self) -> Vec<(LineAccount, i64)> {
        let mut sums: Vec<(LineAccount, i64)> = Vec::new();
        for line in &self.lines {
            match sums
                .iter_mut()
                .find(|(account, _)| *account == line.account)
            {
                Some((_, sum)) => *sum += line.net_minor,
                None => sums.push((line.account, line.net_minor)),
            }
        }
        sums
    }
}

/// VAT on a net amount at `rate_bp`, rounded half up (away from zero), as a
/// fapiao computes each line.
pub fn vat_on_net(net_minor: i64, rate_bp: i64) -> i64 {
    let product = i128::from(net_minor) * i128::from(rate_bp);
    let rounded = (product.abs() + 5_000) / 10_000;
    let signed = if product < 0 { -rounded } else { rounded };
    i64::try_from(signed).unwrap_or(i64::MAX)
}

/// The unit price before VAT that a line's net means, rounded half up.
fn unit_net(net_minor: i64, quantity: i64) -> i64 {
    if quantity <= 0 {
        return net_minor;
    }
    (net_minor + quantity / 2) / quantity
}

/// A line of a VAT-inclusive amount (an order's prices) split at `rate_bp`.
fn inclusive_line(
    description: String,
    quantity: i64,
    unit: String,
    gross_minor: i64,
    rate_bp: i64,
    account: LineAccount,
) -> DraftLine {
    let (net, vat) = vat_split(gross_minor, rate_bp);
    DraftLine {
        description,
        quantity,
        unit,
        unit_price_minor: unit_net(net, quantity),
        vat_rate_bp: rate_bp,
        net_minor: net,
        vat_minor: vat,
        account,
    }
}

/// The lines of an order's invoice: its goods line by line, the shipping,
/// and what was refunded before the invoice as a line less; prices are
/// VAT-inclusive, so each line is split at the rate.
pub fn order_invoice_lines(
    order: &OrderFacts,
    rate_bp: i64,
    net_to: AccountRole,
) -> Vec<DraftLine> {
    let account = LineAccount::Role(net_to);
    let mut lines: Vec<DraftLine> = order
        .lines
        .iter()
        .map(|line| {
            inclusive_line(
                line.title.clone(),
                line.quantity,
                line.unit.clone(),
                line.line_total_minor,
                rate_bp,
                account,
            )
        })
        .collect();
    if order.shipping_fee_minor > 0 {
        lines.push(inclusive_line(
            "运费 · Shipping".to_owned(),
            1,
            String::new(),
            order.shipping_fee_minor,
            rate_bp,
            account,
        ));
    }
    if order.refunded_minor > 0 {
        lines.push(inclusive_line(
            "开票前已退款 · Refunded before invoicing".to_owned(),
            1,
            String::new(),
            -order.refunded_minor,
            rate_bp,
            account,
        ));
    }
    lines
}

/// The one line of a refund's credit note.
pub fn refund_credit_lines(
    order: &OrderFacts,
    refunded_minor: i64,
    rate_bp: i64,
    net_to: AccountRole,
) -> Vec<DraftLine> {
    vec![inclusive_line(
        format!("退款 · Refund for order {}", order.order_id),
        1,
        String::new(),
        refunded_minor,
        rate_bp,
        LineAccount::Role(net_to),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_on_a_net_rounds_half_away_from_zero() {
        assert_eq!(vat_on_net(10_000, 1_300), 1_300);
        assert_eq!(vat_on_net(50, 900), 5);
        assert_eq!(vat_on_net(5, 1_000), 1);
        assert_eq!(vat_on_net(4, 1_000), 0);
        assert_eq!(vat_on_net(-5, 1_000), -1);
        assert_eq!(vat_on_net(123, 0), 0);
    }

    #[test]
    fn a_unit_price_before_vat_rounds_half_up() {
        assert_eq!(unit_net(1_000, 3), 333);
        assert_eq!(unit_net(1_001, 2), 501);
        assert_eq!(unit_net(77, 0), 77);
    }
}
