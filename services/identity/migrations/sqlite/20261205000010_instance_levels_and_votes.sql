-- The territory an instance serves, what it deals with, and how it adopts an opinion.
-- Instances older than levels were all regional.
ALTER TABLE instances ADD COLUMN level TEXT NOT NULL DEFAULT 'regional';
-- A province code of the region file for provincial and communal instances; '' for regional.
ALTER TABLE instances ADD COLUMN province_code TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN remit_ar TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN remit_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN remit_en TEXT NOT NULL DEFAULT '';
-- The vote rule. NULL only in rows older than vote rules, until the service's next start sets
-- the region file's default (`[instance_vote]`), which a migration cannot read.
ALTER TABLE instances ADD COLUMN quorum_percent BIGINT;
-- 'simple', 'two_thirds' or 'absolute'.
ALTER TABLE instances ADD COLUMN majority TEXT;
CREATE INDEX instances_level ON instances (level, province_code, created_at);
