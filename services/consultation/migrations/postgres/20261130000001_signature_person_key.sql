-- One signature per person, not per account: identity gives every account verified with the
-- same CIN the same pseudonymous person key (also after an account is deleted). NULL for
-- signers without one (when unverified signers are allowed), which never conflict.
ALTER TABLE petition_signatures ADD COLUMN person_key TEXT;
CREATE UNIQUE INDEX petition_signatures_person ON petition_signatures (petition_id, person_key);
