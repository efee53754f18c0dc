//! Awards on GPU-cloud pools as Kubernetes objects (issue 13 §3), checked
//! against the published Kubernetes schemas by a real validator (PyPI's
//! `kubernetes-validate`, strict: unknown fields refused), since no cluster
//! is available here: a namespace with its GPU quota and the team's role
//! binding; with Kubeflow, a `Profile` whose quota spec is a valid
//! `ResourceQuotaSpec`. A broken object is refused by the same validator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: failing fast is the point

use std::path::{Path, PathBuf};
use std::process::Command;

use kairr_server::provision::KubeProvisioning;
use serde_json::{json, Value};

use crate::support::award::AwardSpec;
use crate::support::db::texts;
use crate::support::{self, Caller, TestApp};

const ROUND: &str = "2027-7";

fn validator() -> PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/kube-validate-venv/bin/kubernetes-validate");
    assert!(
        bin.exists(),
        "{} is missing: ./kairr test installs it (python3 -m venv target/tools/kube-validate-venv && \
         target/tools/kube-validate-venv/bin/pip install kubernetes-validate==1.37.0)",
        bin.display()
    );
    bin
}

/// Runs the validator on `objects` (one YAML document each); its exit status and output.
fn validate(objects: &[Value]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("objects.yaml");
    let text: String = objects.iter().map(|o| format!("---\n{o}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let out = Command::new(validator()).args(["--strict", "-k", "1.37.0"]).arg(&file).output().unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success() && !printed.contains("did not validate"), printed)
}

/// A real award of 2 whole servers on the Kakao B200 pool whose period began `back` days ago.
async fn award(app: &TestApp, admin: &Caller, back: u64) -> u64 {
    let spec = AwardSpec { round: ROUND, pool: "kakao-b200", unit: "servers", amount: 2, back };
    support::award::award(app, admin, &spec).await
}

fn settings(kubeflow: bool) -> KubeProvisioning {
    KubeProvisioning {
        pools: vec!["kakao-b200".into()],
        kubeflow,
        namespace_prefix: "kairr-".into(),
        gpu_resource: "nvidia.com/gpu".into(),
        user_suffix: "@kairr.kr".into(),
    }
}

#[tokio::test]
async fn cloud_awards_become_namespaces_quotas_and_profiles_that_the_kubernetes_schemas_accept() {
    validator();
    let app = support::spawn_with(|s| s.provisioning.kubernetes = Some(settings(false))).await;
    let admin = app.caller("demo.admin").await;
    award(&app, &admin, 0).await;
    let (code, list) = admin.get("/api/v1/admin/provisioning/kubernetes").await;
    assert_eq!(code, 200, "{list}");
    assert_eq!((list["apiVersion"].as_str(), list["kind"].as_str()), (Some("v1"), Some("List")));
    let items = list["items"].as_array().unwrap().clone();
    // Only the real award (the demo's are never provisioned): its namespace, quota and team.
    let kinds: Vec<&str> = items.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Namespace", "ResourceQuota", "RoleBinding"], "{list}");
    let ns = items[0]["metadata"]["name"].as_str().unwrap();
    assert!(ns.starts_with("kairr-r2027-7-"), "{ns}");
    assert_eq!(items[1]["spec"]["hard"]["requests.nvidia.com/gpu"], "16", "2 servers of 8 GPUs");
    let users: Vec<&str> =
        items[2]["subjects"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(users, ["demo.researcher@kairr.kr", "demo.reviewer@kairr.kr"]);
    let (ok, printed) = validate(&items);
    assert!(ok, "{printed}");
    assert_eq!(printed.matches("passed for resource").count(), 3, "{printed}");

    // The validator is not lenient: an unknown field in the quota is refused.
    let mut broken = items[1].clone();
    broken["spec"]["hardd"] = broken["spec"]["hard"].take();
    let (ok, printed) = validate(&[broken]);
    assert!(!ok, "{printed}");

    // The admin's page offers them; the report says so.
    let (_, report) = admin.get("/api/v1/admin/provisioning").await;
    assert_eq!((report["kubernetes"].as_bool(), report["configured"].as_bool()), (Some(true), Some(false)));

    // Kubeflow: a Profile owned by the applicant, its quota spec a valid ResourceQuotaSpec.
    let flow = support::spawn_with(|s| s.provisioning.kubernetes = Some(settings(true))).await;
    let flow_admin = flow.caller("demo.admin").await;
    award(&flow, &flow_admin, 0).await;
    let (_, list) = flow_admin.get("/api/v1/admin/provisioning/kubernetes").await;
    let items = list["items"].as_array().unwrap().clone();
    let kinds: Vec<&str> = items.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Profile", "RoleBinding"], "{list}");
    let profile = &items[0];
    assert_eq!(profile["apiVersion"], "kubeflow.org/v1");
    assert_eq!(profile["spec"]["owner"], json!({"kind": "User", "name": "demo.researcher@kairr.kr"}));
    let quota = json!({
        "apiVersion": "v1", "kind": "ResourceQuota",
        "metadata": {"name": "kf-resource-quota", "namespace": profile["metadata"]["name"]},
        "spec": profile["spec"]["resourceQuotaSpec"],
    });
    let (ok, printed) = validate(&[quota, items[1].clone()]);
    assert!(ok, "{printed}");
    assert_eq!(printed.matches("passed for resource").count(), 2, "{printed}");

    // Without Kubernetes pools configured: refused with its code.
    let plain = support::spawn().await;
    let (code, err) = plain.caller("demo.admin").await.get("/api/v1/admin/provisioning/kubernetes").await;
    assert_eq!((code, err["error"].as_str()), (409, Some("provisioning_not_configured")), "{err}");
}

/// The GPU quota of the award's namespace, as the manifests give it.
async fn quota(admin: &Caller) -> String {
    let (code, list) = admin.get("/api/v1/admin/provisioning/kubernetes").await;
    assert_eq!(code, 200, "{list}");
    list["items"][1]["spec"]["hard"]["requests.nvidia.com/gpu"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_admin_ends_an_allocation_now_audited_told_to_its_holders_and_followed_by_the_quota() {
    let app = support::spawn_with(|s| s.provisioning.kubernetes = Some(settings(false))).await;
    let admin = app.caller("demo.admin").await;
    let request = award(&app, &admin, 5).await;
    assert_eq!(quota(&admin).await, "16", "open: 2 servers of 8 GPUs");
    let (_, detail) = admin.get(&format!("/api/v1/committee/requests/{request}")).await;
    assert_eq!(detail["period_changeable"], true, "{detail}");
    let id = detail["allocation"]["id"].as_u64().unwrap();
    let first = detail["allocation"]["start"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/admin/allocations/{id}/period");
    let today = kairr_shared::time::kst_day(chrono::Utc::now().timestamp());
    let day = |back: u64| (today - chrono::Days::new(back)).to_string();

    // Only admins; the committee sees no form.
    let committee = app.caller("demo.committee").await;
    let (_, seen) = committee.get(&format!("/api/v1/committee/requests/{request}")).await;
    assert_eq!(seen["period_changeable"], false);
    let body = json!({"period_start": first, "period_end": day(1), "reason": "과제 종료"});
    assert_eq!(committee.post(&url, &body).await.0, 403);

    // The past stays: a started allocation keeps its first day; two days ago is too early an
    // end; a reason is required. Every field named at once; nothing changes.
    let bad = json!({"period_start": day(4), "period_end": day(2), "reason": " "});
    let (code, err) = admin.post(&url, &bad).await;
    assert_eq!(code, 400, "{err}");
    let fields: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["period_start", "period_end", "reason"], "{err}");
    assert_eq!(quota(&admin).await, "16");

    // Ended now: yesterday is its last day; the quota is 0 from today.
    let (code, ended) = admin.post(&url, &body).await;
    assert_eq!(code, 200, "{ended}");
    assert_eq!((ended["start"].as_str(), ended["end"].as_str()), (Some(first.as_str()), Some(day(1).as_str())));
    assert_eq!(ended["amount"], 2, "the award stays");
    assert_eq!(quota(&admin).await, "0");
    let (_, detail) = admin.get(&format!("/api/v1/committee/requests/{request}")).await;
    assert_eq!(detail["allocation"]["end"], day(1).as_str());

    // Audited with the reason; both holders are told, with the reason.
    let db = app.db().await;
    let audited = texts(
        &db,
        "SELECT actor || ' ' || action || ' ' || subject FROM audit_log WHERE action = 'allocation_period_changed'",
        &[],
    )
    .await;
    assert_eq!(audited, [format!("demo.admin allocation_period_changed allocation:{id}")]);
    for holder in ["demo.researcher", "demo.reviewer"] {
        let (_, list) = app.caller(holder).await.get("/api/v1/me/notifications").await;
        let told = list["items"].as_array().unwrap().iter().find(|n| n["notice"]["kind"] == "allocation_changed");
        let told = told.unwrap_or_else(|| panic!("{holder} was not told: {list}"));
        assert_eq!(told["notice"]["facts"]["reason"], "과제 종료", "{told}");
    }

    // The same period again is no change; demo allocations and unknown ids are not found.
    let (code, err) = admin.post(&url, &body).await;
    assert_eq!((code, err["fields"][0]["field"].as_str()), (400, Some("period_end")), "{err}");
    let demo = texts(&db, "SELECT CAST(id AS TEXT) FROM allocations WHERE source = 'demo' LIMIT 1", &[]).await;
    assert_eq!(admin.post(&format!("/api/v1/admin/allocations/{}/period", demo[0]), &body).await.0, 404);
    assert_eq!(admin.post("/api/v1/admin/allocations/999999/period", &body).await.0, 404);
    assert_eq!(admin.post("/api/v1/admin/allocations/x/period", &body).await.0, 400);
}
