-- Institutional sign-in (issue 10 §2): a provider's subject linked to the
-- account its first sign-in created. A subject is linked to one account
-- (the primary key), so two concurrent first sign-ins create one account.
CREATE TABLE identities (
    provider   TEXT   NOT NULL, -- the provider's id in the settings
    subject    TEXT   NOT NULL, -- the ID token's `sub`
    username   TEXT   NOT NULL,
    created_at BIGINT NOT NULL, -- unix seconds
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_username ON identities (username);
