-- Failed sign-ins, counted per e-mail address and per client IP address, so that the limit
-- holds across several servers. Rows older than the window are deleted as they are met.
CREATE TABLE login_failure (
    id BIGSERIAL PRIMARY KEY,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX login_failure_scope ON login_failure (scope, created_at);

-- The rest of the citizen profile: phones in E.164, the contact e-mail (empty: the
-- account's), the postal address (optional).
ALTER TABLE citizen_profile ADD COLUMN landline TEXT;
ALTER TABLE citizen_profile ADD COLUMN mobile TEXT;
ALTER TABLE citizen_profile ADD COLUMN contact_email TEXT;
ALTER TABLE citizen_profile ADD COLUMN street TEXT;
ALTER TABLE citizen_profile ADD COLUMN house_number TEXT;
ALTER TABLE citizen_profile ADD COLUMN box TEXT;
ALTER TABLE citizen_profile ADD COLUMN postal_code TEXT;
ALTER TABLE citizen_profile ADD COLUMN city TEXT;
ALTER TABLE citizen_profile ADD COLUMN country TEXT;

-- A new e-mail address waits here until its owner confirms it.
ALTER TABLE email_token ADD COLUMN new_email TEXT;
