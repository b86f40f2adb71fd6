-- Requests that send an e-mail at a visitor's request (registration, a new confirmation
-- link, a forgotten password, a change of address), counted per address, per client IP and
-- in all over the last hour (backend::sending). Rows older than an hour are deleted as new
-- ones come.
CREATE TABLE send_request (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL,
    ip TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX send_request_created ON send_request (created_at);
