//! Tests of the `hanse` command as a person runs it.

mod backup;
mod cli;
mod support;
