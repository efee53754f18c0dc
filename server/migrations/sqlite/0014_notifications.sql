-- Notifications (issue 10 §3). A notice is written in the same transaction
-- as the change it tells of; its key is unique per recipient, so the same
-- event never makes two. Its e-mail goes through the outbox: a row per
-- notice for a recipient with an address, delivered by whichever replica
-- claims it first (a lease), retried with backoff while the mail server is
-- down, marked sent once the server accepted it.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    username   TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    dedup_key  TEXT    NOT NULL,
    body       TEXT    NOT NULL, -- JSON: the notice (kind, facts)
    created_at BIGINT  NOT NULL, -- unix seconds
    read_at    BIGINT,
    UNIQUE (username, dedup_key)
);
CREATE INDEX notifications_user ON notifications (username, id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    notification_id BIGINT  NOT NULL UNIQUE,
    to_address      TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending', -- pending | sent | failed
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT  NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Where and in which language a person is told.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'ko';
