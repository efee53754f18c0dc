-- Reviewer assignment (issue 10 §1): a reviewer's place on a request. The
-- body is the JSON of `kairr_shared::allocation::assignment::Assignment`;
-- `declined` mirrors whether the reviewer declared a conflict (a declined
-- place stays, as the record of the declaration, and frees the place).
CREATE TABLE assignments (
    request_id BIGINT  NOT NULL REFERENCES requests (id),
    reviewer   TEXT    NOT NULL,
    round_id   TEXT    NOT NULL,
    declined   BOOLEAN NOT NULL DEFAULT FALSE,
    body       TEXT    NOT NULL,
    PRIMARY KEY (request_id, reviewer)
);
CREATE INDEX assignments_round ON assignments (round_id);
CREATE INDEX assignments_reviewer ON assignments (reviewer);
-- Declared fields of expertise, a JSON array of strings (automatic assignment prefers a match).
ALTER TABLE users ADD COLUMN expertise TEXT NOT NULL DEFAULT '[]';
