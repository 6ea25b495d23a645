-- The transactional outbox: events appended in the same transaction as the
-- change they describe, read in position order by the dispatcher.
CREATE TABLE kernel_outbox (
    position BIGINT NOT NULL PRIMARY KEY,
    event_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    company_id BIGINT,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- How far each subscriber has handled the outbox; moved in the subscriber's
-- own transaction, so an event takes effect exactly once per subscriber.
CREATE TABLE kernel_outbox_checkpoint (
    subscriber TEXT NOT NULL PRIMARY KEY,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
