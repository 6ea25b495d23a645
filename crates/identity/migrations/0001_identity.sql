-- People, companies, staff memberships, invitations, sessions and API keys.
-- Tables holding a company's data lead with company_id, for later sharding.

CREATE TABLE identity_user (
    id BIGINT NOT NULL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    mobile TEXT,
    language TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    is_operator BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE identity_company (
    id BIGINT NOT NULL PRIMARY KEY,
    legal_name TEXT NOT NULL,
    credit_code TEXT UNIQUE,
    registration_number TEXT,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    city TEXT NOT NULL,
    address TEXT NOT NULL,
    industry TEXT NOT NULL,
    size TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE identity_membership (
    company_id BIGINT NOT NULL REFERENCES identity_company (id),
    id BIGINT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES identity_user (id),
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX identity_membership_by_user ON identity_membership (user_id);

CREATE TABLE identity_invitation (
    company_id BIGINT NOT NULL REFERENCES identity_company (id),
    id BIGINT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT NOT NULL REFERENCES identity_user (id),
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);

CREATE TABLE identity_session (
    id BIGINT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES identity_user (id),
    token_hash TEXT NOT NULL UNIQUE,
    active_company_id BIGINT,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX identity_session_by_user ON identity_session (user_id, id);

CREATE TABLE identity_api_key (
    company_id BIGINT NOT NULL REFERENCES identity_company (id),
    id BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    key_prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES identity_user (id),
    last_used_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, id)
);
