-- Responses to POSTs sent with an Idempotency-Key, so a retried request gets
-- the first answer instead of doing the work twice. Keyed by who sent it.
CREATE TABLE web_idempotency (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status BIGINT,
    response_content_type TEXT,
    response_body TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (caller, idempotency_key)
);
