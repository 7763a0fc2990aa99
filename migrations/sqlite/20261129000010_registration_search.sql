-- Finding a registration by a learner's name, email or reference among a million.
--
-- registration_text: a trigram full-text index (FTS5) of each registration's
-- "given family email reference", its rowid the registration's id, kept by triggers. A
-- search of three or more characters that few registrations match reads its candidates
-- from here instead of testing every row; a search that many match walks the table's
-- order (the index below) and stops at the page's end. See dashboard/server/text.rs.
CREATE VIRTUAL TABLE registration_text USING fts5 (text, tokenize = 'trigram');
INSERT INTO registration_text (rowid, text)
    SELECT id, given_name || ' ' || family_name || ' ' || email_key || ' ' || reference
    FROM registrations;

CREATE TRIGGER registration_text_inserted AFTER INSERT ON registrations
BEGIN
    INSERT INTO registration_text (rowid, text) VALUES (NEW.id,
        NEW.given_name || ' ' || NEW.family_name || ' ' || NEW.email_key || ' ' || NEW.reference);
END;

CREATE TRIGGER registration_text_deleted AFTER DELETE ON registrations
BEGIN
    DELETE FROM registration_text WHERE rowid = OLD.id;
END;

CREATE TRIGGER registration_text_changed
AFTER UPDATE OF given_name, family_name, email_key, reference ON registrations
BEGIN
    UPDATE registration_text SET text =
        NEW.given_name || ' ' || NEW.family_name || ' ' || NEW.email_key || ' ' || NEW.reference
        WHERE rowid = NEW.id;
END;

-- A search many match walks these in name order (with or without a status) and tests each
-- entry's text without reading its row: they carry the searched columns, which also lets
-- the capped count run over an index alone.
DROP INDEX registrations_provider_name;
CREATE INDEX registrations_provider_name ON registrations (provider_org_id,
    LOWER(family_name), LOWER(given_name), id, given_name, family_name, email_key, reference);
CREATE INDEX registrations_provider_status_name ON registrations (provider_org_id, status,
    LOWER(family_name), LOWER(given_name), id, given_name, family_name, email_key, reference);
