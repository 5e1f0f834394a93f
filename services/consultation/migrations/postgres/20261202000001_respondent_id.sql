-- A pseudonymous respondent id per survey response: the key staff read free-text answers by.
-- Random, so it links to neither the account nor the response id events carry.
ALTER TABLE responses ADD COLUMN respondent_id TEXT;
UPDATE responses SET respondent_id = gen_random_uuid()::text;
CREATE UNIQUE INDEX responses_respondent ON responses (respondent_id);
