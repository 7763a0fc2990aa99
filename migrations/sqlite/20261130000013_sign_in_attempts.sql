-- Sign-in attempts per account, counted in the database so that every instance holds an
-- account to the same limit (issue 14: several instances behind a load balancer). The
-- account is the SHA-256 of its email key, never the address itself; rows older than the
-- window are deleted hourly.
CREATE TABLE sign_in_attempts (
    id      INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX sign_in_attempts_account ON sign_in_attempts (account, at);
