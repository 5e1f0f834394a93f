-- Events written in the same transaction as the change they describe, until the relay has
-- published them; published rows stay for the retention so a range can be published again.
-- AUTOINCREMENT: a sequence number is never reused after old rows are deleted.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT    NOT NULL UNIQUE,
    event_type   TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    envelope     BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    published_at INTEGER
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
