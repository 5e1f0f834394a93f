-- One pseudonymous person key per CIN, kept when the account is deleted (a tombstone), so that
-- an account verified again with the same CIN is known as the same person ("one signature per
-- person"). The key is random: it reveals neither the CIN nor its fingerprint.
CREATE TABLE cin_persons (
    cin_hmac TEXT PRIMARY KEY,
    person_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- Copied from cin_persons at verification, erased with the other personal fields.
ALTER TABLE accounts ADD COLUMN person_key TEXT;
-- The name on the identity card, recorded by staff at verification (for certificates).
ALTER TABLE accounts ADD COLUMN legal_name TEXT;

INSERT INTO cin_persons (cin_hmac, person_key, created_at)
SELECT cin_hmac, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))), updated_at FROM accounts WHERE cin_hmac IS NOT NULL;

UPDATE accounts SET person_key = (
    SELECT c.person_key FROM cin_persons c WHERE c.cin_hmac = accounts.cin_hmac
) WHERE cin_hmac IS NOT NULL;
