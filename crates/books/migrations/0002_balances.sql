-- The posted movement of each account per month and currency, kept with
-- every posting, so a report over whole months reads a few rows per account
-- instead of every line; the lines stay the truth and a test holds the two
-- equal.
CREATE TABLE books_balance (
    company_id BIGINT NOT NULL,
    -- YYYY-MM
    period TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    debit_minor BIGINT NOT NULL,
    credit_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, period, account_id, currency)
);

INSERT INTO books_balance (company_id, period, account_id, currency, debit_minor, credit_minor, created_at, updated_at)
SELECT l.company_id, e.period, l.account_id, l.currency,
       CAST(SUM(l.debit_minor) AS BIGINT), CAST(SUM(l.credit_minor) AS BIGINT), 0, 0
FROM books_line l
JOIN books_entry e ON e.company_id = l.company_id AND e.id = l.entry_id
WHERE l.posted = 1
GROUP BY l.company_id, e.period, l.account_id, l.currency;
