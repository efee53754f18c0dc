//! Provisioning of awards into the schedulers, for admins: each allocation's
//! account state (pending / provisioned / failed with the reason), what the
//! last pass found beside the awards, and a pass on demand.

use axum::extract::State;
use axum::Json;
use kairr_shared::auth::Action;
use kairr_shared::provisioning::kubernetes::{manifests, KubeList};
use kairr_shared::provisioning::{ProvisioningReport, ProvisioningRun};
use tower_sessions::Session;

use crate::auth::require;
use crate::error::AppError;
use crate::state::AppState;

/// Every award's scheduler account and the last reconciliation per cluster.
#[utoipa::path(get, path = "/api/v1/admin/provisioning", tag = "administration",
    security(("session" = ["admin"])),
    responses((status = 200, description = "Accounts per allocation and the last pass per cluster", body = ProvisioningReport),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin", body = kairr_shared::api::ApiError)))]
pub async fn get_provisioning(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<ProvisioningReport>, AppError> {
    require(&session, &state.storage, Action::Administer).await?;
    let configured = state.settings.provisioning.slurm.is_some();
    let mut report = state.storage.provisioning_report(configured).await?;
    report.kubernetes = state.settings.provisioning.kubernetes.is_some();
    Ok(Json(report))
}

/// The Kubernetes objects of every award on the configured GPU-cloud pools
/// (a `v1` `List`: `kubectl apply -f` takes it as it is): per award a
/// namespace with a GPU `ResourceQuota` and a `RoleBinding` for its team, or a
/// Kubeflow `Profile` where Kubeflow is used; quotas are 0 outside the period.
#[utoipa::path(get, path = "/api/v1/admin/provisioning/kubernetes", tag = "administration",
    security(("session" = ["admin"])),
    responses((status = 200, description = "The objects to apply", body = KubeList),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin", body = kairr_shared::api::ApiError),
              (status = 409, description = "No Kubernetes pools are configured (`provisioning_not_configured`)", body = kairr_shared::api::ApiError)))]
pub async fn get_kubernetes(State(state): State<AppState>, session: Session) -> Result<Json<KubeList>, AppError> {
    require(&session, &state.storage, Action::Administer).await?;
    let Some(kube) = &state.settings.provisioning.kubernetes else {
        return Err(not_configured("no Kubernetes pools are configured for provisioning ([provisioning.kubernetes])"));
    };
    let awards = state.storage.provisioning_awards(false).await?;
    let today = kairr_shared::time::kst_day(chrono::Utc::now().timestamp());
    Ok(Json(KubeList::new(manifests(&kube.site(), &awards, today))))
}

fn not_configured(message: &str) -> AppError {
    AppError::Clash { code: "provisioning_not_configured", field: None, message: message.into() }
}

/// Reconciles now (as the scheduled pass does): creates what is missing,
/// corrects limits that drifted, reports what the portal does not manage.
#[utoipa::path(post, path = "/api/v1/admin/provisioning/run", tag = "administration",
    params(("X-CSRF-Token" = String, Header, description = "from /api/v1/auth/session")),
    security(("session" = ["admin"])),
    responses((status = 200, description = "What the pass found and did", body = ProvisioningRun),
              (status = 401, description = "Not signed in", body = kairr_shared::api::ApiError),
              (status = 403, description = "Not an admin, or no CSRF token", body = kairr_shared::api::ApiError),
              (status = 409, description = "No scheduler is configured (`provisioning_not_configured`)", body = kairr_shared::api::ApiError)))]
pub async fn post_provisioning_run(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<ProvisioningRun>, AppError> {
    let user = require(&session, &state.storage, Action::Administer).await?;
    let Some(slurm) = &state.settings.provisioning.slurm else {
        return Err(not_configured("no scheduler is configured for provisioning ([provisioning.slurm])"));
    };
    let run = crate::provision::reconcile_once(&state.storage, slurm, chrono::Utc::now()).await?;
    tracing::info!(cluster = run.cluster, by = user.username, changes = run.changes, ok = run.ok, "provisioning pass");
    Ok(Json(run))
}
