-- Sessions in the order lists give them (first day, then id): a page walks this index and
-- stops at its last row, instead of sorting every session with all its columns. It serves
-- whatever the index on the first day alone served.
CREATE INDEX sessions_listed ON sessions (first_day, session_id);
DROP INDEX sessions_first_day;
