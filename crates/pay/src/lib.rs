//! Payments: a wallet per company and currency, top-up and withdrawal through a
//! payment-provider port with signed webhooks, escrow of orders with the
//! platform fee, and the sandbox bank a person can drive. Money lives in the
//! `ledger`; this crate decides which transfers to make.

mod accounts;
mod bank_accounts;
pub mod error;
mod escrow;
pub mod events;
mod model;
pub mod provider;
mod providers;
pub mod repair;
mod rows;
pub mod sandbox;
mod top_up;
mod wallet;
mod webhook;
mod withdrawal;

use std::sync::Arc;

use kernel::migrate::Migration;
use kernel::{Clock, Db, Role};
use ledger::Ledger;

pub use accounts::{AccountKind, currency_of_ledger};
pub use bank_accounts::NewBankAccount;
pub use error::{PayError, Result};
pub use escrow::escrow_fee_share;
pub use model::*;
pub use provider::{PaymentProvider, ProviderStatus, WebhookEvent, WebhookKind};
pub use providers::PaymentProviders;
pub use sandbox::SandboxBank;
pub use webhook::WebhookOutcome;

/// The largest single top-up, withdrawal or escrow, in minor units: a bound on
/// mistakes (a misplaced decimal point), not on business.
pub const AMOUNT_MINOR_MAX: i64 = 100_000_000_000;

/// The pay module's migrations, after the ledger's.
pub fn migrations() -> Vec<Migration> {
    vec![
        Migration {
            module: "pay",
            version: 1,
            name: "wallets_payments_escrow",
            sql: include_str!("../migrations/0001_pay.sql"),
        },
        Migration {
            module: "pay",
            version: 2,
            name: "ledger_account_made",
            sql: include_str!("../migrations/0002_ledger_account_made.sql"),
        },
    ]
}

/// Who may look at the wallet, and who may move its money.
pub fn may_view_money(role: Role) -> bool {
    matches!(
        role,
        Role::Owner | Role::Admin | Role::Finance | Role::Purchasing | Role::Viewer
    )
}

pub fn may_move_money(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Finance)
}

/// The payment service. Cheap to clone.
#[derive(Clone)]
pub struct Pay {
    db: Db,
    clock: Arc<dyn Clock>,
    ledger: Ledger,
    providers: PaymentProviders,
}

impl Pay {
    /// The service over the configured payment providers.
    pub fn new(db: Db, clock: Arc<dyn Clock>, ledger: Ledger, providers: PaymentProviders) -> Self {
        Pay {
            db,
            clock,
            ledger,
            providers,
        }
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The sandbox bank, when this deployment has it.
    pub fn sandbox(&self) -> Option<&SandboxBank> {
        self.providers.sandbox()
    }

    /// Whether the money this deployment takes in is test money: true when
    /// the sandbox bank is one of its providers.
    pub fn is_test_money(&self) -> bool {
        self.providers.sandbox().is_some()
    }

    pub fn providers(&self) -> &PaymentProviders {
        &self.providers
    }

    /// The provider with this name.
    fn provider(&self, name: &str) -> Result<&dyn PaymentProvider> {
        self.providers.find(name)
    }

    /// The provider new top-ups and withdrawals go through.
    fn default_provider(&self) -> Result<&dyn PaymentProvider> {
        self.providers.default_provider()
    }

    /// Checks the whole ledger (for the operator).
    pub async fn check_ledger(&self) -> Result<ledger::LedgerCheck> {
        Ok(self.ledger.check().await?)
    }
}

impl Pay {
    /// Moves a record of `table` from status `from` to `to`, only if it is
    /// still in `from`; true when it moved. The condition makes concurrent or
    /// repeated settlements of one record harmless. The move and the event it
    /// means for the wallet ([`events::announce_transition`]) commit together.
    pub(crate) async fn transition(
        &self,
        table: &'static str,
        id: i64,
        from: &str,
        to: &str,
    ) -> Result<bool> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let changed = sqlx::query(&format!(
            "UPDATE {table} SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4"
        ))
        .bind(to)
        .bind(now.micros())
        .bind(id)
        .bind(from)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 1 {
            events::announce_transition(&mut tx, table, id, from, to, now).await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }
}

/// Validates an amount from a person: positive, within the bound.
pub(crate) fn check_amount(amount: kernel::Money) -> Result<()> {
    if amount.minor <= 0 {
        return Err(PayError::invalid(
            "amount",
            "amount_not_positive",
            "the amount must be more than zero",
        ));
    }
    if amount.minor > AMOUNT_MINOR_MAX {
        return Err(PayError::invalid(
            "amount",
            "amount_too_large",
            "the amount is larger than a single payment may be",
        ));
    }
    Ok(())
}
