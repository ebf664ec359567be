#pragma once

// Matrix products of fp32 CPU tensors through oneDNN's matmul primitive, with autograd.
//
// LibTorch 1.13 hands fp32 products on the CPU to the system BLAS, and a batched product
// (attention's 192 heads of 320 x 64 x 320 at 2x2 patches) to a loop of one BLAS call per
// head. Measured on a 2-core AVX2 EPYC (2026-12-06): OpenBLAS through ATen 27-90 GFLOP/s on
// attention's shapes and 116 on a 10240 x 384 x 1536 linear layer; oneDNN's matmul 115-147
// and 165-172 on the same shapes. Anything else (bf16, CUDA, empty tensors, a build
// without oneDNN) goes to LibTorch as before, except the fused epilogues of
// scaledMatmul and linearGelu without gradients, which also take bf16 on a CPU with bf16
// in hardware.

#include <torch/torch.h>

namespace kinora::model {

// Whether fp32 CPU products go through oneDNN: built with it, and KINORA_CPU_MATMUL is not
// "aten" (which keeps LibTorch's own path, for side-by-side measurements).
bool oneDnnMatmul();

// a [..., M, K] times b [..., K, N] (the same leading sizes, any strides).
torch::Tensor matmul(const torch::Tensor& a, const torch::Tensor& b);

// x [M, K] times weight [N, K] transposed, plus bias [N] where defined: torch::nn::Linear's
// forward.
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

// matmul(a * scale, b). Without gradients, oneDNN scales the product as it writes it.
torch::Tensor scaledMatmul(const torch::Tensor& a, const torch::Tensor& b, double scale);

// Exact (erf) GELU of linear(x, weight, bias). Without gradients, oneDNN applies the GELU
// as it writes the product: one pass over the hidden activations fewer.
torch::Tensor linearGelu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

} // namespace kinora::model
