-- The documents behind an entry (a receipt, a contract, a bank's advice),
-- kept in the database beside the entry so a backup holds both and an upload
-- is written whole or not at all. BYTEA: PostgreSQL's bytes; SQLite keeps the
-- blob as it is given.
CREATE TABLE books_attachment (
    company_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    entry_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    -- Hex SHA-256 of the content, for the member to compare with its copy.
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX books_attachment_entry ON books_attachment (company_id, entry_id, id);
