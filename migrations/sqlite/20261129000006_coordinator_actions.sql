-- Coordinators act on registrations and intakes (SQLite). Keep in step with
-- migrations/postgres.

-- Each event says what kind it is (a status change, a note, an email sent again), why, and
-- which coordinator did it (actor = 'coordinator'); learners and the system have no user.
ALTER TABLE registration_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status'
    CHECK (kind IN ('status', 'note', 'email'));
ALTER TABLE registration_events ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE registration_events ADD COLUMN actor_user_id INTEGER REFERENCES users (id);

-- Set when a coordinator changes an intake: an import then leaves its capacity, dates and
-- state alone. cancelled_at marks an intake the provider called off.
ALTER TABLE intakes ADD COLUMN edited_at TEXT;
ALTER TABLE intakes ADD COLUMN cancelled_at TEXT;

-- What coordinators did that touches many rows at once (exports), for the Privacy Act's
-- "who saw what".
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    at        TEXT NOT NULL
);

CREATE INDEX registrations_created ON registrations (created_at);
