-- News told to an audience (a petition's signers and agent, a session's participants, an
-- instance's members, a consultation's followers), kept so that someone the service learns of
-- late is still told what happened after they joined. Events reach the service out of order:
-- two replicas share a consumer, each producer's stream is read apart, and what a stopped
-- process held comes back after what was never delivered.
CREATE TABLE nt_news (
    event_id      TEXT PRIMARY KEY,
    -- 'petition', 'session', 'instance' or 'consultation', and its id.
    audience_type TEXT NOT NULL,
    audience_id   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    detail        TEXT NOT NULL,
    occurred_at   BIGINT NOT NULL
);
CREATE INDEX nt_news_by_audience ON nt_news (audience_type, audience_id, occurred_at);

-- One row per audience, locked by the transaction that tells it news and by the one that adds
-- someone to it, so that one of the two always sees the other's write.
CREATE TABLE nt_audiences (
    audience_type TEXT NOT NULL,
    audience_id   TEXT NOT NULL,
    PRIMARY KEY (audience_type, audience_id)
);
