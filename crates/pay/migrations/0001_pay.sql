-- Payments: which ledger account is whose, bank accounts, top-ups,
-- withdrawals, escrows, webhook deliveries seen, and the sandbox bank.

-- A company's wallet in one currency, created on first use.
CREATE TABLE pay_wallet (
    company_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    account_id BIGINT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, currency)
);

-- The operator's accounts per currency: escrow, fee revenue, and settlement
-- at each payment provider (provider '' for accounts that are not a provider's).
CREATE TABLE pay_operator_account (
    currency TEXT NOT NULL,
    kind TEXT NOT NULL,
    provider TEXT NOT NULL,
    account_id BIGINT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (currency, kind, provider)
);

CREATE TABLE pay_bank_account (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    holder_name TEXT NOT NULL,
    bank_name TEXT NOT NULL,
    account_number TEXT NOT NULL,
    currency TEXT NOT NULL,
    removed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);

CREATE TABLE pay_top_up (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    provider TEXT NOT NULL,
    provider_reference TEXT NOT NULL UNIQUE,
    -- pending, succeeded, failed
    status TEXT NOT NULL,
    -- The ledger transfer that credits the wallet, chosen up front so a
    -- retried confirmation finds it instead of crediting twice.
    transfer_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);

CREATE TABLE pay_withdrawal (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    bank_account_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    provider TEXT NOT NULL,
    provider_reference TEXT NOT NULL UNIQUE,
    -- requested (reservation being made), pending, completed, failed
    status TEXT NOT NULL,
    -- The pending transfer that reserves the money, and the one that posts
    -- or voids it; chosen up front so retries are idempotent.
    hold_transfer_id BIGINT NOT NULL,
    settle_transfer_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);

CREATE TABLE pay_escrow (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    seller_company_id BIGINT NOT NULL,
    order_reference BIGINT NOT NULL UNIQUE,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    fee_minor BIGINT NOT NULL,
    -- holding (reservation being made), held, released, refunded, partially_refunded
    status TEXT NOT NULL,
    released_minor BIGINT NOT NULL,
    -- The ledger transfers of the escrow's life, chosen up front.
    hold_transfer_id BIGINT NOT NULL,
    settle_transfer_id BIGINT NOT NULL,
    payout_transfer_id BIGINT NOT NULL,
    fee_transfer_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX pay_escrow_by_seller ON pay_escrow (seller_company_id, id);

-- Webhook deliveries already handled, so a provider's retries do nothing twice.
CREATE TABLE pay_webhook_event (
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);

-- The sandbox bank: payments and payouts waiting for a person to confirm or fail them.
CREATE TABLE pay_sandbox_operation (
    id BIGINT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    company_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    description TEXT NOT NULL,
    -- pending, confirmed, failed
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
