-- The consultation service's tables. Ids are UUID text, instants unix milliseconds, flags 0/1,
-- dates YYYY-MM-DD text, lists of codes JSON text.

CREATE TABLE consultations (
    consultation_id TEXT PRIMARY KEY,
    title_ar        TEXT NOT NULL,
    title_fr        TEXT NOT NULL,
    title_en        TEXT NOT NULL,
    body_ar         TEXT NOT NULL,
    body_fr         TEXT NOT NULL,
    body_en         TEXT NOT NULL,
    organizer_kind  TEXT NOT NULL,
    instance_id     TEXT,
    audience        TEXT NOT NULL,
    province_codes  TEXT NOT NULL,
    status          TEXT NOT NULL,
    opens_at        INTEGER,
    closes_at       INTEGER,
    synthesis_ar    TEXT NOT NULL DEFAULT '',
    synthesis_fr    TEXT NOT NULL DEFAULT '',
    synthesis_en    TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    answered_at     INTEGER
);
CREATE INDEX consultations_status ON consultations (status, created_at);

CREATE TABLE questions (
    question_id     TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (consultation_id),
    position        INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    prompt_ar       TEXT NOT NULL,
    prompt_fr       TEXT NOT NULL,
    prompt_en       TEXT NOT NULL,
    options_json    TEXT NOT NULL,
    scale_min       INTEGER NOT NULL,
    scale_max       INTEGER NOT NULL,
    required        INTEGER NOT NULL,
    UNIQUE (consultation_id, position)
);

-- One response per account and consultation; answers are replaced while the consultation is open.
CREATE TABLE responses (
    response_id     TEXT PRIMARY KEY,
    consultation_id TEXT NOT NULL REFERENCES consultations (consultation_id),
    account_id      TEXT NOT NULL,
    submitted_at    INTEGER NOT NULL,
    UNIQUE (consultation_id, account_id)
);

-- One row per chosen option, scale value or text.
CREATE TABLE response_answers (
    response_id     TEXT NOT NULL REFERENCES responses (response_id),
    consultation_id TEXT NOT NULL,
    question_id     TEXT NOT NULL,
    option_index    INTEGER,
    scale_value     INTEGER,
    answer_text     TEXT
);
CREATE INDEX response_answers_response ON response_answers (response_id);
CREATE INDEX response_answers_question ON response_answers (consultation_id, question_id);

CREATE TABLE proposals (
    proposal_id       TEXT PRIMARY KEY,
    consultation_id   TEXT NOT NULL REFERENCES consultations (consultation_id),
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    author_id         TEXT NOT NULL,
    association_id    TEXT,
    supports          INTEGER NOT NULL DEFAULT 0,
    study_required    INTEGER NOT NULL DEFAULT 0,
    study_required_at INTEGER,
    answer            TEXT,
    answer_reasons    TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    answered_at       INTEGER
);
CREATE INDEX proposals_consultation ON proposals (consultation_id, created_at);

CREATE TABLE supports (
    proposal_id TEXT NOT NULL REFERENCES proposals (proposal_id),
    account_id  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, account_id)
);

CREATE TABLE comments (
    comment_id        TEXT PRIMARY KEY,
    consultation_id   TEXT NOT NULL REFERENCES consultations (consultation_id),
    proposal_id       TEXT,
    parent_comment_id TEXT,
    author_id         TEXT NOT NULL,
    body              TEXT NOT NULL,
    hidden            INTEGER NOT NULL DEFAULT 0,
    hidden_reason     TEXT NOT NULL DEFAULT '',
    reports           INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);
CREATE INDEX comments_consultation ON comments (consultation_id, created_at);

CREATE TABLE comment_reports (
    comment_id TEXT NOT NULL REFERENCES comments (comment_id),
    account_id TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, account_id)
);

CREATE TABLE opinions (
    opinion_id      TEXT PRIMARY KEY,
    instance_id     TEXT NOT NULL,
    matter          TEXT NOT NULL,
    referral        TEXT NOT NULL,
    consultation_id TEXT,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    adopted_at      INTEGER
);
CREATE INDEX opinions_instance ON opinions (instance_id, created_at);

CREATE TABLE recommendations (
    recommendation_id TEXT PRIMARY KEY,
    opinion_id        TEXT NOT NULL REFERENCES opinions (opinion_id),
    position          INTEGER NOT NULL,
    text              TEXT NOT NULL,
    answer            TEXT,
    answer_reasons    TEXT NOT NULL DEFAULT '',
    follow_up         TEXT NOT NULL,
    follow_up_note    TEXT NOT NULL DEFAULT '',
    answered_at       INTEGER
);
CREATE INDEX recommendations_opinion ON recommendations (opinion_id, position);

CREATE TABLE forum_editions (
    edition_id TEXT PRIMARY KEY,
    year       INTEGER NOT NULL,
    title_ar   TEXT NOT NULL,
    title_fr   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE forum_themes (
    theme_id   TEXT PRIMARY KEY,
    edition_id TEXT NOT NULL REFERENCES forum_editions (edition_id),
    title_ar   TEXT NOT NULL,
    title_fr   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE forum_workshops (
    workshop_id   TEXT PRIMARY KEY,
    theme_id      TEXT NOT NULL REFERENCES forum_themes (theme_id),
    title_ar      TEXT NOT NULL,
    title_fr      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    province_code TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE forum_contributions (
    contribution_id TEXT PRIMARY KEY,
    workshop_id     TEXT NOT NULL REFERENCES forum_workshops (workshop_id),
    author_id       TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE forum_recommendations (
    forum_recommendation_id TEXT PRIMARY KEY,
    workshop_id             TEXT NOT NULL REFERENCES forum_workshops (workshop_id),
    text                    TEXT NOT NULL,
    created_at              INTEGER NOT NULL
);

CREATE TABLE petitions (
    petition_id       TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    title             TEXT NOT NULL,
    object            TEXT NOT NULL,
    subject_field     TEXT NOT NULL,
    agent_id          TEXT NOT NULL,
    association_id    TEXT,
    status            TEXT NOT NULL,
    receipt_number    TEXT UNIQUE,
    deposited_at      INTEGER,
    answer_due_at     INTEGER,
    session           TEXT NOT NULL DEFAULT '',
    rejection_reasons TEXT NOT NULL DEFAULT '',
    answered_at       INTEGER,
    late              INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);
CREATE INDEX petitions_status ON petitions (status, created_at);

-- Personal data: who signed. Readable only by staff.
CREATE TABLE petition_signatures (
    petition_id          TEXT NOT NULL REFERENCES petitions (petition_id),
    account_id           TEXT NOT NULL,
    province_code        TEXT NOT NULL,
    by_declared_activity INTEGER NOT NULL,
    signed_at            INTEGER NOT NULL,
    PRIMARY KEY (petition_id, account_id)
);

-- Numbered sequences (petition receipts per year).
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

-- The audit log is the runtime's (libs/runtime), shared by every service.
