-- Sync version 2 (docs/SYNC.md): each household numbers its own events under a lock,
-- so a pull never skips one committed late; an epoch per household lets phones notice
-- a server restored from an older backup; family codes expire; devices have a name,
-- a last-seen time and the consent their person gave.

ALTER TABLE households ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE households ADD COLUMN epoch TEXT NOT NULL DEFAULT '';
-- join_code is the household's current family code, usable until code_expires_ms.
-- Codes made before this release never expired: they stop working now.
ALTER TABLE households ADD COLUMN code_expires_ms BIGINT NOT NULL DEFAULT 0;
UPDATE households SET epoch = lower(hex(randomblob(8)));

ALTER TABLE devices ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN last_seen_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN consent_version TEXT;
ALTER TABLE devices ADD COLUMN consent_ms BIGINT;
UPDATE devices SET last_seen_ms = created_ms;

-- Events keyed by (household, position in that household). No reference to devices:
-- a removed device's events stay the family's.
CREATE TABLE events_v2 (
    household_id   TEXT NOT NULL REFERENCES households (household_id),
    seq            BIGINT NOT NULL,
    event_id       TEXT NOT NULL UNIQUE,
    device_id      TEXT NOT NULL,
    profile_id     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    schema_version BIGINT NOT NULL,
    at_ms          BIGINT NOT NULL,
    payload        TEXT NOT NULL,
    received_ms    BIGINT NOT NULL,
    PRIMARY KEY (household_id, seq)
);
INSERT INTO events_v2 (household_id, seq, event_id, device_id, profile_id, kind, schema_version, at_ms, payload, received_ms)
SELECT household_id, ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY seq), event_id, device_id,
       profile_id, kind, schema_version, at_ms, payload, received_ms
FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_by_device ON events (device_id);
UPDATE households SET last_seq = COALESCE(
    (SELECT MAX(seq) FROM events WHERE events.household_id = households.household_id), 0);

-- Ids that must never come back, with why: removed devices (device_removed), deleted
-- households (household_deleted), and a device's membership of a household it left
-- ('<device>@<household>', left). Only ids: nothing personal.
CREATE TABLE revoked (
    id         TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    revoked_ms BIGINT NOT NULL
);

-- Counters shared by every server process: attempts per window, for rate limits.
CREATE TABLE rate_windows (
    name      TEXT NOT NULL,
    window_ms BIGINT NOT NULL,
    count     BIGINT NOT NULL,
    PRIMARY KEY (name, window_ms)
);

-- Keys the servers share (the membership certificates' HMAC key).
CREATE TABLE server_keys (
    name   TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);
