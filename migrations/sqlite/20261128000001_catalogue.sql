-- Catalogue schema (SQLite). Keep in step with migrations/postgres: same tables, same columns.
-- Dates are ISO-8601 text (YYYY-MM-DD), money is integer cents, flags are 0/1 integers,
-- so one set of queries runs on both backends through sqlx's Any driver.

CREATE TABLE sectors (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE credentials (
    id                   INTEGER PRIMARY KEY,
    slug                 TEXT NOT NULL UNIQUE,
    nzqa_ref             INTEGER,
    nzqa_version         INTEGER,
    title                TEXT NOT NULL,
    summary              TEXT NOT NULL,
    purpose              TEXT NOT NULL,
    outcomes             TEXT NOT NULL,
    education_pathway    TEXT NOT NULL DEFAULT '',
    employment_pathway   TEXT NOT NULL DEFAULT '',
    entry_requirements   TEXT NOT NULL,
    level                INTEGER NOT NULL CHECK (level BETWEEN 1 AND 10),
    credits              INTEGER NOT NULL CHECK (credits BETWEEN 1 AND 40),
    status               TEXT NOT NULL CHECK (status IN ('current', 'expiring', 'discontinued')),
    delivery_modes       TEXT NOT NULL DEFAULT '',
    developer            TEXT NOT NULL DEFAULT '',
    source_url           TEXT,
    data_note            TEXT NOT NULL DEFAULT '',
    sector_id            INTEGER NOT NULL REFERENCES sectors (id),
    search_text          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX credentials_sector ON credentials (sector_id);

CREATE TABLE unit_standards (
    id        INTEGER PRIMARY KEY,
    number    INTEGER NOT NULL UNIQUE,
    version   INTEGER,
    title     TEXT NOT NULL,
    level     INTEGER CHECK (level BETWEEN 1 AND 10),
    credits   INTEGER CHECK (credits > 0),
    domain    TEXT NOT NULL DEFAULT '',
    source_url TEXT
);

CREATE TABLE credential_standards (
    credential_id     INTEGER NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    unit_standard_id  INTEGER NOT NULL REFERENCES unit_standards (id),
    position          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (credential_id, unit_standard_id)
);
CREATE INDEX credential_standards_standard ON credential_standards (unit_standard_id);

CREATE TABLE intakes (
    id                 INTEGER PRIMARY KEY,
    credential_id      INTEGER NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    code               TEXT NOT NULL,
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL,
    enrolment_opens_on TEXT NOT NULL,
    enrolment_closes_on TEXT NOT NULL,
    region             TEXT NOT NULL,
    delivery_mode      TEXT NOT NULL CHECK (delivery_mode IN ('on-job', 'workshop', 'online', 'blended')),
    provider           TEXT NOT NULL DEFAULT '',
    fee_cents          INTEGER NOT NULL CHECK (fee_cents >= 0),
    capacity           INTEGER NOT NULL CHECK (capacity >= 0),
    waitlist_capacity  INTEGER NOT NULL DEFAULT 0 CHECK (waitlist_capacity >= 0),
    seats_taken        INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    UNIQUE (credential_id, code)
);
CREATE INDEX intakes_starts_on ON intakes (starts_on);

CREATE TABLE funding_schemes (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    source_url  TEXT
);

CREATE TABLE credential_funding (
    credential_id     INTEGER NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    funding_scheme_id INTEGER NOT NULL REFERENCES funding_schemes (id),
    eligible          INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    note              TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (credential_id, funding_scheme_id)
);
