-- Events written in the same transaction as the change they describe, until the relay has
-- published them; published rows stay for the retention so a range can be published again.
CREATE TABLE outbox (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     TEXT   NOT NULL UNIQUE,
    event_type   TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    envelope     BYTEA  NOT NULL,
    created_at   BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
