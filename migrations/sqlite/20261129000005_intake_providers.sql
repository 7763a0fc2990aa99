-- Each intake's provider becomes a reference to a provider organisation (SQLite). Keep in
-- step with migrations/postgres. Expand step: the provider's name stays in intakes.provider
-- for display until the pages read it from organisations.

ALTER TABLE intakes ADD COLUMN provider_org_id INTEGER REFERENCES organisations (id);

INSERT INTO organisations (name, kind, created_at)
    SELECT DISTINCT provider, 'provider', '2026-11-29T00:00:00Z' FROM intakes WHERE provider <> ''
    ON CONFLICT (kind, name) DO NOTHING;

UPDATE intakes SET provider_org_id =
    (SELECT o.id FROM organisations o WHERE o.kind = 'provider' AND o.name = intakes.provider);

CREATE INDEX intakes_provider_org ON intakes (provider_org_id);
CREATE INDEX registrations_employer_org ON registrations (employer_org_id);
