-- Following a consultation by choice (FollowConsultation) beside following it by taking part,
-- and since when; a person's follows are listed newest first.
ALTER TABLE nt_followers ADD COLUMN by_choice INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nt_followers ADD COLUMN followed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX nt_followers_by_account ON nt_followers (account_id, followed_at, consultation_id);

-- Memberships of the consultative instances, as identity tells them (pseudonymous ids only).
-- An ended membership stays, marked, so an "added" delivered again cannot bring it back.
CREATE TABLE nt_instance_members (
    membership_id TEXT PRIMARY KEY,
    instance_id   TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    ended         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX nt_instance_members_by_instance ON nt_instance_members (instance_id, ended, account_id);

-- News for everyone who chose its kind (a consultation opened): the consumer writes one row,
-- the delivery worker tells the people holding the preference a batch at a time, in account
-- order after `last_account_id`, and marks the row finished after the last batch.
CREATE TABLE nt_broadcasts (
    event_id        TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    subject_type    TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    detail          TEXT NOT NULL,
    occurred_at     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    -- The last account of the batches done; '' before the first.
    last_account_id TEXT NOT NULL DEFAULT '',
    finished_at     BIGINT
);
CREATE INDEX nt_broadcasts_open ON nt_broadcasts (finished_at, created_at);

-- The holders of a preference, in account order, for the broadcasts' batches.
CREATE INDEX nt_preferences_by_kind ON nt_preferences (kind, enabled, account_id);
