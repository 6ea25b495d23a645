//! What the books are made of: accounts, entries and their lines, and the
//! company's settings.

use kernel::{Currency, Timestamp};
use serde::{Deserialize, Serialize};

kernel::define_id!(
    /// An account in one company's chart.
    AccountId,
    "acct"
);
kernel::define_id!(
    /// A journal entry in one company's books.
    EntryId,
    "je"
);

/// Where an account sits in the statements; debit-normal for assets and
/// expenses, credit-normal for the rest.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(as = BooksAccountKind)]
pub enum AccountKind {
    Asset,
    Liability,
    Equity,
    Revenue,
    Expense,
}

impl AccountKind {
    pub const ALL: [AccountKind; 5] = [
        AccountKind::Asset,
        AccountKind::Liability,
        AccountKind::Equity,
        AccountKind::Revenue,
        AccountKind::Expense,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountKind::Asset => "asset",
            AccountKind::Liability => "liability",
            AccountKind::Equity => "equity",
            AccountKind::Revenue => "revenue",
            AccountKind::Expense => "expense",
        }
    }

    pub fn parse(code: &str) -> Option<AccountKind> {
        AccountKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// Whether a debit raises the account's balance.
    pub fn debit_normal(self) -> bool {
        matches!(self, AccountKind::Asset | AccountKind::Expense)
    }
}

/// What an automatic posting uses an account for. A chart template marks
/// one account per role; the member may rename it but not take the role away.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Bank,
    Wallet,
    WithdrawalsInTransit,
    Receivable,
    EscrowAdvance,
    Inventory,
    InputVat,
    Payable,
    OutputVat,
    Capital,
    RetainedEarnings,
    Revenue,
    CostOfSales,
    PlatformFees,
    FinanceCosts,
    /// Realised exchange gains (credit) and losses (debit).
    ExchangeDifferences,
}

impl AccountRole {
    pub const ALL: [AccountRole; 16] = [
        AccountRole::Bank,
        AccountRole::Wallet,
        AccountRole::WithdrawalsInTransit,
        AccountRole::Receivable,
        AccountRole::EscrowAdvance,
        AccountRole::Inventory,
        AccountRole::InputVat,
        AccountRole::Payable,
        AccountRole::OutputVat,
        AccountRole::Capital,
        AccountRole::RetainedEarnings,
        AccountRole::Revenue,
        AccountRole::CostOfSales,
        AccountRole::PlatformFees,
        AccountRole::FinanceCosts,
        AccountRole::ExchangeDifferences,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountRole::Bank => "bank",
            AccountRole::Wallet => "wallet",
            AccountRole::WithdrawalsInTransit => "withdrawals_in_transit",
            AccountRole::Receivable => "receivable",
            AccountRole::EscrowAdvance => "escrow_advance",
            AccountRole::Inventory => "inventory",
            AccountRole::InputVat => "input_vat",
            AccountRole::Payable => "payable",
            AccountRole::OutputVat => "output_vat",
            AccountRole::Capital => "capital",
            AccountRole::RetainedEarnings => "retained_earnings",
            AccountRole::Revenue => "revenue",
            AccountRole::CostOfSales => "cost_of_sales",
            AccountRole::PlatformFees => "platform_fees",
            AccountRole::FinanceCosts => "finance_costs",
            AccountRole::ExchangeDifferences => "exchange_differences",
        }
    }

    pub fn parse(code: &str) -> Option<AccountRole> {
        AccountRole::ALL
            .into_iter()
            .find(|role| role.code() == code)
    }
}

/// An account of the company's chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = BooksAccount)]
pub struct Account {
    pub id: AccountId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: AccountKind,
    /// What automatic postings use it for; `null` for the member's own.
    pub role: Option<AccountRole>,
    pub active: bool,
}

/// The journal an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Journal {
    Sales,
    Purchases,
    Bank,
    General,
}

impl Journal {
    pub const ALL: [Journal; 4] = [
        Journal::Sales,
        Journal::Purchases,
        Journal::Bank,
        Journal::General,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Journal::Sales => "sales",
            Journal::Purchases => "purchases",
            Journal::Bank => "bank",
            Journal::General => "general",
        }
    }

    pub fn parse(code: &str) -> Option<Journal> {
        Journal::ALL
            .into_iter()
            .find(|journal| journal.code() == code)
    }
}

/// A draft may change or go; a posted entry never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    Draft,
    Posted,
}

impl EntryState {
    pub fn code(self) -> &'static str {
        match self {
            EntryState::Draft => "draft",
            EntryState::Posted => "posted",
        }
    }
}

/// One line: a debit or a credit of one account in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EntryLine {
    pub line_no: i64,
    pub account_id: AccountId,
    pub currency: Currency,
    pub debit_minor: i64,
    pub credit_minor: i64,
    pub memo: String,
    /// Its value in the company's functional currency, debit positive.
    pub functional_minor: i64,
}

/// A journal entry: lines whose debits equal their credits per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: EntryId,
    /// The company's running number, 1, 2, 3, ...
    pub entry_no: i64,
    pub journal: Journal,
    pub date: Timestamp,
    /// `YYYY-MM`.
    pub period: String,
    pub memo: String,
    pub state: EntryState,
    /// What posted it automatically (`order:…:paid`, `topup:…`), or empty
    /// for an entry made by hand.
    pub source: String,
    /// The order it follows from, as `ord_…`.
    pub order_id: Option<String>,
    pub reverses: Option<EntryId>,
    pub reversed_by: Option<EntryId>,
    pub lines: Vec<EntryLine>,
}

/// How the company keeps its books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BooksSettings {
    /// `cas_small` or `ifrs`.
    pub chart: String,
    /// VAT on the company's sales, in basis points (1300 = 13 %).
    pub vat_rate_bp: i64,
    /// `shipped` or `completed`: when a sale is invoiced.
    pub invoice_on: String,
    /// The VAT rates the company invoices at, in basis points; China's
    /// 13 %, 9 %, 6 % and 0 % to begin with.
    pub vat_rates_bp: Vec<i64>,
    /// Days after its date an invoice is due.
    pub payment_terms_days: i64,
    /// The currency the company reports in; the others are booked at its
    /// exchange rates.
    pub functional_currency: Currency,
}
