-- A table of the runtime's own tests: what a handler writes.
CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL);
