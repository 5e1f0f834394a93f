-- A signature on paper, recorded by staff: who recorded it (NULL for an online signature).
ALTER TABLE petition_signatures ADD COLUMN recorded_by TEXT;
