//! The posting rules: what each event of the deal and of the wallet writes
//! in whose books. Pure functions from the event's facts to entries named by
//! account role, so the rules read as an accountant would write them:
//!
//! | event | seller | buyer |
//! |---|---|---|
//! | `OrderPaid` | — | Dr escrow advance, Cr wallet |
//! | invoice (`OrderShipped` or `OrderCompleted`, by the seller's setting; at the latest `OrderSettled`) | Dr receivable, Cr revenue and output VAT | Dr inventory and input VAT, Cr payable |
//! | `OrderSettled` | Dr wallet and platform fees, Cr receivable | Dr payable, Cr escrow advance |
//! | `OrderRefunded` | credit note if invoiced | Dr wallet, Cr escrow advance; credit note if invoiced |
//! | scm's `OrderGoodsCosted` (shipment / customer return) | Dr cost of sales, Cr inventory / the reverse | |
//! | `TopUpSucceeded` | Dr wallet, Cr bank | |
//! | `WithdrawalStarted` / `Completed` / `Failed` | Dr in transit, Cr wallet / Dr bank, Cr in transit / Dr wallet, Cr in transit | |
//!
//! The lines that clear what the order left open (the receivable, the
//! payable, the advance) take the value it was booked at in the functional
//! currency; the rate's move in between is an exchange difference
//! (`exchange`).
//!
//! An invoice is for what the order still costs when it is made (its total
//! less what was already refunded), so a refund before the invoice needs no
//! credit note; after it, one in proportion.

use kernel::{CompanyId, Currency, Timestamp};
use trade::events::OrderFacts;

use crate::invoice::{
    DocumentKind, InvoiceDraft, InvoiceKind, order_invoice_lines, refund_credit_lines,
};
use crate::model::{AccountRole, Journal};

/// One entry of a rule, before its accounts are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub company: CompanyId,
    pub journal: Journal,
    pub date: Timestamp,
    pub memo: String,
    /// Written once per company: the rule's name for this event.
    pub source: String,
    pub order_id: Option<i64>,
    pub lines: Vec<RoleLine>,
    /// The invoice or credit note it posts, written beside the entry.
    pub document: Option<InvoiceDraft>,
    /// What of the order's invoice in these books it settles.
    pub settles_order_invoice_minor: i64,
}

/// A debit or a credit of the account that has `role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleLine {
    pub role: AccountRole,
    pub currency: Currency,
    pub debit_minor: i64,
    pub credit_minor: i64,
    /// Whether it clears what the order left open on the account (a
    /// receivable, a payable, an advance), at the value it was booked at.
    pub clears_order: bool,
}

fn debit(role: AccountRole, currency: Currency, amount: i64) -> RoleLine {
    RoleLine {
        role,
        currency,
        debit_minor: amount,
        credit_minor: 0,
        clears_order: false,
    }
}

fn credit(role: AccountRole, currency: Currency, amount: i64) -> RoleLine {
    RoleLine {
        role,
        currency,
        debit_minor: 0,
        credit_minor: amount,
        clears_order: false,
    }
}

/// `line`, clearing what the order left open on its account.
fn clearing(line: RoleLine) -> RoleLine {
    RoleLine {
        clears_order: true,
        ..line
    }
}

/// Splits a VAT-inclusive amount into net and VAT at `rate_bp`, rounding the
/// net half up; the VAT is the rest, so the two always add up.
pub fn vat_split(gross_minor: i64, rate_bp: i64) -> (i64, i64) {
    if rate_bp <= 0 || gross_minor == 0 {
        return (gross_minor, 0);
    }
    let divisor = 10_000 + i128::from(rate_bp);
    let net = (i128::from(gross_minor) * 10_000 + divisor / 2) / divisor;
    let net = i64::try_from(net).unwrap_or(gross_minor);
    (net, gross_minor - net)
}

/// The VAT rate of the seller's invoice: its own, or zero for an export.
pub fn invoice_vat_rate_bp(order: &OrderFacts, seller_rate_bp: i64) -> i64 {
    if order.cross_border {
        0
    } else {
        seller_rate_bp
    }
}

/// Drops zero lines; an entry left with fewer than two is none.
fn entry(
    company: CompanyId,
    journal: Journal,
    order: &OrderFacts,
    source: String,
    memo: String,
    lines: Vec<RoleLine>,
) -> Option<Posting> {
    let lines: Vec<RoleLine> = lines
        .into_iter()
        .filter(|line| line.debit_minor != 0 || line.credit_minor != 0)
        .collect();
    (lines.len() >= 2).then(|| Posting {
        company,
        journal,
        date: order.at,
        memo,
        source,
        order_id: Some(order.order_id.raw()),
        lines,
        document: None,
        settles_order_invoice_minor: 0,
    })
}

/// The document of an order's invoice or credit note in `kind`'s books.
fn order_document(
    order: &OrderFacts,
    kind: InvoiceKind,
    document: DocumentKind,
    lines: Vec<crate::invoice::DraftLine>,
) -> InvoiceDraft {
    let counterparty = match kind {
        InvoiceKind::Sales => order.buyer_company_id,
        InvoiceKind::Purchase => order.seller_company_id,
    };
    InvoiceDraft {
        kind,
        document,
        counterparty_company_id: Some(counterparty),
        counterparty_name: String::new(),
        order_id: Some(order.order_id.raw()),
        credits_invoice_id: None,
        issue_date: order.at,
        due_in_days: None,
        currency: order.currency,
        memo: format!("Hanse 订单 · Hanse order {}", order.order_id),
        lines,
    }
}

/// Adds the document to a posting, if the posting is written at all.
fn with_document(posting: Option<Posting>, document: InvoiceDraft) -> Option<Posting> {
    posting.map(|posting| Posting {
        document: Some(document),
        ..posting
    })
}

/// Adds what of the order's invoice a posting settles.
fn settling(posting: Option<Posting>, amount: i64) -> Option<Posting> {
    posting.map(|posting| Posting {
        settles_order_invoice_minor: amount,
        ..posting
    })
}

fn order_source(order: &OrderFacts, step: &str) -> String {
    format!("order:{}:{step}", order.order_id)
}

/// `OrderPaid`: the buyer's money leaves its wallet for escrow.
pub fn order_paid(order: &OrderFacts) -> Vec<Posting> {
    let currency = order.currency;
    entry(
        order.buyer_company_id,
        Journal::Bank,
        order,
        order_source(order, "paid"),
        format!("订单付款托管 · Order {} paid into escrow", order.order_id),
        vec![
            debit(AccountRole::EscrowAdvance, currency, order.total_minor),
            credit(AccountRole::Wallet, currency, order.total_minor),
        ],
    )
    .into_iter()
    .collect()
}

/// The invoice of an order in both books: the seller's sale and the buyer's
/// purchase, for the total less what was refunded so far, line by line (the
/// entry's amounts are the document's totals).
pub fn invoices(order: &OrderFacts, vat_rate_bp: i64) -> Vec<Posting> {
    let currency = order.currency;
    let sale_document = order_document(
        order,
        InvoiceKind::Sales,
        DocumentKind::Invoice,
        order_invoice_lines(order, vat_rate_bp, AccountRole::Revenue),
    );
    let purchase_document = order_document(
        order,
        InvoiceKind::Purchase,
        DocumentKind::Invoice,
        order_invoice_lines(order, vat_rate_bp, AccountRole::Inventory),
    );
    let (gross, net, vat) = (
        sale_document.gross_minor(),
        sale_document.net_minor(),
        sale_document.vat_minor(),
    );
    let source = order_source(order, "invoice");
    let sale = entry(
        order.seller_company_id,
        Journal::Sales,
        order,
        source.clone(),
        format!("销售发票 · Sales invoice for order {}", order.order_id),
        vec![
            debit(AccountRole::Receivable, currency, gross),
            credit(AccountRole::Revenue, currency, net),
            credit(AccountRole::OutputVat, currency, vat),
        ],
    );
    let sale = with_document(sale, sale_document);
    let purchase = entry(
        order.buyer_company_id,
        Journal::Purchases,
        order,
        source,
        format!("采购发票 · Purchase invoice for order {}", order.order_id),
        vec![
            debit(AccountRole::Inventory, currency, net),
            debit(AccountRole::InputVat, currency, vat),
            credit(AccountRole::Payable, currency, gross),
        ],
    );
    let purchase = with_document(purchase, purchase_document);
    sale.into_iter().chain(purchase).collect()
}

/// `OrderSettled`: the seller's share reaches its wallet less the fee; the
/// buyer's advance pays its payable.
pub fn order_settled(
    order: &OrderFacts,
    to_seller_minor: i64,
    fee_taken_minor: i64,
    event_id: i64,
) -> Vec<Posting> {
    let currency = order.currency;
    let source = order_source(order, &format!("settled:{event_id}"));
    let seller = entry(
        order.seller_company_id,
        Journal::Bank,
        order,
        source.clone(),
        format!("订单结算 · Order {} settled", order.order_id),
        vec![
            debit(
                AccountRole::Wallet,
                currency,
                to_seller_minor - fee_taken_minor,
            ),
            debit(AccountRole::PlatformFees, currency, fee_taken_minor),
            clearing(credit(AccountRole::Receivable, currency, to_seller_minor)),
        ],
    );
    let seller = settling(seller, to_seller_minor);
    let buyer = entry(
        order.buyer_company_id,
        Journal::Bank,
        order,
        source,
        format!(
            "托管款支付供应商 · Escrow paid to the supplier for order {}",
            order.order_id
        ),
        vec![
            clearing(debit(AccountRole::Payable, currency, to_seller_minor)),
            clearing(credit(
                AccountRole::EscrowAdvance,
                currency,
                to_seller_minor,
            )),
        ],
    );
    let buyer = settling(buyer, to_seller_minor);
    seller.into_iter().chain(buyer).collect()
}

/// `OrderRefunded`: the buyer's money back from escrow, and a credit note in
/// each book that has the invoice.
pub fn order_refunded(
    order: &OrderFacts,
    to_buyer_minor: i64,
    event_id: i64,
    invoiced: Invoiced,
    vat_rate_bp: i64,
) -> Vec<Posting> {
    let currency = order.currency;
    let mut postings: Vec<Posting> = entry(
        order.buyer_company_id,
        Journal::Bank,
        order,
        order_source(order, &format!("refund:{event_id}")),
        format!("托管退款 · Refund from escrow for order {}", order.order_id),
        vec![
            debit(AccountRole::Wallet, currency, to_buyer_minor),
            clearing(credit(AccountRole::EscrowAdvance, currency, to_buyer_minor)),
        ],
    )
    .into_iter()
    .collect();
    let (net, vat) = vat_split(to_buyer_minor, vat_rate_bp);
    let source = order_source(order, &format!("credit_note:{event_id}"));
    let credit_note = |kind, net_to| {
        let lines = refund_credit_lines(order, to_buyer_minor, vat_rate_bp, net_to);
        order_document(order, kind, DocumentKind::CreditNote, lines)
    };
    if invoiced.seller {
        let posting = entry(
            order.seller_company_id,
            Journal::Sales,
            order,
            source.clone(),
            format!("红字发票 · Credit note for order {}", order.order_id),
            vec![
                debit(AccountRole::Revenue, currency, net),
                debit(AccountRole::OutputVat, currency, vat),
                clearing(credit(AccountRole::Receivable, currency, to_buyer_minor)),
            ],
        );
        let document = credit_note(InvoiceKind::Sales, AccountRole::Revenue);
        postings.extend(settling(with_document(posting, document), to_buyer_minor));
    }
    if invoiced.buyer {
        let posting = entry(
            order.buyer_company_id,
            Journal::Purchases,
            order,
            source,
            format!(
                "供应商红字发票 · Supplier's credit note for order {}",
                order.order_id
            ),
            vec![
                clearing(debit(AccountRole::Payable, currency, to_buyer_minor)),
                credit(AccountRole::Inventory, currency, net),
                credit(AccountRole::InputVat, currency, vat),
            ],
        );
        let document = credit_note(InvoiceKind::Purchase, AccountRole::Inventory);
        postings.extend(settling(with_document(posting, document), to_buyer_minor));
    }
    postings
}

/// scm's `OrderGoodsCosted`: the seller's goods left its stock at their
/// value (the cost of the goods sold), or came back with a refund.
pub fn goods_costed(costed: &scm::events::OrderGoodsCosted, event_id: i64) -> Option<Posting> {
    use scm::events::CostedReason;
    let (memo, debit_role, credit_role) = match costed.reason {
        CostedReason::Shipment => (
            "销售成本结转",
            AccountRole::CostOfSales,
            AccountRole::Inventory,
        ),
        CostedReason::CustomerReturn => (
            "退货冲回销售成本",
            AccountRole::Inventory,
            AccountRole::CostOfSales,
        ),
    };
    let english = match costed.reason {
        CostedReason::Shipment => "Cost of the goods shipped",
        CostedReason::CustomerReturn => "Cost of the goods returned",
    };
    let mut lines = Vec::with_capacity(costed.costs.len() * 2);
    for cost in &costed.costs {
        // A negative total (a return worth more than it left at) swaps sides.
        let (debit_role, credit_role) = if cost.value_minor < 0 {
            (credit_role, debit_role)
        } else {
            (debit_role, credit_role)
        };
        let amount = cost.value_minor.abs();
        lines.push(debit(debit_role, cost.currency, amount));
        lines.push(credit(credit_role, cost.currency, amount));
    }
    (!lines.is_empty()).then(|| Posting {
        company: costed.company_id,
        journal: Journal::General,
        date: costed.at,
        memo: format!("{memo} · {english} for order {}", costed.order_id),
        source: format!("order:{}:cost_of_goods:{event_id}", costed.order_id),
        order_id: Some(costed.order_id.raw()),
        lines,
        document: None,
        settles_order_invoice_minor: 0,
    })
}

/// Whose books have the order's invoice already.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Invoiced {
    pub seller: bool,
    pub buyer: bool,
}

/// What a wallet movement from outside writes: the journal, the memo and the
/// two roles, debit first.
pub fn wallet_movement(movement: &pay::events::WalletMovement, step: &str) -> Option<Posting> {
    let (debit_role, credit_role, memo) = match step {
        "topup" => (
            AccountRole::Wallet,
            AccountRole::Bank,
            "钱包充值 · Wallet top-up",
        ),
        "withdrawal_started" => (
            AccountRole::WithdrawalsInTransit,
            AccountRole::Wallet,
            "钱包提现 · Withdrawal from the wallet",
        ),
        "withdrawal_completed" => (
            AccountRole::Bank,
            AccountRole::WithdrawalsInTransit,
            "提现到账 · Withdrawal received in the bank",
        ),
        "withdrawal_failed" => (
            AccountRole::Wallet,
            AccountRole::WithdrawalsInTransit,
            "提现失败退回 · Failed withdrawal back in the wallet",
        ),
        _ => return None,
    };
    (movement.amount_minor > 0).then(|| Posting {
        company: movement.company_id,
        journal: Journal::Bank,
        date: movement.at,
        memo: memo.to_owned(),
        source: format!("{step}:{}", movement.operation_id),
        order_id: None,
        document: None,
        settles_order_invoice_minor: 0,
        lines: vec![
            debit(debit_role, movement.currency, movement.amount_minor),
            credit(credit_role, movement.currency, movement.amount_minor),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_splits_add_up_and_round_the_net_half_up() {
        assert_eq!(vat_split(11_300, 1_300), (10_000, 1_300));
        assert_eq!(vat_split(100, 1_300), (88, 12));
        assert_eq!(vat_split(1, 600), (1, 0));
        assert_eq!(vat_split(5_000, 0), (5_000, 0));
        for gross in [0, 1, 7, 99, 12_345, 1_000_000_007] {
            for rate in [0, 600, 900, 1_300] {
                let (net, vat) = vat_split(gross, rate);
                assert_eq!(net + vat, gross);
                assert!(vat >= 0 && net >= 0);
            }
        }
    }
}
