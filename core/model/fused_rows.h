#pragma once

// Row-wise operations of the transformers in one vectorised pass each way on the CPU: the
// attention's softmax, and the layer norm with its affine weight and adaLN modulation.
// Spelled out in LibTorch 1.13 at bf16 these were a third of a sampling step of the
// 2 x 2-patch transformer (320 tokens): its bf16 softmax ran at about 1 G elements/s on
// 2 threads, and each norm was an fp32 copy, LibTorch's layer norm, a copy back and a bf16
// addcmul (docs/engine.md, "Softmax and layer norm in one pass").

#include <torch/torch.h>

namespace kinora::model {

// softmax over x's last dimension. On the CPU in float32 or bfloat16: one fused pass
// (exp in fp32, one rounding) with its own backward; -inf entries give exactly 0; a row
// of -inf gives NaN, as LibTorch's does. Anywhere else: torch::softmax.
torch::Tensor softmaxLastDim(const torch::Tensor& x);

// Layer norm over x's last dimension D (statistics in fp32 whatever x's dtype), then the
// affine weight and bias ([D], either may be undefined), then adaLN's modulation
// y * (1 + scale) + shift with shift and scale [B, D] (both undefined for none), B being
// x's first dimension. x: [B, ..., D]; the result has x's dtype and shape. On the CPU in
// float32 or bfloat16: one fused pass each way; elsewhere the reference below.
torch::Tensor layerNormModulate(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                const torch::Tensor& shift, const torch::Tensor& scale, double eps);

// The LibTorch composition the fused path replaces: an fp32 layer norm, a cast back to
// x's dtype, and an addcmul for the modulation. For tests and other devices.
torch::Tensor layerNormModulateReference(const torch::Tensor& x, const torch::Tensor& weight,
                                         const torch::Tensor& bias, const torch::Tensor& shift,
                                         const torch::Tensor& scale, double eps);

// Whether the two take their fused paths (KINORA_FUSED_ROWS=aten turns both off, for
// side-by-side measurements).
bool fusedRowsEnabled();

} // namespace kinora::model
