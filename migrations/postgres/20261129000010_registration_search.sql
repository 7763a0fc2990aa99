-- Finding a registration by a learner's name, email or reference among a million
-- (PostgreSQL; migrations/sqlite explains). Here a trigram index on the same text answers
-- the dashboard's LIKE directly, and the planner chooses between it and the table's order.
-- pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX registrations_text ON registrations USING gin (
    LOWER(given_name || ' ' || family_name || ' ' || email_key || ' ' || reference) gin_trgm_ops
);

CREATE INDEX registrations_provider_status_name
    ON registrations (provider_org_id, status, LOWER(family_name), LOWER(given_name), id);
