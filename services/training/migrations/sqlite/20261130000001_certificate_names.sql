-- Where the printed name comes from: 'verified' (identity's legal name), 'pending' (asked for by
-- an unverified participant, not shown publicly), 'approved' (by staff), 'erased' (the holder
-- deleted their account). Names typed freely before this version wait for staff approval.
ALTER TABLE certificates ADD COLUMN name_status TEXT NOT NULL DEFAULT 'pending';
CREATE INDEX certificates_account ON certificates (account_id, issued_at);
