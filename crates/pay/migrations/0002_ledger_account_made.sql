-- Whether the ledger account a mapping names has been created. The mapping
-- commits before the ledger account, so a crash between the two left a
-- mapping to an account that does not exist; the first use of a row still
-- at 0 creates the account (idempotently) and sets 1. Existing rows start
-- at 0, so each is checked once.
ALTER TABLE pay_wallet ADD COLUMN ledger_account_made BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pay_operator_account ADD COLUMN ledger_account_made BIGINT NOT NULL DEFAULT 0;
