//! The ledger's data model, after TigerBeetle's: accounts with four balances,
//! transfers with flags, and a precise result for every event of a batch.

use kernel::{CompanyId, Timestamp, define_id};
use serde::Serialize;

define_id!(
    /// A ledger account: a wallet, an escrow account, fee revenue, ...
    AccountId,
    "acc"
);
define_id!(
    /// A transfer between two accounts; also its idempotency key.
    TransferId,
    "tr"
);

/// Flags of an account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct AccountFlags(pub u32);

impl AccountFlags {
    /// The account may not be debited beyond its posted credits (a wallet).
    pub const DEBITS_MUST_NOT_EXCEED_CREDITS: AccountFlags = AccountFlags(1);
    /// The account may not be credited beyond its posted debits.
    pub const CREDITS_MUST_NOT_EXCEED_DEBITS: AccountFlags = AccountFlags(2);
    /// Keep the balances after every transfer, for statements.
    pub const HISTORY: AccountFlags = AccountFlags(4);
    const KNOWN: u32 = 7;

    pub const fn union(self, other: AccountFlags) -> AccountFlags {
        AccountFlags(self.0 | other.0)
    }

    pub const fn contains(self, other: AccountFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

/// Flags of a transfer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct TransferFlags(pub u32);

impl TransferFlags {
    /// This transfer succeeds or fails together with the next one in the batch.
    pub const LINKED: TransferFlags = TransferFlags(1);
    /// Reserve the amount: it moves to the pending balances until posted,
    /// voided or timed out.
    pub const PENDING: TransferFlags = TransferFlags(2);
    /// Settle the pending transfer `pending_id`, for up to its amount.
    pub const POST_PENDING: TransferFlags = TransferFlags(4);
    /// Release the pending transfer `pending_id`.
    pub const VOID_PENDING: TransferFlags = TransferFlags(8);
    const KNOWN: u32 = 15;

    pub const fn union(self, other: TransferFlags) -> TransferFlags {
        TransferFlags(self.0 | other.0)
    }

    pub const fn contains(self, other: TransferFlags) -> bool {
        self.0 & other.0 == other.0
    }

    fn is_known(self) -> bool {
        self.0 & !Self::KNOWN == 0
    }
}

/// An account as stored, with its balances in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: AccountId,
    /// One ledger per currency.
    pub ledger: u32,
    pub code: u16,
    pub company_id: Option<CompanyId>,
    pub flags: AccountFlags,
    /// Free for the owner module, e.g. the provider of a settlement account.
    pub user_data: i64,
    pub debits_pending: i64,
    pub debits_posted: i64,
    pub credits_pending: i64,
    pub credits_posted: i64,
    pub timestamp: Timestamp,
}

impl Account {
    /// A new account with zero balances, to pass to `create_accounts`.
    pub fn new(
        id: AccountId,
        ledger: u32,
        code: u16,
        company_id: Option<CompanyId>,
        flags: AccountFlags,
    ) -> Self {
        Account {
            id,
            ledger,
            code,
            company_id,
            flags,
            user_data: 0,
            debits_pending: 0,
            debits_posted: 0,
            credits_pending: 0,
            credits_posted: 0,
            timestamp: Timestamp::from_micros(0),
        }
    }

    /// Posted credits less posted debits: what a wallet holds.
    pub fn credit_balance(&self) -> i64 {
        self.credits_posted - self.debits_posted
    }

    /// What a wallet may still spend: posted credits less all debits,
    /// pending ones included.
    pub fn available(&self) -> i64 {
        self.credits_posted - self.debits_posted - self.debits_pending
    }

    pub(crate) fn flags_known(&self) -> bool {
        self.flags.0 & !AccountFlags::KNOWN == 0
    }
}

/// A transfer, as submitted and as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub id: TransferId,
    pub debit_account_id: AccountId,
    pub credit_account_id: AccountId,
    /// Minor units, > 0. For `post_pending`, the amount to settle (at most the
    /// pending amount); for `void_pending`, the pending amount or 0.
    pub amount: i64,
    pub pending_id: Option<TransferId>,
    pub ledger: u32,
    pub code: u16,
    pub flags: TransferFlags,
    /// What the transfer is for, e.g. an order's raw id.
    pub user_ref: i64,
    /// For pending transfers: seconds until the reservation lapses; 0 never.
    pub timeout_seconds: u32,
    pub timestamp: Timestamp,
}

impl Transfer {
    /// A single-phase transfer.
    pub fn new(
        id: TransferId,
        debit: AccountId,
        credit: AccountId,
        amount: i64,
        ledger: u32,
        code: u16,
    ) -> Self {
        Transfer {
            id,
            debit_account_id: debit,
            credit_account_id: credit,
            amount,
            pending_id: None,
            ledger,
            code,
            flags: TransferFlags::default(),
            user_ref: 0,
            timeout_seconds: 0,
            timestamp: Timestamp::from_micros(0),
        }
    }

    pub fn with_flags(self, flags: TransferFlags) -> Self {
        Transfer { flags, ..self }
    }

    /// The fields a caller chose; two submissions with the same id must agree
    /// on these to count as the same transfer.
    pub(crate) fn same_request(&self, other: &Transfer) -> bool {
        self.debit_account_id == other.debit_account_id
            && self.credit_account_id == other.credit_account_id
            && self.amount == other.amount
            && self.pending_id == other.pending_id
            && self.ledger == other.ledger
            && self.code == other.code
            && self.flags == other.flags
            && self.user_ref == other.user_ref
            && self.timeout_seconds == other.timeout_seconds
    }

    pub(crate) fn flags_known(&self) -> bool {
        self.flags.is_known()
    }
}

/// The life of a pending transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PendingState {
    /// Not a pending transfer.
    None = 0,
    Pending = 1,
    Posted = 2,
    Voided = 3,
    Expired = 4,
}

impl PendingState {
    pub(crate) fn from_i64(value: i64) -> PendingState {
        match value {
            1 => PendingState::Pending,
            2 => PendingState::Posted,
            3 => PendingState::Voided,
            4 => PendingState::Expired,
            _ => PendingState::None,
        }
    }
}

/// The answer for one account of a `create_accounts` batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CreateAccountResult {
    Ok,
    Exists,
    ExistsWithDifferentFields,
    FlagsAreMutuallyExclusive,
    UnknownFlags,
    /// Balances are set by transfers only.
    BalancesMustBeZero,
    LedgerMustNotBeZero,
    CodeMustNotBeZero,
}

/// The answer for one transfer of a `create_transfers` batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreateTransferResult {
    Ok,
    /// Another transfer of its linked chain failed.
    LinkedEventFailed,
    /// The last transfer of the batch has `linked` set: the chain never closes.
    LinkedEventChainOpen,
    /// The same id with the same fields: already done, nothing changed.
    Exists,
    /// The same id with other fields: a different transfer reused the key.
    ExistsWithDifferentFields,
    UnknownFlags,
    FlagsAreMutuallyExclusive,
    AmountMustNotBeZero,
    AccountsMustBeDifferent,
    DebitAccountNotFound,
    CreditAccountNotFound,
    AccountsMustHaveTheSameLedger,
    TransferMustHaveTheSameLedgerAsAccounts,
    PendingIdMustBeSet,
    PendingIdMustNotBeSet,
    TimeoutReservedForPendingTransfer,
    PendingTransferNotFound,
    PendingTransferNotPending,
    PendingTransferHasDifferentAccounts,
    PendingTransferHasDifferentLedger,
    ExceedsPendingTransferAmount,
    PendingTransferAlreadyPosted,
    PendingTransferAlreadyVoided,
    PendingTransferExpired,
    /// A balance would pass i64::MAX.
    Overflows,
    /// The debit account's debits would exceed its credits.
    ExceedsCredits,
    /// The credit account's credits would exceed its debits.
    ExceedsDebits,
}

/// A failure of the ledger as a whole (storage), as opposed to a refused event.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Storage(#[from] kernel::StorageError),
    #[error("the ledger is shutting down")]
    ShuttingDown,
    #[error("a batch holds at most {0} events")]
    BatchTooLarge(usize),
    #[error("the ledger is inconsistent: {0}")]
    Invariant(String),
    /// The batch holding the caller's transfers failed as a whole (storage or
    /// invariant); nothing of it was written, and the same ids may be retried.
    #[error("the batch failed and nothing of it was written: {0}")]
    BatchFailed(String),
}

impl From<sqlx::Error> for LedgerError {
    fn from(error: sqlx::Error) -> Self {
        LedgerError::Storage(error.into())
    }
}
