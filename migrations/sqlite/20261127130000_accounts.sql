-- Accounts, their citizen profile, e-mail tokens, server-side sessions and security events.
-- Times are milliseconds since 1970-01-01 UTC.
CREATE TABLE account (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL,
    email_verified_at BIGINT,
    created_at BIGINT NOT NULL,
    last_login_at BIGINT
);

-- The citizen profile: one per account, created with it.
CREATE TABLE citizen_profile (
    account_id BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Single-use tokens sent by e-mail; only their SHA-256 is stored.
CREATE TABLE email_token (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX email_token_account ON email_token (account_id);

-- Server-side sessions; the cookie holds a random token, the table its SHA-256.
CREATE TABLE session (
    id_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    user_agent TEXT,
    ip TEXT
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE security_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT REFERENCES account (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX security_event_account ON security_event (account_id, created_at);
