-- The dashboard at a million registrations (issue 9's benchmark).
--
-- 1. Each registration carries its intake's provider, so a coordinator's scoped query reads
--    one table's indexes instead of joining every registration to its intake first. The
--    triggers below keep it equal to the intake's provider whatever writes the row, and an
--    intake that moves to another provider takes its registrations along.
-- 2. Two running tallies, kept by triggers in the writing transaction, answer the overview
--    and the table's totals without counting registrations:
--    registration_days: registrations made per provider, employer and UTC day (never changes
--      with status, so a status change touches no shared row);
--    intake_tallies: registrations per intake, employer and status, with the intake's provider
--      and its credential's sector copied in (and moved when those change), so a provider's
--      counts are one index range (touched only by writes to that intake's registrations,
--      which already hold the intake's lock).
--    Organisation 0 stands for "none" (an intake without a provider, a learner's own
--    registration), so both keys are plain columns.

ALTER TABLE registrations ADD COLUMN provider_org_id INTEGER REFERENCES organisations (id);
UPDATE registrations SET provider_org_id =
    (SELECT i.provider_org_id FROM intakes i WHERE i.id = registrations.intake_id);

CREATE INDEX registrations_provider ON registrations (provider_org_id, id);
CREATE INDEX registrations_provider_status ON registrations (provider_org_id, status, id);
CREATE INDEX registrations_provider_name
    ON registrations (provider_org_id, LOWER(family_name), LOWER(given_name), id);
CREATE INDEX registrations_provider_created ON registrations (provider_org_id, created_at);
DROP INDEX registrations_created;

CREATE TABLE registration_days (
    provider_org_id  INTEGER NOT NULL,
    employer_org_id  INTEGER NOT NULL,
    day              TEXT NOT NULL,
    tally            INTEGER NOT NULL,
    PRIMARY KEY (provider_org_id, employer_org_id, day)
);
INSERT INTO registration_days (provider_org_id, employer_org_id, day, tally)
    SELECT COALESCE(provider_org_id, 0), COALESCE(employer_org_id, 0), SUBSTR(created_at, 1, 10),
           COUNT(*)
    FROM registrations GROUP BY 1, 2, 3;
CREATE INDEX registration_days_employer ON registration_days (employer_org_id, day);

CREATE TABLE intake_tallies (
    intake_id        INTEGER NOT NULL REFERENCES intakes (id),
    employer_org_id  INTEGER NOT NULL,
    status           TEXT NOT NULL,
    provider_org_id  INTEGER NOT NULL,
    sector_id        INTEGER NOT NULL,
    tally            INTEGER NOT NULL,
    PRIMARY KEY (intake_id, employer_org_id, status)
);
INSERT INTO intake_tallies (intake_id, employer_org_id, status, provider_org_id, sector_id, tally)
    SELECT r.intake_id, COALESCE(r.employer_org_id, 0), r.status, COALESCE(i.provider_org_id, 0),
           c.sector_id, COUNT(*)
    FROM registrations r JOIN intakes i ON i.id = r.intake_id
    JOIN credentials c ON c.id = i.credential_id
    GROUP BY r.intake_id, COALESCE(r.employer_org_id, 0), r.status, i.provider_org_id, c.sector_id;
CREATE INDEX intake_tallies_provider ON intake_tallies (provider_org_id, status, sector_id, tally);
CREATE INDEX intake_tallies_employer ON intake_tallies (employer_org_id);
-- The credential filter's choices, in title order.
CREATE INDEX credentials_title ON credentials (title);

-- A new registration: counted (under the provider it was written with, none if it was
-- written without), then given its intake's provider if it has none, which moves the count.
CREATE TRIGGER registrations_inserted AFTER INSERT ON registrations
BEGIN
    INSERT INTO registration_days (provider_org_id, employer_org_id, day, tally)
        VALUES (COALESCE(NEW.provider_org_id, 0), COALESCE(NEW.employer_org_id, 0),
                SUBSTR(NEW.created_at, 1, 10), 1)
        ON CONFLICT (provider_org_id, employer_org_id, day)
        DO UPDATE SET tally = registration_days.tally + 1;
    INSERT INTO intake_tallies (intake_id, employer_org_id, status, provider_org_id, sector_id, tally)
        SELECT NEW.intake_id, COALESCE(NEW.employer_org_id, 0), NEW.status,
               COALESCE(i.provider_org_id, 0), c.sector_id, 1
        FROM intakes i JOIN credentials c ON c.id = i.credential_id WHERE i.id = NEW.intake_id
        ON CONFLICT (intake_id, employer_org_id, status)
        DO UPDATE SET tally = intake_tallies.tally + 1;
    UPDATE registrations
        SET provider_org_id = (SELECT i.provider_org_id FROM intakes i WHERE i.id = NEW.intake_id)
        WHERE id = NEW.id AND NEW.provider_org_id IS NULL;
END;

CREATE TRIGGER registrations_deleted AFTER DELETE ON registrations
BEGIN
    UPDATE registration_days SET tally = tally - 1
        WHERE provider_org_id = COALESCE(OLD.provider_org_id, 0)
          AND employer_org_id = COALESCE(OLD.employer_org_id, 0)
          AND day = SUBSTR(OLD.created_at, 1, 10);
    UPDATE intake_tallies SET tally = tally - 1
        WHERE intake_id = OLD.intake_id AND employer_org_id = COALESCE(OLD.employer_org_id, 0)
          AND status = OLD.status;
END;

CREATE TRIGGER registrations_moved_day
AFTER UPDATE OF provider_org_id, employer_org_id, created_at ON registrations
WHEN OLD.provider_org_id IS NOT NEW.provider_org_id
  OR OLD.employer_org_id IS NOT NEW.employer_org_id
  OR SUBSTR(OLD.created_at, 1, 10) IS NOT SUBSTR(NEW.created_at, 1, 10)
BEGIN
    UPDATE registration_days SET tally = tally - 1
        WHERE provider_org_id = COALESCE(OLD.provider_org_id, 0)
          AND employer_org_id = COALESCE(OLD.employer_org_id, 0)
          AND day = SUBSTR(OLD.created_at, 1, 10);
    INSERT INTO registration_days (provider_org_id, employer_org_id, day, tally)
        VALUES (COALESCE(NEW.provider_org_id, 0), COALESCE(NEW.employer_org_id, 0),
                SUBSTR(NEW.created_at, 1, 10), 1)
        ON CONFLICT (provider_org_id, employer_org_id, day)
        DO UPDATE SET tally = registration_days.tally + 1;
END;

CREATE TRIGGER registrations_moved_tally
AFTER UPDATE OF intake_id, employer_org_id, status ON registrations
WHEN OLD.intake_id IS NOT NEW.intake_id
  OR OLD.employer_org_id IS NOT NEW.employer_org_id
  OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE intake_tallies SET tally = tally - 1
        WHERE intake_id = OLD.intake_id AND employer_org_id = COALESCE(OLD.employer_org_id, 0)
          AND status = OLD.status;
    INSERT INTO intake_tallies (intake_id, employer_org_id, status, provider_org_id, sector_id, tally)
        SELECT NEW.intake_id, COALESCE(NEW.employer_org_id, 0), NEW.status,
               COALESCE(i.provider_org_id, 0), c.sector_id, 1
        FROM intakes i JOIN credentials c ON c.id = i.credential_id WHERE i.id = NEW.intake_id
        ON CONFLICT (intake_id, employer_org_id, status)
        DO UPDATE SET tally = intake_tallies.tally + 1;
    UPDATE registrations
        SET provider_org_id = (SELECT i.provider_org_id FROM intakes i WHERE i.id = NEW.intake_id)
        WHERE id = NEW.id AND OLD.intake_id IS NOT NEW.intake_id;
END;

CREATE TRIGGER intakes_moved_provider AFTER UPDATE OF provider_org_id ON intakes
WHEN OLD.provider_org_id IS NOT NEW.provider_org_id
BEGIN
    UPDATE registrations SET provider_org_id = NEW.provider_org_id WHERE intake_id = NEW.id;
    UPDATE intake_tallies SET provider_org_id = COALESCE(NEW.provider_org_id, 0)
        WHERE intake_id = NEW.id;
END;

CREATE TRIGGER intakes_moved_credential AFTER UPDATE OF credential_id ON intakes
WHEN OLD.credential_id IS NOT NEW.credential_id
BEGIN
    UPDATE intake_tallies
        SET sector_id = (SELECT c.sector_id FROM credentials c WHERE c.id = NEW.credential_id)
        WHERE intake_id = NEW.id;
END;

CREATE TRIGGER credentials_moved_sector AFTER UPDATE OF sector_id ON credentials
WHEN OLD.sector_id IS NOT NEW.sector_id
BEGIN
    UPDATE intake_tallies SET sector_id = NEW.sector_id
        WHERE intake_id IN (SELECT i.id FROM intakes i WHERE i.credential_id = NEW.id);
END;
