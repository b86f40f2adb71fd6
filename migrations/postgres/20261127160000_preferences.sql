-- Préférences: the profile active right after sign-in (empty: the citizen profile) and how
-- notifications reach the person ('email', or 'in_app': only in the espace).
ALTER TABLE account ADD COLUMN default_organisation_id BIGINT REFERENCES organisation (id) ON DELETE SET NULL;
ALTER TABLE account ADD COLUMN notification_channel TEXT NOT NULL DEFAULT 'email';
