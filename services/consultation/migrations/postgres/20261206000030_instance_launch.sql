-- Consultations an instance launches: a member proposes one ('proposed'), staff approve it
-- (it becomes a 'draft') or reject it ('rejected', with the reason). The launching instance
-- stays on the consultation, NULL for the ones staff created.
ALTER TABLE consultations ADD COLUMN launched_by TEXT;
ALTER TABLE consultations ADD COLUMN rejection_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX consultations_launched_by ON consultations (launched_by, created_at);
