-- Search moved to an in-memory index built from these tables (src/server/search). Every app
-- instance rebuilds its index when the catalogue revision changes; an import bumps it.
CREATE TABLE catalogue_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  BIGINT NOT NULL
);
INSERT INTO catalogue_revision (id, revision) VALUES (1, 1);

-- The folded LIKE text the index replaces.
ALTER TABLE credentials DROP COLUMN search_text;
