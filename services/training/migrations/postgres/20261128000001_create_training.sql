-- Programs: what a series of sessions is for, and the commitment milestone it serves.
CREATE TABLE programs (
    program_id TEXT PRIMARY KEY,
    title_ar TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    objectives_ar TEXT NOT NULL,
    objectives_fr TEXT NOT NULL,
    objectives_en TEXT NOT NULL,
    -- JSON arrays of spellings.
    audiences TEXT NOT NULL,
    milestone_ref TEXT NOT NULL,
    province_codes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX programs_milestone ON programs (milestone_ref, created_at);

-- Sessions and events. The row is the lock every registration change takes, so the seat count
-- (confirmed_count) and the arrival counter (registration_seq) never race.
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY,
    program_id TEXT NOT NULL REFERENCES programs (program_id),
    kind TEXT NOT NULL,
    title_ar TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    -- JSON array of YYYY-MM-DD, sorted.
    days TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    province_code TEXT NOT NULL,
    address TEXT NOT NULL,
    online_url TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    confirmed_count INTEGER NOT NULL DEFAULT 0,
    registration_seq BIGINT NOT NULL DEFAULT 0,
    -- Whether the last registration took a seat; set by the same statement that counts it.
    last_took_seat INTEGER NOT NULL DEFAULT 0,
    registration_opens_at BIGINT NOT NULL,
    registration_closes_at BIGINT NOT NULL,
    facilitators TEXT NOT NULL,
    materials TEXT NOT NULL,
    eligibility TEXT NOT NULL,
    attendance_threshold_percent INTEGER NOT NULL,
    status TEXT NOT NULL,
    cancel_reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (confirmed_count <= capacity)
);
CREATE INDEX sessions_program ON sessions (program_id, first_day);
CREATE INDEX sessions_first_day ON sessions (first_day);

-- One registration per person and session; a cancelled one is reused on a new registration.
-- province_code and actor_kind are the statistical attributes events carry.
CREATE TABLE registrations (
    registration_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (session_id),
    account_id TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Arrival order within the session; the waitlist is served in this order.
    seq BIGINT NOT NULL,
    province_code TEXT NOT NULL,
    actor_kind INTEGER NOT NULL,
    registered_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    UNIQUE (session_id, account_id)
);
CREATE INDEX registrations_queue ON registrations (session_id, status, seq);
CREATE INDEX registrations_account ON registrations (account_id, registered_at);

-- Presence, one row per participant and day.
CREATE TABLE attendance (
    registration_id TEXT NOT NULL REFERENCES registrations (registration_id),
    session_id TEXT NOT NULL,
    day TEXT NOT NULL,
    method TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (registration_id, day)
);
CREATE INDEX attendance_session ON attendance (session_id, day);

-- Short-lived codes shown at the venue, for one session day.
CREATE TABLE check_in_codes (
    session_id TEXT NOT NULL REFERENCES sessions (session_id),
    day TEXT NOT NULL,
    code TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, day, code)
);

-- Wrong codes per participant and day, to stop guessing.
CREATE TABLE check_in_failures (
    registration_id TEXT NOT NULL,
    day TEXT NOT NULL,
    failures INTEGER NOT NULL,
    PRIMARY KEY (registration_id, day)
);

CREATE TABLE evaluations (
    evaluation_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (session_id),
    account_id TEXT NOT NULL,
    registration_id TEXT NOT NULL,
    satisfaction INTEGER NOT NULL,
    comment TEXT NOT NULL,
    pre_test_score INTEGER,
    post_test_score INTEGER,
    submitted_at BIGINT NOT NULL,
    UNIQUE (session_id, account_id)
);

-- holder_name is the only personal data of this service: kept here, never in events or logs.
CREATE TABLE certificates (
    certificate_id TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL UNIQUE REFERENCES registrations (registration_id),
    session_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    verification_code TEXT NOT NULL UNIQUE,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL
);
