-- Accounts. Personal fields are nullable so deletion can erase them and keep the id.
CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    email TEXT UNIQUE,
    phone TEXT UNIQUE,
    password_hash TEXT,
    display_name TEXT,
    locale TEXT NOT NULL,
    status TEXT NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    verification_method TEXT,
    verified_at BIGINT,
    residence_province_code TEXT,
    -- AES-256-GCM nonce || ciphertext of the national ID number; never the number itself.
    cin_ciphertext BYTEA,
    -- HMAC-SHA256 of the normalised number: one verified account per CIN.
    cin_hmac TEXT UNIQUE,
    gender TEXT,
    age_band TEXT,
    province_code TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX accounts_display_name ON accounts (lower(display_name));

CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    role TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE consents (
    consent_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    purpose TEXT NOT NULL,
    version TEXT NOT NULL,
    granted INTEGER NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX consents_account ON consents (account_id, purpose, recorded_at);

-- A login opens a family; each refresh rotates the token inside it. A reused token revokes it.
CREATE TABLE token_families (
    family_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX token_families_account ON token_families (account_id);

CREATE TABLE refresh_tokens (
    -- SHA-256 of the opaque token; the token itself is never stored.
    token_hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES token_families (family_id),
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_key_ciphertext BYTEA NOT NULL,
    public_x TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- Published from creation, signs from this instant: verifiers learn a key before they meet it.
    activates_at BIGINT NOT NULL
);

-- Failed logins, keyed by a hash of the identifier or of the peer address.
CREATE TABLE login_failures (
    failure_id BIGSERIAL PRIMARY KEY,
    limit_key TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (limit_key, failed_at);

CREATE TABLE associations (
    association_id TEXT PRIMARY KEY,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    registration_number TEXT NOT NULL UNIQUE,
    founded_on TEXT NOT NULL,
    province_code TEXT NOT NULL,
    fields_of_activity TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE association_representatives (
    association_id TEXT NOT NULL REFERENCES associations (association_id),
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (association_id, account_id)
);
CREATE INDEX association_representatives_account ON association_representatives (account_id);

CREATE TABLE instances (
    instance_id TEXT PRIMARY KEY,
    name_ar TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL,
    mandate_start TEXT,
    mandate_end TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE instance_memberships (
    membership_id TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances (instance_id),
    account_id TEXT NOT NULL REFERENCES accounts (account_id),
    role TEXT NOT NULL,
    association_id TEXT REFERENCES associations (association_id),
    started_on TEXT NOT NULL,
    ended_on TEXT
);
CREATE INDEX instance_memberships_instance ON instance_memberships (instance_id);
CREATE INDEX instance_memberships_account ON instance_memberships (account_id);

-- The audit log is the runtime's (libs/runtime), shared by every service.
