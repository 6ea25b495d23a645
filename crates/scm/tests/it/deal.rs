//! Trade's fixture (a seller with a flask, a buyer with money) and its random
//! steps, shared with trade's own tests.

#[path = "../../../trade/tests/it/steps.rs"]
pub mod steps;
#[path = "../../../trade/tests/it/support.rs"]
mod support;
pub use support::*;
