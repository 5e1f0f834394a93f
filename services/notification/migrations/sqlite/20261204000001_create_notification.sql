-- The notification service's tables: what it remembers of the other services' events to know
-- whom to tell (pseudonymous ids only), the inbox, and each person's preferences.

-- Every account a message was meant for, and whether it was deleted: a message and the
-- erasure of a deleted account lock the same row, so none lands after the erasure.
CREATE TABLE nt_accounts (
    account_id TEXT PRIMARY KEY,
    deleted    INTEGER NOT NULL DEFAULT 0
);

-- People who took part in a consultation (responded, proposed, supported or commented): told
-- when it closes or is answered.
CREATE TABLE nt_followers (
    consultation_id TEXT NOT NULL,
    account_id      TEXT NOT NULL,
    PRIMARY KEY (consultation_id, account_id)
);

-- Signers of a petition (a withdrawn signature removes the row) and its agent.
CREATE TABLE nt_signers (
    petition_id TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    PRIMARY KEY (petition_id, account_id)
);
CREATE TABLE nt_petition_agents (
    petition_id TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL
);

-- Registrations for sessions, with their latest status (confirmed, waitlisted, cancelled).
CREATE TABLE nt_registrations (
    registration_id TEXT PRIMARY KEY,
    session_id      TEXT NOT NULL,
    account_id      TEXT NOT NULL,
    status          TEXT NOT NULL
);
CREATE INDEX nt_registrations_by_session ON nt_registrations (session_id);

-- The inbox: one message per person and event, whatever the redeliveries.
CREATE TABLE nt_notifications (
    notification_id TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    subject_type    TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    detail          TEXT NOT NULL,
    -- When what it tells of happened, and when it was recorded (unix ms).
    occurred_at     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    read_at         BIGINT,
    UNIQUE (event_id, account_id)
);
CREATE INDEX nt_notifications_by_account ON nt_notifications (account_id, occurred_at, notification_id);

-- Preferences a person set; a channel and kind without a row has its default.
CREATE TABLE nt_preferences (
    account_id TEXT NOT NULL,
    channel    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    enabled    INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, channel, kind)
);
