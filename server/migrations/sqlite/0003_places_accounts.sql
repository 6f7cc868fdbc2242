-- Places and the people who work with households (issue 10). Households stay
-- accountless; these are volunteers, team leads, commune officials and administrators.

-- The province, its communes and wards, their villages. An area's id never changes; a
-- rename changes its name. name_key is the name made comparable (places.rs).
CREATE TABLE areas (
    area_id    TEXT PRIMARY KEY,
    parent_id  TEXT REFERENCES areas (area_id),
    level      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
-- A name once under each parent (however spelled), and one province per database: two
-- servers starting together, or two officials adding the same village, make one.
CREATE UNIQUE INDEX areas_by_parent ON areas (parent_id, name_key);
CREATE UNIQUE INDEX one_province ON areas (level) WHERE level = 'province';

-- An account signs in with a phone number or a username and a password (argon2id).
-- area_id: the commune of an official, lead or volunteer; the province of an
-- administrator. lead_id: a volunteer's team lead.
CREATE TABLE accounts (
    account_id    TEXT PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    area_id       TEXT NOT NULL REFERENCES areas (area_id),
    lead_id       TEXT REFERENCES accounts (account_id),
    password_hash TEXT NOT NULL,
    invited_by    TEXT REFERENCES accounts (account_id),
    created_ms    BIGINT NOT NULL,
    password_ms   BIGINT NOT NULL
);

-- A signed-in browser. The cookie holds a random 128-bit id; only its SHA-256 is kept.
CREATE TABLE sessions (
    session_hash TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (account_id),
    created_ms   BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- A one-time invitation (a link and a typed code, both kept only as hashes), to a new
-- account or (for_account) to set a forgotten password.
CREATE TABLE invitations (
    invitation_id TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    code_hash     TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    area_id       TEXT NOT NULL REFERENCES areas (area_id),
    lead_id       TEXT REFERENCES accounts (account_id),
    for_account   TEXT REFERENCES accounts (account_id),
    invited_by    TEXT NOT NULL REFERENCES accounts (account_id),
    note          TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    expires_ms    BIGINT NOT NULL,
    used_ms       BIGINT
);
CREATE INDEX invitations_by_inviter ON invitations (invited_by);
