-- Sessions imported from the council's records (ImportPastSessions): held before the platform
-- existed, with the number of people who attended (most without an account).
ALTER TABLE sessions ADD COLUMN recorded_after_the_fact INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN recorded_attended_count INTEGER NOT NULL DEFAULT 0;
