-- One-time links to set a password (issue 10 §1): an invitation for a new
-- account, or a reset. Only the SHA-256 of the token is stored; a link works
-- once, until it expires, and a newer link for the same person replaces the
-- unused ones. Invited accounts have an empty password hash until then (no
-- password verifies against it).
CREATE TABLE invitations (
    token_hash TEXT   PRIMARY KEY,
    username   TEXT   NOT NULL,
    expires_at BIGINT NOT NULL, -- unix seconds
    used_at    BIGINT           -- unix seconds; NULL while unused
);
CREATE INDEX invitations_username ON invitations (username);
