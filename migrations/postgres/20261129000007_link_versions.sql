-- Emailed links are derived from a server secret, the row's id and its link version, and
-- never stored; bumping the version revokes every link of that row. New registrations
-- leave token_hash empty (older ones keep theirs, and their links keep working).
ALTER TABLE registrations ADD COLUMN link_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN link_version BIGINT NOT NULL DEFAULT 1;
