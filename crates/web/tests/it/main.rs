//! Web tests: the API and the pages, each on SQLite and PostgreSQL.

mod auth;
mod bad_input;
mod books;
mod books_invoices;
mod company;
mod contract;
mod idempotency;
mod market;
mod observability;
mod orders;
mod orders_support;
mod pages;
mod providers;
mod repairs;
mod scm;
mod scm_buying;
mod support;
mod tenancy;
mod wallet;
