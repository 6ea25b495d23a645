//! Payment tests on SQLite and PostgreSQL: top-up, withdrawal, webhooks,
//! escrow, and what is refused.

mod escrow;
mod providers;
mod repair;
mod support;
mod wallet;
