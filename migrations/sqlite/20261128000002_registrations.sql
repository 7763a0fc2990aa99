-- Registrations (SQLite). Keep in step with migrations/postgres.
-- intakes.seats_taken counts confirmed registrations; it is changed only inside the same
-- transaction that changes a registration's status, after that transaction has locked the
-- intake row, so it always equals the rows.

CREATE TABLE registrations (
    id                INTEGER PRIMARY KEY,
    intake_id         INTEGER NOT NULL REFERENCES intakes (id),
    reference         TEXT NOT NULL UNIQUE,
    token_hash        TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'withdrawn', 'completed')),
    given_name        TEXT NOT NULL,
    family_name       TEXT NOT NULL,
    email             TEXT NOT NULL,
    email_key         TEXT NOT NULL,
    phone             TEXT NOT NULL,
    employer          TEXT,
    region            TEXT NOT NULL,
    nsn               TEXT,
    date_of_birth     TEXT NOT NULL,
    consented_at      TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
-- One active registration per email per intake (cancelled and withdrawn ones do not count).
CREATE UNIQUE INDEX registrations_one_active_per_email
    ON registrations (intake_id, email_key)
    WHERE status IN ('pending', 'confirmed', 'waitlisted');
CREATE INDEX registrations_intake_status ON registrations (intake_id, status, id);

CREATE TABLE registration_events (
    id               INTEGER PRIMARY KEY,
    registration_id  INTEGER NOT NULL REFERENCES registrations (id),
    from_status      TEXT,
    to_status        TEXT NOT NULL,
    actor            TEXT NOT NULL,
    at               TEXT NOT NULL
);
CREATE INDEX registration_events_registration ON registration_events (registration_id);

-- Transactional outbox: written in the same transaction as the change it reports.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    dedupe_key       TEXT NOT NULL UNIQUE,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
