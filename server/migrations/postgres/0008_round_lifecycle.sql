-- A round's lifecycle stage (issue 10): draft | open | under_review | decided
-- | published. The round's body carries it too; the column is what writes
-- are conditional on (`UPDATE … WHERE stage = expected`) and what the public
-- page filters on. Rounds stored before stages existed were accepting requests.
ALTER TABLE rounds ADD COLUMN stage TEXT NOT NULL DEFAULT 'open';
