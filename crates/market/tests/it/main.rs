//! Marketplace tests on SQLite and PostgreSQL: the catalog, CSV import and
//! export, buying requests and quotations, the search feed, and that no
//! company reaches another's private records.

mod catalog;
mod csv_import;
mod quotations;
mod search_feed;
mod support;
