-- The latest live status snapshot, written by the replica that polls the
-- sources (the leader) and read by the others when notified
-- (NOTIFY kairr_status). One row.
CREATE TABLE live_snapshot (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    updated_at BIGINT NOT NULL, -- Unix seconds of the snapshot
    leader     TEXT   NOT NULL, -- replica id of the writer
    summary    TEXT   NOT NULL, -- the API's StatusSummary as JSON
    queues     TEXT   NOT NULL  -- the pools' QueueSnapshot list as JSON
);
