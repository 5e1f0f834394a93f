-- Administrative and moderation changes: who, what, when, before and after. Never a national
-- ID number, a password or a token.
CREATE TABLE audit_log (
    entry_id TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    occurred_at BIGINT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, occurred_at);
CREATE INDEX audit_log_time ON audit_log (occurred_at, entry_id);
