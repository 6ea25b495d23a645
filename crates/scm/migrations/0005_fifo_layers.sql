-- FIFO valuation: what is left of each receipt into a company's own stock,
-- oldest first. Only companies valuing by FIFO have layers; an item's layers
-- add up to its pool (quantity and value), which a test holds. A layer is
-- deleted when it is used up.
CREATE TABLE scm_layer (
    company_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    -- The move that brought the goods in.
    move_id BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    quantity_left BIGINT NOT NULL,
    value_left_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, item_id, received_at, move_id)
);
