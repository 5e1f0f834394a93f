-- Adoption by vote. Each member of the instance votes once on a draft (for, against, abstain)
-- and may change the vote until a member closes it; the vote is then counted against the
-- instance's rule.
CREATE TABLE opinion_votes (
    opinion_id TEXT NOT NULL REFERENCES opinions (opinion_id),
    -- Pseudonymous; replaced by a random id when the account is deleted (the vote stays counted).
    account_id TEXT NOT NULL,
    -- 'for', 'against' or 'abstain'.
    choice TEXT NOT NULL,
    cast_at INTEGER NOT NULL,
    PRIMARY KEY (opinion_id, account_id)
);

-- What the vote was counted against when the opinion was adopted: the instance's members then
-- and its rule. NULL for drafts, and for opinions adopted before votes (by one member alone).
ALTER TABLE opinions ADD COLUMN members_at_close INTEGER;
ALTER TABLE opinions ADD COLUMN quorum_percent INTEGER;
ALTER TABLE opinions ADD COLUMN majority TEXT;

-- Each instance's vote rule, as identity's instance events last described it.
CREATE TABLE instance_rules (
    instance_id TEXT PRIMARY KEY,
    -- 0 and '' when the event predates vote rules: the region file's default applies.
    quorum_percent INTEGER NOT NULL,
    majority TEXT NOT NULL
);

-- Instance memberships from identity's events, to count each instance's current members.
-- Days are YYYY-MM-DD at the region's venues; ended_on is excluded.
CREATE TABLE instance_seats (
    membership_id TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT
);
CREATE INDEX instance_seats_instance ON instance_seats (instance_id);
