-- Group registrations sent by each employer coordinator's account (issue 27), so that the
-- rows an account may send in 24 hours (TOHU_GROUP_ROWS_PER_DAY) are counted in the
-- database and every instance holds it to the same limit. A submission over the limit is
-- kept with refused = 1: it no longer counts, and the provider of the intake it targeted
-- sees it on its overview (provider_org_id as the intake had it then). No learner's data.
-- Keep in step with migrations/postgres.
CREATE TABLE group_submissions (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    employer_org_id INTEGER NOT NULL REFERENCES organisations (id),
    provider_org_id INTEGER REFERENCES organisations (id),
    intake_id       INTEGER NOT NULL REFERENCES intakes (id),
    row_count       INTEGER NOT NULL,
    refused         INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1)),
    at              TEXT NOT NULL
);
CREATE INDEX group_submissions_user ON group_submissions (user_id, at);
CREATE INDEX group_submissions_refused ON group_submissions (provider_org_id, at)
    WHERE refused = 1;
