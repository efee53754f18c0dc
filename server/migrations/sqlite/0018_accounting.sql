-- Usage from the scheduler's accounting (issue 13 §2). Each job Slurm
-- accounted is counted up to `counted_until` (its end, or the last reading
-- while it ran), so re-reading the same jobs adds nothing; a job that
-- started and ended between two readings is counted whole. Rows of jobs
-- that ended long before the reading window are pruned.
CREATE TABLE accounted_jobs (
    cluster       TEXT   NOT NULL,
    job_id        BIGINT NOT NULL,
    counted_until BIGINT NOT NULL,
    PRIMARY KEY (cluster, job_id)
);

-- Up to when each cluster's accounting was read (the next reading starts a
-- little before it) and when its reading began (for the idle check's grace).
CREATE TABLE accounting_reads (
    cluster    TEXT   PRIMARY KEY,
    first_read BIGINT NOT NULL,
    read_until BIGINT NOT NULL
);
