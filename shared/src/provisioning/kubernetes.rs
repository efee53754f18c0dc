//! Awards on GPU-cloud pools as Kubernetes objects (issue 13 §3): per award
//! a namespace with a `ResourceQuota` on GPUs and a `RoleBinding` for its
//! team, or, where Kubeflow is used, a Kubeflow `Profile` (which makes the
//! namespace and its quota) and a `RoleBinding` for the co-investigators.
//! The operator applies them (`kubectl apply -f`); pure, like the rest.
//!
//! The GPU quota is what the award holds at once: whole servers' GPUs; for
//! GPU-hours, the award's pace (the hours spread over the period, rounded up
//! to whole GPUs). Outside the period it is 0: no new GPU pod is admitted.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::Award;
use crate::allocation::{Allocation, PoolUnit};

/// One Kubernetes cluster (or Kubeflow) the portal writes manifests for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KubeSite {
    /// Catalogue pool ids whose awards become namespaces here.
    pub pools: Vec<String>,
    /// Kubeflow `Profile`s instead of plain namespaces.
    pub kubeflow: bool,
    /// Prefix of the namespaces' names (`kairr-` → `kairr-r2027-1-0042`).
    pub namespace_prefix: String,
    /// The GPUs' extended resource name.
    pub gpu_resource: String,
    /// Appended to usernames to make the cluster's user names (e.g. `@kairr.kr`).
    pub user_suffix: String,
}

/// A `v1` `List` of objects, as `kubectl apply -f` takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KubeList {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    /// Namespaces, resource quotas, Kubeflow profiles and role bindings.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub items: Vec<Value>,
}

impl KubeList {
    pub fn new(items: Vec<Value>) -> KubeList {
        KubeList { api_version: "v1".into(), kind: "List".into(), items }
    }
}

/// The namespace of project account `account`: a DNS-1123 label (lower-case
/// letters, digits and `-`, at most 63, starting and ending alphanumeric).
pub fn namespace_of(prefix: &str, account: &str) -> String {
    let raw: String = format!("{prefix}{account}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .take(63)
        .collect();
    let name = raw.trim_matches('-');
    if name.is_empty() {
        "kairr".into()
    } else {
        name.to_owned()
    }
}

/// GPUs the award may hold at once on KST day `today` (0 outside its period).
pub fn gpu_quota(a: &Allocation, today: NaiveDate) -> u64 {
    if !(a.start..=a.end).contains(&today) {
        return 0;
    }
    match a.unit {
        PoolUnit::Servers => a.gpus.unwrap_or(0),
        PoolUnit::GpuHours | PoolUnit::NodeHours => {
            let hours = ((a.end - a.start).num_days().max(0) as u64 + 1) * 24;
            a.amount.div_ceil(hours).max(1)
        }
    }
}

/// The objects of every award in `site`'s pools on `today`, in apply order.
pub fn manifests(site: &KubeSite, awards: &[Award], today: NaiveDate) -> Vec<Value> {
    let mut out = Vec::new();
    for award in awards.iter().filter(|a| site.pools.contains(&a.allocation.pool) && !a.allocation.account.is_empty()) {
        let a = &award.allocation;
        let ns = namespace_of(&site.namespace_prefix, &a.account);
        let labels = json!({
            "app.kubernetes.io/managed-by": "kairr",
            "kairr.kr/account": a.account,
            "kairr.kr/allocation": a.id.0.to_string(),
            "kairr.kr/pool": a.pool,
        });
        let hard = json!({ format!("requests.{}", site.gpu_resource): gpu_quota(a, today).to_string() });
        let user = |u: &String| json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": format!("{u}{}", site.user_suffix)});
        let (owner, others) = award.users.split_first().map_or((None, &[][..]), |(o, rest)| (Some(o), rest));
        if site.kubeflow {
            out.push(json!({
                "apiVersion": "kubeflow.org/v1",
                "kind": "Profile",
                "metadata": {"name": ns, "labels": labels},
                "spec": {
                    "owner": {"kind": "User", "name": owner.map(|o| format!("{o}{}", site.user_suffix)).unwrap_or_default()},
                    "resourceQuotaSpec": {"hard": hard},
                },
            }));
            if !others.is_empty() {
                out.push(role_binding(&ns, &labels, "kubeflow-edit", others.iter().map(user).collect()));
            }
        } else {
            out.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": labels}}));
            out.push(json!({
                "apiVersion": "v1",
                "kind": "ResourceQuota",
                "metadata": {"name": "kairr-award", "namespace": ns, "labels": labels},
                "spec": {"hard": hard},
            }));
            if !award.users.is_empty() {
                out.push(role_binding(&ns, &labels, "edit", award.users.iter().map(user).collect()));
            }
        }
    }
    out
}

fn role_binding(ns: &str, labels: &Value, role: &str, subjects: Vec<Value>) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "kairr-team", "namespace": ns, "labels": labels},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::{AllocationId, RequestId, RoundId};

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    fn award(unit: PoolUnit, amount: u64, users: &[&str]) -> Award {
        Award {
            allocation: Allocation {
                id: AllocationId(7),
                request: RequestId(42),
                round: RoundId("2027-1".into()),
                account: "r2027-1-0042".into(),
                pool: "kakao-b200".into(),
                unit,
                amount,
                gpus: (unit == PoolUnit::Servers).then_some(amount * 8),
                start: day("2027-03-01"),
                end: day("2027-03-10"),
            },
            organisation: "kaist".into(),
            users: users.iter().map(|u| (*u).to_owned()).collect(),
        }
    }

    fn site(kubeflow: bool) -> KubeSite {
        KubeSite {
            pools: vec!["kakao-b200".into()],
            kubeflow,
            namespace_prefix: "kairr-".into(),
            gpu_resource: "nvidia.com/gpu".into(),
            user_suffix: "@kairr.kr".into(),
        }
    }

    #[test]
    fn servers_become_a_namespace_with_their_gpus_as_quota_and_the_team_as_editors() {
        let m = manifests(&site(false), &[award(PoolUnit::Servers, 2, &["minji", "jisoo"])], day("2027-03-01"));
        let kinds: Vec<&str> = m.iter().map(|o| o["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["Namespace", "ResourceQuota", "RoleBinding"]);
        assert_eq!(m[0]["metadata"]["name"], "kairr-r2027-1-0042");
        assert_eq!(m[1]["spec"]["hard"]["requests.nvidia.com/gpu"], "16");
        assert_eq!(m[2]["subjects"][1]["name"], "jisoo@kairr.kr");
        assert_eq!(m[2]["metadata"]["namespace"], "kairr-r2027-1-0042");
    }

    #[test]
    fn gpu_hours_hold_their_pace_and_nothing_outside_the_period() {
        // 10 days × 24 h = 240 h: 1,000 GPU-hours need 5 GPUs at once (4.17 rounded up).
        let a = award(PoolUnit::GpuHours, 1_000, &["minji"]).allocation;
        assert_eq!(gpu_quota(&a, day("2027-03-05")), 5);
        assert_eq!(gpu_quota(&a, day("2027-03-10")), 5);
        assert_eq!(gpu_quota(&a, day("2027-03-11")), 0);
        assert_eq!(gpu_quota(&a, day("2027-02-28")), 0);
        assert_eq!(gpu_quota(&award(PoolUnit::GpuHours, 1, &[]).allocation, day("2027-03-05")), 1);
    }

    #[test]
    fn kubeflow_gets_a_profile_owned_by_the_applicant_and_a_binding_for_the_others() {
        let m = manifests(&site(true), &[award(PoolUnit::Servers, 1, &["minji", "jisoo"])], day("2027-03-01"));
        assert_eq!(m[0]["kind"], "Profile");
        assert_eq!(m[0]["spec"]["owner"], json!({"kind": "User", "name": "minji@kairr.kr"}));
        assert_eq!(m[0]["spec"]["resourceQuotaSpec"]["hard"]["requests.nvidia.com/gpu"], "8");
        assert_eq!(m[1]["roleRef"]["name"], "kubeflow-edit");
        assert_eq!(m[1]["subjects"].as_array().unwrap().len(), 1);
        // Pools of other sites are not written.
        let mut other = award(PoolUnit::Servers, 1, &["x"]);
        other.allocation.pool = "kisti6-gh200".into();
        assert!(manifests(&site(true), &[other], day("2027-03-01")).is_empty());
    }

    #[test]
    fn namespaces_are_dns_labels() {
        assert_eq!(namespace_of("KAIRR_", "r2027-1-0042"), "kairr-r2027-1-0042");
        assert_eq!(namespace_of("", "-x-"), "x");
        assert_eq!(namespace_of(&"a".repeat(70), "r").len(), 63);
        assert_eq!(namespace_of("", "--"), "kairr");
    }
}
