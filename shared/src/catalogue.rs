//! The fleet catalogue: systems, pools and GPU models, read from TOML.
//!
//! The embedded default is `shared/catalogue/fleet.toml`; every figure there
//! carries its source. Parsing validates cross-references so the rest of the
//! code can index without checks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::api::SystemKind;

mod load;
mod placement;
mod policy;

pub use load::Load;
pub use placement::{Interconnect, Placement, PlatformFit};
pub use policy::{
    AdvisorPolicy, Efficiency, MemoryModel, PricePolicy, SectorMultipliers, WaitCalibration, WaitModel,
    WeightOverrides, Weights,
};

/// The catalogue shipped with the portal.
pub const EMBEDDED_TOML: &str = include_str!("../catalogue/fleet.toml");

/// The whole fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalogue {
    /// The catalogue's version (placement results and drafts quote it).
    #[serde(default = "unversioned")]
    pub version: String,
    /// The date its figures were last checked (ISO 8601).
    #[serde(default)]
    pub as_of: String,
    pub status_policy: StatusPolicy,
    /// GPU model name → specification.
    pub gpu_models: BTreeMap<String, GpuModel>,
    /// Market reference prices and what each sector pays (placement advisor).
    pub price_policy: PricePolicy,
    /// The placement advisor's weights and assumptions.
    pub advisor: AdvisorPolicy,
    pub systems: Vec<System>,
}

fn unversioned() -> String {
    "unversioned".into()
}

/// Thresholds that turn node counts into statuses, and the uptime weighting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusPolicy {
    /// Fraction of in-service nodes down from which a pool is degraded.
    pub degraded_down_fraction: f64,
    pub partial_outage_down_fraction: f64,
    pub major_outage_down_fraction: f64,
    /// Downtime weight of a partial-outage minute (a major-outage minute weighs 1).
    pub partial_outage_downtime_weight: f64,
}

/// Per-GPU specification (dense TFLOPS).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GpuModel {
    pub memory_gb: u32,
    pub fp64_tflops: f64,
    pub tf32_tflops: f64,
    pub bf16_tflops: f64,
    pub fp8_tflops: f64,
    /// 0 when the model has no FP4.
    pub fp4_tflops: f64,
    /// FP64 on CUDA cores (plain simulation codes), TFLOPS.
    pub fp64_vector_tflops: f64,
    /// FP32 on CUDA cores (plain simulation codes; TF32 is a tensor format), TFLOPS.
    pub fp32_vector_tflops: f64,
    /// HBM bandwidth, TB/s (bounds stencil, sparse, CFD and decoding codes).
    pub memory_tb_per_s: f64,
    /// Board power in watts.
    pub power_w: u32,
}

/// A system: KISTI-6, or one provider's share of the government GPU cloud.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct System {
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
    pub kind: SystemKind,
    /// Who runs it, by its English name.
    pub operator: String,
    /// Who runs it, by its Korean name (the English one when absent).
    #[serde(default)]
    pub operator_ko: String,
    /// Power usage effectiveness of the hosting data centre.
    pub pue: f64,
    /// Days between planned maintenance windows.
    pub maintenance_every_days: u32,
    /// Length of a maintenance window in hours.
    pub maintenance_hours: u32,
    /// Fraction of nodes taken out during a window (1.0 = whole system).
    pub maintenance_fraction: f64,
    pub pools: Vec<Pool>,
}

/// How a pool schedules work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SchedulerKind {
    /// HPC batch scheduler with walltime limits (Slurm class).
    Batch,
    /// Kubernetes with gang scheduling (Kubeflow/Kueue class); no walltime limit.
    Kubernetes,
}

/// A partition (HPC) or government pool (cloud).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pool {
    pub id: String,
    pub name_ko: String,
    pub name_en: String,
    /// Key into [`Catalogue::gpu_models`].
    pub gpu_model: String,
    pub gpus_per_node: u32,
    /// Nodes built.
    pub nodes: u32,
    /// Nodes in national service (≤ `nodes`).
    pub nodes_in_service: u32,
    /// Node maximum power in kW (vendor maximum, the same basis for every pool).
    pub node_power_kw: f64,
    /// GPUs per instance offered below a whole node (e.g. `[1, 2, 4]`), for
    /// jobs smaller than a server; empty = whole nodes only.
    #[serde(default)]
    pub instance_gpus: Vec<u32>,
    pub scheduler: SchedulerKind,
    /// Batch walltime limit in hours; `None` for cloud pools.
    #[serde(default)]
    pub walltime_limit_hours: Option<u32>,
    /// Utilisation the pool runs at, as published for comparable systems:
    /// sizes the programme accounts' share of the demo workload.
    pub target_utilisation: f64,
    /// How the demo workload loads the pool.
    pub load: Load,
    /// Widest job a user may submit without special arrangement, in nodes:
    /// a configurable site policy, not a physical limit (a wider job up to
    /// `nodes_in_service` needs a reservation).
    pub max_job_nodes: u32,
    /// Mean time between failures of one node, in days (demo faults).
    pub mtbf_node_days: f64,
    /// Nodes per rack (the unit of correlated demo failures).
    pub rack_nodes: u32,
    /// Site, platform, fabric and memory as the placement advisor needs them.
    pub placement: Placement,
}

/// A catalogue that does not parse or does not hold together.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogueError {
    #[error("catalogue is not valid TOML: {0}")]
    Toml(String),
    #[error("pool {pool}: unknown gpu_model {model:?}")]
    UnknownGpuModel { pool: String, model: String },
    #[error("pool {pool}: {problem}")]
    InvalidPool { pool: String, problem: String },
    #[error("duplicate id {0:?}")]
    DuplicateId(String),
    #[error("policy: {0}")]
    InvalidPolicy(String),
}

impl Catalogue {
    /// Parses and validates a catalogue from TOML text.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let cat: Catalogue = toml::from_str(text).map_err(|e| CatalogueError::Toml(e.to_string()))?;
        cat.validate()?;
        Ok(cat)
    }

    /// The catalogue shipped with the portal.
    pub fn embedded() -> Result<Catalogue, CatalogueError> {
        Catalogue::parse(EMBEDDED_TOML)
    }

    /// The system with `id`.
    pub fn system(&self, id: &str) -> Option<&System> {
        self.systems.iter().find(|s| s.id == id)
    }

    /// Every pool with its system.
    pub fn pools(&self) -> impl Iterator<Item = (&System, &Pool)> {
        self.systems.iter().flat_map(|s| s.pools.iter().map(move |p| (s, p)))
    }

    /// Pool `id`'s name for people in Korean and English (see [`pool_names`]);
    /// `None` for a pool the catalogue does not have.
    pub fn pool_names(&self, id: &str) -> Option<(String, String)> {
        self.pools().find(|(_, p)| p.id == id).map(|(s, p)| pool_names(s, p))
    }

    /// Every pool with its names for people (as [`crate::auth::SessionInfo`]
    /// gives them to the pages).
    pub fn pool_name_list(&self) -> Vec<PoolName> {
        self.pools()
            .map(|(s, p)| {
                let (name_ko, name_en) = pool_names(s, p);
                PoolName { id: p.id.clone(), name_ko, name_en }
            })
            .collect()
    }

    fn validate(&self) -> Result<(), CatalogueError> {
        let mut seen = std::collections::BTreeSet::new();
        for s in &self.systems {
            if !seen.insert(s.id.as_str()) {
                return Err(CatalogueError::DuplicateId(s.id.clone()));
            }
        }
        for (_, p) in self.pools() {
            if !seen.insert(p.id.as_str()) {
                return Err(CatalogueError::DuplicateId(p.id.clone()));
            }
            if !self.gpu_models.contains_key(&p.gpu_model) {
                return Err(CatalogueError::UnknownGpuModel { pool: p.id.clone(), model: p.gpu_model.clone() });
            }
            let bad = |problem: &str| Err(CatalogueError::InvalidPool { pool: p.id.clone(), problem: problem.into() });
            if p.gpus_per_node == 0 || p.nodes_in_service == 0 {
                return bad("gpus_per_node and nodes_in_service must be positive");
            }
            if p.nodes_in_service > p.nodes {
                return bad("nodes_in_service exceeds nodes");
            }
            if p.max_job_nodes == 0 || p.rack_nodes == 0 || p.mtbf_node_days <= 0.0 {
                return bad("max_job_nodes, rack_nodes and mtbf_node_days must be positive");
            }
            if !(0.0..1.0).contains(&p.target_utilisation) {
                return bad("target_utilisation must be in [0, 1)");
            }
            if let Some(problem) = p.load.problem() {
                return bad(problem);
            }
            if let Some(problem) = p.placement.problem() {
                return bad(problem);
            }
        }
        self.validate_policies()
    }

    fn validate_policies(&self) -> Result<(), CatalogueError> {
        let policy = |problem: String| Err(CatalogueError::InvalidPolicy(problem));
        if let Some(problem) = self.advisor.problem() {
            return policy(problem);
        }
        if !self.gpu_models.contains_key(&self.advisor.reference_gpu) {
            return policy(format!("advisor.reference_gpu {:?} is not a GPU model", self.advisor.reference_gpu));
        }
        let prices = &self.price_policy;
        let m = prices.sector_multiplier;
        let factors = [prices.krw_per_usd, m.university, m.government_institute, m.sme, m.startup, m.large_company];
        if factors.iter().chain(prices.market_usd_per_gpu_hour.values()).any(|x| !x.is_finite() || *x < 0.0) {
            return policy("price_policy figures must be non-negative".into());
        }
        Ok(())
    }
}

/// A pool's catalogue id and the name people know it by, in Korean and
/// English ([`pool_names`]: "카카오클라우드 GPU · B200 정부 풀 (Kubeflow)").
pub type PoolName = crate::i18n::Named;

/// The name people know pool `p` of system `sys` by, in Korean and English:
/// the system's name and the pool's, as the status page writes them
/// ("카카오클라우드 GPU · B200 정부 풀 (Kubeflow)"). The pool's own name alone
/// does not tell two providers' B200 pools apart.
pub fn pool_names(sys: &System, p: &Pool) -> (String, String) {
    (format!("{} · {}", sys.name_ko, p.name_ko), format!("{} · {}", sys.name_en, p.name_en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SystemStatus;

    #[test]
    fn every_system_names_its_operator_in_both_languages() {
        let cat = Catalogue::embedded().unwrap();
        let summary = crate::sim::Simulator::new(
            cat.clone(),
            crate::sim::SimConfig { warm_up_seconds: 3600, ..crate::sim::SimConfig::default() },
            1_780_000_000,
        )
        .summary(1);
        for s in &summary.systems {
            let (ko, en) = (s.operator_in(crate::i18n::Locale::Ko), s.operator_in(crate::i18n::Locale::En));
            assert!(!ko.is_empty() && !en.is_empty(), "{}", s.id);
            assert!(en.is_ascii(), "{}: {en}", s.id);
        }
        let kakao = summary.systems.iter().find(|s| s.id == "kakao").unwrap();
        assert_eq!(kakao.operator_in(crate::i18n::Locale::Ko), "카카오클라우드 (안산 데이터센터)");
        assert_eq!(kakao.operator_in(crate::i18n::Locale::En), "Kakao Cloud (Ansan DC)");
        // A catalogue without a Korean name shows the English one.
        let plain = SystemStatus { operator_ko: String::new(), ..kakao.clone() };
        assert_eq!(plain.operator_in(crate::i18n::Locale::Ko), "Kakao Cloud (Ansan DC)");
    }

    #[test]
    fn the_embedded_catalogue_holds_the_national_fleet() {
        let cat = Catalogue::embedded().unwrap();
        let gpus = |id: &str| {
            let (_, p) = cat.pools().find(|(_, p)| p.id == id).unwrap();
            p.nodes * p.gpus_per_node
        };
        assert_eq!(gpus("kisti6-gh200"), 8_496);
        assert_eq!(gpus("kakao-b200"), 2_424);
        assert_eq!(gpus("nhn-b200"), 7_656);
        assert_eq!(gpus("naver-h200"), 3_056);
        let kakao = cat.pools().find(|(_, p)| p.id == "kakao-b200").unwrap().1;
        assert_eq!(kakao.nodes_in_service, 255);
        assert_eq!(cat.system("kisti6").unwrap().kind, SystemKind::Hpc);
    }

    #[test]
    fn a_pool_is_named_by_its_system_and_itself_in_both_languages_and_a_session_falls_back_to_the_id() {
        use crate::auth::SessionInfo;
        use crate::i18n::Locale;
        let cat = Catalogue::embedded().unwrap();
        let (ko, en) = cat.pool_names("kakao-b200").unwrap();
        assert_eq!(ko, "카카오클라우드 GPU · B200 정부 풀 (Kubeflow)");
        assert_eq!(en, "Kakao Cloud GPU · B200 government pool (Kubeflow)");
        // The two B200 government pools read apart.
        assert_eq!(cat.pool_names("nhn-b200").unwrap().0, "NHN클라우드 GPU · B200 정부 풀");
        assert_eq!(cat.pool_names("retired-a100"), None);
        let pools = cat.pool_name_list();
        assert_eq!(pools.len(), cat.pools().count());
        let session = SessionInfo {
            user: None,
            csrf_token: String::new(),
            providers: Vec::new(),
            end_session_url: None,
            demo: false,
            pools,
        };
        assert_eq!(session.pool_name(Locale::Ko, "kisti6-gh200"), "국가슈퍼컴퓨터 6호기 (KISTI-6) · GH200 배치 파티션");
        assert_eq!(
            session.pool_name(Locale::En, "kisti6-gh200"),
            "KISTI-6 national supercomputer · GH200 batch partition"
        );
        assert_eq!(session.pool_name(Locale::Ko, "retired-a100"), "retired-a100", "no longer in the catalogue: the id");
        // A session answer from before names still parses, and names pools by id.
        let old: SessionInfo = serde_json::from_str(r#"{"user":null,"csrf_token":"t"}"#).unwrap();
        assert_eq!(old.pool_name(Locale::En, "naver-h200"), "naver-h200");
        let json = serde_json::to_value(&session).unwrap();
        let naver = json["pools"].as_array().unwrap().iter().find(|p| p["id"] == "naver-h200").unwrap();
        assert_eq!(naver["name_en"], "Naver Cloud GPU · H200 government pool");
    }

    #[test]
    fn an_unknown_gpu_model_is_rejected() {
        let text = EMBEDDED_TOML.replace("gpu_model = \"H200\"", "gpu_model = \"H999\"");
        assert!(matches!(Catalogue::parse(&text), Err(CatalogueError::UnknownGpuModel { .. })));
    }

    #[test]
    fn more_nodes_in_service_than_built_is_rejected() {
        let text = EMBEDDED_TOML.replace("nodes_in_service = 255", "nodes_in_service = 400");
        assert!(matches!(Catalogue::parse(&text), Err(CatalogueError::InvalidPool { .. })));
    }
}
