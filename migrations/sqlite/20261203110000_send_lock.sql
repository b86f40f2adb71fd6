-- One row that every count of the e-mail sending limits takes a lock on (a row lock on
-- PostgreSQL, the write lock on SQLite) for the time of its transaction: two requests
-- counted at once cannot both see the room for one more.
CREATE TABLE send_lock (id INTEGER PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0);
INSERT INTO send_lock (id, n) VALUES (1, 0);
