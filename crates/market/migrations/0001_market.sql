-- The marketplace: categories (the operator's), storefronts, products,
-- images, buying requests, the suppliers told about them, quotations and the
-- monthly quotation quota.

-- The category tree, managed by the operator. `attributes` is the JSON list
-- of the attributes a product in this category describes (key, names, kind,
-- unit, choices, required).
CREATE TABLE market_category (
    id BIGINT PRIMARY KEY,
    parent_id BIGINT,
    slug TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL,
    attributes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX market_category_parent ON market_category (parent_id, position);

-- A member's public face on the market, created when the company registers.
-- Lists (photos, main markets, certificates) are JSON arrays.
CREATE TABLE market_storefront (
    company_id BIGINT PRIMARY KEY,
    display_name TEXT NOT NULL,
    about TEXT NOT NULL,
    logo TEXT,
    photos TEXT NOT NULL,
    main_markets TEXT NOT NULL,
    certificates TEXT NOT NULL,
    year_founded BIGINT,
    staff_size TEXT NOT NULL,
    country TEXT NOT NULL,
    province TEXT NOT NULL,
    city TEXT NOT NULL,
    -- Basis points of inquiries answered within a day; filled in by chat.
    response_rate_bp BIGINT,
    -- 1 once trust (for now the operator) verified the company. Booleans
    -- are 0/1 integers, which both engines read alike through sqlx's Any driver.
    verified BIGINT NOT NULL,
    -- Quotations the company may send per calendar month (UTC), set by the operator.
    quotation_quota_monthly BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Prices are JSON [[min_quantity, unit_price_minor], ...] in `currency`,
-- ascending by quantity; images a JSON array of content hashes.
CREATE TABLE market_product (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    sku TEXT NOT NULL,
    category_id BIGINT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description TEXT NOT NULL,
    attributes TEXT NOT NULL,
    unit TEXT NOT NULL,
    moq BIGINT NOT NULL,
    price_tiers TEXT NOT NULL,
    currency TEXT NOT NULL,
    lead_time_days BIGINT NOT NULL,
    origin TEXT NOT NULL,
    available_quantity BIGINT NOT NULL,
    images TEXT NOT NULL,
    -- draft, published, unlisted
    status TEXT NOT NULL,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, sku)
);
CREATE INDEX market_product_status ON market_product (status, id);
CREATE INDEX market_product_category ON market_product (category_id, status, company_id);

-- Images by content hash (SHA-256, hex); the files live under the data
-- directory. The first company to upload an image is kept as its owner.
CREATE TABLE market_image (
    hash TEXT PRIMARY KEY,
    company_id BIGINT NOT NULL,
    format TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Buying requests (RFQs). `show_company` lets the board name the buyer.
CREATE TABLE market_rfq (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    category_id BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    unit TEXT NOT NULL,
    target_price_minor BIGINT,
    currency TEXT NOT NULL,
    deliver_by BIGINT,
    destination TEXT NOT NULL,
    details TEXT NOT NULL,
    valid_until BIGINT NOT NULL,
    show_company BIGINT NOT NULL,
    -- open, awarded, closed
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX market_rfq_board ON market_rfq (status, id);

-- Suppliers told about a buying request (same category), shown to them.
CREATE TABLE market_rfq_match (
    company_id BIGINT NOT NULL,
    rfq_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, rfq_id)
);

-- A supplier's answer to a buying request; one per supplier and request.
-- `price_tiers` as on products; `buyer_company_id` lets the buyer read them.
CREATE TABLE market_quotation (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL UNIQUE,
    rfq_id BIGINT NOT NULL,
    buyer_company_id BIGINT NOT NULL,
    price_tiers TEXT NOT NULL,
    currency TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    lead_time_days BIGINT NOT NULL,
    shipping_terms TEXT NOT NULL,
    valid_until BIGINT NOT NULL,
    message TEXT NOT NULL,
    -- sent, accepted, declined
    status TEXT NOT NULL,
    decline_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id),
    UNIQUE (rfq_id, company_id)
);
CREATE INDEX market_quotation_buyer ON market_quotation (buyer_company_id, rfq_id);

-- Quotations sent per company and month ('2026-11'), counted against the quota.
CREATE TABLE market_quota_usage (
    company_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    used BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, month)
);
