-- The allocation programme. Each row keeps the domain record as JSON (`body`)
-- with the columns queries filter on beside it.
CREATE TABLE rounds (
    id     TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    body   TEXT NOT NULL
);

CREATE TABLE requests (
    id           INTEGER PRIMARY KEY,
    round_id     TEXT    NOT NULL REFERENCES rounds (id),
    applicant    TEXT    NOT NULL,
    organisation TEXT    NOT NULL,
    sector       TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX requests_round ON requests (round_id, state);
CREATE INDEX requests_applicant ON requests (applicant);

CREATE TABLE reviews (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    reviewer   TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    UNIQUE (request_id, reviewer)
);

CREATE TABLE conflicts (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    reviewer   TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    body       TEXT    NOT NULL
);

CREATE TABLE decisions (
    request_id INTEGER PRIMARY KEY REFERENCES requests (id),
    source     TEXT    NOT NULL,
    body       TEXT    NOT NULL
);

CREATE TABLE allocations (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    round_id   TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    body       TEXT    NOT NULL
);
CREATE INDEX allocations_round ON allocations (round_id);

CREATE TABLE usage (
    allocation_id INTEGER NOT NULL REFERENCES allocations (id),
    day           TEXT    NOT NULL, -- KST day, YYYY-MM-DD
    gpu_hours     REAL    NOT NULL,
    source        TEXT    NOT NULL,
    PRIMARY KEY (allocation_id, day)
);

-- Append-only: rows are never updated, and only demo rows may be deleted
-- (the demo programme is regenerated on every start).
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    source TEXT    NOT NULL,
    body   TEXT    NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN OLD.source <> 'demo'
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
