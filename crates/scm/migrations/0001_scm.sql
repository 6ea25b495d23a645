-- Supply chain: what each member stocks, where, and every quantity that moved.
-- Booleans are BIGINT 0 or 1, as everywhere in Hanse. Every row leads with
-- company_id.

-- One row per company whose supply chain is open: how it values stock, and
-- its virtual locations (the counterparts of receipts, shipments and losses).
CREATE TABLE scm_company (
    company_id BIGINT NOT NULL PRIMARY KEY,
    -- average or fifo
    valuation TEXT NOT NULL,
    supplier_location_id BIGINT NOT NULL,
    customer_location_id BIGINT NOT NULL,
    loss_location_id BIGINT NOT NULL,
    -- Where goods bought on the market arrive unless the member says otherwise.
    default_warehouse_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- What a company stocks, counted in its base unit. The pool is the stock in
-- the company's own locations and its value, for the moving-average cost.
CREATE TABLE scm_item (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    cost_currency TEXT NOT NULL,
    lot_tracked BIGINT NOT NULL,
    reorder_point BIGINT NOT NULL,
    reorder_quantity BIGINT NOT NULL,
    pool_quantity BIGINT NOT NULL,
    pool_value_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX scm_item_sku ON scm_item (company_id, sku);

-- Other units of an item: one `unit` is `factor` base units (a carton of 24).
CREATE TABLE scm_item_unit (
    company_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    unit TEXT NOT NULL,
    factor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, item_id, unit)
);

-- A market product whose stock is the item's in one warehouse: one product
-- unit is `factor` base units.
CREATE TABLE scm_product_link (
    company_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    factor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, product_id)
);
CREATE INDEX scm_product_link_item ON scm_product_link (company_id, item_id, warehouse_id);

-- Warehouses, zones and bins (a tree under each warehouse), and the virtual
-- supplier, customer and loss locations. `warehouse_id` is the root of the
-- tree a location is in (itself for a warehouse; 0 for a virtual one).
CREATE TABLE scm_location (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    parent_id BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    -- warehouse, zone, bin, supplier, customer, loss
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX scm_location_code ON scm_location (company_id, code);

-- A quantity of an item taken from one location and put in another. Never
-- changed. `value_minor` is what the goods were worth as they moved, in the
-- item's cost currency; the pool columns are the item's stock and value in
-- the company's own locations after the move. `source` names what moved it
-- automatically (order:…:ship:2), once per company.
CREATE TABLE scm_move (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    lot TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    from_location_id BIGINT NOT NULL,
    to_location_id BIGINT NOT NULL,
    value_minor BIGINT NOT NULL,
    pool_quantity_after BIGINT NOT NULL,
    pool_value_after_minor BIGINT NOT NULL,
    -- receipt, shipment, transfer, adjustment, count, customer_return, supplier_return
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    source TEXT NOT NULL,
    moved_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX scm_move_item ON scm_move (company_id, item_id, moved_at);
CREATE UNIQUE INDEX scm_move_source ON scm_move (company_id, source) WHERE source <> '';

-- On hand per location, item and lot: the sum of the moves, kept with each
-- move (a test holds the two equal). Virtual locations go negative; the
-- company's own never do.
CREATE TABLE scm_stock (
    company_id BIGINT NOT NULL,
    location_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    lot TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, location_id, item_id, lot)
);
CREATE INDEX scm_stock_item ON scm_stock (company_id, item_id);

-- On hand and reserved per warehouse and item: the row a reservation locks,
-- so reserved never exceeds on hand on either engine.
CREATE TABLE scm_warehouse_stock (
    company_id BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    on_hand BIGINT NOT NULL,
    reserved BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, warehouse_id, item_id)
);

-- Stock an order line holds in a warehouse until it ships (consumed) or is
-- given back (released); a consumed line whose goods came back is returned.
CREATE TABLE scm_reservation (
    company_id BIGINT NOT NULL,
    order_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    -- base units
    quantity BIGINT NOT NULL,
    -- held, released, consumed, returned
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, order_id, line_no)
);

-- Who a company buys from: a Hanse company (its storefront) or one off the network.
CREATE TABLE scm_supplier (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    -- The supplier's own company on this network, or 0.
    network_company_id BIGINT NOT NULL,
    contact TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX scm_supplier_network ON scm_supplier (company_id, network_company_id) WHERE network_company_id <> 0;

-- A supplier's price and lead time for an item, and the supplier's own SKU
-- (and product on the market) it is bought as.
CREATE TABLE scm_supplier_item (
    company_id BIGINT NOT NULL,
    supplier_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    supplier_sku TEXT NOT NULL,
    product_id BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    lead_time_days BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, supplier_id, item_id)
);
CREATE INDEX scm_supplier_item_sku ON scm_supplier_item (company_id, supplier_id, supplier_sku);

-- A purchase order. `market_order_id` is the order on the market it mirrors
-- (0 when drafted here for a supplier off the network).
CREATE TABLE scm_purchase_order (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    po_no BIGINT NOT NULL,
    supplier_id BIGINT NOT NULL,
    market_order_id BIGINT NOT NULL,
    -- draft, ordered, partially_received, received, cancelled
    state TEXT NOT NULL,
    currency TEXT NOT NULL,
    shipping_fee_minor BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    note TEXT NOT NULL,
    -- The market order was delivered: its receipt waits for the member.
    delivery_waiting BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX scm_purchase_order_no ON scm_purchase_order (company_id, po_no);
CREATE UNIQUE INDEX scm_purchase_order_market ON scm_purchase_order (company_id, market_order_id) WHERE market_order_id <> 0;

-- Quantities are in the line's unit; `factor` base units make one.
CREATE TABLE scm_purchase_line (
    company_id BIGINT NOT NULL,
    purchase_order_id BIGINT NOT NULL,
    line_no BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    unit TEXT NOT NULL,
    factor BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    received_quantity BIGINT NOT NULL,
    returned_quantity BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, purchase_order_id, line_no)
);
