//! The supply chain's tests, each on SQLite and on PostgreSQL.

mod counts;
#[allow(dead_code)]
mod deal;
mod files;
mod from_the_deal;
mod histories;
mod market_send;
mod moves;
mod purchases;
mod replenishment;
mod support;
mod valuation;
