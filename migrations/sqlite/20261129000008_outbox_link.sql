-- The link a message carries, named apart from its text ("registration:42",
-- "password:7:1764400000"): the worker signs it into the one `{link}` marker of the body as
-- it sends. Reading links out of the body let typed text (a learner's name) ask for someone
-- else's link.
ALTER TABLE outbox ADD COLUMN link TEXT;
