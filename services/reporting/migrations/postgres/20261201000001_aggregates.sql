-- The aggregates behind every figure, kept as events arrive in the consumer's transaction, so
-- that a read costs what it returns whatever the number of events recorded.

-- One cell per indicator, dimension ('' unsplit; 'province', 'gender', 'age_band',
-- 'actor_kind'), month ('YYYY-MM', or 'all': every month together, unsplit only) and group:
-- what a GROUP BY over its facts would give.
CREATE TABLE rp_cells (
    indicator   TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    month       TEXT NOT NULL,
    grp         TEXT NOT NULL,
    total       DOUBLE PRECISION NOT NULL,
    denominator DOUBLE PRECISION NOT NULL,
    -- Facts in the cell; 0 when they all moved to another group.
    facts       BIGINT NOT NULL,
    -- Distinct accounts with a positive value.
    people      BIGINT NOT NULL,
    PRIMARY KEY (indicator, dimension, month, grp)
);

-- Per cell and account, the account's facts with a positive value: what keeps `people` a
-- count of distinct accounts as facts come, change and move.
CREATE TABLE rp_cell_people (
    indicator   TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    month       TEXT NOT NULL,
    grp         TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    facts       BIGINT NOT NULL,
    PRIMARY KEY (indicator, dimension, month, grp, account_id)
);

-- The sum of the values of the facts tagged with a milestone, by kind ('' unknown).
CREATE TABLE rp_milestone_totals (
    indicator     TEXT NOT NULL,
    milestone_ref TEXT NOT NULL,
    kind          TEXT NOT NULL,
    total         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (indicator, milestone_ref, kind)
);

-- An account's facts move between groups when its attributes change.
CREATE INDEX rp_facts_by_account ON rp_facts (account_id);
