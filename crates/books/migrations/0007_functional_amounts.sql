-- Every line's value in the company's functional currency (debit positive,
-- credit negative), and its sum in the balances per month, so the books
-- also balance, and report, in one currency. Lines written before in the
-- functional currency are worth their amount; those in another currency
-- were written before there were rates and stay at zero.
ALTER TABLE books_line ADD COLUMN functional_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE books_balance ADD COLUMN functional_minor BIGINT NOT NULL DEFAULT 0;
UPDATE books_line SET functional_minor = debit_minor - credit_minor
WHERE currency = (SELECT c.functional_currency FROM books_company c WHERE c.company_id = books_line.company_id);
UPDATE books_balance SET functional_minor = debit_minor - credit_minor
WHERE currency = (SELECT c.functional_currency FROM books_company c WHERE c.company_id = books_balance.company_id);
