-- Documents attached to consultations, petitions and opinions. The bytes are in the document
-- store (object_store) under `storage_key`; this is what the service knows of them.
CREATE TABLE attachments (
    attachment_id TEXT PRIMARY KEY,
    parent_type TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
CREATE INDEX attachments_parent ON attachments (parent_type, parent_id, attachment_id);
