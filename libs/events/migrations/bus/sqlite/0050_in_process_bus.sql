-- The in-process bus: JetStream's streams, messages and durable consumers as tables.
CREATE TABLE bus_streams (
    name       TEXT   PRIMARY KEY,
    subjects   TEXT   NOT NULL,
    max_age_ms INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE bus_messages (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    stream      TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    msg_id      TEXT   NOT NULL,
    payload     BLOB   NOT NULL,
    traceparent TEXT   NOT NULL,
    tracestate  TEXT   NOT NULL,
    created_at  INTEGER NOT NULL
);
-- De-duplication by message id, as JetStream's Nats-Msg-Id.
CREATE UNIQUE INDEX bus_messages_msg_id ON bus_messages (stream, msg_id);
CREATE INDEX bus_messages_stream_seq ON bus_messages (stream, seq);

-- A durable consumer: its filter and the last stream sequence it has been handed.
CREATE TABLE bus_consumers (
    stream          TEXT   NOT NULL,
    name            TEXT   NOT NULL,
    filter_subjects TEXT   NOT NULL,
    delivered_seq   INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (stream, name)
);

-- Messages delivered to a consumer and not yet acknowledged.
CREATE TABLE bus_pending (
    stream       TEXT   NOT NULL,
    consumer     TEXT   NOT NULL,
    seq          INTEGER NOT NULL,
    deliveries   INTEGER NOT NULL,
    redeliver_at INTEGER NOT NULL,
    PRIMARY KEY (stream, consumer, seq)
);
