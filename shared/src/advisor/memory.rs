//! GPU memory estimated from a model size: parameters × bytes per parameter,
//! divided over the GPUs when the model state is sharded. The bytes follow
//! the method (catalogue `[advisor.memory]`):
//!
//! - full training keeps weights, gradients and Adam state: 16 bytes per
//!   parameter in mixed precision (ZeRO paper);
//! - parameter-efficient fine-tuning (LoRA, QLoRA) keeps the frozen weights
//!   at the run's precision (BF16 2 bytes, 4-bit 0.5) with the activation
//!   overhead, plus full training state for the small trained share;
//! - inference keeps the weights at their precision times an overhead for
//!   the KV cache and activations (1.2).
//!
//! The estimate keeps what it was computed from, so a pool that runs the
//! work at a wider precision (FP4 on a GPU without FP4) recomputes it.

use serde::Serialize;

use crate::catalogue::MemoryModel;

use super::kinds::{Method, Precision};

/// How a GPU-memory need was estimated from a model size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemoryEstimate {
    /// Model size in billions of parameters.
    pub params_billion: f64,
    /// How the model state is held.
    pub method: Method,
    /// Precision the weights are held at.
    pub precision: Precision,
    /// GPUs the state is spread over when sharded.
    pub gpus: u32,
    /// Bytes of GPU memory per parameter assumed.
    pub bytes_per_param: f64,
    /// Whole model state in GB.
    pub total_gb: f64,
    /// Whether the state is sharded over the GPUs (FSDP/ZeRO-3, tensor parallelism).
    pub sharded: bool,
    /// GB needed on each GPU.
    pub per_gpu_gb: f64,
}

/// Bytes of GPU memory per parameter for `method` at `precision`.
pub fn bytes_per_param(model: &MemoryModel, method: Method, precision: Precision) -> f64 {
    match method {
        Method::Full => model.training_bytes_per_param,
        Method::Peft => {
            precision.bytes() * model.inference_overhead + model.peft_trained_fraction * model.training_bytes_per_param
        }
        Method::Inference => precision.bytes() * model.inference_overhead,
    }
}

/// Estimates the GPU memory of a model of `params_billion` parameters on `gpus` GPUs.
pub fn estimate(
    model: &MemoryModel,
    method: Method,
    precision: Precision,
    params_billion: f64,
    gpus: u32,
    sharded: bool,
) -> MemoryEstimate {
    let bytes_per_param = bytes_per_param(model, method, precision);
    let total_gb = params_billion * bytes_per_param;
    let per_gpu_gb = if sharded { total_gb / f64::from(gpus.max(1)) } else { total_gb };
    MemoryEstimate { params_billion, method, precision, gpus, bytes_per_param, total_gb, sharded, per_gpu_gb }
}

impl MemoryEstimate {
    /// The same estimate with the weights held at `precision` (a pool's fallback).
    pub fn at(&self, model: &MemoryModel, precision: Precision) -> MemoryEstimate {
        estimate(model, self.method, precision, self.params_billion, self.gpus, self.sharded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: MemoryModel =
        MemoryModel { training_bytes_per_param: 16.0, inference_overhead: 1.2, peft_trained_fraction: 0.02 };

    #[test]
    fn fine_tuning_a_70b_model_on_8_gpus_needs_140_gb_each() {
        let e = estimate(&MODEL, Method::Full, Precision::Bf16Fp16, 70.0, 8, true);
        assert_eq!(e.total_gb, 1_120.0);
        assert_eq!(e.per_gpu_gb, 140.0);
    }

    #[test]
    fn serving_70b_in_bf16_unsharded_needs_168_gb() {
        let e = estimate(&MODEL, Method::Inference, Precision::Bf16Fp16, 70.0, 4, false);
        assert!((e.per_gpu_gb - 168.0).abs() < 1e-9);
        let fp4 = estimate(&MODEL, Method::Inference, Precision::Fp4, 70.0, 4, false);
        assert!((fp4.per_gpu_gb - 42.0).abs() < 1e-9);
    }

    #[test]
    fn lora_on_70b_in_bf16_needs_a_fifth_of_full_fine_tuning() {
        // 2 × 1.2 + 0.02 × 16 = 2.72 bytes per parameter, against 16.
        let peft = estimate(&MODEL, Method::Peft, Precision::Bf16Fp16, 70.0, 1, false);
        assert!((peft.per_gpu_gb - 190.4).abs() < 1e-9, "{peft:?}");
        // QLoRA: 4-bit frozen weights.
        let qlora = estimate(&MODEL, Method::Peft, Precision::Fp4, 70.0, 1, false);
        assert!((qlora.per_gpu_gb - 64.4).abs() < 1e-9, "{qlora:?}");
    }

    #[test]
    fn a_precision_fallback_recomputes_the_weights() {
        let fp4 = estimate(&MODEL, Method::Inference, Precision::Fp4, 70.0, 1, false);
        let on_hopper = fp4.at(&MODEL, Precision::Fp8);
        assert!((on_hopper.per_gpu_gb - 84.0).abs() < 1e-9);
        let full = estimate(&MODEL, Method::Full, Precision::Fp4, 70.0, 8, true);
        assert_eq!(full.at(&MODEL, Precision::Fp8).per_gpu_gb, full.per_gpu_gb, "training state does not change");
    }
}
