-- A draft purchase order being placed on the market as an order: the feed
-- links the market order to it (rather than mirroring a second one) when
-- the order's supplier and lines are the draft's.
ALTER TABLE scm_purchase_order ADD COLUMN market_send BIGINT NOT NULL DEFAULT 0;
