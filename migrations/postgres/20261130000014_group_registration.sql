-- Group registration by an employer's coordinator (issue 10): the coordinator attests each
-- learner's consent, so the registration keeps who gave it (NULL: the learner themselves).
ALTER TABLE registrations ADD COLUMN consented_by_user_id BIGINT REFERENCES users (id);

-- Employer coordinators invited by a provider's coordinator: the provider's organisation,
-- so its coordinators see and can disable the accounts they invited (admins see all).
ALTER TABLE users ADD COLUMN invited_by_org_id BIGINT REFERENCES organisations (id);
