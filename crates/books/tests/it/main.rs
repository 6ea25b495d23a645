//! The books' tests, each on SQLite and on PostgreSQL.

mod attachments;
mod bank;
#[allow(dead_code)]
mod deal;
mod entries;
mod exchange;
mod from_the_deal;
mod histories;
mod invoices;
mod rates;
mod support;
