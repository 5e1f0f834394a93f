-- Messages sent by email and SMS: one row per person, event and channel, whatever the
-- redeliveries of the event. The delivery worker claims the due rows, asks identity where to
-- send, sends and records the outcome.
CREATE TABLE nt_deliveries (
    delivery_id  TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    -- 'email' or 'sms'.
    channel      TEXT NOT NULL,
    -- A kind of notification, 'password_changed', or identity's 'verify_contact' /
    -- 'reset_password' (which carry a secret fetched from identity at sending time).
    kind         TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    detail       TEXT NOT NULL,
    -- identity's request (verify_contact, reset_password); empty for notifications.
    request_id   TEXT NOT NULL,
    -- When identity's request stops being valid (unix ms); 0 when it never does.
    expires_at   BIGINT NOT NULL,
    -- When the event happened and when the row was written (unix ms).
    occurred_at  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    -- 'pending' (waiting or claimed), 'sending' (committed before the transport is called: a
    -- row left so after a crash is never sent again), 'sent', 'skipped' (nobody to send to) or
    -- 'dead' (given up, `reason` says why).
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    -- When a pending row may be claimed; a claimed row's lease ends then.
    due_at       BIGINT NOT NULL,
    -- The worker holding a pending row's lease, or the row being sent.
    lease_owner  TEXT,
    -- The message the row goes out in (several rows share it in a digest).
    message_id   TEXT,
    -- When it went 'sending', and when it ended sent, skipped or dead.
    sending_at   BIGINT,
    finished_at  BIGINT,
    -- Why it is waiting again, skipped or dead; never an address, a secret or a name.
    reason       TEXT,
    UNIQUE (event_id, account_id, channel)
);
CREATE INDEX nt_deliveries_due ON nt_deliveries (state, due_at);
CREATE INDEX nt_deliveries_by_person ON nt_deliveries (account_id, channel, state, finished_at);
