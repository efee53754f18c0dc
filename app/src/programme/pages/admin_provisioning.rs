//! `/admin/provisioning` (admins only): every award's scheduler account
//! (pending, provisioned, or failed with the reason), what the last pass of
//! each cluster found beside the awards (accounts and users the portal does
//! not manage, left alone) and a pass on demand.

use kairr_shared::auth::Action;
use kairr_shared::provisioning::{ProvisionState, Provisioning, ProvisioningRun};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::components::header::SitePage;
use crate::common::components::kst_time::KstTime;
use crate::common::i18n::{tr, trf};
use crate::programme::api;
use crate::programme::components::access::RequireRole;
use crate::programme::components::shell::Shell;
use crate::programme::data::use_provisioning;
use crate::programme::labels;
use crate::programme::pages::admin::AdminNav;
use crate::programme::session::use_session;

/// The page.
#[component]
pub fn AdminProvisioningPage() -> impl IntoView {
    view! {
        <Shell page=SitePage::Other class="admin">
            <div class="programme-intro" data-testid="page-intro">
                <h2>{move || tr("admin.prov.title")}</h2>
                <p>{move || tr("admin.prov.intro")}</p>
            </div>
            <RequireRole action=Action::Administer>
                <AdminNav current="provisioning"/>
                <Accounts/>
            </RequireRole>
        </Shell>
    }
}

fn state_label(s: ProvisionState) -> String {
    tr(&format!("admin.prov.state.{}", s.as_str()))
}

#[component]
fn Accounts() -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    let report = use_provisioning(version.into());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<FetchError>);
    let run_now = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::run_provisioning(&session.csrf()).await {
                Ok(_) => {
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // One closure renders what the report holds (plain views: this page is
    // read more than it changes, and each reactive list would cost the bundle).
    let body = move || {
        let report = report.data.get()?;
        let head = if report.configured {
            view! {
                <p>
                    <button type="button" class="button" data-testid="prov-run" on:click=run_now
                        disabled=move || busy.get()>{tr("admin.prov.run")}</button>
                </p>
            }
            .into_any()
        } else {
            view! { <p class="notice" data-testid="prov-unconfigured">{tr("admin.prov.unconfigured")}</p> }.into_any()
        };
        let kube = report.kubernetes.then(|| {
            view! {
                <p>
                    <a href="/api/v1/admin/provisioning/kubernetes" download="kairr-kubernetes.json" rel="external"
                        data-testid="prov-kube">{tr("admin.prov.kubernetes")}</a>
                </p>
            }
        });
        // Without a scheduler no account is ever recorded: the notice above says why, not "none yet".
        let table = if report.allocations.is_empty() && !report.configured {
            ().into_any()
        } else if report.allocations.is_empty() {
            view! { <p class="muted" data-testid="prov-none">{tr("admin.prov.none")}</p> }.into_any()
        } else {
            view! {
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="prov-title">
                <table class="data-table" data-testid="prov-table">
                    <caption class="sr-only">{tr("admin.prov.accounts")}</caption>
                    <thead><tr>
                        <th scope="col">{tr("admin.prov.allocation")}</th>
                        <th scope="col">{tr("admin.prov.account")}</th>
                        <th scope="col">{tr("admin.prov.cluster")}</th>
                        <th scope="col">{tr("admin.prov.state")}</th>
                        <th scope="col">{tr("admin.prov.checked")}</th>
                    </tr></thead>
                    <tbody>{report.allocations.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
            }
            .into_any()
        };
        Some(view! {
            {head}
            {kube}
            {report.runs.into_iter().map(run_summary).collect_view()}
            {table}
        })
    };
    view! {
        <section class="panel" aria-labelledby="prov-title">
            <h3 id="prov-title">{move || tr("admin.prov.accounts")}</h3>
            <FetchErrorView error=report.error message=Signal::derive(|| tr("admin.prov.load_failed"))/>
            <FetchErrorView error=error message=Signal::derive(|| tr("admin.prov.run_failed"))/>
            {body}
        </section>
    }
}

fn row(row: Provisioning) -> impl IntoView {
    let reason = (!row.reason.is_empty()).then(|| {
        let failures = trf("admin.prov.failures", &[("n", row.failures.to_string())]);
        view! { <p class="muted prov-reason">{failures}" "<code>{row.reason}</code></p> }
    });
    view! {
        <tr data-testid=format!("prov-row-{}", row.allocation.0)>
            <td>{row.allocation.0}" · "{labels::pool(&row.pool)}</td>
            <td><code>{row.account}</code></td>
            <td>{row.cluster}</td>
            <td>
                <span class="stage-badge" data-stage=row.state.as_str() data-testid="prov-state">{state_label(row.state)}</span>
                {reason}
            </td>
            <td>{row.checked_at.map(|at| view! { <KstTime at=at/> })}</td>
        </tr>
    }
}

fn run_summary(run: ProvisioningRun) -> impl IntoView {
    let strangers: Vec<String> = run
        .unmanaged_accounts
        .iter()
        .cloned()
        .chain(run.unmanaged_users.iter().map(|u| format!("{}/{}", u.account, u.user)))
        .collect();
    let strangers = (!strangers.is_empty()).then(|| {
        view! { <p class="muted" data-testid="prov-unmanaged">{tr("admin.prov.unmanaged")}" "<code>{strangers.join(", ")}</code></p> }
    });
    let last = trf("admin.prov.last_run", &[("cluster", run.cluster), ("n", run.changes.to_string())]);
    let state = tr(if run.ok { "admin.prov.run_ok" } else { "admin.prov.run_failed_state" });
    let error =
        run.error.map(|e| view! { <p class="error-text">{tr("admin.prov.read_failed")}" "<code>{e}</code></p> });
    view! {
        <div class="prov-run" data-testid="prov-run-summary">
            <p>{last}" "<KstTime at=run.at/>" · "<strong>{state}</strong></p>
            {error}
            {strangers}
        </div>
    }
}
