//! Books: each member's own double-entry accounts of its business, kept by
//! the platform that already knows its trades. A chart of accounts from a
//! template, journal entries that balance per currency, periods that lock,
//! entries posted from the deal's and the wallet's events (never by calling
//! `trade`), reports, and the reconciliation with the ledger's wallets and
//! escrow. Apart from `ledger`: the ledger keeps custody of the network's
//! money; the books are each member's view of its own business.

mod aging;
mod attachment;
mod bank;
mod bank_posting;
pub mod chart;
mod credit_note_by_hand;
mod entry;
pub mod error;
mod exchange;
pub mod export;
mod feed;
mod functional;
pub mod general_ledger;
mod import;
pub mod invoice;
mod invoice_by_hand;
mod invoice_store;
mod model;
mod opening;
pub mod period;
pub mod postings;
mod rates;
mod reconcile;
mod reports;
mod rows;
mod settings;
mod vat;
mod write;

use std::sync::Arc;

use kernel::migrate::Migration;
use kernel::{Clock, Db, Role};

pub use aging::{AGING_ROWS_MAX, Aging, AgingRow};
pub use attachment::{
    ATTACHMENT_BYTES_MAX, ATTACHMENT_CONTENT_TYPES, ATTACHMENTS_PER_ENTRY_MAX, Attachment,
    AttachmentId,
};
pub use bank::{
    BANK_CSV_BYTES_MAX, BANK_CSV_ROWS_MAX, BankLine, BankLineId, BankLineState, MatchInput,
    StatementImport,
};
pub use bank_posting::PostLineInput;
pub use chart::{AccountChange, AccountInput};
pub use credit_note_by_hand::CreditNoteInput;
pub use entry::{EntryFilter, EntryInput, LineInput, parse_date};
pub use error::{BooksError, Result};
pub use feed::BooksPostings;
pub use functional::reference_rate_decimal;
pub use general_ledger::{CurrencyBalance, GeneralLedger, LedgerLine};
pub use import::IMPORT_ENTRIES_MAX;
pub use invoice::{
    DocumentKind, Invoice, InvoiceId, InvoiceKind, InvoiceLine, InvoicePaymentId, InvoiceState,
};
pub use invoice_by_hand::{
    INVOICE_LINES_MAX, INVOICE_QUANTITY_MAX, INVOICE_TEXT_CHARS_MAX, InvoiceInput,
    InvoiceLineInput, PaymentInput,
};
pub use invoice_store::InvoiceFilter;
pub use model::*;
pub use opening::OPENING_CSV_BYTES_MAX;
pub use rates::{EXCHANGE_RATES_MAX, ExchangeRate, ExchangeRateId, RateInput};
pub use reconcile::{Reconciliation, ReconciliationLine};
pub use reports::{
    AccountBalance, BalanceLine, BalanceSheet, CurrencyTotals, ProfitAndLoss, ProfitLine,
    ReportRange, TrialBalance,
};
pub use settings::{PAYMENT_TERMS_DAYS_MAX, SettingsInput, VAT_RATES_MAX};
pub use vat::{VAT_MONTHS_MAX, VatMonth, VatSummary};
pub use write::{LINE_AMOUNT_MINOR_MAX, LINES_MAX};

/// The books module's migrations.
pub fn migrations() -> Vec<Migration> {
    vec![
        Migration {
            module: "books",
            version: 1,
            name: "accounts_entries_periods",
            sql: include_str!("../migrations/0001_books.sql"),
        },
        Migration {
            module: "books",
            version: 2,
            name: "balances_per_month",
            sql: include_str!("../migrations/0002_balances.sql"),
        },
        Migration {
            module: "books",
            version: 3,
            name: "invoices",
            sql: include_str!("../migrations/0003_invoices.sql"),
        },
        Migration {
            module: "books",
            version: 4,
            name: "bank_statements",
            sql: include_str!("../migrations/0004_bank_statements.sql"),
        },
        Migration {
            module: "books",
            version: 5,
            name: "attachments",
            sql: include_str!("../migrations/0005_attachments.sql"),
        },
        Migration {
            module: "books",
            version: 6,
            name: "exchange_rates",
            sql: include_str!("../migrations/0006_exchange_rates.sql"),
        },
        Migration {
            module: "books",
            version: 7,
            name: "functional_amounts",
            sql: include_str!("../migrations/0007_functional_amounts.sql"),
        },
    ]
}

/// Who may read the books.
pub fn may_view_books(role: Role) -> bool {
    matches!(
        role,
        Role::Owner | Role::Admin | Role::Finance | Role::Viewer
    )
}

/// Who may write entries and change the chart.
pub fn may_keep_books(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Finance)
}

/// Who may lock and unlock periods and change how the books are kept.
pub fn may_close_periods(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Finance)
}

/// The books service. Cheap to clone.
#[derive(Clone)]
pub struct Books {
    db: Db,
    clock: Arc<dyn Clock>,
    pay: pay::Pay,
}

impl Books {
    pub fn new(db: Db, clock: Arc<dyn Clock>, pay: pay::Pay) -> Books {
        Books { db, clock, pay }
    }
}
