//! Why a pool scored as it did, or why it was ruled out: a small `Copy` value
//! computed in the hot path, rendered to Korean or English text only on
//! demand (and when serialised, as `{code, ko, en}`).

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::criterion::PlatformNeed;
use super::estimate::Estimates;
use super::kinds::{Compute, Precision, Sector};

/// The JSON form of a [`Reason`] (for the OpenAPI document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonText {
    /// Stable snake_case code, e.g. `data_transfer`.
    pub code: String,
    /// The reason in Korean.
    pub ko: String,
    /// The reason in English.
    pub en: String,
}

/// What a pool sustains for the workload's class, as a reason quotes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub compute: Compute,
    /// TFLOPS on the units the class uses.
    pub tflops: f64,
    /// HBM TB/s (what memory-bound work is bound by).
    pub tb_per_s: f64,
}

impl Rate {
    /// The rate of a pool's estimates.
    pub fn of(e: &Estimates) -> Rate {
        Rate { compute: e.compute, tflops: e.tflops_per_gpu, tb_per_s: e.memory_tb_per_s }
    }

    /// `"CUDA 코어 67 TFLOPS"`, `"메모리 대역폭 4.8 TB/s"`, … (per GPU).
    fn ko(self) -> String {
        match self.compute {
            Compute::Tensor => format!("텐서 코어 {} TFLOPS", grouped(self.tflops)),
            Compute::Vector => format!("CUDA 코어 {} TFLOPS", grouped(self.tflops)),
            Compute::MemoryBound => format!("메모리 대역폭 {} TB/s", h(self.tb_per_s)),
        }
    }

    fn en(self) -> String {
        match self.compute {
            Compute::Tensor => format!("{} TFLOPS on tensor cores", grouped(self.tflops)),
            Compute::Vector => format!("{} TFLOPS on CUDA cores", grouped(self.tflops)),
            Compute::MemoryBound => format!("{} TB/s memory bandwidth", h(self.tb_per_s)),
        }
    }
}

/// A reason, with the figures it quotes (units in the field names).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    Throughput {
        precision: Precision,
        rate: Rate,
        relative: f64,
    },
    PrecisionFallback {
        wanted: Precision,
        used: Precision,
        rate: Rate,
    },
    CpuSpill {
        rate: Rate,
    },
    SingleNode,
    IndependentTasks,
    Fabric {
        tight: bool,
        topology_aware: bool,
        scaling: f64,
        gbps_per_gpu: f64,
    },
    NoPlatformNeeds,
    PlatformFit {
        need: PlatformNeed,
        fit: f64,
    },
    /// The need that decided against another pool, with that pool's fit.
    PlatformNeedUnmet {
        need: PlatformNeed,
        other_fit: f64,
    },
    NoDataset,
    DataLocal {
        tb: f64,
    },
    DataTransfer {
        tb: f64,
        hours: f64,
    },
    WaitPredicted {
        p50_hours: f64,
        p90_hours: f64,
        segments: u32,
    },
    WaitHeuristic {
        hours: f64,
        segments: u32,
    },
    WaitUnknown,
    WaitNever,
    Energy {
        kwh: f64,
        pue: f64,
    },
    CostFree {
        market_krw: f64,
    },
    Cost {
        krw: f64,
        market_krw: f64,
    },
    NotEligible {
        sector: Sector,
    },
    NoServices,
    GpuMemory {
        need_gb: f64,
        have_gb: f64,
    },
    CpuMemory {
        need_gb: f64,
        have_gb: f64,
    },
    TooWide {
        nodes: u32,
        max_nodes: u32,
    },
    NeedsReservation {
        nodes: u32,
        max_nodes: u32,
    },
    OverWalltime {
        hours: f64,
        limit_hours: u32,
    },
}

/// `1234567.8` → `1,234,568`.
pub fn grouped(x: f64) -> String {
    let n = x.round().abs() as u64;
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if x.round() < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Hours with one decimal below 10, whole above.
fn h(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.1}")
    } else {
        grouped(x)
    }
}

/// How well a platform meets a need, in words: 0 hardly, 1 in part, 2 fully but less well.
fn support_level(fit: f64) -> usize {
    usize::from(fit >= 0.5) + usize::from(fit >= 0.9)
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn seg_ko(segments: u32) -> String {
    if segments > 1 {
        format!(", 체크포인트로 {segments}회 나눠 제출")
    } else {
        String::new()
    }
}

fn seg_en(segments: u32) -> String {
    if segments > 1 {
        format!(", resubmitted {segments} times from checkpoints")
    } else {
        String::new()
    }
}

impl Reason {
    /// Stable snake_case code of the variant.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Throughput { .. } => "throughput",
            Reason::PrecisionFallback { .. } => "precision_fallback",
            Reason::CpuSpill { .. } => "cpu_spill",
            Reason::SingleNode => "single_node",
            Reason::IndependentTasks => "independent_tasks",
            Reason::Fabric { .. } => "fabric",
            Reason::NoPlatformNeeds => "no_platform_needs",
            Reason::PlatformFit { .. } => "platform_fit",
            Reason::PlatformNeedUnmet { .. } => "platform_need_unmet",
            Reason::NoDataset => "no_dataset",
            Reason::DataLocal { .. } => "data_local",
            Reason::DataTransfer { .. } => "data_transfer",
            Reason::WaitPredicted { .. } => "wait_predicted",
            Reason::WaitHeuristic { .. } => "wait_heuristic",
            Reason::WaitUnknown => "wait_unknown",
            Reason::WaitNever => "wait_never",
            Reason::Energy { .. } => "energy",
            Reason::CostFree { .. } => "cost_free",
            Reason::Cost { .. } => "cost",
            Reason::NotEligible { .. } => "not_eligible",
            Reason::NoServices => "no_services",
            Reason::GpuMemory { .. } => "gpu_memory",
            Reason::CpuMemory { .. } => "cpu_memory",
            Reason::TooWide { .. } => "too_wide",
            Reason::NeedsReservation { .. } => "needs_reservation",
            Reason::OverWalltime { .. } => "over_walltime",
        }
    }

    /// The reason in Korean.
    pub fn ko(&self) -> String {
        match *self {
            Reason::Throughput { precision, rate, relative } => {
                format!("{} GPU당 {} (최고 대비 {})", precision.label_ko(), rate.ko(), pct(relative))
            }
            Reason::PrecisionFallback { wanted, used, rate } => {
                format!("{} 미지원: {}로 실행 (GPU당 {})", wanted.label_ko(), used.label_ko(), rate.ko())
            }
            Reason::CpuSpill { rate } => {
                format!("작업 데이터가 Grace CPU 메모리로 넘쳐 처리량이 줄어듦 (GPU당 {})", rate.ko())
            }
            Reason::SingleNode => "한 노드 안에서 실행되어 노드 간 네트워크의 영향이 없음".into(),
            Reason::IndependentTasks => "독립 작업이라 노드 간 통신이 거의 없음".into(),
            Reason::Fabric { tight, topology_aware, scaling, gbps_per_gpu } => format!(
                "{}{} 확장 효율 {} (GPU당 {} Gb/s)",
                if topology_aware {
                    "위상 인식 HPC 패브릭, "
                } else {
                    "클라우드 네트워크(갱 스케줄링 약함), "
                },
                if tight { "밀결합" } else { "중간 결합" },
                pct(scaling),
                grouped(gbps_per_gpu)
            ),
            Reason::NoPlatformNeeds => "특별한 소프트웨어 요구 없음".into(),
            Reason::PlatformFit { need, fit } => format!("{} 지원 수준 {}", need.label_ko(), pct(fit)),
            Reason::PlatformNeedUnmet { need, other_fit } => {
                let how = ["거의 지원하지 않음", "일부만 지원", "지원하지만 덜 맞음"][support_level(other_fit)];
                crate::i18n::settle_particles(&format!("{}이(가) 필요한데 비교 대상은 {how}", need.label_ko()))
            }
            Reason::NoDataset => "옮길 데이터 없음".into(),
            Reason::DataLocal { tb } => format!("데이터 {} TB가 이미 이곳에 있음", h(tb)),
            Reason::DataTransfer { tb, hours } => format!("데이터 {} TB 전송에 약 {}시간", h(tb), h(hours)),
            Reason::WaitPredicted { p50_hours, p90_hours, segments } => {
                format!("예상 대기 {}시간 (90%: {}시간){}", h(p50_hours), h(p90_hours), seg_ko(segments))
            }
            Reason::WaitHeuristic { hours, segments } => {
                format!("대기열로 본 예상 대기 약 {}시간{}", h(hours), seg_ko(segments))
            }
            Reason::WaitUnknown => "실시간 대기열 정보 없음".into(),
            Reason::WaitNever => "지금 가동 중인 노드로는 시작할 수 없음: 대기 시간을 정할 수 없음".into(),
            Reason::Energy { kwh, pue } => format!("에너지 약 {}\u{a0}kWh (PUE {pue:.2})", grouped(kwh)),
            Reason::CostFree { market_krw } => format!("무료 (시장가 약 {}원)", grouped(market_krw)),
            Reason::Cost { krw, market_krw } => {
                format!("비용 약 {}원 (시장가 약 {}원)", grouped(krw), grouped(market_krw))
            }
            Reason::NotEligible { sector } => {
                crate::i18n::settle_particles(&format!("{}은(는) 이 자원을 신청할 수 없음", sector.label_ko()))
            }
            Reason::NoServices => "배치 노드에서는 상시 서비스를 운영할 수 없음".into(),
            Reason::GpuMemory { need_gb, have_gb } => {
                format!("GPU당 메모리 {}\u{a0}GB 필요, {}\u{a0}GB뿐", grouped(need_gb), grouped(have_gb))
            }
            Reason::CpuMemory { need_gb, have_gb } => {
                format!("노드당 CPU 메모리 {}\u{a0}GB 필요, {}\u{a0}GB뿐", grouped(need_gb), grouped(have_gb))
            }
            Reason::TooWide { nodes, max_nodes } => {
                format!("{}개 노드 필요, 풀 전체가 {}개", grouped(f64::from(nodes)), grouped(f64::from(max_nodes)))
            }
            Reason::NeedsReservation { nodes, max_nodes } => format!(
                "{}개 노드: 작업당 기본 한도 {}개를 넘어 예약(특별 배정)이 있어야 실행",
                grouped(f64::from(nodes)),
                grouped(f64::from(max_nodes))
            ),
            Reason::OverWalltime { hours, limit_hours } => {
                format!("실행 {}시간이 최대 {limit_hours}시간을 넘고 체크포인트가 없음", h(hours))
            }
        }
    }

    /// The reason in English.
    pub fn en(&self) -> String {
        match *self {
            Reason::Throughput { precision, rate, relative } => {
                format!("{}: {} per GPU ({} of the best)", precision.label_en(), rate.en(), pct(relative))
            }
            Reason::PrecisionFallback { wanted, used, rate } => {
                format!("no {}: runs at {} ({} per GPU)", wanted.label_en(), used.label_en(), rate.en())
            }
            Reason::CpuSpill { rate } => {
                format!("working set spills into Grace CPU memory, lowering throughput ({} per GPU)", rate.en())
            }
            Reason::SingleNode => "runs within one node: the network between nodes does not matter".into(),
            Reason::IndependentTasks => "independent tasks: little communication between nodes".into(),
            Reason::Fabric { tight, topology_aware, scaling, gbps_per_gpu } => format!(
                "{}{} scaling efficiency {} ({} Gb/s per GPU)",
                if topology_aware {
                    "topology-aware HPC fabric, "
                } else {
                    "cloud network with weaker gang scheduling, "
                },
                if tight { "tightly coupled" } else { "moderately coupled" },
                pct(scaling),
                grouped(gbps_per_gpu)
            ),
            Reason::NoPlatformNeeds => "no particular software needs".into(),
            Reason::PlatformFit { need, fit } => format!("{} supported at {}", need.label_en(), pct(fit)),
            Reason::PlatformNeedUnmet { need, other_fit } => {
                let how = ["hardly supports it", "supports it only in part", "supports it, less well"]
                    [support_level(other_fit)];
                format!("the work needs {}, and the other platform {how}", need.label_en())
            }
            Reason::NoDataset => "no data to move".into(),
            Reason::DataLocal { tb } => format!("the {} TB of data are already here", h(tb)),
            Reason::DataTransfer { tb, hours } => format!("moving {} TB of data takes about {} h", h(tb), h(hours)),
            Reason::WaitPredicted { p50_hours, p90_hours, segments } => {
                format!("predicted wait {} h (90%: {} h){}", h(p50_hours), h(p90_hours), seg_en(segments))
            }
            Reason::WaitHeuristic { hours, segments } => {
                format!("about {} h wait judging by the queue{}", h(hours), seg_en(segments))
            }
            Reason::WaitUnknown => "no live queue data".into(),
            Reason::WaitNever => "cannot start on the nodes up now: no finite wait".into(),
            Reason::Energy { kwh, pue } => format!("about {}\u{a0}kWh of energy (PUE {pue:.2})", grouped(kwh)),
            Reason::CostFree { market_krw } => format!("free (market price about KRW {})", grouped(market_krw)),
            Reason::Cost { krw, market_krw } => {
                format!("about KRW {} (market price about KRW {})", grouped(krw), grouped(market_krw))
            }
            Reason::NotEligible { sector } => format!("a {} may not apply for this resource", sector.label_en()),
            Reason::NoServices => "long-running services cannot run on batch nodes".into(),
            Reason::GpuMemory { need_gb, have_gb } => {
                format!("needs {}\u{a0}GB per GPU, has {}\u{a0}GB", grouped(need_gb), grouped(have_gb))
            }
            Reason::CpuMemory { need_gb, have_gb } => {
                format!("needs {}\u{a0}GB CPU memory per node, has {}\u{a0}GB", grouped(need_gb), grouped(have_gb))
            }
            Reason::TooWide { nodes, max_nodes } => {
                format!(
                    "needs {} nodes; the whole pool has {}",
                    grouped(f64::from(nodes)),
                    grouped(f64::from(max_nodes))
                )
            }
            Reason::NeedsReservation { nodes, max_nodes } => format!(
                "{} nodes: above the usual {} per job, runs only under a reservation (special allocation)",
                grouped(f64::from(nodes)),
                grouped(f64::from(max_nodes))
            ),
            Reason::OverWalltime { hours, limit_hours } => {
                format!("runs {} h, over the {limit_hours} h limit, without checkpoints", h(hours))
            }
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Reason", 3)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("ko", &self.ko())?;
        st.serialize_field("en", &self.en())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(1_234_567.6), "1,234,568");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(-1_000.0), "-1,000");
    }

    #[test]
    fn a_reason_serialises_with_both_languages() {
        let json = serde_json::to_value(Reason::DataTransfer { tb: 50.0, hours: 4.2 }).unwrap();
        assert_eq!(json["code"], "data_transfer");
        assert_eq!(json["en"], "moving 50 TB of data takes about 4.2 h");
        assert!(json["ko"].as_str().unwrap().contains("전송"));
    }
}
