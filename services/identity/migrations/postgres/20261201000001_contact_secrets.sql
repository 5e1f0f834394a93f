-- Whether the person proved they receive messages at the email / phone of their account.
-- Changing a contact sets its flag back to 0.
ALTER TABLE accounts ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN phone_verified INTEGER NOT NULL DEFAULT 0;

-- A message carrying a secret that must reach one of an account's contacts: a link's token
-- (email) or a short code (sms), to verify the contact or to reset the password. The row lives
-- while the request is pending: it is deleted once used, superseded, out of attempts, expired
-- (pruned) or when the account is deleted. The contact itself is read from the account.
CREATE TABLE contact_secrets (
    request_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    -- 'email' or 'sms'.
    channel TEXT NOT NULL,
    -- 'verify_contact' or 'reset_password'.
    purpose TEXT NOT NULL,
    -- HMAC-SHA256 of the secret (keyed, so a copy of the table cannot test guesses).
    secret_hash TEXT NOT NULL UNIQUE,
    -- AES-256-GCM nonce || ciphertext of the secret, for the notification service to send it.
    secret_sealed BYTEA NOT NULL,
    -- Wrong codes tried against this request.
    attempts INTEGER NOT NULL DEFAULT 0,
    -- The language asked for the message; NULL: the account's.
    locale TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX contact_secrets_account ON contact_secrets (account_id, channel, purpose);
CREATE INDEX contact_secrets_expiry ON contact_secrets (expires_at);
