-- The currency a company reports in (its functional currency), and the rates
-- at which it books the other currencies it deals in.
ALTER TABLE books_company ADD COLUMN functional_currency TEXT NOT NULL DEFAULT 'CNY';

CREATE TABLE books_fx_rate (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    -- The day the rate holds from (00:00 UTC, micros); it holds until the
    -- company's next rate for the currency.
    rate_date BIGINT NOT NULL,
    -- Units of the functional currency for one unit of `currency`, × 10^8.
    rate_e8 BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX books_fx_rate_day ON books_fx_rate (company_id, currency, rate_date);
