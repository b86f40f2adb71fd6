-- When the person was told that this draft, left untouched, would be deleted (a week
-- before it is); saving the draft again clears it.
ALTER TABLE request ADD COLUMN expiry_notice_at BIGINT;
