//! A workload description: the raw form as the wizard or an API client sends
//! it ([`WorkloadInput`], every field optional, numbers as numbers or text),
//! and the validated [`Workload`] the engine ranks pools for. Parse, don't
//! validate: a `Workload` only exists when every field and combination holds.

mod parse;
mod reader;

use serde::{Deserialize, Serialize};

use super::kinds::{Compute, Container, Coupling, Method, Precision, Purpose, Region, Sector};
use super::memory::MemoryEstimate;
use crate::catalogue::MemoryModel;

/// A number as JSON sends it, or as text typed in a form (`"1,000"` is allowed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum NumberText {
    Number(f64),
    Text(String),
}

impl NumberText {
    /// The number, `None` when the text is empty (absent), `Some(Err(()))`
    /// when it is not a number. Text is read as people type it: group
    /// separators (`1,000`, `1_000`) and spaces are skipped, and full-width
    /// digits, point, comma and minus (`１２８`, typed with a Korean or
    /// Japanese input method) count as their ASCII forms.
    pub fn read(&self) -> Option<Result<f64, ()>> {
        let text = match self {
            NumberText::Number(x) => return Some(Ok(*x)),
            NumberText::Text(t) => t,
        };
        let ascii: String = text
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
                '．' => Some('.'),
                '－' | '−' => Some('-'),
                ',' | '，' | '_' => None,
                c if c.is_whitespace() => None,
                c => Some(c),
            })
            .collect();
        if ascii.is_empty() {
            return None;
        }
        Some(ascii.parse::<f64>().map_err(|_| ()))
    }
}

/// The workload form as submitted. Enum fields take the snake_case names of
/// [`super::kinds`]; empty text counts as absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct WorkloadInput {
    /// Required: a [`Purpose`].
    pub purpose: Option<String>,
    /// A [`Precision`]; FP64 for HPC simulation, BF16/FP16 otherwise.
    pub precision: Option<String>,
    /// A [`Compute`] pattern: what bounds the run time (`tensor`,
    /// `vector`, `memory_bound`); the purpose's usual one when absent.
    pub compute: Option<String>,
    /// A [`Method`] for the memory of a model (`full`, `peft`, `inference`);
    /// full training for training purposes, inference otherwise.
    pub method: Option<String>,
    /// Whether the work is used interactively (notebooks, short iterative
    /// sessions): it runs for the stated hours whatever the GPU (default:
    /// purpose is `interactive_notebook`).
    pub interactive: Option<bool>,
    /// Share of the work at FP64, 0..=1 (1 when `precision` is FP64, else 0).
    pub fp64_share: Option<NumberText>,
    /// Required: GPUs wanted (1..=100,000).
    pub gpus: Option<NumberText>,
    /// GPU memory needed per GPU, GB (takes precedence over `model_params_b`).
    pub gpu_memory_gb: Option<NumberText>,
    /// Model size in billions of parameters, to estimate GPU memory.
    pub model_params_b: Option<NumberText>,
    /// Whether model state is sharded over the GPUs (default true).
    pub sharded: Option<bool>,
    /// Whether the working set may spill into CPU memory coherent with the GPU (Grace).
    pub allow_cpu_spill: Option<bool>,
    /// CPU memory needed per node, GB.
    pub cpu_memory_gb: Option<NumberText>,
    /// Minimum number of nodes to spread over (1..=gpus).
    pub nodes: Option<NumberText>,
    /// A [`Coupling`]; the purpose's usual coupling when absent.
    pub coupling: Option<String>,
    /// Wall-clock run length in hours at `gpus` GPUs of `measured_on`.
    pub run_hours: Option<NumberText>,
    /// Total GPU-hours on `measured_on` GPUs (alternative to `run_hours`).
    pub gpu_hours: Option<NumberText>,
    /// GPU model the run length was measured on (the catalogue's reference GPU when absent).
    pub measured_on: Option<String>,
    /// Whether the job checkpoints and can be resubmitted past a walltime limit.
    pub checkpointing: Option<bool>,
    /// Whether it is a long-running service (default: purpose is `inference_service`).
    pub service: Option<bool>,
    /// A [`Container`] (default `none`).
    pub container: Option<String>,
    /// Stack needs: any of `kubeflow`, `slurm_mpi`.
    pub stack: Vec<String>,
    /// Input data size in TB.
    pub dataset_tb: Option<NumberText>,
    /// Catalogue site id where the data lives (`kisti`, `kakao`, …) or `elsewhere`.
    pub data_location: Option<String>,
    /// Required: a [`Sector`].
    pub sector: Option<String>,
    /// A [`Region`].
    pub region: Option<String>,
}

/// How the GPU-memory need is known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemoryNeed {
    /// GB needed on each GPU; 0 when not stated.
    pub per_gpu_gb: f64,
    /// The estimate from a model size, when it was given.
    pub estimate: Option<MemoryEstimate>,
    /// Whether `per_gpu_gb` was stated (then it is used as given on every pool).
    pub stated: bool,
}

impl MemoryNeed {
    /// GB needed on each GPU of a pool running the weights at `used`
    /// (recomputed from the model size when the precision fell back).
    pub fn on(&self, model: &MemoryModel, used: Precision) -> f64 {
        match self.estimate {
            Some(e) if !self.stated && e.precision != used => e.at(model, used).per_gpu_gb,
            _ => self.per_gpu_gb,
        }
    }
}

/// Software stacks the work depends on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StackNeeds {
    pub kubeflow: bool,
    pub slurm_mpi: bool,
}

/// A validated workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workload {
    pub purpose: Purpose,
    /// Dominant precision.
    pub precision: Precision,
    /// What bounds the run time.
    pub compute: Compute,
    /// How model state is held in GPU memory.
    pub method: Method,
    /// Used interactively: runs for the stated hours on any GPU.
    pub interactive: bool,
    /// Share of the work at FP64, 0..=1; the rest runs at `precision` (FP32 when that is FP64).
    pub fp64_share: f64,
    pub gpus: u32,
    /// Nodes the job spreads over at least.
    pub min_nodes: u32,
    pub memory: MemoryNeed,
    pub allow_cpu_spill: bool,
    /// CPU memory needed per node, GB (0 = not stated).
    pub cpu_memory_gb_per_node: f64,
    pub coupling: Coupling,
    /// Wall-clock hours at `gpus` GPUs of `measured_on`, without multi-node losses.
    pub run_hours: f64,
    /// GPU model the run length refers to.
    pub measured_on: String,
    pub checkpointing: bool,
    pub service: bool,
    pub container: Container,
    pub stack: StackNeeds,
    /// Input data in TB (0 = none to move).
    pub dataset_tb: f64,
    /// Site id where the data lives; `None` = elsewhere.
    pub data_site: Option<String>,
    pub sector: Sector,
    pub region: Option<Region>,
}

impl Workload {
    /// Whether run time is wall-clock (a service, a session, interactive
    /// use) rather than a fixed amount of work that faster GPUs finish sooner.
    pub fn is_time_based(&self) -> bool {
        self.service || self.interactive || self.purpose.is_time_based()
    }

    /// GPU-hours of the stated run on `measured_on` GPUs.
    pub fn reference_gpu_hours(&self) -> f64 {
        self.run_hours * f64::from(self.gpus)
    }
}

#[cfg(test)]
mod tests {
    use super::NumberText;

    #[test]
    fn typed_numbers_are_read_as_people_type_them() {
        let read = |t: &str| NumberText::Text(t.to_owned()).read();
        assert_eq!(read("1,000"), Some(Ok(1000.0)));
        assert_eq!(read(" 1_000 "), Some(Ok(1000.0)));
        assert_eq!(read("１２８"), Some(Ok(128.0)), "full-width digits");
        assert_eq!(read("１，０２４．５"), Some(Ok(1024.5)));
        assert_eq!(read("－３"), Some(Ok(-3.0)));
        assert_eq!(read("   "), None, "empty text is absent");
        assert_eq!(read("12a"), Some(Err(())));
        assert_eq!(read("1.2.3"), Some(Err(())));
        assert_eq!(NumberText::Number(2.5).read(), Some(Ok(2.5)));
    }
}
