-- Durable scheduled jobs: timers that modules set inside their own
-- transactions and that the job runner fires once, across crashes.
CREATE TABLE kernel_job (
    id BIGINT NOT NULL PRIMARY KEY,
    -- Which handler runs the job, e.g. `trade.auto_confirm`.
    kind TEXT NOT NULL,
    -- What the job is about, e.g. an order id: a kind and key name one job for
    -- good, so scheduling the same timer twice keeps the first.
    key TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- scheduled, running, completed, cancelled or failed.
    state TEXT NOT NULL,
    -- Runs started so far, counted at each claim.
    attempt BIGINT NOT NULL,
    attempts_max BIGINT NOT NULL,
    -- When the job is next due (microseconds).
    scheduled_at BIGINT NOT NULL,
    -- While running: the end of the runner's lease. A job still running after
    -- it was lost to a crash and is claimed again.
    claimed_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (kind, key)
);

-- The runner's question: which jobs are due now.
CREATE INDEX kernel_job_state_scheduled_at ON kernel_job (state, scheduled_at);
