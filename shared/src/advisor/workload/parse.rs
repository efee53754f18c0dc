//! [`WorkloadInput::parse`]: reads every field, collects every error, then
//! checks the combinations, and fills defaults from the purpose.

use crate::advisor::field_error::{FieldErrorCode as Code, FieldErrors};
use crate::advisor::kinds::{Compute, Container, Coupling, Method, Precision, Purpose, Region, Sector, StackNeed};
use crate::advisor::memory;
use crate::catalogue::Catalogue;

use super::reader::{given, Reader};
use super::{MemoryNeed, StackNeeds, Workload, WorkloadInput};

/// Relative gap allowed between `run_hours × gpus` and `gpu_hours` when both are given.
const RUN_LENGTH_TOLERANCE: f64 = 0.05;

fn default_precision(p: Purpose) -> Precision {
    if p == Purpose::HpcSimulation {
        Precision::Fp64
    } else {
        Precision::Bf16Fp16
    }
}

fn default_coupling(p: Purpose) -> Coupling {
    match p {
        Purpose::LlmPretraining | Purpose::FineTuning => Coupling::Moderate,
        Purpose::HpcSimulation | Purpose::AiCoupledSimulation => Coupling::TightlyCoupled,
        _ => Coupling::Independent,
    }
}

/// Most entries of `stack` (there are only a few stacks; more is not a form).
pub const MAX_STACK_ENTRIES: usize = 8;

impl WorkloadInput {
    /// Validates the form against `cat` (site ids, GPU models, memory model):
    /// every invalid field is reported, not only the first.
    pub fn parse(&self, cat: &Catalogue) -> Result<Workload, FieldErrors> {
        let mut r = Reader::default();
        let purpose = r.choice("purpose", &self.purpose, Purpose::ALL, Purpose::parse, Purpose::as_str);
        let purpose = r.required("purpose", purpose, self.purpose.as_deref().is_some_and(|t| !t.trim().is_empty()));
        let sector = r.choice("sector", &self.sector, Sector::ALL, Sector::parse, Sector::as_str);
        let sector = r.required("sector", sector, self.sector.as_deref().is_some_and(|t| !t.trim().is_empty()));
        let precision = r.choice("precision", &self.precision, Precision::ALL, Precision::parse, Precision::as_str);
        let coupling = r.choice("coupling", &self.coupling, Coupling::ALL, Coupling::parse, Coupling::as_str);
        let compute = r.choice("compute", &self.compute, Compute::ALL, Compute::parse, Compute::as_str);
        let method = self.method(&mut r, purpose);
        let container = r.choice("container", &self.container, Container::ALL, Container::parse, Container::as_str);
        let region = r.choice("region", &self.region, Region::ALL, Region::parse, Region::as_str);
        let stack = self.stack(&mut r);
        let gpus = r.number("gpus", &self.gpus, 1.0, 100_000.0, true);
        let gpus = r.required("gpus", gpus, self.gpus.is_some()).map(|g| g as u32);
        let fp64_share = r.number("fp64_share", &self.fp64_share, 0.0, 1.0, false);
        let cpu_memory = r.number("cpu_memory_gb", &self.cpu_memory_gb, 0.0, 100_000.0, false);
        let dataset_tb = r.number("dataset_tb", &self.dataset_tb, 0.0, 1_000_000.0, false);
        let data_site = self.data_site(&mut r, cat);
        let measured_on = self.measured_on(&mut r, cat);
        let memory = self.memory(&mut r, cat, purpose, method, precision, gpus);
        let nodes = self.nodes(&mut r, gpus);
        let run_hours = self.run_hours(&mut r, gpus);
        let service = self.service(&mut r, purpose);
        let (Some(purpose), Some(sector), Some(gpus), Some(memory), Some(nodes), Some(run_hours), Some(service)) =
            (purpose, sector, gpus, memory, nodes, run_hours, service)
        else {
            return Err(r.errors);
        };
        let Some(method) = method.map(|m| m.unwrap_or(purpose.default_method())) else {
            return Err(r.errors);
        };
        let precision = precision.unwrap_or(default_precision(purpose));
        let fp64_share = check_fp64_share(&mut r, precision, fp64_share);
        let coupling = coupling.unwrap_or(default_coupling(purpose));
        if service && coupling == Coupling::TightlyCoupled {
            r.fail(
                "coupling",
                Code::Conflict,
                "서비스는 밀결합 MPI 작업일 수 없습니다.",
                "A service cannot be a tightly coupled MPI job.",
            );
        }
        let (Some(fp64_share), Some(measured_on), Some(data_site), true) =
            (fp64_share, measured_on, data_site, r.errors.is_empty())
        else {
            return Err(r.errors);
        };
        Ok(Workload {
            purpose,
            compute: compute.unwrap_or(purpose.default_compute()),
            method,
            interactive: self.interactive.unwrap_or(purpose == Purpose::InteractiveNotebook),
            precision,
            fp64_share,
            gpus,
            min_nodes: nodes,
            memory,
            allow_cpu_spill: self.allow_cpu_spill.unwrap_or(false),
            cpu_memory_gb_per_node: cpu_memory.unwrap_or(0.0),
            coupling,
            run_hours,
            measured_on,
            checkpointing: self.checkpointing.unwrap_or(purpose.is_training()),
            service,
            container: container.unwrap_or(Container::None),
            stack,
            dataset_tb: dataset_tb.unwrap_or(0.0),
            data_site,
            sector,
            region,
        })
    }

    fn stack(&self, r: &mut Reader) -> StackNeeds {
        let mut needs = StackNeeds::default();
        if self.stack.len() > MAX_STACK_ENTRIES {
            r.fail(
                "stack",
                Code::OutOfRange,
                format!("스택은 {MAX_STACK_ENTRIES}개까지 고를 수 있습니다."),
                format!("Choose at most {MAX_STACK_ENTRIES} stack entries."),
            );
            return needs;
        }
        for s in &self.stack {
            match r.choice("stack", &Some(s.clone()), StackNeed::ALL, StackNeed::parse, StackNeed::as_str) {
                Some(StackNeed::Kubeflow) => needs.kubeflow = true,
                Some(StackNeed::SlurmMpi) => needs.slurm_mpi = true,
                None => {}
            }
        }
        needs
    }

    /// `Some(None)` = elsewhere; `None` = invalid.
    fn data_site(&self, r: &mut Reader, cat: &Catalogue) -> Option<Option<String>> {
        let Some(text) = self.data_location.as_deref().map(str::trim).filter(|t| !t.is_empty() && *t != "elsewhere")
        else {
            return Some(None);
        };
        if cat.pools().any(|(_, p)| p.placement.site == text) {
            return Some(Some(text.to_string()));
        }
        let mut sites: Vec<&str> = cat.pools().map(|(_, p)| p.placement.site.as_str()).collect();
        sites.dedup();
        sites.push("elsewhere");
        let names = sites.join(", ");
        r.fail(
            "data_location",
            Code::UnknownValue,
            format!("알 수 없는 위치입니다. 가능한 값: {names}"),
            format!("Unknown location; expected one of: {names}."),
        );
        None
    }

    fn measured_on(&self, r: &mut Reader, cat: &Catalogue) -> Option<String> {
        let Some(text) = self.measured_on.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            return Some(cat.advisor.reference_gpu.clone());
        };
        if let Some(name) = cat.gpu_models.keys().find(|k| k.eq_ignore_ascii_case(text)) {
            return Some(name.clone());
        }
        let names = cat.gpu_models.keys().cloned().collect::<Vec<_>>().join(", ");
        r.fail(
            "measured_on",
            Code::UnknownValue,
            format!("알 수 없는 GPU입니다. 가능한 값: {names}"),
            format!("Unknown GPU; expected one of: {names}."),
        );
        None
    }

    /// `Some(None)` = not stated; `None` = invalid (a training method for a
    /// purpose that trains nothing, or inference for one that trains).
    fn method(&self, r: &mut Reader, purpose: Option<Purpose>) -> Option<Option<Method>> {
        let method = r.choice("method", &self.method, Method::ALL, Method::parse, Method::as_str);
        match (method, purpose) {
            (Some(m), Some(p)) if m.is_training() != p.is_training() => {
                let (ko, en) = if p.is_training() {
                    ("학습 목적에는 전체 학습 또는 PEFT를 고르세요.", "A training purpose takes full training or PEFT.")
                } else {
                    (
                        "이 목적은 학습하지 않습니다: '추론'을 고르세요.",
                        "This purpose trains nothing: choose inference.",
                    )
                };
                r.fail("method", Code::Conflict, ko, en);
                None
            }
            (None, _) if self.method.as_deref().is_some_and(|t| !t.trim().is_empty()) => None,
            (m, _) => Some(m),
        }
    }

    fn memory(
        &self,
        r: &mut Reader,
        cat: &Catalogue,
        purpose: Option<Purpose>,
        method: Option<Option<Method>>,
        precision: Option<Precision>,
        gpus: Option<u32>,
    ) -> Option<MemoryNeed> {
        let stated = r.number("gpu_memory_gb", &self.gpu_memory_gb, 0.0, 100_000.0, false);
        let params = r.number("model_params_b", &self.model_params_b, 0.0, 100_000.0, false);
        let (Some(purpose), Some(gpus), Some(method)) = (purpose, gpus, method) else { return None };
        let method = method.unwrap_or(purpose.default_method());
        let precision = precision.unwrap_or(default_precision(purpose));
        let sharded = self.sharded.unwrap_or(true);
        let estimate = params.map(|b| memory::estimate(&cat.advisor.memory, method, precision, b, gpus, sharded));
        let per_gpu_gb = stated.or(estimate.map(|e| e.per_gpu_gb)).unwrap_or(0.0);
        Some(MemoryNeed { per_gpu_gb, estimate, stated: stated.is_some() })
    }

    fn nodes(&self, r: &mut Reader, gpus: Option<u32>) -> Option<u32> {
        let nodes = r.number("nodes", &self.nodes, 1.0, 100_000.0, true).map(|n| n as u32);
        match (nodes, gpus) {
            (Some(n), Some(g)) if n > g => {
                r.fail(
                    "nodes",
                    Code::Conflict,
                    "노드 수는 GPU 수보다 많을 수 없습니다.",
                    "There cannot be more nodes than GPUs.",
                );
                None
            }
            (None, _) if given(&self.nodes) => None,
            (n, _) => Some(n.unwrap_or(1)),
        }
    }

    fn run_hours(&self, r: &mut Reader, gpus: Option<u32>) -> Option<f64> {
        let hours = r.number("run_hours", &self.run_hours, 0.0, 1_000_000.0, false);
        let gpu_hours = r.number("gpu_hours", &self.gpu_hours, 0.0, 1_000_000_000.0, false);
        let (given_h, given_gh) = (given(&self.run_hours), given(&self.gpu_hours));
        if !given_h && !given_gh {
            r.fail(
                "run_hours",
                Code::Required,
                "실행 시간(시간) 또는 GPU-시간 중 하나를 입력하세요.",
                "Give the run length in hours or in GPU-hours.",
            );
            return None;
        }
        let g = f64::from(gpus?);
        match (hours, gpu_hours) {
            (Some(h), Some(gh)) if (h * g - gh).abs() > RUN_LENGTH_TOLERANCE * gh => {
                let (ko, en) = (
                    "실행 시간 × GPU 수가 GPU-시간과 맞지 않습니다.",
                    "Run hours × GPUs does not match the GPU-hours.",
                );
                r.fail("run_hours", Code::Conflict, ko, en);
                r.fail("gpu_hours", Code::Conflict, ko, en);
                None
            }
            (Some(h), _) if !given_gh || gpu_hours.is_some() => Some(h),
            (None, Some(gh)) if !given_h => Some(gh / g),
            _ => None,
        }
    }

    fn service(&self, r: &mut Reader, purpose: Option<Purpose>) -> Option<bool> {
        let p = purpose?;
        let service = self.service.unwrap_or(p == Purpose::InferenceService);
        let batch_only = matches!(
            p,
            Purpose::LlmPretraining
                | Purpose::FineTuning
                | Purpose::BatchInference
                | Purpose::HpcSimulation
                | Purpose::AiCoupledSimulation
        );
        if p == Purpose::InferenceService && !service {
            r.fail(
                "service",
                Code::Conflict,
                "추론 엔드포인트는 상시 서비스입니다. 배치 작업이면 '배치 추론'을 고르세요.",
                "An inference endpoint is a service; choose batch inference for a batch job.",
            );
            return None;
        }
        if batch_only && service {
            r.fail(
                "service",
                Code::Conflict,
                "이 목적은 배치 작업이며 상시 서비스가 아닙니다.",
                "This purpose is a batch job, not a long-running service.",
            );
            return None;
        }
        Some(service)
    }
}

/// The FP64 share, defaulted from the precision and consistent with it.
fn check_fp64_share(r: &mut Reader, precision: Precision, share: Option<f64>) -> Option<f64> {
    let fp64 = precision == Precision::Fp64;
    let Some(s) = share else { return Some(if fp64 { 1.0 } else { 0.0 }) };
    if (fp64 && s < 0.5) || (!fp64 && s > 0.5) {
        r.fail(
            "fp64_share",
            Code::Conflict,
            "FP64 비율이 주 정밀도와 맞지 않습니다(절반 이상이면 FP64가 주 정밀도입니다).",
            "The FP64 share contradicts the dominant precision (above one half, FP64 is dominant).",
        );
        return None;
    }
    Some(s)
}
