-- Denominators for the coverage reports (issue 11): how many people of each kind an area
-- has in a year, as its official (a commune) or the administrator (the province) enters
-- them. An area without one gets counts, not percentages.
CREATE TABLE area_population (
    area_id    TEXT NOT NULL REFERENCES areas (area_id),
    year       BIGINT NOT NULL,
    -- adults, officials, pupils, workers (server/src/coverage/rules.rs POPULATIONS)
    measure    TEXT NOT NULL,
    people     BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES accounts (account_id),
    PRIMARY KEY (area_id, year, measure)
);
