//! `/api/v1/wallet`: the company's money: balances, statement, top-ups,
//! withdrawals and bank accounts. Every POST that moves money needs an
//! `Idempotency-Key`.

pub mod balances;
pub mod bank_accounts;
pub mod statement;
pub mod top_ups;
pub mod withdrawals;
