-- The organisations directory (issue 10 §1): seeded from
-- shared/data/organisations.json at start-up (entries not yet present are
-- added; admins' changes are kept) and maintained by admins. The body is the
-- JSON of `kairr_shared::organisations::Organisation`; updates are
-- conditional on the body the admin's change was made against.
CREATE TABLE organisations (
    id   TEXT    PRIMARY KEY,
    body TEXT    NOT NULL,
    demo BOOLEAN NOT NULL DEFAULT FALSE
);
-- A person's organisation is a directory entry; `organisation` keeps its
-- Korean name for display. NULL: an account from before the directory whose
-- name matched no entry (start-up links the ones that match).
ALTER TABLE users ADD COLUMN organisation_id TEXT;
