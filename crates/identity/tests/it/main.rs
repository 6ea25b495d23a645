//! Identity storage tests, each run on SQLite and (when configured) PostgreSQL.

mod api_keys;
mod companies;
mod invitations;
mod sessions;
mod staff;
mod support;
mod tenancy;
mod users;
