-- Devices that sync, and the events they send. Times are epoch milliseconds, ids are
-- text UUIDs, so the same queries run on SQLite and PostgreSQL.
-- A household shares its record across its phones; a second phone joins with the code
-- the first one shows.
CREATE TABLE households (
    household_id TEXT PRIMARY KEY,
    join_code    TEXT NOT NULL UNIQUE,
    created_ms   BIGINT NOT NULL
);

CREATE TABLE devices (
    device_id    TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (household_id),
    secret_hash  TEXT NOT NULL,
    created_ms   BIGINT NOT NULL
);

CREATE TABLE events (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       TEXT NOT NULL UNIQUE,
    household_id   TEXT NOT NULL,
    device_id      TEXT NOT NULL REFERENCES devices (device_id),
    profile_id     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    schema_version BIGINT NOT NULL,
    at_ms          BIGINT NOT NULL,
    payload        TEXT NOT NULL,
    received_ms    BIGINT NOT NULL
);

CREATE INDEX events_by_household ON events (household_id, seq);
