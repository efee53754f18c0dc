-- Recorded status of every pool, one row per pool per sample.
CREATE TABLE pool_samples (
    pool_id        TEXT    NOT NULL,
    system_id      TEXT    NOT NULL,
    ts             INTEGER NOT NULL, -- Unix seconds
    severity       INTEGER NOT NULL, -- 0 operational, 1 maintenance, 2 degraded, 3 partial, 4 major
    nodes_total    INTEGER NOT NULL,
    nodes_up       INTEGER NOT NULL,
    nodes_down     INTEGER NOT NULL,
    nodes_drained  INTEGER NOT NULL,
    gpus_total     INTEGER NOT NULL,
    gpus_allocated INTEGER NOT NULL,
    running_jobs   INTEGER NOT NULL,
    pending_jobs   INTEGER NOT NULL,
    median_wait_s  INTEGER,
    power_kw       REAL    NOT NULL,
    source         TEXT    NOT NULL,
    PRIMARY KEY (pool_id, ts)
);
CREATE INDEX pool_samples_system_ts ON pool_samples (system_id, ts);

-- Incidents, rewritten whole on every change; updates as a JSON array.
CREATE TABLE incidents (
    id          TEXT    PRIMARY KEY,
    system_id   TEXT    NOT NULL,
    pool_id     TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    resolved_at INTEGER,
    source      TEXT    NOT NULL,
    body        TEXT    NOT NULL -- the API's Incident as JSON
);
CREATE INDEX incidents_started ON incidents (started_at);

-- Planned maintenance windows.
CREATE TABLE maintenance (
    id        TEXT    PRIMARY KEY,
    system_id TEXT    NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    source    TEXT    NOT NULL,
    body      TEXT    NOT NULL -- the API's Maintenance as JSON
);
CREATE INDEX maintenance_starts ON maintenance (starts_at);
