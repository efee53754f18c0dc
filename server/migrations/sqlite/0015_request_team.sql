-- The researcher's request page (issue 10 §1): co-investigators of a request
-- (other accounts; they follow it and see its history), and each audit
-- entry's subject as a column so one request's history is an index lookup.
CREATE TABLE request_members (
    request_id INTEGER NOT NULL REFERENCES requests (id),
    username   TEXT   NOT NULL,
    PRIMARY KEY (request_id, username)
);
CREATE INDEX request_members_username ON request_members (username);

-- `kind:id` of the entry's subject (e.g. `request:12`); empty on entries
-- written before this column (their subject is still in the body).
ALTER TABLE audit_log ADD COLUMN subject TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_subject ON audit_log (subject);
