-- Ids of requests and allocations are reserved inside the write transaction
-- that uses them (`programme/write.rs`): the counter row is updated (and, on
-- PostgreSQL, row-locked until commit), never below the largest id present,
-- so demo rows loaded with fixed ids are never collided with. The same
-- statement in both dialects.
CREATE TABLE id_counters (
    name TEXT   PRIMARY KEY,
    last BIGINT NOT NULL
);
INSERT INTO id_counters (name, last) VALUES ('requests', (SELECT COALESCE(MAX(id), 0) FROM requests));
INSERT INTO id_counters (name, last) VALUES ('allocations', (SELECT COALESCE(MAX(id), 0) FROM allocations));
