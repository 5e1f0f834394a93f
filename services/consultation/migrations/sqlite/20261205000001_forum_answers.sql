-- The council's answer to a Forum recommendation and its follow-up, as for an instance's
-- recommendations (NULL answer: not answered yet).
ALTER TABLE forum_recommendations ADD COLUMN answer TEXT;
ALTER TABLE forum_recommendations ADD COLUMN answer_reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE forum_recommendations ADD COLUMN follow_up TEXT NOT NULL DEFAULT 'not_started';
ALTER TABLE forum_recommendations ADD COLUMN follow_up_note TEXT NOT NULL DEFAULT '';
ALTER TABLE forum_recommendations ADD COLUMN answered_at INTEGER;
