-- The ledger: accounts with their four balances, and the transfers that are
-- the only way balances change. Shaped after TigerBeetle's data model.

CREATE TABLE ledger_account (
    id BIGINT NOT NULL PRIMARY KEY,
    -- One ledger per currency: transfers only move money within a ledger.
    ledger BIGINT NOT NULL,
    -- The kind of account (wallet, escrow, fee revenue, ...), chosen by `pay`.
    code BIGINT NOT NULL,
    -- The member company that owns the account; NULL for the operator's.
    company_id BIGINT,
    flags BIGINT NOT NULL,
    user_data BIGINT NOT NULL,
    debits_pending BIGINT NOT NULL,
    debits_posted BIGINT NOT NULL,
    credits_pending BIGINT NOT NULL,
    credits_posted BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ledger_account_by_company ON ledger_account (company_id, ledger);

CREATE TABLE ledger_transfer (
    id BIGINT NOT NULL PRIMARY KEY,
    debit_account_id BIGINT NOT NULL,
    credit_account_id BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    -- For post_pending / void_pending: the pending transfer settled.
    pending_id BIGINT,
    ledger BIGINT NOT NULL,
    code BIGINT NOT NULL,
    flags BIGINT NOT NULL,
    user_ref BIGINT NOT NULL,
    timeout_seconds BIGINT NOT NULL,
    -- For pending transfers: 1 pending, 2 posted, 3 voided, 4 expired; else 0.
    pending_state BIGINT NOT NULL,
    -- For pending transfers with a timeout: when the reservation lapses.
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ledger_transfer_by_debit ON ledger_transfer (debit_account_id, created_at);
CREATE INDEX ledger_transfer_by_credit ON ledger_transfer (credit_account_id, created_at);
CREATE INDEX ledger_transfer_open_pending ON ledger_transfer (pending_state, expires_at);

-- Balances after each transfer, for accounts with the `history` flag (wallets),
-- so a statement shows a running balance without summing from the beginning.
CREATE TABLE ledger_account_balance (
    account_id BIGINT NOT NULL,
    transfer_id BIGINT NOT NULL,
    debits_pending BIGINT NOT NULL,
    debits_posted BIGINT NOT NULL,
    credits_pending BIGINT NOT NULL,
    credits_posted BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, transfer_id)
);
