-- A consultation's followers are told through broadcasts too (they may be thousands: taking
-- part makes one a follower), so one event may have two: its followers' and the holders' of a
-- preference. The table is rebuilt with the audience in its key (SQLite cannot change a key).
CREATE TABLE nt_broadcasts_by_audience (
    event_id        TEXT NOT NULL,
    -- 'followers' (of the consultation `subject_id`) or 'preference' (holders of `kind`).
    audience        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject_type    TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    detail          TEXT NOT NULL,
    occurred_at     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    -- The last account of the batches done; '' before the first.
    last_account_id TEXT NOT NULL DEFAULT '',
    finished_at     BIGINT,
    PRIMARY KEY (event_id, audience)
);
INSERT INTO nt_broadcasts_by_audience (event_id, audience, kind, subject_type, subject_id,
    detail, occurred_at, created_at, last_account_id, finished_at)
SELECT event_id, 'preference', kind, subject_type, subject_id, detail, occurred_at,
    created_at, last_account_id, finished_at FROM nt_broadcasts;
DROP TABLE nt_broadcasts;
ALTER TABLE nt_broadcasts_by_audience RENAME TO nt_broadcasts;
CREATE INDEX nt_broadcasts_open ON nt_broadcasts (finished_at, created_at);
