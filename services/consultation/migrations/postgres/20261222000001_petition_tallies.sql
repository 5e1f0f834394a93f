-- Each petition's signatures per province (a JSON object: province code to count), kept on its
-- row by every signature given or withdrawn, under the petition's lock: a page of petitions
-- then reads its counts with its rows, at a cost that no longer grows with the signatures.
ALTER TABLE petitions ADD COLUMN tally TEXT NOT NULL DEFAULT '{}';
UPDATE petitions SET tally = COALESCE(
    (SELECT json_object_agg(province_code, n)::text
     FROM (SELECT province_code, COUNT(*) AS n FROM petition_signatures s
           WHERE s.petition_id = petitions.petition_id GROUP BY province_code) c),
    '{}');
