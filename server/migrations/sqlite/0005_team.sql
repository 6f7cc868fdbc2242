-- Community learning sessions (the plan's weekly meetings), recorded by a volunteer or a
-- team lead (issue 10). session_id is the id the form was drawn with (or the phone gave
-- it offline): a form sent again is the same session, stored once.
CREATE TABLE community_sessions (
    session_id  TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (account_id),
    commune_id  TEXT NOT NULL REFERENCES areas (area_id),
    village_id  TEXT REFERENCES areas (area_id),
    day         TEXT NOT NULL,
    place       TEXT NOT NULL,
    -- Lesson ids, comma-separated.
    topics      TEXT NOT NULL,
    attendees   BIGINT NOT NULL,
    recorded_ms BIGINT NOT NULL
);
CREATE INDEX community_sessions_by_account ON community_sessions (account_id, day);
CREATE INDEX community_sessions_by_commune ON community_sessions (commune_id, day);
