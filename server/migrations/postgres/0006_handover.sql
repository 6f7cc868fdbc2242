-- A volunteer or lead who left (issue 10): the commune's official closes the account
-- (no sign-in, sessions ended, pairing codes stopped) and may offer each household that
-- still agrees to them to another volunteer of the commune. The household decides on its
-- own phone: an offer is a pairing code of the new volunteer that only that household is
-- shown, taken (or declined) with the same pairing events as any other code.
ALTER TABLE accounts ADD COLUMN left_ms BIGINT;

-- An offer made again (to someone else) replaces the one before from then on
-- (`superseded_ms`), but is kept: an answer to it made on an offline phone still counts.
-- An offer's code is taken only by its own household.
CREATE TABLE mentor_offers (
    household_id  TEXT NOT NULL REFERENCES households (household_id),
    code          TEXT NOT NULL REFERENCES pairing_codes (code),
    -- The volunteer who left.
    replaces_id   TEXT NOT NULL REFERENCES accounts (account_id),
    created_ms    BIGINT NOT NULL,
    superseded_ms BIGINT,
    PRIMARY KEY (household_id, code)
);
CREATE UNIQUE INDEX mentor_offers_by_code ON mentor_offers (code);
CREATE INDEX mentor_offers_by_replaced ON mentor_offers (replaces_id, household_id);
