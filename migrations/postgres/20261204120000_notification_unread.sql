-- The notification bell's count, read with the session on every page (issue 17): only the
-- unread rows are in this index.
CREATE INDEX notification_unread ON notification (account_id) WHERE read_at IS NULL;
