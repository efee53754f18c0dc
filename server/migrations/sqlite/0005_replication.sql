-- The latest live status snapshot, written by the replica that polls the
-- sources. Only used on PostgreSQL, where several replicas share the
-- database (see postgres/0005_replication.sql); kept here so both dialects
-- have the same schema and numbering. One row.
CREATE TABLE live_snapshot (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    updated_at INTEGER NOT NULL, -- Unix seconds of the snapshot
    leader     TEXT    NOT NULL, -- replica id of the writer
    summary    TEXT    NOT NULL, -- the API's StatusSummary as JSON
    queues     TEXT    NOT NULL  -- the pools' QueueSnapshot list as JSON
);
