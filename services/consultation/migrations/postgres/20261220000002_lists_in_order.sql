-- Consultations and petitions in the order their lists give them (newest first, then id): a
-- page walks the index and stops at its last row, instead of sorting the whole table, with
-- every row's columns, on every page read.
CREATE INDEX consultations_listed ON consultations (created_at DESC, consultation_id);
CREATE INDEX petitions_listed ON petitions (created_at DESC, petition_id);
