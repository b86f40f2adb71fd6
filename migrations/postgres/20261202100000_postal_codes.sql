-- The second way to become a verified representative ('post'): a code sent by post to the
-- organisation's registered seat as the company register's open data knows it, typed on
-- the organisation's Vérification page within 30 days and a few tries.
CREATE TABLE postal_code (
    id BIGSERIAL PRIMARY KEY,
    membership_id BIGINT NOT NULL REFERENCES membership (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    -- SHA-256 of the code; the code itself only until its letter is printed.
    code_hash TEXT NOT NULL,
    code TEXT,
    -- The registered seat the letter goes to, as known when it was asked for.
    recipient TEXT NOT NULL,
    street TEXT NOT NULL,
    house_number TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    tries_left BIGINT NOT NULL,
    printed_at BIGINT,
    printed_by BIGINT REFERENCES account (id) ON DELETE SET NULL,
    used_at BIGINT
);
CREATE INDEX postal_code_membership ON postal_code (membership_id, id);
CREATE INDEX postal_code_unprinted ON postal_code (printed_at, created_at);
