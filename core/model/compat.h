#pragma once

// The few calls that differ between Debian's LibTorch 1.13 and LibTorch 2.x.

#include "model/cpu_matmul.h"
#include "model/fused_rows.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <fstream>
#include <string>

namespace kinora::compat {

// softmax(q k^T / sqrt(d) + bias) v. q, k, v: [B, heads, N, d]; bias broadcastable to
// [B, heads, Nq, Nk] (additive, -inf for masked keys) or undefined.
inline torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               const torch::Tensor& bias = {})
{
#if TORCH_VERSION_MAJOR >= 2
    if (bias.defined())
        return at::scaled_dot_product_attention(q, k, v, bias.to(q.scalar_type()));
    return at::scaled_dot_product_attention(q, k, v);
#else
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    auto scores = model::scaledMatmul(q, k.transpose(-2, -1), scale); // oneDNN for fp32 on the CPU
    if (bias.defined())
        scores = scores + bias.to(scores.scalar_type());
    return model::matmul(model::softmaxLastDim(scores), v); // one fused pass on the CPU
#endif
}

inline bool cudaAvailable() { return torch::cuda::is_available(); }

// Whether this CPU multiplies bf16 matrices in hardware (avx512_bf16 or AMX). Without
// either, oneDNN emulates bf16 and a bf16 matmul runs 30x slower than fp32 (5 against
// 159 GFLOP/s on an AVX2-only EPYC): "auto" precision then means fp32. Read once.
inline bool cpuHasFastBf16()
{
    static const bool fast = [] {
        std::ifstream in("/proc/cpuinfo");
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("flags", 0) == 0)
                return line.find(" avx512_bf16") != std::string::npos || line.find(" amx_bf16") != std::string::npos;
        return false;
    }();
    return fast;
}

} // namespace kinora::compat
