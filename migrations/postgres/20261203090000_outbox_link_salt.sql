-- A queued e-mail whose link carries a token keeps only this salt: the outbox worker derives
-- the token from it and LINK_KEY when it sends the e-mail, so the table holds no token.
ALTER TABLE outbox ADD COLUMN link_salt TEXT;
