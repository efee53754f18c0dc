-- Each allocation's project account (Slurm `--account`, e.g. r2026-1-0042):
-- status sources report usage per account, and the monitor maps it back.
-- Derived from round and request, so existing rows are filled in place.
ALTER TABLE allocations ADD COLUMN account TEXT;
UPDATE allocations SET account = 'r' || round_id || '-' || printf('%04d', request_id) WHERE account IS NULL;
CREATE INDEX allocations_account ON allocations (account);
