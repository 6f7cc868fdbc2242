-- A volunteer or lead who left (issue 10): the commune's official closes the account
-- (no sign-in, sessions ended, pairing codes stopped) and may offer each household that
-- still agrees to them to another volunteer of the commune. The household decides on its
-- own phone: an offer is a pairing code of the new volunteer that only that household is
-- shown, taken (or declined) with the same pairing events as any other code.
ALTER TABLE accounts ADD COLUMN left_ms BIGINT;

CREATE TABLE mentor_offers (
    household_id TEXT NOT NULL REFERENCES households (household_id),
    -- The volunteer who left.
    replaces_id  TEXT NOT NULL REFERENCES accounts (account_id),
    code         TEXT NOT NULL REFERENCES pairing_codes (code),
    created_ms   BIGINT NOT NULL,
    PRIMARY KEY (household_id, replaces_id)
);
CREATE INDEX mentor_offers_by_code ON mentor_offers (code);
CREATE INDEX mentor_offers_by_replaced ON mentor_offers (replaces_id);

-- The event that made each link what it is (its latest agreement or ending): a
-- volunteer with no signal names a household that has just agreed by a code drawn from
-- it (app/src/domain/mentor.rs handoff_of), matched against the current agreement only.
-- Rows rebuilt before this column existed have none until their next rebuild.
ALTER TABLE mentorships ADD COLUMN event_id TEXT;
