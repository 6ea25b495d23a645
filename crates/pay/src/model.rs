//! The records of payments, as the rest of Hanse sees them.

use kernel::{CompanyId, Currency, Money, Timestamp, define_id};
use serde::Serialize;

define_id!(
    /// A member's registered bank account, for withdrawals.
    BankAccountId,
    "bank"
);
define_id!(
    /// Money paid into a wallet through a provider.
    TopUpId,
    "top"
);
define_id!(
    /// Money paid out of a wallet to a bank account.
    WithdrawalId,
    "wd"
);
define_id!(
    /// Money held for an order until the buyer confirms receipt.
    EscrowId,
    "esc"
);
define_id!(
    /// An operation waiting at the sandbox bank.
    SandboxOperationId,
    "sbx"
);

/// A wallet in one currency: what may be spent and what is reserved.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WalletBalance {
    pub currency: Currency,
    /// Posted credits less all debits, pending ones included: spendable now.
    pub available: Money,
    /// Held by pending withdrawals and escrows.
    pub reserved: Money,
    /// Posted credits less posted debits.
    pub balance: Money,
}

/// One line of a wallet statement.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatementLine {
    /// The ledger transfer's id.
    pub transfer_id: String,
    pub at: Timestamp,
    pub kind: TransferKind,
    /// Positive when money came in, negative when it went out; reservations
    /// show here too, with `reserved` set.
    pub amount: Money,
    /// A reservation (pending), not yet money moved.
    pub reserved: bool,
    /// The posted balance right after this line.
    pub balance_after: Money,
    /// Spendable right after this line.
    pub available_after: Money,
}

/// What a ledger transfer was for, from its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    TopUp,
    Withdrawal,
    WithdrawalSettled,
    EscrowHold,
    EscrowSettled,
    EscrowPayout,
    PlatformFee,
    Other,
}

impl TransferKind {
    pub const fn code(self) -> u16 {
        match self {
            TransferKind::TopUp => 1,
            TransferKind::Withdrawal => 2,
            TransferKind::WithdrawalSettled => 3,
            TransferKind::EscrowHold => 4,
            TransferKind::EscrowSettled => 5,
            TransferKind::EscrowPayout => 6,
            TransferKind::PlatformFee => 7,
            TransferKind::Other => 99,
        }
    }

    pub fn from_code(code: u16) -> TransferKind {
        [
            TransferKind::TopUp,
            TransferKind::Withdrawal,
            TransferKind::WithdrawalSettled,
            TransferKind::EscrowHold,
            TransferKind::EscrowSettled,
            TransferKind::EscrowPayout,
            TransferKind::PlatformFee,
        ]
        .into_iter()
        .find(|kind| kind.code() == code)
        .unwrap_or(TransferKind::Other)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::TopUp => "top_up",
            TransferKind::Withdrawal => "withdrawal",
            TransferKind::WithdrawalSettled => "withdrawal_settled",
            TransferKind::EscrowHold => "escrow_hold",
            TransferKind::EscrowSettled => "escrow_settled",
            TransferKind::EscrowPayout => "escrow_payout",
            TransferKind::PlatformFee => "platform_fee",
            TransferKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BankAccount {
    pub id: BankAccountId,
    pub holder_name: String,
    pub bank_name: String,
    pub account_number: String,
    pub currency: Currency,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TopUp {
    pub id: TopUpId,
    pub amount: Money,
    pub provider: String,
    /// pending, succeeded or failed.
    pub status: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Withdrawal {
    pub id: WithdrawalId,
    pub bank_account_id: BankAccountId,
    pub amount: Money,
    pub provider: String,
    /// pending, completed or failed.
    pub status: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Escrow {
    pub id: EscrowId,
    pub buyer: CompanyId,
    pub seller: CompanyId,
    /// The order it holds money for (a raw order id).
    pub order_reference: i64,
    pub amount: Money,
    pub fee: Money,
    /// held, released, refunded or partially_refunded.
    pub status: String,
    /// What reached the seller (before the fee), once settled.
    pub released: Money,
    pub created_at: Timestamp,
}

/// An operation at the sandbox bank.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SandboxOperation {
    pub id: SandboxOperationId,
    /// payment or payout.
    pub kind: String,
    pub reference: String,
    pub company_id: CompanyId,
    pub amount: Money,
    pub description: String,
    /// pending, confirmed or failed.
    pub status: String,
    pub created_at: Timestamp,
}
