-- The dashboard at a million registrations (PostgreSQL). Keep in step with migrations/sqlite,
-- whose copy explains the columns, tallies and triggers.

ALTER TABLE registrations ADD COLUMN provider_org_id BIGINT REFERENCES organisations (id);
UPDATE registrations SET provider_org_id =
    (SELECT i.provider_org_id FROM intakes i WHERE i.id = registrations.intake_id);

CREATE INDEX registrations_provider ON registrations (provider_org_id, id);
CREATE INDEX registrations_provider_status ON registrations (provider_org_id, status, id);
CREATE INDEX registrations_provider_name
    ON registrations (provider_org_id, LOWER(family_name), LOWER(given_name), id);
CREATE INDEX registrations_provider_created ON registrations (provider_org_id, created_at);
DROP INDEX registrations_created;

CREATE TABLE registration_days (
    provider_org_id  BIGINT NOT NULL,
    employer_org_id  BIGINT NOT NULL,
    day              TEXT NOT NULL,
    tally            BIGINT NOT NULL,
    PRIMARY KEY (provider_org_id, employer_org_id, day)
);
INSERT INTO registration_days (provider_org_id, employer_org_id, day, tally)
    SELECT COALESCE(provider_org_id, 0), COALESCE(employer_org_id, 0), SUBSTR(created_at, 1, 10),
           COUNT(*)
    FROM registrations GROUP BY 1, 2, 3;
CREATE INDEX registration_days_employer ON registration_days (employer_org_id, day);

CREATE TABLE intake_tallies (
    intake_id        BIGINT NOT NULL REFERENCES intakes (id),
    employer_org_id  BIGINT NOT NULL,
    status           TEXT NOT NULL,
    provider_org_id  BIGINT NOT NULL,
    sector_id        BIGINT NOT NULL,
    tally            BIGINT NOT NULL,
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

-- A registration written without a provider takes its intake's.
CREATE FUNCTION registrations_provider() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.provider_org_id IS NULL OR (TG_OP = 'UPDATE' AND NEW.intake_id <> OLD.intake_id) THEN
        SELECT i.provider_org_id INTO NEW.provider_org_id FROM intakes i WHERE i.id = NEW.intake_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER registrations_provider BEFORE INSERT OR UPDATE OF intake_id ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_provider();

-- The tallies follow every insert, delete and change of a counted column. A status change
-- leaves registration_days alone, so bulk changes never contend for a shared day's row.
CREATE FUNCTION registrations_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    day_moved boolean := TG_OP <> 'UPDATE'
        OR OLD.provider_org_id IS DISTINCT FROM NEW.provider_org_id
        OR OLD.employer_org_id IS DISTINCT FROM NEW.employer_org_id
        OR SUBSTR(OLD.created_at, 1, 10) <> SUBSTR(NEW.created_at, 1, 10);
    tally_moved boolean := TG_OP <> 'UPDATE'
        OR OLD.intake_id <> NEW.intake_id
        OR OLD.employer_org_id IS DISTINCT FROM NEW.employer_org_id
        OR OLD.status <> NEW.status;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF day_moved THEN
            UPDATE registration_days SET tally = tally - 1
                WHERE provider_org_id = COALESCE(OLD.provider_org_id, 0)
                  AND employer_org_id = COALESCE(OLD.employer_org_id, 0)
                  AND day = SUBSTR(OLD.created_at, 1, 10);
        END IF;
        IF tally_moved THEN
            UPDATE intake_tallies SET tally = tally - 1
                WHERE intake_id = OLD.intake_id
                  AND employer_org_id = COALESCE(OLD.employer_org_id, 0)
                  AND status = OLD.status;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF day_moved THEN
            INSERT INTO registration_days (provider_org_id, employer_org_id, day, tally)
                VALUES (COALESCE(NEW.provider_org_id, 0), COALESCE(NEW.employer_org_id, 0),
                        SUBSTR(NEW.created_at, 1, 10), 1)
                ON CONFLICT (provider_org_id, employer_org_id, day)
                DO UPDATE SET tally = registration_days.tally + 1;
        END IF;
        IF tally_moved THEN
            INSERT INTO intake_tallies
                    (intake_id, employer_org_id, status, provider_org_id, sector_id, tally)
                SELECT NEW.intake_id, COALESCE(NEW.employer_org_id, 0), NEW.status,
                       COALESCE(i.provider_org_id, 0), c.sector_id, 1
                FROM intakes i JOIN credentials c ON c.id = i.credential_id
                WHERE i.id = NEW.intake_id
                ON CONFLICT (intake_id, employer_org_id, status)
                DO UPDATE SET tally = intake_tallies.tally + 1;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER registrations_tally
    AFTER INSERT OR DELETE
       OR UPDATE OF provider_org_id, employer_org_id, created_at, intake_id, status
    ON registrations FOR EACH ROW EXECUTE FUNCTION registrations_tally();

CREATE FUNCTION intakes_moved_provider() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registrations SET provider_org_id = NEW.provider_org_id WHERE intake_id = NEW.id;
    UPDATE intake_tallies SET provider_org_id = COALESCE(NEW.provider_org_id, 0)
        WHERE intake_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER intakes_moved_provider AFTER UPDATE OF provider_org_id ON intakes
    FOR EACH ROW WHEN (OLD.provider_org_id IS DISTINCT FROM NEW.provider_org_id)
    EXECUTE FUNCTION intakes_moved_provider();

CREATE FUNCTION intakes_moved_credential() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE intake_tallies
        SET sector_id = (SELECT c.sector_id FROM credentials c WHERE c.id = NEW.credential_id)
        WHERE intake_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER intakes_moved_credential AFTER UPDATE OF credential_id ON intakes
    FOR EACH ROW WHEN (OLD.credential_id IS DISTINCT FROM NEW.credential_id)
    EXECUTE FUNCTION intakes_moved_credential();

CREATE FUNCTION credentials_moved_sector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE intake_tallies SET sector_id = NEW.sector_id
        WHERE intake_id IN (SELECT i.id FROM intakes i WHERE i.credential_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER credentials_moved_sector AFTER UPDATE OF sector_id ON credentials
    FOR EACH ROW WHEN (OLD.sector_id IS DISTINCT FROM NEW.sector_id)
    EXECUTE FUNCTION credentials_moved_sector();
