-- Organisation profiles (entreprises and associations), the people who act for them, the
-- wizard's drafts, in-app notifications, and the profile a session acts for.
-- Times are milliseconds since 1970-01-01 UTC; booleans are 0/1.
CREATE TABLE organisation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bce TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    vat_subject BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES account (id) ON DELETE SET NULL
);

-- One row per person and organisation: asked (pending), granted (active), refused,
-- revoked or left. Only an active membership lets its account act for the organisation.
CREATE TABLE membership (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    function TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    language TEXT,
    landline TEXT,
    mobile TEXT,
    email TEXT,
    notify_email BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    since BIGINT,
    UNIQUE (organisation_id, account_id)
);
CREATE INDEX membership_account ON membership (account_id, status);

-- Who did what to a membership, shown on the representatives page.
CREATE TABLE membership_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    subject_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    actor_account_id BIGINT REFERENCES account (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    detail TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX membership_event_organisation ON membership_event (organisation_id, created_at);

-- The organisation wizard's answers so far: one draft per account, kept between steps.
CREATE TABLE organisation_draft (
    account_id BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    bce TEXT NOT NULL,
    name TEXT,
    confirmed_kind TEXT,
    vat_subject BIGINT,
    function TEXT,
    updated_at BIGINT NOT NULL
);

-- In-app notifications; the notification centre (a later issue) lists them.
CREATE TABLE notification (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    organisation_id BIGINT REFERENCES organisation (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    link TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notification_account ON notification (account_id, created_at);

-- The profile the session acts for: empty for the citizen profile.
ALTER TABLE session ADD COLUMN active_organisation_id BIGINT;

-- The company register's open data (KBO/BCE), imported by `server import-kbo`: what the
-- wizard prefills when a number is known.
CREATE TABLE kbo_enterprise (
    bce TEXT PRIMARY KEY,
    name TEXT,
    name_rank BIGINT,
    juridical_form TEXT,
    street TEXT,
    house_number TEXT,
    postal_code TEXT,
    city TEXT,
    updated_at BIGINT NOT NULL
);
