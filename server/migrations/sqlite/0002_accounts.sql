-- Local accounts. Passwords are argon2id PHC strings, never plain text.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    organisation  TEXT    NOT NULL,
    role          TEXT    NOT NULL, -- researcher | reviewer | committee | admin
    password_hash TEXT    NOT NULL,
    demo          INTEGER NOT NULL DEFAULT 0, -- created by the demo source
    created_at    INTEGER NOT NULL
);
