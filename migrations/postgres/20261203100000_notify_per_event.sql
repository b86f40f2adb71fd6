-- How each kind of event reaches the person: 'email' (by e-mail only), 'in_app' (in the
-- espace only) or 'both'. It replaces the one choice of notification_channel: 'email' (the
-- espace and an e-mail) becomes 'both' everywhere, 'in_app' stays 'in_app' everywhere.
ALTER TABLE account ADD COLUMN notify_status TEXT NOT NULL DEFAULT 'both';
ALTER TABLE account ADD COLUMN notify_documents TEXT NOT NULL DEFAULT 'both';
ALTER TABLE account ADD COLUMN notify_messages TEXT NOT NULL DEFAULT 'both';
ALTER TABLE account ADD COLUMN notify_access TEXT NOT NULL DEFAULT 'both';
UPDATE account SET notify_status = 'in_app', notify_documents = 'in_app',
                   notify_messages = 'in_app', notify_access = 'in_app'
 WHERE notification_channel = 'in_app';
ALTER TABLE account DROP COLUMN notification_channel;
