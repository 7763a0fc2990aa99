-- Coordinators keep the catalogue in the dashboard (issue 32). Keep in step with
-- migrations/postgres.

-- NZQA's listing rules name a credential's field of study (its six-digit NZSCED code) and
-- the date of its next review; both optional, in the seed format, the export and the API.
ALTER TABLE credentials ADD COLUMN nzsced_code TEXT;
ALTER TABLE credentials ADD COLUMN review_on TEXT;

-- edited_revision: the catalogue revision of the record's last change in the dashboard
-- (NULL when only imports wrote it). An import of a file exported at revision R leaves alone
-- every record edited after R. row_version moves with every write of the row, so an edit
-- made on a stale copy is refused (409) instead of overwriting someone else's.
ALTER TABLE sectors ADD COLUMN edited_revision INTEGER;
ALTER TABLE sectors ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE funding_schemes ADD COLUMN edited_revision INTEGER;
ALTER TABLE funding_schemes ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE unit_standards ADD COLUMN edited_revision INTEGER;
ALTER TABLE unit_standards ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE credentials ADD COLUMN edited_revision INTEGER;
ALTER TABLE credentials ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE intakes ADD COLUMN edited_revision INTEGER;
ALTER TABLE intakes ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
-- Intakes a coordinator already changed count as edited at the current revision.
UPDATE intakes SET edited_revision = (SELECT revision FROM catalogue_revision WHERE id = 1)
WHERE edited_at IS NOT NULL;

-- Every write to the catalogue from the dashboard, and every import: who, when, which
-- record (by its natural key), and the record before and after as JSON. An administrator
-- reads a record's history on its edit page.
CREATE TABLE catalogue_changes (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER REFERENCES users (id),
    entity      TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX catalogue_changes_record ON catalogue_changes (entity, record_key, id);
