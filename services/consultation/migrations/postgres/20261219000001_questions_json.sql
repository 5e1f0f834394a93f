-- A consultation's questions kept beside it as one JSON list (the rows of `questions`, in
-- their order), written with every question added: a page of consultations is read with its
-- questions in one statement of one row each. NULL until written (consultation fills the
-- ones from before this column when it starts); `questions` stays the record.
ALTER TABLE consultations ADD COLUMN questions_json TEXT;
