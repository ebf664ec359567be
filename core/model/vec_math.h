#pragma once

// Scalar building blocks for hand-written CPU row kernels that GCC should vectorise
// (the fused channel norm and SiLU, the fused softmax and layer norm): loads and stores
// of float and bf16 (as uint16 bits), a branch-free exp, and a sum in 16 running lanes.
// Files that use them are built at -O3 without errno or trapping math (core/CMakeLists.txt).

#include "util/bf16_bits.h"

#include <bit>
#include <cmath>
#include <cstdint>

namespace kinora::model::vec {

inline float load(const float* p, int64_t i) { return p[i]; }
inline float load(const std::uint16_t* p, int64_t i) { return bf16ToFloat(p[i]); }
inline void store(float* p, int64_t i, float v) { p[i] = v; }
inline void store(std::uint16_t* p, int64_t i, float v) { p[i] = floatToBf16(v); }

// exp(x) without branches, so that it vectorises: Cephes' expf (range reduction by ln 2,
// a degree-6 polynomial, the exponent set on the bits), relative error about 2e-7, far
// below bf16's 4e-3 and close to float's own rounding. Inputs are clamped to [-87, 88].
inline float expApprox(float x)
{
    x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x); // not std::min/max: their references stop vectorising
    const float n = std::floor(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const std::uint32_t bits = static_cast<std::uint32_t>(static_cast<std::int32_t>(n) + 127) << 23;
    return p * std::bit_cast<float>(bits);
}

// The sum of f(c) over c in [0, C), in 16 running sums: a float sum in one register
// is a chain of dependent adds (GCC keeps their order, even under `omp simd reduction`),
// which made a norm's two sums most of its time.
template <typename F>
__attribute__((always_inline)) inline float laneSum(int64_t C, F&& f)
{
    constexpr int kLanes = 16;
    float lanes[kLanes] = {};
    int64_t c = 0;
    for (; c + kLanes <= C; c += kLanes)
        for (int k = 0; k < kLanes; ++k)
            lanes[k] += f(c + k);
    for (; c < C; ++c)
        lanes[0] += f(c);
    for (int h = kLanes / 2; h > 0; h /= 2) // pairwise, not a chain
        for (int k = 0; k < h; ++k)
            lanes[k] += lanes[k + h];
    return lanes[0];
}

// The largest f(c) over c in [0, C). An OpenMP SIMD reduction (the file is built with
// -fopenmp-simd): a plain `v > m ? v : m` loop, or one in 16 lanes as laneSum's, stayed
// scalar compares and moves. For finite values and -inf; NaN is not propagated.
template <typename F>
__attribute__((always_inline)) inline float laneMax(int64_t C, F&& f)
{
    float m = -INFINITY;
#pragma omp simd reduction(max : m)
    for (int64_t c = 0; c < C; ++c) {
        const float v = f(c);
        m = v > m ? v : m;
    }
    return m;
}

// A layer norm's statistics over one row of C values: the mean and 1 / sqrt(variance + eps).
template <typename T>
__attribute__((always_inline)) inline void rowStats(const T* __restrict xr, int64_t C, float eps, float& mean,
                                                    float& rstd)
{
    const float mu = laneSum(C, [&](int64_t c) { return load(xr, c); }) / static_cast<float>(C);
    const float sq = laneSum(C, [&](int64_t c) {
        const float d = load(xr, c) - mu;
        return d * d;
    });
    mean = mu;
    rstd = 1.0f / std::sqrt(sq / static_cast<float>(C) + eps);
}

// A layer norm's input gradient for one row, from gh (the gradient at the normalised
// value, C floats) and xh (the normalised values): rs * (gh - mean(gh) - xh * mean(gh * xh)).
template <typename T>
__attribute__((always_inline)) inline void normInputGrad(const float* __restrict gh, const float* __restrict xh,
                                                         float rs, int64_t C, T* __restrict gxr)
{
    const float m1 = laneSum(C, [&](int64_t c) { return gh[c]; }) / static_cast<float>(C);
    const float m2 = laneSum(C, [&](int64_t c) { return gh[c] * xh[c]; }) / static_cast<float>(C);
    for (int64_t c = 0; c < C; ++c)
        store(gxr, c, rs * (gh[c] - m1 - xh[c] * m2));
}

} // namespace kinora::model::vec

// Built for x86-64-v4 (AVX-512), v3 (AVX2 and FMA) and baseline x86-64, the best picked at
// load time (clones for "avx512f" and "avx2" alone were twice as slow: no FMA).
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define KINORA_VEC_TARGETS __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KINORA_VEC_TARGETS
#endif
