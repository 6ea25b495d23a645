//! Kernel storage tests, each run on SQLite and (when configured) PostgreSQL.

mod crash;
mod group_commit;
mod jobs;
mod migrate;
mod outbox;
mod snapshot;
mod support;
