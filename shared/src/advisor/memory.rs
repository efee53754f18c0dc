//! GPU memory estimated from a model size: parameters × bytes per parameter,
//! divided over the GPUs when the model state is sharded.
//!
//! Training (pre-training, fine-tuning) keeps weights, gradients and Adam
//! state: 16 bytes per parameter in mixed precision (ZeRO paper). Inference
//! keeps the weights at their precision (BF16 2 bytes, FP8 1, FP4 0.5) times
//! an overhead for the KV cache and activations (1.2). Both figures come from
//! the catalogue's `[advisor.memory]`.

use serde::Serialize;

use crate::catalogue::MemoryModel;

use super::kinds::{Precision, Purpose};

/// How a GPU-memory need was estimated from a model size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemoryEstimate {
    /// Model size in billions of parameters.
    pub params_billion: f64,
    /// Bytes of GPU memory per parameter assumed.
    pub bytes_per_param: f64,
    /// Whole model state in GB.
    pub total_gb: f64,
    /// Whether the state is sharded over the GPUs (FSDP/ZeRO-3, tensor parallelism).
    pub sharded: bool,
    /// GB needed on each GPU.
    pub per_gpu_gb: f64,
}

/// Estimates the GPU memory of a model of `params_billion` parameters on `gpus` GPUs.
pub fn estimate(
    model: &MemoryModel,
    purpose: Purpose,
    precision: Precision,
    params_billion: f64,
    gpus: u32,
    sharded: bool,
) -> MemoryEstimate {
    let bytes_per_param = if purpose.is_training() {
        model.training_bytes_per_param
    } else {
        precision.bytes() * model.inference_overhead
    };
    let total_gb = params_billion * bytes_per_param;
    let per_gpu_gb = if sharded { total_gb / f64::from(gpus.max(1)) } else { total_gb };
    MemoryEstimate { params_billion, bytes_per_param, total_gb, sharded, per_gpu_gb }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: MemoryModel = MemoryModel { training_bytes_per_param: 16.0, inference_overhead: 1.2 };

    #[test]
    fn fine_tuning_a_70b_model_on_8_gpus_needs_140_gb_each() {
        let e = estimate(&MODEL, Purpose::FineTuning, Precision::Bf16Fp16, 70.0, 8, true);
        assert_eq!(e.total_gb, 1_120.0);
        assert_eq!(e.per_gpu_gb, 140.0);
    }

    #[test]
    fn serving_70b_in_bf16_unsharded_needs_168_gb() {
        let e = estimate(&MODEL, Purpose::InferenceService, Precision::Bf16Fp16, 70.0, 4, false);
        assert!((e.per_gpu_gb - 168.0).abs() < 1e-9);
        let fp4 = estimate(&MODEL, Purpose::InferenceService, Precision::Fp4, 70.0, 4, false);
        assert!((fp4.per_gpu_gb - 42.0).abs() < 1e-9);
    }
}
