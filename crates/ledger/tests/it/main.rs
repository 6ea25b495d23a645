//! Ledger tests on SQLite and PostgreSQL: the rules, random sequences checked
//! against the invariants, and a crash under load.

mod crash;
mod properties;
mod rules;
mod support;
