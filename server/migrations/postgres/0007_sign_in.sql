-- Sign-in hardening (issue 9 §3). PostgreSQL twin of sqlite/0007_sign_in.sql.
--
-- Sign-in attempts per bucket, shared by every replica: 'u:' + the first 32
-- hex digits of SHA-256 of a (valid) username, or 'a:' + a client address
-- (IPv6 by /64). An attempt is counted before its password is checked; a
-- window restarts when its first attempt is older than the window. Rows of
-- ended windows are pruned, so the table holds at most the buckets seen in
-- one window.
CREATE TABLE login_attempts (
    bucket       TEXT   PRIMARY KEY,
    window_start BIGINT NOT NULL, -- unix seconds of the window's first attempt
    attempts     BIGINT NOT NULL
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);

-- Keys the replicas share, created once by whichever starts first
-- ('csrf': the HMAC key of anonymous CSRF tokens).
CREATE TABLE server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A disabled account cannot sign in and its sessions end (demo accounts
-- after `demo.accounts` is turned off).
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
