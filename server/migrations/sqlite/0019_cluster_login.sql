-- A person's login on the schedulers' clusters when it is not their portal username
-- (provisioning adds it to their projects' Slurm accounts). NULL: the username.
ALTER TABLE users ADD COLUMN cluster_login TEXT;
