-- A refresh keeps the rows it computed only if nothing touched the household's counts
-- since it read them (db/coverage.rs). 0010 told so by `counted_seq`, made negative when
-- the rows were dropped; but a value can come back (dropped, counted again, dropped
-- again), and a refresh that read it the first time would keep rows computed before the
-- household moved. `counted_gen` only ever grows: every drop and every store adds one,
-- and a store checks it is still the number it read.
ALTER TABLE households ADD COLUMN counted_gen BIGINT NOT NULL DEFAULT 0;
