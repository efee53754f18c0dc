//! The server's integration tests, as one test binary: each module is one
//! area (the API of a face, a source against its real server, the write path
//! under concurrency…). One binary rather than one per file: the server is
//! linked once, which keeps a clean `./kairr test` within the build machines'
//! disk and time. Run one area with `cargo test -p kairr-server --test
//! integration write_path_api::`.

mod prom_rig;
mod slurm_cluster;
mod support;

mod adopt_api;
mod assignment_api;
mod auth_api;
mod history_api;
mod lifecycle_api;
mod mixed_sources;
mod notifications_api;
mod openapi_schemas;
mod ops_api;
mod ops_hardening;
mod organisations_api;
mod own_request_api;
mod people_api;
mod placement_api;
mod programme_api;
mod prometheus_source;
mod provisioning_kube;
mod provisioning_slurm;
mod replicas_api;
mod restart_api;
mod routes_documented;
mod signin_api;
mod slurm_portal;
mod slurm_source;
mod source_limits;
mod status_api;
mod status_ops_api;
mod subscriptions_api;
mod usage_api;
mod write_path_api;
