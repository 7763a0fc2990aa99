-- Organisations, coordinator accounts and their sessions (SQLite). Keep in step with
-- migrations/postgres.

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('provider', 'employer')),
    nzbn        TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, name)
);

-- role: admin (everything), provider (the intakes of their organisation), employer (the
-- registrations their organisation made). Only admins have no organisation.
CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    email            TEXT NOT NULL,
    email_key        TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    password_hash    TEXT,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'provider', 'employer')),
    organisation_id  INTEGER REFERENCES organisations (id),
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    CHECK ((role = 'admin') = (organisation_id IS NULL))
);

-- Server-side sessions. The key is the SHA-256 of the cookie's session id, so a copy of
-- this table signs nobody in; expires_at is Unix seconds.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Set only by an employer coordinator's group registration, never from a learner's form.
ALTER TABLE registrations ADD COLUMN employer_org_id INTEGER REFERENCES organisations (id);
