-- Read models built from other services' events, and the commitment tracker's own data.

-- One row per pseudonymous account: its statistical attributes, latest event wins.
CREATE TABLE rp_accounts (
    account_id    TEXT PRIMARY KEY,
    province_code TEXT,
    gender        TEXT,
    age_band      TEXT,
    actor_kind    TEXT,
    verified      INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0,
    -- occurred_at of the event that set the profile / the actor kind.
    profile_at    BIGINT NOT NULL DEFAULT 0,
    actor_at      BIGINT NOT NULL DEFAULT 0
);

-- One row per counted thing (a registration, a signature, a session held ...), keyed so that
-- the same thing seen twice is counted once; the value of the latest event wins, the month is
-- that of the first.
CREATE TABLE rp_facts (
    indicator     TEXT NOT NULL,
    subject_key   TEXT NOT NULL,
    month         TEXT NOT NULL,
    first_at      BIGINT NOT NULL,
    last_at       BIGINT NOT NULL,
    account_id    TEXT,
    province_code TEXT,
    actor_kind    TEXT,
    milestone_ref TEXT,
    kind          TEXT,
    value         REAL NOT NULL,
    denominator   REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (indicator, subject_key)
);
CREATE INDEX rp_facts_by_month ON rp_facts (indicator, month);
CREATE INDEX rp_facts_by_milestone ON rp_facts (milestone_ref);

-- Milestone statuses set by staff.
CREATE TABLE rp_milestone_status (
    milestone_id  TEXT PRIMARY KEY,
    status        TEXT NOT NULL,
    justification TEXT NOT NULL,
    set_by        TEXT NOT NULL,
    set_at        BIGINT NOT NULL
);
