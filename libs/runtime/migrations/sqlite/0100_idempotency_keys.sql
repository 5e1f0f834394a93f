-- Responses of retried writes: a repeat of (account, rpc, key) gets the stored response.
CREATE TABLE idempotency_keys (
    account_id TEXT   NOT NULL,
    rpc        TEXT   NOT NULL,
    idempotency_key TEXT NOT NULL,
    response   BLOB   NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, rpc, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
