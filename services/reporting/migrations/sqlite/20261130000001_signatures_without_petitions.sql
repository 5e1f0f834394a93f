-- Reporting kept one row per petition and account for each signature: every signature list,
-- outside consultation. Signatures (and the participation they make) are now counters per
-- person and month, with no petition: fold the old rows into them, then delete the old rows.
INSERT INTO rp_facts (indicator, subject_key, month, first_at, last_at, account_id,
                      province_code, actor_kind, value, denominator)
SELECT indicator,
       CASE WHEN indicator = 'signatures' THEN 'month:' ELSE 'signatures:' END
           || month || ':' || account_id,
       month, MIN(first_at), MAX(last_at), account_id, MIN(province_code), MIN(actor_kind),
       SUM(value), 0
FROM rp_facts
WHERE account_id IS NOT NULL
  AND ((indicator = 'signatures' AND subject_key NOT LIKE 'month:%')
       OR (indicator = 'participants' AND subject_key LIKE 'signature:%'))
GROUP BY indicator, month, account_id;

DELETE FROM rp_facts
WHERE (indicator = 'signatures' AND subject_key NOT LIKE 'month:%')
   OR (indicator = 'participants' AND subject_key LIKE 'signature:%');
