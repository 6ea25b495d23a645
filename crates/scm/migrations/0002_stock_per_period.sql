-- The net quantity each own location gained or lost of an item in each
-- period of 30 days (`period` = moved_at / 2,592,000,000,000 µs, the same
-- integer division on both engines), kept with every move, so the stock
-- before a moment reads one row per location and period for the whole
-- periods and only the last period's moves; the moves stay the truth and a
-- test holds the two equal.
CREATE TABLE scm_stock_period (
    company_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    period BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, item_id, period, location_id)
);

INSERT INTO scm_stock_period (company_id, item_id, period, location_id, quantity, created_at, updated_at)
SELECT s.company_id, s.item_id, s.period, s.location_id, CAST(SUM(s.quantity) AS BIGINT), 0, 0 FROM (
    SELECT m.company_id, m.item_id, m.moved_at / 2592000000000 AS period, m.to_location_id AS location_id, m.quantity
    FROM scm_move m JOIN scm_location l ON l.company_id = m.company_id AND l.id = m.to_location_id
    WHERE l.warehouse_id <> 0
    UNION ALL
    SELECT m.company_id, m.item_id, m.moved_at / 2592000000000 AS period, m.from_location_id AS location_id, -m.quantity
    FROM scm_move m JOIN scm_location l ON l.company_id = m.company_id AND l.id = m.from_location_id
    WHERE l.warehouse_id <> 0
) s
GROUP BY s.company_id, s.item_id, s.period, s.location_id;
