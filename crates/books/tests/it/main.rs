//! The books' tests, each on SQLite and on PostgreSQL.

#[path = "../../../trade/tests/it/support.rs"]
#[allow(dead_code)]
mod deal;
mod entries;
mod from_the_deal;
mod support;
