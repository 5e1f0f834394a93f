-- Tamazight (Tifinagh) versions of a consultation's texts and the Forum's titles: optional,
-- empty where none was given.
ALTER TABLE consultations ADD COLUMN title_zgh TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN body_zgh TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN synthesis_zgh TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN prompt_zgh TEXT NOT NULL DEFAULT '';
ALTER TABLE forum_editions ADD COLUMN title_zgh TEXT NOT NULL DEFAULT '';
ALTER TABLE forum_themes ADD COLUMN title_zgh TEXT NOT NULL DEFAULT '';
ALTER TABLE forum_workshops ADD COLUMN title_zgh TEXT NOT NULL DEFAULT '';
