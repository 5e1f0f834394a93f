-- A pseudonymous respondent id per survey response: the key staff read free-text answers by.
-- Random, so it links to neither the account nor the response id events carry.
ALTER TABLE responses ADD COLUMN respondent_id TEXT;
UPDATE responses SET respondent_id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX responses_respondent ON responses (respondent_id);
