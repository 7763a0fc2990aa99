-- Accounts hardened (issue 27). Keep in step with the other backend's copy.

-- An organisation's name as it is compared: trimmed, inner spaces collapsed, lower-cased
-- (`server::organisations::name_key`). Written by the server, which also keys the rows
-- made before this column at start-up; unique per kind, so two spellings of one name can
-- never be two organisations, and an invitation cannot join an existing one by typing it.
ALTER TABLE organisations ADD COLUMN name_key TEXT;
CREATE UNIQUE INDEX organisations_name_key ON organisations (kind, name_key);

-- 1 when an administrator disabled the account: only an administrator re-enables it.
ALTER TABLE users ADD COLUMN disabled_by_admin INTEGER NOT NULL DEFAULT 0;

-- Wrong passwords are now counted per account and per client network as well
-- (`auth::server::throttle`): the network is a keyed hash of the address's /64 (IPv6) or
-- the address (IPv4), never the address itself. Rows live for the 15-minute window.
ALTER TABLE sign_in_attempts ADD COLUMN network TEXT NOT NULL DEFAULT '';
CREATE INDEX sign_in_attempts_network ON sign_in_attempts (account, network, at);

-- Limits counted in the database, so every instance holds the same line: password-reset
-- emails per account (`reset`), "that account already exists" answers per inviting
-- coordinator (`invite_exists`). The subject is a hash or an id, never an address.
CREATE TABLE limit_events (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL,
    subject  TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX limit_events_subject ON limit_events (kind, subject, at);
