-- Which households the coverage summaries have still to count, found without a join over
-- every household (each report view asked, and the refresher every 2 s): `counted_seq`
-- is the household's last_seq its rows were computed at, beside last_seq itself, and
-- the partial index holds only the households where the two differ. NULL: never
-- counted; negative: its rows were dropped (db/coverage.rs `forget`, a new value each
-- time, so a refresh that read the household before can tell). It replaces
-- household_counts.seq.
ALTER TABLE households ADD COLUMN counted_seq BIGINT;
UPDATE households SET counted_seq = (
    SELECT c.seq FROM household_counts c WHERE c.household_id = households.household_id
);
ALTER TABLE household_counts DROP COLUMN seq;
CREATE INDEX households_uncounted ON households (household_id)
    WHERE counted_seq IS NULL OR counted_seq <> last_seq;
