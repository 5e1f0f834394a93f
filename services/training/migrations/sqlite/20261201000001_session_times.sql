-- A session's days with their local start and end times (the region's time zone): a JSON array
-- of {"date": "YYYY-MM-DD", "start": "HH:MM", "end": "HH:MM"}, sorted; `days` stays, filled
-- from it. Sessions scheduled before times existed keep '' here: their days have no time
-- ("time not set", shown as to be confirmed) and the rules take the whole local day, as before.
-- No default time is made up: a citizen told "09:00" for a session that starts at 14:00 is
-- worse served than one told the time is still to be confirmed, and staff can set it.
ALTER TABLE sessions ADD COLUMN schedule TEXT NOT NULL DEFAULT '';
