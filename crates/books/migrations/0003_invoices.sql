-- Invoices and credit notes as documents beside their journal entries:
-- sales ones the member issues, purchase ones it received. Those of market
-- orders are written with the order's invoice posting; the rest by hand.

-- The VAT rates a member invoices at (basis points, comma separated), the
-- days an invoice by hand is due after its date, and the next document
-- number (one counter for every kind: numbers are unique, not gapless).
ALTER TABLE books_company ADD COLUMN vat_rates TEXT NOT NULL DEFAULT '1300,900,600,0';
ALTER TABLE books_company ADD COLUMN payment_terms_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE books_company ADD COLUMN next_document_no BIGINT NOT NULL DEFAULT 1;

CREATE TABLE books_invoice (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    -- sales or purchase
    kind TEXT NOT NULL,
    -- invoice or credit_note
    document TEXT NOT NULL,
    -- INV-000123, CN-…, PI-…, PCN-…
    number TEXT NOT NULL,
    counterparty_company_id BIGINT,
    counterparty_name TEXT NOT NULL,
    order_id BIGINT,
    -- A credit note's invoice.
    credits_invoice_id BIGINT,
    issue_date BIGINT NOT NULL,
    due_date BIGINT NOT NULL,
    currency TEXT NOT NULL,
    net_minor BIGINT NOT NULL,
    vat_minor BIGINT NOT NULL,
    gross_minor BIGINT NOT NULL,
    -- What payments and credit notes have settled of an invoice so far.
    settled_minor BIGINT NOT NULL,
    -- open or settled; a credit note is settled when written.
    state TEXT NOT NULL,
    entry_id BIGINT NOT NULL,
    memo TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX books_invoice_number ON books_invoice (company_id, number);
CREATE INDEX books_invoice_open ON books_invoice (company_id, kind, state, due_date);
CREATE INDEX books_invoice_order ON books_invoice (company_id, order_id);

CREATE TABLE books_invoice_line (
    company_id BIGINT NOT NULL,
    invoice_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    description TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit TEXT NOT NULL,
    -- VAT excluded.
    unit_price_minor BIGINT NOT NULL,
    vat_rate_bp BIGINT NOT NULL,
    net_minor BIGINT NOT NULL,
    vat_minor BIGINT NOT NULL,
    gross_minor BIGINT NOT NULL,
    -- The revenue, stock or expense account the net went to.
    account_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, invoice_id, line_no)
);

-- A payment by hand against an invoice (bank transfers outside Hanse).
CREATE TABLE books_invoice_payment (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    invoice_id BIGINT NOT NULL,
    paid_on BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    entry_id BIGINT NOT NULL,
    reference TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX books_invoice_payment_invoice ON books_invoice_payment (company_id, invoice_id);
