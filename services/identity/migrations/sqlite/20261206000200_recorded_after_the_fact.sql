-- Associations and memberships imported from the council's records (ImportAssociations,
-- ImportInstanceMembers) rather than registered or added on the platform. 1 when imported.
ALTER TABLE associations ADD COLUMN recorded_after_the_fact INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instance_memberships ADD COLUMN recorded_after_the_fact INTEGER NOT NULL DEFAULT 0;
-- Imports look memberships up by their natural key.
CREATE INDEX instance_memberships_key ON instance_memberships (instance_id, account_id, started_on);
