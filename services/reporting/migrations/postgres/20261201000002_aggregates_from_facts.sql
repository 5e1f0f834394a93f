-- The aggregates of the facts already recorded: what the consumers would have kept. Run
-- again, it gives the same. The splits of each indicator are those of `src/measures.rs`.
DELETE FROM rp_cells;
DELETE FROM rp_cell_people;
DELETE FROM rp_milestone_totals;

-- Each fact in each of its cells: unsplit in its month and over all months, and in its
-- group of each split of its indicator.
CREATE VIEW rp_placed_facts AS
WITH personal (indicator) AS (
    VALUES ('participants'), ('registrations'), ('certificates'), ('satisfaction'),
           ('responses'), ('proposals'), ('supports'), ('comments'), ('signatures')
),
dimensions (dimension) AS (
    VALUES ('province'), ('gender'), ('age_band'), ('actor_kind')
),
splits (indicator, dimension) AS (
    SELECT indicator, dimension FROM personal CROSS JOIN dimensions
    UNION ALL
    VALUES ('sessions_held', 'province'), ('attendance_rate', 'province'),
           ('petitions_created', 'province'), ('petitions_created', 'actor_kind')
)
SELECT indicator, '' AS dimension, month, '' AS grp, account_id, value, denominator
FROM rp_facts
UNION ALL
SELECT indicator, '', 'all', '', account_id, value, denominator FROM rp_facts
UNION ALL
SELECT f.indicator, s.dimension, f.month,
       CASE s.dimension
           WHEN 'province' THEN COALESCE(f.province_code, a.province_code, 'unknown')
           WHEN 'gender' THEN COALESCE(a.gender, 'unknown')
           WHEN 'age_band' THEN COALESCE(a.age_band, 'unknown')
           ELSE COALESCE(f.actor_kind, a.actor_kind, 'unknown')
       END,
       f.account_id, f.value, f.denominator
FROM rp_facts f
JOIN splits s ON s.indicator = f.indicator
LEFT JOIN rp_accounts a ON a.account_id = f.account_id;

INSERT INTO rp_cells (indicator, dimension, month, grp, total, denominator, facts, people)
SELECT indicator, dimension, month, grp, SUM(value), SUM(denominator), COUNT(*),
       COUNT(DISTINCT CASE WHEN value > 0 THEN account_id END)
FROM rp_placed_facts
GROUP BY indicator, dimension, month, grp;

INSERT INTO rp_cell_people (indicator, dimension, month, grp, account_id, facts)
SELECT indicator, dimension, month, grp, account_id, COUNT(*)
FROM rp_placed_facts
WHERE value > 0 AND account_id IS NOT NULL
GROUP BY indicator, dimension, month, grp, account_id;

DROP VIEW rp_placed_facts;

INSERT INTO rp_milestone_totals (indicator, milestone_ref, kind, total)
SELECT indicator, milestone_ref, COALESCE(kind, ''), SUM(value)
FROM rp_facts
WHERE milestone_ref IS NOT NULL
GROUP BY indicator, milestone_ref, COALESCE(kind, '');
