-- Every read of a request and every download of its attachments by an agent: the person
-- sees which service looked at their file, and when (never the agent's name, which is kept
-- for the administration's own audit).
CREATE TABLE request_access (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES request (id) ON DELETE CASCADE,
    agent_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    -- The service the request belongs to, as it was named then: {"fr": …, "nl": …, "en": …}.
    service TEXT NOT NULL,
    -- 'viewed' or 'downloaded' (then file_name says which attachment).
    kind TEXT NOT NULL,
    file_name TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX request_access_request ON request_access (request_id, id);
