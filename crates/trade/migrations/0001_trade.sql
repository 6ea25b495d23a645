-- Booleans are BIGINT 0 or 1, as everywhere in Hanse: sqlx's Any driver reads them alike on both engines.
-- Orders between two companies. The buyer's company is the leading key of
-- every row (as pay_escrow does), so a network can be sharded by company; the
-- seller finds its orders through the seller index.
CREATE TABLE trade_order (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    seller_company_id BIGINT NOT NULL,
    -- placed, confirmed, paid, shipped, delivered, completed, settled,
    -- declined, cancelled, refunded
    state TEXT NOT NULL,
    currency TEXT NOT NULL,
    goods_total_minor BIGINT NOT NULL,
    shipping_fee_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    -- The operator's fee rate, fixed when the order is placed.
    fee_bp BIGINT NOT NULL,
    fee_minor BIGINT NOT NULL,
    -- Money returned to the buyer by a refund or a dispute's decision.
    refunded_minor BIGINT NOT NULL,
    delivery_address TEXT NOT NULL,
    buyer_note TEXT NOT NULL,
    -- EXW, FOB, CIF, DAP, ... or empty for a domestic order without terms.
    terms TEXT NOT NULL,
    cross_border BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    quotation_id BIGINT,
    placed_by BIGINT NOT NULL,
    seller_note TEXT NOT NULL,
    -- Open refund or dispute: timers that would move the order wait.
    open_claim BIGINT NOT NULL,
    confirmed_at BIGINT,
    paid_at BIGINT,
    shipped_at BIGINT,
    delivered_at BIGINT,
    completed_at BIGINT,
    settled_at BIGINT,
    closed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX trade_order_id ON trade_order (id);
CREATE INDEX trade_order_seller ON trade_order (seller_company_id, id);
CREATE INDEX trade_order_buyer_state ON trade_order (company_id, state, id);
CREATE INDEX trade_order_seller_state ON trade_order (seller_company_id, state, id);
CREATE UNIQUE INDEX trade_order_quotation ON trade_order (quotation_id);
-- The settlement round and the operator's views read across companies by state.
CREATE INDEX trade_order_state ON trade_order (state, id);

CREATE TABLE trade_order_line (
    company_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    -- Empty (0) for a line from a quotation, which names no product.
    product_id BIGINT NOT NULL,
    sku TEXT NOT NULL,
    title TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    line_total_minor BIGINT NOT NULL,
    -- none (no product), reserved, released, consumed, returned
    stock TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, order_id, line_no)
);

-- The order's timeline: every transition, tracking event and answer, as both
-- sides and the operator read it.
CREATE TABLE trade_order_history (
    company_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    -- The company that acted; 0 for the carrier, the clock or the operator.
    actor_company_id BIGINT NOT NULL,
    note TEXT NOT NULL,
    at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, order_id, id)
);

CREATE TABLE trade_shipment (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    seller_company_id BIGINT NOT NULL,
    -- sandbox, or another carrier's code; "other" for a carrier without a port.
    carrier TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    packing_list TEXT NOT NULL,
    -- the last tracking status: created, picked_up, departed, customs,
    -- out_for_delivery, delivered
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX trade_shipment_order ON trade_shipment (order_id);
CREATE UNIQUE INDEX trade_shipment_tracking ON trade_shipment (carrier, tracking_number);

-- Tracking events as the carrier reported them; the carrier's event id makes
-- a replayed webhook a no-op.
CREATE TABLE trade_tracking_event (
    company_id BIGINT NOT NULL,
    shipment_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    carrier TEXT NOT NULL,
    carrier_event_id TEXT NOT NULL,
    status TEXT NOT NULL,
    location TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, shipment_id, id)
);
CREATE UNIQUE INDEX trade_tracking_event_carrier ON trade_tracking_event (carrier, carrier_event_id);

CREATE TABLE trade_refund (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    seller_company_id BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,
    reason TEXT NOT NULL,
    with_return BIGINT NOT NULL,
    -- requested, refused, awaiting_return, refunded, disputed, withdrawn
    status TEXT NOT NULL,
    answer TEXT NOT NULL,
    answer_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX trade_refund_order ON trade_refund (order_id, id);

CREATE TABLE trade_dispute (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    seller_company_id BIGINT NOT NULL,
    opened_by_company_id BIGINT NOT NULL,
    reason TEXT NOT NULL,
    -- open, resolved
    status TEXT NOT NULL,
    to_buyer_minor BIGINT NOT NULL,
    to_seller_minor BIGINT NOT NULL,
    decision TEXT NOT NULL,
    decided_by BIGINT NOT NULL,
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX trade_dispute_order ON trade_dispute (order_id);
CREATE INDEX trade_dispute_status ON trade_dispute (status, id);

-- The operator's terms of trade: one row (id 1).
CREATE TABLE trade_policy (
    id BIGINT PRIMARY KEY,
    fee_default_bp BIGINT NOT NULL,
    auto_confirm_after_days BIGINT NOT NULL,
    unpaid_cancel_after_hours BIGINT NOT NULL,
    refund_answer_within_days BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO trade_policy VALUES (1, 200, 10, 72, 3, 0, 0);

-- The fee per top category, where it differs from the network default.
CREATE TABLE trade_fee_rate (
    category_id BIGINT PRIMARY KEY,
    fee_bp BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The sandbox carrier's parcels and the tracking events it will report.
CREATE TABLE trade_sandbox_parcel (
    tracking_number TEXT PRIMARY KEY,
    seller_company_id BIGINT NOT NULL,
    buyer_company_id BIGINT NOT NULL,
    shipment_reference BIGINT NOT NULL,
    cross_border BIGINT NOT NULL,
    destination TEXT NOT NULL,
    -- how many of the planned events have been reported
    reported BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX trade_sandbox_parcel_due ON trade_sandbox_parcel (next_at);
