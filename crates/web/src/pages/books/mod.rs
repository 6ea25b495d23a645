//! The books pages: the overview with the reconciliation, the journal with
//! entries by hand, invoices (printable, by hand, paid by hand) and their
//! aging, bank statements matched to invoices, the chart of accounts and each account's general ledger,
//! the reports (printable, with their CSV), the periods, and the operator's
//! reconciliation across members. They call the same `books::Books` methods
//! as the API.

mod attachments;
mod bank;
mod chart;
mod invoices;
mod journal;
mod overview;
mod periods;
mod rates;
mod reports;
mod vat;

use axum::Router;
use axum::routing::{get, post};
use kernel::{Currency, Money};

use crate::pages::Shell;
pub(super) use crate::pages::{done, respond};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/books", get(overview::show))
        .route("/books/settings", post(overview::change_settings))
        .route("/books/journal", get(journal::show).post(journal::create))
        .route("/books/entries/{entry_id}/post", post(journal::post))
        .route("/books/entries/{entry_id}/delete", post(journal::delete))
        .route("/books/entries/{entry_id}/reverse", post(journal::reverse))
        .route(
            "/books/entries/{entry_id}/attachments",
            post(attachments::upload).layer(attachments::upload_limit()),
        )
        .route(
            "/books/invoices",
            get(invoices::list).post(invoices::create),
        )
        .route("/books/invoices/{invoice_id}", get(invoices::show))
        .route("/books/invoices/{invoice_id}/payments", post(invoices::pay))
        .route(
            "/books/invoices/{invoice_id}/credit-notes",
            post(invoices::credit),
        )
        .route("/books/aging", get(invoices::aging))
        .route("/books/bank", get(bank::show))
        .route("/books/bank-statements", post(bank::import))
        .route(
            "/books/bank-lines/{bank_line_id}/match",
            post(bank::match_line),
        )
        .route(
            "/books/bank-lines/{bank_line_id}/post",
            post(bank::post_line),
        )
        .route("/books/accounts", get(chart::show).post(chart::create))
        .route("/books/accounts/{account_id}", get(chart::ledger))
        .route("/books/opening-balances", post(chart::opening_balances))
        .route(
            "/books/accounts/{account_id}/active",
            post(chart::set_active),
        )
        .route("/books/reports/vat-summary", get(vat::show))
        .route("/books/reports/{report}", get(reports::show))
        .route("/books/rates", get(rates::show).post(rates::set))
        .route("/books/rates/functional", post(rates::functional))
        .route(
            "/books/rates/{exchange_rate_id}/remove",
            post(rates::remove),
        )
        .route("/books/periods", get(periods::show))
        .route("/books/periods/lock", post(periods::lock))
        .route("/books/periods/unlock", post(periods::unlock))
        .route("/operator/books", get(overview::network))
}

/// `12.50 CNY` from minor units, as every books page shows an amount.
pub(crate) fn amount(minor: i64, currency: Currency) -> String {
    Money::new(minor, currency).to_string()
}

/// An account's name in the person's language: Chinese or English.
pub(crate) fn name_in<'a>(shell: &Shell, name_zh: &'a str, name_en: &'a str) -> &'a str {
    if shell.chinese() { name_zh } else { name_en }
}
