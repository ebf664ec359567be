#pragma once

// The autoencoder's channel norm followed by SiLU, in one pass over the tensor forward and
// one backward, on the CPU. Every ChannelNorm in the autoencoder feeds a SiLU; spelled out
// in LibTorch 1.13 that is a channels-last float copy, a layer norm, a copy back to bf16
// and a bf16 SiLU (whose kernel is scalar), and as many passes again backward: together
// about a third of the autoencoder stage's operator time on the 2-core CPU
// (docs/training.md, the training-speed section).

#include <torch/torch.h>

namespace kinora::model {

// silu(layer_norm over dim 1 of x, with weight and bias, eps). x: [N, C, ...], float32 or
// bfloat16; the result has x's dtype and shape, channels-last in memory (as the spelled-out
// version's is). On the CPU with those dtypes: the fused kernel, with its own backward;
// anywhere else: the LibTorch composition.
torch::Tensor channelNormSilu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                              double eps);

// layer_norm over dim 1 of x alone, statistics in fp32 whatever x's dtype: one fused
// LibTorch layer norm over a channels-last fp32 copy, the result in x's dtype and
// channels-last in memory (the next convolution reads it as it is).
torch::Tensor channelLayerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, double eps);

// silu(channelLayerNorm(...)), LibTorch's kernels: for tests and other devices.
torch::Tensor channelNormSiluReference(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                       double eps);

// Whether channelNormSilu takes the fused path (KINORA_NORM_SILU=aten turns it off, for
// side-by-side measurements).
bool fusedNormSiluEnabled();

} // namespace kinora::model
