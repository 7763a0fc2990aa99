-- Open Badges 3.0 credentials issued on completion (issue 31). Keep in step with
-- migrations/postgres.
--
-- An organisation's permanent public id names its issuer profile (/issuers/{public_id}) in
-- every credential it issues, so it never changes, even when the name does. `sample` marks a
-- demonstration provider: its profile says so.
ALTER TABLE organisations ADD COLUMN public_id TEXT;
UPDATE organisations SET public_id = lower(
    hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
    || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2)
    || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX organisations_public_id ON organisations (public_id);
ALTER TABLE organisations ADD COLUMN sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1));

-- Whether a credential's unit standards are verified from a public source; where they are
-- sample data a credential leaves its alignments out.
ALTER TABLE credentials ADD COLUMN standards_verified INTEGER NOT NULL DEFAULT 0
    CHECK (standards_verified IN (0, 1));

-- A Bitstring Status List (131,072 entries) of one issuer: /status-lists/{id}.
CREATE TABLE status_lists (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    created_at       TEXT NOT NULL
);
CREATE INDEX status_lists_organisation ON status_lists (organisation_id);

-- The credential of a completed registration (one active at a time: an undone completion
-- revokes its credential, and completing again issues a new one). Nothing signed is stored:
-- the credential is built again from this row (the achievement as it was at completion, the
-- salt of the email hash, the key that signed it), so every download is the same bytes.
-- `reported_at`: when the provider marked it reported to NZQA.
CREATE TABLE issued_credentials (
    id               TEXT PRIMARY KEY,
    registration_id  INTEGER NOT NULL REFERENCES registrations (id),
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    achieved_on      TEXT NOT NULL,
    issued_at        TEXT NOT NULL,
    key_id           TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    email_salt       TEXT NOT NULL,
    status_list_id   INTEGER NOT NULL REFERENCES status_lists (id),
    status_index     INTEGER NOT NULL,
    achievement      TEXT NOT NULL,
    revoked_at       TEXT,
    revoked_reason   TEXT,
    reported_at      TEXT,
    UNIQUE (status_list_id, status_index)
);
CREATE UNIQUE INDEX issued_credentials_active ON issued_credentials (registration_id)
    WHERE status = 'active';
CREATE INDEX issued_credentials_registration ON issued_credentials (registration_id);
