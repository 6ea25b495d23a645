//! The rules of the ledger as a pure function: given the accounts and transfers
//! a batch touches, decide each transfer's result and the new balances. Storage
//! loads the snapshot and writes the outcome; nothing here does I/O, so the
//! rules are tested directly and by property tests.

use std::collections::{HashMap, HashSet};

use kernel::Timestamp;

use crate::types::{
    Account, AccountFlags, AccountId, CreateAccountResult, CreateTransferResult, PendingState,
    Transfer, TransferFlags, TransferId,
};

/// A transfer with its settlement state, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTransfer {
    pub transfer: Transfer,
    pub pending_state: PendingState,
    pub expires_at: Option<Timestamp>,
}

/// An account's balances after a transfer, for accounts with `history`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    pub account_id: AccountId,
    pub transfer_id: TransferId,
    pub debits_pending: i64,
    pub debits_posted: i64,
    pub credits_pending: i64,
    pub credits_posted: i64,
    pub timestamp: Timestamp,
}

/// What a batch touches: its accounts, transfers that share its ids, and the
/// pending transfers it posts or voids. Updated in place as the batch applies.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    pub accounts: HashMap<AccountId, Account>,
    pub transfers: HashMap<TransferId, StoredTransfer>,
    /// Transfers made by this snapshot's batches, in order.
    pub inserted: Vec<TransferId>,
    /// Pending transfers stored before the batch whose state changed.
    pub settled: Vec<TransferId>,
    /// Accounts whose balances changed.
    pub changed_accounts: Vec<AccountId>,
    /// The same sets as the three lists above, for membership tests in
    /// constant time: a batch of 16,384 transfers must not search lists.
    inserted_set: HashSet<TransferId>,
    settled_set: HashSet<TransferId>,
    changed_set: HashSet<AccountId>,
    pub history: Vec<BalanceRow>,
    /// The timestamp the next new transfer gets, in microseconds: strictly
    /// increasing, so a statement's order is the order money moved.
    pub next_timestamp: i64,
}

/// Undo entries for a linked chain that fails part-way.
enum Undo {
    Account(Account, bool),
    Inserted(TransferId),
    Settled(TransferId, PendingState, bool),
    History,
}

impl Snapshot {
    fn save_account(&mut self, id: AccountId, undo: &mut Vec<Undo>) {
        if let Some(account) = self.accounts.get(&id) {
            let first_change = self.changed_set.insert(id);
            undo.push(Undo::Account(account.clone(), first_change));
            if first_change {
                self.changed_accounts.push(id);
            }
        }
    }

    fn record_history(
        &mut self,
        account_id: AccountId,
        transfer_id: TransferId,
        now: Timestamp,
        undo: &mut Vec<Undo>,
    ) {
        if let Some(account) = self.accounts.get(&account_id)
            && account.flags.contains(AccountFlags::HISTORY)
        {
            self.history.push(BalanceRow {
                account_id,
                transfer_id,
                debits_pending: account.debits_pending,
                debits_posted: account.debits_posted,
                credits_pending: account.credits_pending,
                credits_posted: account.credits_posted,
                timestamp: now,
            });
            undo.push(Undo::History);
        }
    }

    fn rollback(&mut self, undo: Vec<Undo>) {
        for entry in undo.into_iter().rev() {
            match entry {
                Undo::Account(account, first_change) => {
                    if first_change {
                        self.changed_set.remove(&account.id);
                        // Undo runs newest first, so the entry is usually last.
                        if self.changed_accounts.last() == Some(&account.id) {
                            self.changed_accounts.pop();
                        } else {
                            self.changed_accounts.retain(|id| *id != account.id);
                        }
                    }
                    self.accounts.insert(account.id, account);
                }
                Undo::Inserted(id) => {
                    self.transfers.remove(&id);
                    self.inserted_set.remove(&id);
                    self.inserted.pop();
                }
                Undo::Settled(id, state, first_change) => {
                    if let Some(stored) = self.transfers.get_mut(&id) {
                        stored.pending_state = state;
                    }
                    if first_change {
                        self.settled_set.remove(&id);
                        if self.settled.last() == Some(&id) {
                            self.settled.pop();
                        } else {
                            self.settled.retain(|settled| *settled != id);
                        }
                    }
                }
                Undo::History => {
                    self.history.pop();
                }
            }
        }
    }
}

/// Applies a batch of transfers, in order, to the snapshot. Linked chains
/// succeed or fail as one.
pub fn create_transfers(
    snapshot: &mut Snapshot,
    batch: &[Transfer],
    now: Timestamp,
) -> Vec<CreateTransferResult> {
    let mut results = vec![CreateTransferResult::Ok; batch.len()];
    let mut chain_start: Option<usize> = None;
    let mut chain_undo: Vec<Undo> = Vec::new();
    let mut chain_failed: Option<(usize, CreateTransferResult)> = None;

    for (index, transfer) in batch.iter().enumerate() {
        let linked = transfer.flags.contains(TransferFlags::LINKED);
        if chain_start.is_none() && linked {
            chain_start = Some(index);
        }
        let in_chain = chain_start.is_some();

        if chain_failed.is_none() {
            let mut undo = Vec::new();
            let result = if linked && index == batch.len() - 1 {
                CreateTransferResult::LinkedEventChainOpen
            } else {
                apply_one(snapshot, transfer, now, &mut undo)
            };
            if result == CreateTransferResult::Ok || result == CreateTransferResult::Exists {
                results[index] = result;
                chain_undo.extend(undo);
            } else {
                snapshot.rollback(undo);
                results[index] = result;
                if in_chain {
                    chain_failed = Some((index, result));
                }
            }
        }

        // A chain closes at its first unlinked transfer, or at the batch's end.
        let chain_closes = !linked || index == batch.len() - 1;
        if !in_chain || chain_closes {
            if let (Some(start), Some((failed_at, _))) = (chain_start, chain_failed) {
                snapshot.rollback(std::mem::take(&mut chain_undo));
                for (position, result) in results.iter_mut().enumerate().take(index + 1).skip(start)
                {
                    if position != failed_at {
                        *result = CreateTransferResult::LinkedEventFailed;
                    }
                }
            }
            chain_undo.clear();
            chain_start = None;
            chain_failed = None;
        }
    }
    results
}

fn apply_one(
    snapshot: &mut Snapshot,
    transfer: &Transfer,
    now: Timestamp,
    undo: &mut Vec<Undo>,
) -> CreateTransferResult {
    use CreateTransferResult as R;
    if !transfer.flags_known() {
        return R::UnknownFlags;
    }
    let pending = transfer.flags.contains(TransferFlags::PENDING);
    let post = transfer.flags.contains(TransferFlags::POST_PENDING);
    let void = transfer.flags.contains(TransferFlags::VOID_PENDING);
    if u8::from(pending) + u8::from(post) + u8::from(void) > 1 {
        return R::FlagsAreMutuallyExclusive;
    }
    if let Some(existing) = snapshot.transfers.get(&transfer.id) {
        return if existing.transfer.same_request(transfer) {
            R::Exists
        } else {
            R::ExistsWithDifferentFields
        };
    }
    if post || void {
        settle_pending(snapshot, transfer, post, now, undo)
    } else {
        move_money(snapshot, transfer, pending, now, undo)
    }
}

fn move_money(
    snapshot: &mut Snapshot,
    transfer: &Transfer,
    pending: bool,
    now: Timestamp,
    undo: &mut Vec<Undo>,
) -> CreateTransferResult {
    use CreateTransferResult as R;
    if transfer.pending_id.is_some() {
        return R::PendingIdMustNotBeSet;
    }
    if !pending && transfer.timeout_seconds != 0 {
        return R::TimeoutReservedForPendingTransfer;
    }
    if transfer.amount <= 0 {
        return R::AmountMustNotBeZero;
    }
    if transfer.debit_account_id == transfer.credit_account_id {
        return R::AccountsMustBeDifferent;
    }
    let Some(debit) = snapshot.accounts.get(&transfer.debit_account_id) else {
        return R::DebitAccountNotFound;
    };
    let Some(credit) = snapshot.accounts.get(&transfer.credit_account_id) else {
        return R::CreditAccountNotFound;
    };
    if debit.ledger != credit.ledger {
        return R::AccountsMustHaveTheSameLedger;
    }
    if transfer.ledger != debit.ledger {
        return R::TransferMustHaveTheSameLedgerAsAccounts;
    }
    let amount = transfer.amount;
    let (Some(debits_after), Some(credits_after)) = (
        debit
            .debits_pending
            .checked_add(debit.debits_posted)
            .and_then(|d| d.checked_add(amount)),
        credit
            .credits_pending
            .checked_add(credit.credits_posted)
            .and_then(|c| c.checked_add(amount)),
    ) else {
        return R::Overflows;
    };
    if debit
        .flags
        .contains(AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS)
        && debits_after > debit.credits_posted
    {
        return R::ExceedsCredits;
    }
    if credit
        .flags
        .contains(AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS)
        && credits_after > credit.debits_posted
    {
        return R::ExceedsDebits;
    }

    let (debit_id, credit_id) = (transfer.debit_account_id, transfer.credit_account_id);
    snapshot.save_account(debit_id, undo);
    snapshot.save_account(credit_id, undo);
    if let Some(debit) = snapshot.accounts.get_mut(&debit_id) {
        if pending {
            debit.debits_pending += amount
        } else {
            debit.debits_posted += amount
        }
    }
    if let Some(credit) = snapshot.accounts.get_mut(&credit_id) {
        if pending {
            credit.credits_pending += amount
        } else {
            credit.credits_posted += amount
        }
    }
    let expires_at = (pending && transfer.timeout_seconds > 0)
        .then(|| now.plus_seconds(i64::from(transfer.timeout_seconds)));
    insert(
        snapshot,
        transfer,
        if pending {
            PendingState::Pending
        } else {
            PendingState::None
        },
        expires_at,
        now,
        undo,
    );
    R::Ok
}

fn settle_pending(
    snapshot: &mut Snapshot,
    transfer: &Transfer,
    post: bool,
    now: Timestamp,
    undo: &mut Vec<Undo>,
) -> CreateTransferResult {
    use CreateTransferResult as R;
    let Some(pending_id) = transfer.pending_id else {
        return R::PendingIdMustBeSet;
    };
    if transfer.timeout_seconds != 0 {
        return R::TimeoutReservedForPendingTransfer;
    }
    let Some(stored) = snapshot.transfers.get(&pending_id) else {
        return R::PendingTransferNotFound;
    };
    let original = &stored.transfer;
    if !original.flags.contains(TransferFlags::PENDING) {
        return R::PendingTransferNotPending;
    }
    if original.debit_account_id != transfer.debit_account_id
        || original.credit_account_id != transfer.credit_account_id
    {
        return R::PendingTransferHasDifferentAccounts;
    }
    if original.ledger != transfer.ledger {
        return R::PendingTransferHasDifferentLedger;
    }
    match stored.pending_state {
        PendingState::Posted => return R::PendingTransferAlreadyPosted,
        PendingState::Voided => return R::PendingTransferAlreadyVoided,
        PendingState::Expired => return R::PendingTransferExpired,
        PendingState::Pending | PendingState::None => {}
    }
    if stored.expires_at.is_some_and(|expires| expires <= now) {
        return R::PendingTransferExpired;
    }
    let reserved = original.amount;
    if post {
        if transfer.amount <= 0 {
            return R::AmountMustNotBeZero;
        }
        if transfer.amount > reserved {
            return R::ExceedsPendingTransferAmount;
        }
    } else if transfer.amount != 0 && transfer.amount != reserved {
        return R::ExceedsPendingTransferAmount;
    }
    let posted = if post { transfer.amount } else { 0 };
    let (debit_id, credit_id) = (transfer.debit_account_id, transfer.credit_account_id);
    snapshot.save_account(debit_id, undo);
    snapshot.save_account(credit_id, undo);
    if let Some(debit) = snapshot.accounts.get_mut(&debit_id) {
        debit.debits_pending -= reserved;
        debit.debits_posted += posted;
    }
    if let Some(credit) = snapshot.accounts.get_mut(&credit_id) {
        credit.credits_pending -= reserved;
        credit.credits_posted += posted;
    }
    let new_state = if post {
        PendingState::Posted
    } else {
        PendingState::Voided
    };
    set_pending_state(snapshot, pending_id, new_state, undo);
    insert(snapshot, transfer, PendingState::None, None, now, undo);
    R::Ok
}

fn set_pending_state(
    snapshot: &mut Snapshot,
    id: TransferId,
    state: PendingState,
    undo: &mut Vec<Undo>,
) {
    let stored_before = !snapshot.inserted_set.contains(&id);
    if let Some(stored) = snapshot.transfers.get_mut(&id) {
        let first_change = stored_before && snapshot.settled_set.insert(id);
        undo.push(Undo::Settled(id, stored.pending_state, first_change));
        stored.pending_state = state;
        if first_change {
            snapshot.settled.push(id);
        }
    }
}

fn insert(
    snapshot: &mut Snapshot,
    transfer: &Transfer,
    pending_state: PendingState,
    expires_at: Option<Timestamp>,
    now: Timestamp,
    undo: &mut Vec<Undo>,
) {
    let timestamp = Timestamp::from_micros(snapshot.next_timestamp.max(now.micros()));
    snapshot.next_timestamp = timestamp.micros() + 1;
    let stored = StoredTransfer {
        transfer: Transfer {
            timestamp,
            ..transfer.clone()
        },
        pending_state,
        expires_at,
    };
    snapshot.transfers.insert(transfer.id, stored);
    snapshot.inserted.push(transfer.id);
    snapshot.inserted_set.insert(transfer.id);
    undo.push(Undo::Inserted(transfer.id));
    snapshot.record_history(transfer.debit_account_id, transfer.id, timestamp, undo);
    snapshot.record_history(transfer.credit_account_id, transfer.id, timestamp, undo);
}

/// Releases a lapsed pending transfer's reservation.
pub fn expire(snapshot: &mut Snapshot, id: TransferId) {
    let Some(stored) = snapshot.transfers.get(&id) else {
        return;
    };
    if stored.pending_state != PendingState::Pending {
        return;
    }
    let original = stored.transfer.clone();
    let mut undo = Vec::new();
    snapshot.save_account(original.debit_account_id, &mut undo);
    snapshot.save_account(original.credit_account_id, &mut undo);
    if let Some(debit) = snapshot.accounts.get_mut(&original.debit_account_id) {
        debit.debits_pending -= original.amount;
    }
    if let Some(credit) = snapshot.accounts.get_mut(&original.credit_account_id) {
        credit.credits_pending -= original.amount;
    }
    set_pending_state(snapshot, id, PendingState::Expired, &mut undo);
}

/// Checks an account to be created against one that may already exist.
pub fn check_new_account(account: &Account, existing: Option<&Account>) -> CreateAccountResult {
    use CreateAccountResult as R;
    if !account.flags_known() {
        return R::UnknownFlags;
    }
    if account
        .flags
        .contains(AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS)
        && account
            .flags
            .contains(AccountFlags::CREDITS_MUST_NOT_EXCEED_DEBITS)
    {
        return R::FlagsAreMutuallyExclusive;
    }
    if account.debits_pending != 0
        || account.debits_posted != 0
        || account.credits_pending != 0
        || account.credits_posted != 0
    {
        return R::BalancesMustBeZero;
    }
    if account.ledger == 0 {
        return R::LedgerMustNotBeZero;
    }
    if account.code == 0 {
        return R::CodeMustNotBeZero;
    }
    match existing {
        Some(existing)
            if existing.ledger == account.ledger
                && existing.code == account.code
                && existing.company_id == account.company_id
                && existing.flags == account.flags
                && existing.user_data == account.user_data =>
        {
            R::Exists
        }
        Some(_) => R::ExistsWithDifferentFields,
        None => R::Ok,
    }
}
