-- What each household adds to the coverage counts (issue 11), kept up to date from its
-- events by server/src/db/coverage.rs: reports add these rows up instead of folding
-- events. `seq` is the household's last_seq the row was computed at: a household whose
-- last_seq moved on since is recomputed. A household's place is the village of its
-- latest agreement with a volunteer (none before it pairs). Never a name.
CREATE TABLE household_counts (
    household_id   TEXT PRIMARY KEY,
    seq            BIGINT NOT NULL,
    village_id     TEXT,
    commune_id     TEXT,
    digital_family BIGINT NOT NULL,
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
    learning           BIGINT NOT NULL,
    basic_skills       BIGINT NOT NULL,
    identity_self      BIGINT NOT NULL,
    identity_confirmed BIGINT NOT NULL,
    trader_4t          BIGINT NOT NULL,
    PRIMARY KEY (household_id, profile_id)
);
CREATE INDEX person_counts_by_place ON person_counts (commune_id, village_id);
