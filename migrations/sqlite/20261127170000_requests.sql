-- Démarches: the requests filed (and their drafts), their history, the messages with the
-- administration, their attachments (the files themselves are in the attachment storage),
-- the yearly counter of references, and the agents' role.
-- Times are milliseconds since 1970-01-01 UTC; booleans are 0/1.
CREATE TABLE request (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- `2026-000123`, given at submission; empty while a draft.
    reference TEXT UNIQUE,
    -- Names the form the request was filled in: a retried submission finds its request.
    token TEXT NOT NULL UNIQUE,
    procedure_code TEXT NOT NULL,
    -- Who filed it (kept empty if that account is deleted: the administration keeps it).
    account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    -- The organisation profile it was filed for; empty: the filer's citizen profile.
    organisation_id BIGINT REFERENCES organisation (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    assurance TEXT NOT NULL,
    -- Lower-case reference and answers, for the dashboard's search.
    search_text TEXT NOT NULL DEFAULT '',
    -- What the administration asked for, while the status is documents_requested.
    documents_asked TEXT,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX request_citizen ON request (account_id, organisation_id, submitted_at, id);
CREATE INDEX request_organisation ON request (organisation_id, submitted_at, id);
CREATE INDEX request_queue ON request (status, submitted_at, id);

CREATE TABLE request_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES request (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    note TEXT,
    actor_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    by_agent BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX request_event_request ON request_event (request_id, id);

CREATE TABLE request_message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES request (id) ON DELETE CASCADE,
    author_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    by_agent BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX request_message_request ON request_message (request_id, id);

CREATE TABLE attachment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL REFERENCES request (id) ON DELETE CASCADE,
    -- The procedure's attachment slot, or `documents` for an answer to a document request.
    slot TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    uploaded_by BIGINT REFERENCES account (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachment_request ON attachment (request_id, id);

CREATE TABLE reference_counter (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

ALTER TABLE account ADD COLUMN is_agent BIGINT NOT NULL DEFAULT 0;
