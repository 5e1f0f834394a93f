-- The learning gain (post-test score minus pre-test score) of training evaluations, per
-- program: one row per evaluation (its latest event wins), and per program the sums a read
-- needs, kept in the consumer's transaction so that a read costs one row per program.
CREATE TABLE rp_learning_gains (
    evaluation_id TEXT PRIMARY KEY,
    program_id    TEXT NOT NULL,
    -- 1 when the evaluation has both scores (gain is then post - pre), else 0 (gain 0).
    scored        BIGINT NOT NULL,
    gain          DOUBLE PRECISION NOT NULL,
    last_at       BIGINT NOT NULL
);

CREATE TABLE rp_program_gains (
    program_id TEXT PRIMARY KEY,
    scored     BIGINT NOT NULL,
    gain_sum   DOUBLE PRECISION NOT NULL
);

-- Each training program's milestone, from training.program.created ('' when it serves none).
CREATE TABLE rp_programs (
    program_id    TEXT PRIMARY KEY,
    milestone_ref TEXT NOT NULL
);
