-- Stock counts, the unit a supplier's price is for, and replenishment.

-- A count of one location: what was expected when it was opened, what was
-- counted, and once posted the difference booked as count moves.
CREATE TABLE scm_count (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    count_no BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    -- open, posted, cancelled
    state TEXT NOT NULL,
    note TEXT NOT NULL,
    posted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX scm_count_no ON scm_count (company_id, count_no);

-- One item and lot on a count sheet. `counted` is NULL until counted;
-- `difference` is what posting booked (counted less on hand then).
CREATE TABLE scm_count_line (
    company_id BIGINT NOT NULL,
    count_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    lot TEXT NOT NULL,
    expected BIGINT NOT NULL,
    counted BIGINT,
    difference BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, count_id, line_no)
);
CREATE UNIQUE INDEX scm_count_line_item ON scm_count_line (company_id, count_id, item_id, lot);

-- The unit a supplier's price is for ('' is the item's base unit).
ALTER TABLE scm_supplier_item ADD COLUMN unit TEXT NOT NULL DEFAULT '';
CREATE INDEX scm_supplier_item_item ON scm_supplier_item (company_id, item_id);

-- How replenishment proposes: purchase_orders, buying_requests or off.
ALTER TABLE scm_company ADD COLUMN replenish_with TEXT NOT NULL DEFAULT 'purchase_orders';

-- What a replenishment run proposed for an item: a draft purchase order, a
-- buying request on the market, or why it could not (no supplier, no
-- category). A buying request counts as on order until `open_until`.
CREATE TABLE scm_replenishment (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    -- purchase_order, buying_request, no_supplier, no_category
    outcome TEXT NOT NULL,
    -- base units
    quantity BIGINT NOT NULL,
    purchase_order_id BIGINT NOT NULL,
    rfq_id BIGINT NOT NULL,
    open_until BIGINT NOT NULL,
    ran_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX scm_replenishment_item ON scm_replenishment (company_id, item_id, open_until);
