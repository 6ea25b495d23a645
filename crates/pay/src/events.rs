//! The events of money entering and leaving a wallet from outside the
//! network, published to the outbox in the transaction that records them.
//! The books are posted from these (escrow moves come with trade's order
//! events), so each carries the company, the currency and the amount.

use kernel::outbox::Event;
use kernel::{CompanyId, Currency, Timestamp};
use serde::{Deserialize, Serialize};

/// What every wallet movement from outside says: which operation, whose
/// wallet, how much, through which provider, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletMovement {
    /// The top-up's or the withdrawal's id (`tup_…` / `wdr_…` as a number).
    pub operation_id: i64,
    pub company_id: CompanyId,
    pub currency: Currency,
    pub amount_minor: i64,
    pub provider: String,
    pub at: Timestamp,
}

macro_rules! movement_event {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            #[serde(flatten)]
            pub movement: WalletMovement,
        }

        impl Event for $name {
            const NAME: &'static str = stringify!($name);
            const VERSION: i64 = 1;
        }
    };
}

movement_event!(
    /// The provider collected the money and the wallet was credited.
    TopUpSucceeded
);
movement_event!(
    /// A withdrawal left the wallet: reserved and handed to the provider.
    WithdrawalStarted
);
movement_event!(
    /// The provider paid a started withdrawal into the member's bank account.
    WithdrawalCompleted
);
movement_event!(
    /// A started withdrawal failed at the provider; the money is back in the
    /// wallet.
    WithdrawalFailed
);

/// Appends, inside `tx`, the event that a status change of a top-up or a
/// withdrawal means for its wallet, if any: the wallet moves when a top-up
/// succeeds, when a withdrawal starts (`requested` → `pending`), and when a
/// started one completes or fails. A withdrawal that fails before it started
/// never left the wallet, so it says nothing.
pub(crate) async fn announce_transition(
    tx: &mut kernel::db::Tx,
    table: &'static str,
    id: i64,
    from: &str,
    to: &str,
    now: Timestamp,
) -> crate::Result<()> {
    #[derive(Clone, Copy)]
    enum Kind {
        TopUp,
        Started,
        Completed,
        Failed,
    }
    let kind = match (table, from, to) {
        ("pay_top_up", "pending", "succeeded") => Kind::TopUp,
        ("pay_withdrawal", "requested", "pending") => Kind::Started,
        ("pay_withdrawal", "pending", "completed") => Kind::Completed,
        ("pay_withdrawal", "pending", "failed") => Kind::Failed,
        _ => return Ok(()),
    };
    use sqlx::Row;
    let row = sqlx::query(&format!(
        "SELECT company_id, currency, amount_minor, provider FROM {table} WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    let amount = crate::rows::money(&row, "amount_minor")?;
    let company_id = CompanyId::from_raw(row.try_get("company_id")?);
    let movement = WalletMovement {
        operation_id: id,
        company_id,
        currency: amount.currency,
        amount_minor: amount.minor,
        provider: row.try_get("provider")?,
        at: now,
    };
    let company = Some(company_id);
    match kind {
        Kind::TopUp => {
            kernel::outbox::append(tx, &TopUpSucceeded { movement }, company, now).await?
        }
        Kind::Started => {
            kernel::outbox::append(tx, &WithdrawalStarted { movement }, company, now).await?
        }
        Kind::Completed => {
            kernel::outbox::append(tx, &WithdrawalCompleted { movement }, company, now).await?
        }
        Kind::Failed => {
            kernel::outbox::append(tx, &WithdrawalFailed { movement }, company, now).await?
        }
    }
    Ok(())
}
