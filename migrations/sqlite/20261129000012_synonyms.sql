-- Search synonyms (issue 13): groups of terms that mean the same to learners, loaded by
-- `tohu import` from seed/synonyms.toml and replaced whole at each import, so that every
-- instance's search index expands queries the same way. Terms are stored as typed in the
-- file; the index folds them as it folds everything else.
CREATE TABLE synonyms (
    group_no  INTEGER NOT NULL,
    term      TEXT NOT NULL,
    PRIMARY KEY (group_no, term)
);
