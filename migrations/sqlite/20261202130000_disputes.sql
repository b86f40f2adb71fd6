-- A profile the administration suspended while it looks into a report: nobody may act
-- for it (its requests stay, the back office keeps processing them).
ALTER TABLE organisation ADD COLUMN suspended_at BIGINT;

-- A report that an organisation's profile is held by the wrong people, sent by someone who
-- cannot get access, with their own proof of mandate. An agent suspends the profile, hands
-- it to the person who reported (the verified representative), or dismisses the report.
CREATE TABLE dispute (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    function TEXT NOT NULL,
    explanation TEXT NOT NULL,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    reason TEXT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES account (id) ON DELETE SET NULL
);
CREATE INDEX dispute_queue ON dispute (status, created_at);
CREATE INDEX dispute_account ON dispute (account_id, id);
