-- Each session as a page of sessions shows it: its `Session` message with its two counts at
-- zero (they change with every registration and are read from their columns), protobuf-encoded,
-- written in the transaction of every other change to the session (schedule, update, cancel,
-- held, import): a page reads one value and two counts per session instead of its thirty
-- columns. NULL until written (training writes the ones from before this column when it
-- starts); the columns stay the record.
ALTER TABLE sessions ADD COLUMN listed BYTEA;
