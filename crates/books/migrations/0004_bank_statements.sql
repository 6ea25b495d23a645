-- The lines of bank statements a member imports, to match against its open
-- invoices. A line is open until matched; matching posts the payment.
CREATE TABLE books_bank_line (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    -- The bank account in the chart the statement is of.
    account_id BIGINT NOT NULL,
    line_date BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- Signed: money in is positive, money out negative.
    amount_minor BIGINT NOT NULL,
    reference TEXT NOT NULL,
    counterparty TEXT NOT NULL,
    -- open or matched
    state TEXT NOT NULL,
    invoice_id BIGINT,
    entry_id BIGINT,
    -- Date, amount, currency, reference and the line's place among equal
    -- ones in its file: importing a statement again adds nothing.
    fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX books_bank_line_fingerprint ON books_bank_line (company_id, account_id, fingerprint);
CREATE INDEX books_bank_line_state ON books_bank_line (company_id, state, id);
