//! The trade crate's integration tests; each runs on SQLite and, when
//! `HANSE_TEST_DATABASE_URL` is set, on PostgreSQL.

mod interrupted;
mod journeys;
mod oversell;
mod property;
mod refused;
mod steps;
mod support;
mod timers;
