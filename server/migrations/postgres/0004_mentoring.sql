-- Volunteers and the households that agreed to them (issue 10).

-- A volunteer's pairing code, for the households of one village of the volunteer's
-- commune. It works for several households until it expires; an agreement made on a
-- phone that was offline is judged by when the person agreed (db/mentoring.rs).
CREATE TABLE pairing_codes (
    code         TEXT PRIMARY KEY,
    volunteer_id TEXT NOT NULL REFERENCES accounts (account_id),
    village_id   TEXT NOT NULL REFERENCES areas (area_id),
    created_ms   BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL
);
CREATE INDEX pairing_codes_by_volunteer ON pairing_codes (volunteer_id, expires_ms);

-- What the household's own mentor_paired and mentor_ended events say about each code,
-- folded by the same rule as on the phones (app/src/domain/mentor.rs) and rebuilt from
-- those events whenever one arrives or the household's events move. A volunteer sees a
-- household while one of its rows for that volunteer is active.
CREATE TABLE mentorships (
    household_id    TEXT NOT NULL REFERENCES households (household_id),
    code            TEXT NOT NULL REFERENCES pairing_codes (code),
    volunteer_id    TEXT NOT NULL REFERENCES accounts (account_id),
    village_id      TEXT NOT NULL REFERENCES areas (area_id),
    active          BIGINT NOT NULL,
    -- The person who last agreed or ended, the text version they read, and when.
    profile_id      TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    at_ms           BIGINT NOT NULL,
    PRIMARY KEY (household_id, code)
);
CREATE INDEX mentorships_by_volunteer ON mentorships (volunteer_id, active);
