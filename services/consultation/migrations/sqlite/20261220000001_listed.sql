-- Each consultation as a page of consultations shows it: its `Consultation` message, questions
-- included, protobuf-encoded, written in the transaction of every change to it (its row or
-- its questions): a page reads one value per consultation instead of its thirty columns and
-- its questions. NULL until written (consultation writes the ones from before this column when
-- it starts); the columns and `questions` stay the record. It replaces `questions_json`.
ALTER TABLE consultations ADD COLUMN listed BLOB;
ALTER TABLE consultations DROP COLUMN questions_json;
