-- Recorded status of every pool, one row per pool per sample.
-- PostgreSQL twin of sqlite/0001_status.sql: same tables, columns and keys;
-- integers are BIGINT (SQLite's INTEGER is 64-bit), REAL is DOUBLE PRECISION.
CREATE TABLE pool_samples (
    pool_id        TEXT             NOT NULL,
    system_id      TEXT             NOT NULL,
    ts             BIGINT           NOT NULL, -- Unix seconds
    severity       BIGINT           NOT NULL, -- 0 operational, 1 maintenance, 2 degraded, 3 partial, 4 major
    nodes_total    BIGINT           NOT NULL,
    nodes_up       BIGINT           NOT NULL,
    nodes_down     BIGINT           NOT NULL,
    nodes_drained  BIGINT           NOT NULL,
    gpus_total     BIGINT           NOT NULL,
    gpus_allocated BIGINT           NOT NULL,
    running_jobs   BIGINT           NOT NULL,
    pending_jobs   BIGINT           NOT NULL,
    median_wait_s  BIGINT,
    power_kw       DOUBLE PRECISION NOT NULL,
    source         TEXT             NOT NULL,
    PRIMARY KEY (pool_id, ts)
);
CREATE INDEX pool_samples_system_ts ON pool_samples (system_id, ts);

-- Incidents, rewritten whole on every change; updates as a JSON array.
CREATE TABLE incidents (
    id          TEXT   PRIMARY KEY,
    system_id   TEXT   NOT NULL,
    pool_id     TEXT   NOT NULL,
    started_at  BIGINT NOT NULL,
    resolved_at BIGINT,
    source      TEXT   NOT NULL,
    body        TEXT   NOT NULL -- the API's Incident as JSON
);
CREATE INDEX incidents_started ON incidents (started_at);

-- Planned maintenance windows.
CREATE TABLE maintenance (
    id        TEXT   PRIMARY KEY,
    system_id TEXT   NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at   BIGINT NOT NULL,
    source    TEXT   NOT NULL,
    body      TEXT   NOT NULL -- the API's Maintenance as JSON
);
CREATE INDEX maintenance_starts ON maintenance (starts_at);
