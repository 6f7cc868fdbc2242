-- The coverage summaries keep *when* each household and person reached what they count
-- (issue 11's reports for a quarter, a half-year, a year or any dates): a report adds up
-- what was reached by the end of its period, and the trend over quarters comes from the
-- same rows. Times are the phone's clock as its events carry it; NULL is "not reached".
-- Summaries are derived: the old rows are dropped and the refresher computes every
-- household again.
DROP TABLE person_counts;
DROP TABLE household_counts;

CREATE TABLE household_counts (
    household_id   TEXT PRIMARY KEY,
    seq            BIGINT NOT NULL,
    village_id     TEXT,
    commune_id     TEXT,
    since_ms       BIGINT NOT NULL,
    digital_family BIGINT,
    computed_ms    BIGINT NOT NULL
);
CREATE INDEX household_counts_by_place ON household_counts (commune_id, village_id);

CREATE TABLE person_counts (
    household_id       TEXT NOT NULL,
    profile_id         TEXT NOT NULL,
    village_id         TEXT,
    commune_id         TEXT,
    age_band           TEXT NOT NULL,
    grp                TEXT NOT NULL,
    since_ms           BIGINT NOT NULL,
    learning           BIGINT,
    basic_skills       BIGINT,
    identity_self      BIGINT,
    identity_confirmed BIGINT,
    trader_4t          BIGINT,
    PRIMARY KEY (household_id, profile_id)
);
CREATE INDEX person_counts_by_place ON person_counts (commune_id, village_id);

-- Volunteers' visits by day and place, for the visits of a report's days: a row per
-- visit recorded in the household's events, rewritten with the household's rows.
CREATE TABLE visit_counts (
    household_id TEXT NOT NULL,
    n            BIGINT NOT NULL,
    village_id   TEXT,
    commune_id   TEXT,
    day          TEXT NOT NULL,
    PRIMARY KEY (household_id, n)
);
CREATE INDEX visit_counts_by_place ON visit_counts (commune_id, day);
