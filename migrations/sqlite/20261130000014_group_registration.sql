-- Group registration by an employer's coordinator (issue 10): the coordinator attests each
-- learner's consent, so the registration keeps who gave it (NULL: the learner themselves).
ALTER TABLE registrations ADD COLUMN consented_by_user_id INTEGER REFERENCES users (id);
