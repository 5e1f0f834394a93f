-- Events a consumer has applied, written in the same transaction as their effect, so a
-- redelivered event is recognised and skipped.
CREATE TABLE processed_events (
    consumer     TEXT   NOT NULL,
    event_id     TEXT   NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

-- Messages a consumer gave up on (undecodable, rejected by the handler, or out of retries),
-- kept for inspection instead of being redelivered forever.
CREATE TABLE dead_letters (
    id         BIGSERIAL PRIMARY KEY,
    consumer   TEXT   NOT NULL,
    event_id   TEXT,
    event_type TEXT,
    subject    TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    payload    BYTEA  NOT NULL,
    deliveries BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dead_letters_event ON dead_letters (consumer, event_id);
