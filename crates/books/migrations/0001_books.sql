-- Books: each member's own double-entry accounts of its business. Booleans
-- are BIGINT 0 or 1, as everywhere in Hanse. Every row leads with company_id.

-- One row per company whose books are open: its chart's template, its VAT
-- rate on sales, when a sale is invoiced, and the next entry number.
CREATE TABLE books_company (
    company_id BIGINT NOT NULL PRIMARY KEY,
    -- cas_small or ifrs
    chart TEXT NOT NULL,
    vat_rate_bp BIGINT NOT NULL,
    -- shipped or completed: the order event that makes the invoices.
    invoice_on TEXT NOT NULL,
    next_entry_no BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE books_account (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    -- asset, liability, equity, revenue, expense
    kind TEXT NOT NULL,
    -- What automatic postings use it for (wallet, receivable, ...), or empty.
    role TEXT NOT NULL,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX books_account_code ON books_account (company_id, code);
CREATE UNIQUE INDEX books_account_role ON books_account (company_id, role) WHERE role <> '';

-- A journal entry: draft, then posted, after which it never changes (a
-- correction is a reversing entry). `source` names what posted it
-- automatically (order:…:paid, topup:…), once per company.
CREATE TABLE books_entry (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    entry_no BIGINT NOT NULL,
    -- sales, purchases, bank, general
    journal TEXT NOT NULL,
    entry_date BIGINT NOT NULL,
    -- YYYY-MM of entry_date, in UTC.
    period TEXT NOT NULL,
    memo TEXT NOT NULL,
    -- draft or posted
    state TEXT NOT NULL,
    source TEXT NOT NULL,
    order_id BIGINT,
    reverses_id BIGINT,
    reversed_by_id BIGINT,
    posted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX books_entry_no ON books_entry (company_id, entry_no);
CREATE UNIQUE INDEX books_entry_source ON books_entry (company_id, source) WHERE source <> '';
CREATE INDEX books_entry_order ON books_entry (company_id, order_id);

-- The lines of an entry; `posted` and `entry_date` repeat the entry's so the
-- reports sum lines without a join.
CREATE TABLE books_line (
    company_id BIGINT NOT NULL,
    entry_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    debit_minor BIGINT NOT NULL,
    credit_minor BIGINT NOT NULL,
    memo TEXT NOT NULL,
    posted BIGINT NOT NULL,
    entry_date BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, entry_id, line_no)
);
CREATE INDEX books_line_report ON books_line (company_id, posted, entry_date, account_id);
CREATE INDEX books_line_account ON books_line (company_id, account_id, entry_date);

-- A locked period (YYYY-MM): nothing posts into it.
CREATE TABLE books_period_lock (
    company_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    locked_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, period)
);
