-- Login and registration attempts, counted before the work is done so that calls sent at once
-- cannot all slip under a limit. Replaces login_failures (a count of failures recorded after
-- the password check). Keys are hashes of the identifier or of the client's address block.
CREATE TABLE attempt_limits (
    limit_key TEXT PRIMARY KEY,
    -- Attempts in the current window (a count) or run (an identifier's progressive delay).
    attempts BIGINT NOT NULL,
    -- Start of the count's window, or the time of the run's latest attempt.
    window_start BIGINT NOT NULL,
    -- No attempt before this time (unix ms); 0 when there is no delay.
    next_at BIGINT NOT NULL
);

DROP TABLE login_failures;
