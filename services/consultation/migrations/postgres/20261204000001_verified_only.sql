-- Whether only verified people may answer, propose and support in a consultation (1) or any
-- signed-in account (0). Existing consultations keep what they allowed.
ALTER TABLE consultations ADD COLUMN verified_only BIGINT NOT NULL DEFAULT 0;
