-- Scheduler accounts of awards (issue 13 §1): where each allocation's
-- account stands in its cluster, as the last reconciliation found it.
-- A row appears when the reconciler first sees the allocation (pending),
-- and is updated after every attempt; failures count up until one succeeds.
CREATE TABLE provisioning (
    allocation_id BIGINT  PRIMARY KEY REFERENCES allocations (id),
    cluster       TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    pool          TEXT    NOT NULL,
    state         TEXT    NOT NULL, -- pending | provisioned | failed
    reason        TEXT    NOT NULL,
    failures      BIGINT  NOT NULL,
    checked_at    BIGINT
);

-- What the last reconciliation of each cluster reported beside the awards:
-- accounts and users the portal does not manage (left alone).
CREATE TABLE provisioning_runs (
    cluster     TEXT   PRIMARY KEY,
    at          BIGINT NOT NULL,
    ok          BOOLEAN NOT NULL,
    report      TEXT   NOT NULL -- JSON: unmanaged accounts and users, error
);
