-- Representatives of an organisation are declared (whoever created the profile or was let
-- in) until they are verified: by a proof of mandate an agent accepted ('mandate'), or by
-- the approval of a verified administrator ('admin'). Memberships that exist already stay
-- declared: nothing ever checked them.
ALTER TABLE membership ADD COLUMN verified_at BIGINT;
ALTER TABLE membership ADD COLUMN verified_by TEXT;

-- A proof of mandate (statutes, Moniteur belge publication, power of attorney) sent for
-- review: pending until an agent accepts or refuses it, with a reason.
CREATE TABLE mandate_proof (
    id BIGSERIAL PRIMARY KEY,
    membership_id BIGINT NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    reason TEXT,
    submitted_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES account (id) ON DELETE SET NULL
);
CREATE INDEX mandate_proof_queue ON mandate_proof (status, submitted_at);
CREATE INDEX mandate_proof_membership ON mandate_proof (membership_id, id);
