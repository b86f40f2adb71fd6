-- Identification by eID (OpenID Connect step-up).

-- When this session last identified with eID, and at which level (`acr`).
ALTER TABLE session ADD COLUMN eid_at BIGINT;
ALTER TABLE session ADD COLUMN eid_acr TEXT;

-- The national register number linked to the citizen profile: only its keyed hash (HMAC
-- with EID_NRN_KEY, for lookup) and its check digits (to show); the names then come from
-- the identity provider and the profile is verified.
ALTER TABLE citizen_profile ADD COLUMN nrn_hash TEXT;
ALTER TABLE citizen_profile ADD COLUMN nrn_hint TEXT;
ALTER TABLE citizen_profile ADD COLUMN verified_at BIGINT;
ALTER TABLE citizen_profile ADD COLUMN verified_acr TEXT;
CREATE UNIQUE INDEX citizen_profile_nrn ON citizen_profile (nrn_hash);

-- The level of identification a request was filed at (`acr`); empty: basic.
ALTER TABLE request ADD COLUMN identification_acr TEXT;

-- An identification under way: single use, bound to the session that started it.
CREATE TABLE eid_flow (
    state_hash TEXT PRIMARY KEY,
    session_hash TEXT NOT NULL REFERENCES session (id_hash) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX eid_flow_created ON eid_flow (created_at);
