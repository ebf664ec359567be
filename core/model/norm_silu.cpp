#include "model/norm_silu.h"

#include "model/vec_math.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace kinora::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

using vec::expApprox;
using vec::normInputGrad;
using vec::rowStats;
using vec::load;
using vec::store;

inline float sigmoid(float y) { return 1.0f / (1.0f + expApprox(-y)); }

// Rows [r0, r1) of x ([rows, C], row-major): mean and 1 / std per row, out = silu(norm).
template <typename T>
__attribute__((always_inline)) inline void forwardRowsT(const T* __restrict x, T* __restrict out,
                                                        float* __restrict mean, float* __restrict rstd,
                                                        const float* __restrict w, const float* __restrict b,
                                                        int64_t C, float eps, int64_t r0, int64_t r1)
{
    for (int64_t r = r0; r < r1; ++r) {
        const T* xr = x + r * C;
        T* orow = out + r * C;
        float mu, rs;
        rowStats(xr, C, eps, mu, rs);
        for (int64_t c = 0; c < C; ++c) {
            const float y = (load(xr, c) - mu) * rs * w[c] + b[c];
            store(orow, c, y * sigmoid(y));
        }
        mean[r] = mu;
        rstd[r] = rs;
    }
}

// The backward of rows [r0, r1): gx, and this chunk's sums of the weight's and bias's
// gradients (gw, gb: C each, added to). xh and gh: C floats of scratch.
template <typename T>
__attribute__((always_inline)) inline void backwardRowsT(const T* __restrict x, const T* __restrict ga,
                                                         T* __restrict gx, const float* __restrict mean,
                                                         const float* __restrict rstd, const float* __restrict w,
                                                         const float* __restrict b, float* __restrict gw,
                                                         float* __restrict gb, float* __restrict xh,
                                                         float* __restrict gh, int64_t C, int64_t r0, int64_t r1)
{
    for (int64_t r = r0; r < r1; ++r) {
        const T* xr = x + r * C;
        const T* gr = ga + r * C;
        const float mu = mean[r], rs = rstd[r];
        for (int64_t c = 0; c < C; ++c) {
            const float xhat = (load(xr, c) - mu) * rs;
            const float y = xhat * w[c] + b[c];
            const float s = sigmoid(y);
            const float gy = load(gr, c) * s * (1.0f + y * (1.0f - s));
            gw[c] += gy * xhat;
            gb[c] += gy;
            xh[c] = xhat;
            gh[c] = gy * w[c];
        }
        normInputGrad(gh, xh, rs, C, gx + r * C);
    }
}

KINORA_VEC_TARGETS void forwardRowsF(const float* x, float* out, float* mean, float* rstd, const float* w,
                                      const float* b, int64_t C, float eps, int64_t r0, int64_t r1)
{
    forwardRowsT(x, out, mean, rstd, w, b, C, eps, r0, r1);
}

KINORA_VEC_TARGETS void forwardRowsH(const std::uint16_t* x, std::uint16_t* out, float* mean, float* rstd,
                                      const float* w, const float* b, int64_t C, float eps, int64_t r0, int64_t r1)
{
    forwardRowsT(x, out, mean, rstd, w, b, C, eps, r0, r1);
}

KINORA_VEC_TARGETS void backwardRowsF(const float* x, const float* ga, float* gx, const float* mean,
                                       const float* rstd, const float* w, const float* b, float* gw, float* gb,
                                       float* xh, float* gh, int64_t C, int64_t r0, int64_t r1)
{
    backwardRowsT(x, ga, gx, mean, rstd, w, b, gw, gb, xh, gh, C, r0, r1);
}

KINORA_VEC_TARGETS void backwardRowsH(const std::uint16_t* x, const std::uint16_t* ga, std::uint16_t* gx,
                                       const float* mean, const float* rstd, const float* w, const float* b,
                                       float* gw, float* gb, float* xh, float* gh, int64_t C, int64_t r0, int64_t r1)
{
    backwardRowsT(x, ga, gx, mean, rstd, w, b, gw, gb, xh, gh, C, r0, r1);
}

// Rows per parallel chunk: a fixed split (not one per thread), so the weight gradients'
// sums come out the same whatever the thread count.
int64_t rowsPerChunk(int64_t C) { return std::max<int64_t>(1, 8192 / std::max<int64_t>(C, 1)); }

bool fusable(const torch::Tensor& x)
{
    return fusedNormSiluEnabled() && x.defined() && x.device().is_cpu() && x.dim() >= 2 &&
           (x.scalar_type() == torch::kFloat32 || x.scalar_type() == torch::kBFloat16);
}

class NormSilu : public torch::autograd::Function<NormSilu> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                                 const torch::Tensor& bias, double eps)
    {
        auto last = x.movedim(1, -1).contiguous(); // [..., C]; a view when x is channels-last
        const int64_t C = last.size(-1);
        const int64_t rows = C > 0 ? last.numel() / C : 0;
        auto w = weight.to(torch::kFloat32).contiguous();
        auto b = bias.to(torch::kFloat32).contiguous();
        auto out = torch::empty_like(last);
        auto stats = torch::empty({2, rows}, torch::TensorOptions().dtype(torch::kFloat32));
        float* mean = stats.data_ptr<float>();
        float* rstd = mean + rows;
        const bool half = last.scalar_type() == torch::kBFloat16;
        const int64_t per = rowsPerChunk(C);
        const int64_t chunks = (rows + per - 1) / per;
        at::parallel_for(0, chunks, 1, [&](int64_t c0, int64_t c1) {
            const int64_t r0 = c0 * per, r1 = std::min(rows, c1 * per);
            if (half)
                forwardRowsH(reinterpret_cast<const std::uint16_t*>(last.data_ptr()),
                             reinterpret_cast<std::uint16_t*>(out.data_ptr()), mean, rstd, w.data_ptr<float>(),
                             b.data_ptr<float>(), C, static_cast<float>(eps), r0, r1);
            else
                forwardRowsF(last.data_ptr<float>(), out.data_ptr<float>(), mean, rstd, w.data_ptr<float>(),
                             b.data_ptr<float>(), C, static_cast<float>(eps), r0, r1);
        });
        ctx->save_for_backward({last, w, b, stats});
        ctx->saved_data["weight_dtype"] = static_cast<int64_t>(weight.scalar_type());
        ctx->saved_data["bias_dtype"] = static_cast<int64_t>(bias.scalar_type());
        return out.movedim(-1, 1);
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        if (!grads[0].defined())
            return {torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
        const auto saved = ctx->get_saved_variables();
        const auto& last = saved[0];
        const auto& w = saved[1];
        const auto& b = saved[2];
        const auto& stats = saved[3];
        const int64_t C = last.size(-1);
        const int64_t rows = C > 0 ? last.numel() / C : 0;
        auto ga = grads[0].movedim(1, -1).to(last.scalar_type()).contiguous();
        auto gx = torch::empty_like(last);
        const int64_t per = rowsPerChunk(C);
        const int64_t chunks = (rows + per - 1) / per;
        // Each chunk's weight and bias sums, added up in chunk order below.
        auto partial = torch::zeros({chunks, 2, C}, torch::TensorOptions().dtype(torch::kFloat32));
        const float* mean = stats.data_ptr<float>();
        const float* rstd = mean + rows;
        const bool half = last.scalar_type() == torch::kBFloat16;
        at::parallel_for(0, chunks, 1, [&](int64_t c0, int64_t c1) {
            std::vector<float> scratch(2 * static_cast<size_t>(C));
            for (int64_t k = c0; k < c1; ++k) {
                const int64_t r0 = k * per, r1 = std::min(rows, (k + 1) * per);
                float* gw = partial.data_ptr<float>() + k * 2 * C;
                float* gb = gw + C;
                if (half)
                    backwardRowsH(reinterpret_cast<const std::uint16_t*>(last.data_ptr()),
                                  reinterpret_cast<const std::uint16_t*>(ga.data_ptr()),
                                  reinterpret_cast<std::uint16_t*>(gx.data_ptr()), mean, rstd, w.data_ptr<float>(),
                                  b.data_ptr<float>(), gw, gb, scratch.data(), scratch.data() + C, C, r0, r1);
                else
                    backwardRowsF(last.data_ptr<float>(), ga.data_ptr<float>(), gx.data_ptr<float>(), mean, rstd,
                                  w.data_ptr<float>(), b.data_ptr<float>(), gw, gb, scratch.data(),
                                  scratch.data() + C, C, r0, r1);
            }
        });
        auto sums = partial.sum(0); // [2, C]
        const auto weightType = static_cast<torch::ScalarType>(ctx->saved_data["weight_dtype"].toInt());
        const auto biasType = static_cast<torch::ScalarType>(ctx->saved_data["bias_dtype"].toInt());
        return {gx.movedim(-1, 1), sums[0].to(weightType), sums[1].to(biasType), torch::Tensor()};
    }
};

} // namespace

bool fusedNormSiluEnabled()
{
    static const bool enabled = [] {
        const char* v = std::getenv("KINORA_NORM_SILU");
        return !(v && std::strcmp(v, "aten") == 0);
    }();
    return enabled;
}

torch::Tensor channelLayerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, double eps)
{
    const auto channels = x.size(1);
    auto last = x.movedim(1, -1).to(torch::kFloat32, false, false, torch::MemoryFormat::Contiguous);
    auto y = torch::layer_norm(last, {channels}, weight.to(torch::kFloat32), bias.to(torch::kFloat32), eps);
    return y.to(x.scalar_type()).movedim(-1, 1);
}

torch::Tensor channelNormSiluReference(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                       double eps)
{
    return torch::silu(channelLayerNorm(x, weight, bias, eps));
}

torch::Tensor channelNormSilu(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                              double eps)
{
    if (!fusable(x))
        return channelNormSiluReference(x, weight, bias, eps);
    return NormSilu::apply(x, weight, bias, eps);
}

} // namespace kinora::model
