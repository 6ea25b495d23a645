-- Statements read an account's history from ledger_account_balance (kept for
-- accounts with the `history` flag, i.e. wallets), in time order. The two
-- indexes on every transfer's accounts cost most of a large ledger's insert
-- and commit time (random keys, most pages rewritten per batch) and are dropped;
-- only open pending transfers with a timeout are indexed, for the expiry sweep.
DROP INDEX ledger_transfer_by_debit;
DROP INDEX ledger_transfer_by_credit;
DROP INDEX ledger_transfer_open_pending;
CREATE INDEX ledger_transfer_lapsing ON ledger_transfer (expires_at) WHERE pending_state = 1;
CREATE INDEX ledger_account_balance_by_time ON ledger_account_balance (account_id, created_at);
