-- A Forum workshop may be hosted by a training session (of kind forum): contributions to it
-- then come only from the people training recorded as present at that session. '' : none.
ALTER TABLE forum_workshops ADD COLUMN session_id TEXT NOT NULL DEFAULT '';

-- Training's sessions as its events tell them (`training.session.scheduled`): the kind a
-- workshop's session must have.
CREATE TABLE training_sessions (
    session_id TEXT PRIMARY KEY,
    kind       TEXT NOT NULL
);

-- Who training recorded as present at a session, on any day (`training.attendance.recorded`,
-- pseudonymous ids only).
CREATE TABLE training_attendance (
    session_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    PRIMARY KEY (session_id, account_id)
);
CREATE INDEX training_attendance_by_account ON training_attendance (account_id);
