-- Forum contributions are moderated as comments are: hidden with a reason (or pending review
-- after enough reports), reports counted since the last review, one report per account.
ALTER TABLE forum_contributions ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
ALTER TABLE forum_contributions ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE forum_contributions ADD COLUMN reports BIGINT NOT NULL DEFAULT 0;

CREATE TABLE forum_contribution_reports (
    contribution_id TEXT NOT NULL REFERENCES forum_contributions (contribution_id),
    account_id      TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (contribution_id, account_id)
);
