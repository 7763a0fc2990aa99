-- Hardening the public side (issue 11). Keep in step with the other backend's copy.

-- Who a message goes to, as an email key (`server::email::email_key`): the daily cap per
-- recipient counts these rows, in the database, so it holds across instances.
ALTER TABLE outbox ADD COLUMN recipient_key TEXT NOT NULL DEFAULT '';
UPDATE outbox SET recipient_key = LOWER(TRIM(recipient));
CREATE INDEX outbox_recipient ON outbox (recipient_key, created_at);
-- Set when the worker stops trying (too many attempts, or an address no server accepts):
-- a dead letter, left for an operator to read, never sent.
ALTER TABLE outbox ADD COLUMN given_up_at TEXT;

-- The privacy statement the learner agreed to (its version), kept with their consent, and
-- when their personal details were removed (retention, or an erasure request).
ALTER TABLE registrations ADD COLUMN privacy_version TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN anonymised_at TEXT;
-- Active registrations per email, across intakes (the per-email cap), and a person's rows
-- for `tohu privacy export|erase`.
CREATE INDEX registrations_email ON registrations (email_key, status);
