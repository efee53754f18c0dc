-- Status-page subscriptions (issue 10 §3). Anyone may subscribe an e-mail
-- address (active once the link sent to it is opened) or a webhook (active
-- at once, signed with its own secret) to incidents and maintenance of
-- chosen systems. Its confirmation and unsubscribe links carry the id and
-- an HMAC of it under the server's key (nothing to store, nothing to
-- guess); the webhook secret is kept as is (it signs every payload).
CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL, -- email | webhook
    target        TEXT    NOT NULL, -- the address or URL
    systems       TEXT    NOT NULL, -- JSON array of system ids; [] = every system
    locale        TEXT    NOT NULL,
    state         TEXT    NOT NULL, -- pending | active | unsubscribed
    secret        TEXT,
    created_at    BIGINT  NOT NULL,
    confirmed_at  BIGINT,
    ended_at      BIGINT
);
CREATE INDEX subscriptions_target ON subscriptions (kind, target, state);

-- Each status event once (an incident's n-th update, a maintenance window):
-- the replica whose insert adds the key fans it out, in the same transaction.
CREATE TABLE status_events (
    event_key TEXT   PRIMARY KEY,
    system_id TEXT   NOT NULL,
    seen_at   BIGINT NOT NULL,
    body      TEXT   NOT NULL -- JSON: the StatusEvent (also the webhook payload)
);

-- What each subscription is owed: the opt-in e-mail (event 'confirm') and
-- every event it follows; claimed with a lease, retried with backoff.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    subscription_id BIGINT  NOT NULL REFERENCES subscriptions (id),
    event_key       TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending', -- pending | sent | failed | cancelled
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT  NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_at         BIGINT,
    UNIQUE (subscription_id, event_key)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
