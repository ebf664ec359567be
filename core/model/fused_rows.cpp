#include "model/fused_rows.h"

#include "model/vec_math.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace kinora::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;
using vec::expApprox;
using vec::laneMax;
using vec::laneSum;
using vec::normInputGrad;
using vec::rowStats;
using vec::load;
using vec::store;

// ---- softmax ----------------------------------------------------------------------------

// Rows [r0, r1) of x ([rows, L]): out = softmax(row). e: L floats of scratch.
template <typename T>
__attribute__((always_inline)) inline void softmaxRowsT(const T* __restrict x, T* __restrict out,
                                                        float* __restrict e, int64_t L, int64_t r0, int64_t r1)
{
    for (int64_t r = r0; r < r1; ++r) {
        const T* xr = x + r * L;
        const float m = laneMax(L, [&](int64_t c) { return load(xr, c); });
        for (int64_t c = 0; c < L; ++c) {
            const float d = load(xr, c) - m;
            e[c] = d < -87.0f ? 0.0f : expApprox(d); // -inf (a masked key) gives exactly 0
        }
        const float inv = 1.0f / laneSum(L, [&](int64_t c) { return e[c]; });
        T* orow = out + r * L;
        for (int64_t c = 0; c < L; ++c)
            store(orow, c, e[c] * inv);
    }
}

// gx = y * (g - sum(g * y)) for rows [r0, r1).
template <typename T>
__attribute__((always_inline)) inline void softmaxBackwardRowsT(const T* __restrict y, const T* __restrict g,
                                                                T* __restrict gx, int64_t L, int64_t r0, int64_t r1)
{
    for (int64_t r = r0; r < r1; ++r) {
        const T* yr = y + r * L;
        const T* gr = g + r * L;
        const float dot = laneSum(L, [&](int64_t c) { return load(gr, c) * load(yr, c); });
        T* gxr = gx + r * L;
        for (int64_t c = 0; c < L; ++c)
            store(gxr, c, load(yr, c) * (load(gr, c) - dot));
    }
}

KINORA_VEC_TARGETS void softmaxRowsF(const float* x, float* out, float* e, int64_t L, int64_t r0, int64_t r1)
{
    softmaxRowsT(x, out, e, L, r0, r1);
}

KINORA_VEC_TARGETS void softmaxRowsH(const std::uint16_t* x, std::uint16_t* out, float* e, int64_t L, int64_t r0,
                                     int64_t r1)
{
    softmaxRowsT(x, out, e, L, r0, r1);
}

KINORA_VEC_TARGETS void softmaxBackwardRowsF(const float* y, const float* g, float* gx, int64_t L, int64_t r0,
                                             int64_t r1)
{
    softmaxBackwardRowsT(y, g, gx, L, r0, r1);
}

KINORA_VEC_TARGETS void softmaxBackwardRowsH(const std::uint16_t* y, const std::uint16_t* g, std::uint16_t* gx,
                                             int64_t L, int64_t r0, int64_t r1)
{
    softmaxBackwardRowsT(y, g, gx, L, r0, r1);
}

// Rows per task of at::parallel_for: about 16 k elements.
int64_t grainRows(int64_t L) { return std::max<int64_t>(1, 16384 / std::max<int64_t>(L, 1)); }

template <typename T>
T* bits(const torch::Tensor& t)
{
    return reinterpret_cast<T*>(t.data_ptr());
}

class Softmax : public torch::autograd::Function<Softmax> {
public:
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input)
    {
        auto x = input.contiguous();
        const int64_t L = x.size(-1);
        const int64_t rows = L > 0 ? x.numel() / L : 0;
        auto out = torch::empty_like(x);
        const bool half = x.scalar_type() == torch::kBFloat16;
        at::parallel_for(0, rows, grainRows(L), [&](int64_t r0, int64_t r1) {
            std::vector<float> e(static_cast<size_t>(L));
            if (half)
                softmaxRowsH(bits<const std::uint16_t>(x), bits<std::uint16_t>(out), e.data(), L, r0, r1);
            else
                softmaxRowsF(x.data_ptr<float>(), out.data_ptr<float>(), e.data(), L, r0, r1);
        });
        ctx->save_for_backward({out});
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        if (!grads[0].defined())
            return {torch::Tensor()};
        const auto y = ctx->get_saved_variables()[0];
        auto g = grads[0].to(y.scalar_type()).contiguous();
        const int64_t L = y.size(-1);
        const int64_t rows = L > 0 ? y.numel() / L : 0;
        auto gx = torch::empty_like(y);
        const bool half = y.scalar_type() == torch::kBFloat16;
        at::parallel_for(0, rows, grainRows(L), [&](int64_t r0, int64_t r1) {
            if (half)
                softmaxBackwardRowsH(bits<const std::uint16_t>(y), bits<const std::uint16_t>(g),
                                     bits<std::uint16_t>(gx), L, r0, r1);
            else
                softmaxBackwardRowsF(y.data_ptr<float>(), g.data_ptr<float>(), gx.data_ptr<float>(), L, r0, r1);
        });
        return {gx};
    }
};

// ---- layer norm, affine and modulation ---------------------------------------------------
//
// The weight, bias, shift and scale fold into one scale W and one offset S per batch item
// ([Bm, D] fp32, Bm 1 or B, computed with LibTorch's ops so that autograd carries their
// gradients back): y = xhat * W[b] + S[b]. The kernels see rows of x; row r belongs to
// batch item r / rowsPerItem when Bm > 1.

template <typename T>
__attribute__((always_inline)) inline void normRowsT(const T* __restrict x, T* __restrict out,
                                                     float* __restrict mean, float* __restrict rstd,
                                                     const float* __restrict W, const float* __restrict S, int64_t D,
                                                     float eps, int64_t r0, int64_t r1)
{
    for (int64_t r = r0; r < r1; ++r) {
        const T* xr = x + r * D;
        T* orow = out + r * D;
        float mu, rs;
        rowStats(xr, D, eps, mu, rs);
        for (int64_t c = 0; c < D; ++c)
            store(orow, c, (load(xr, c) - mu) * rs * W[c] + S[c]);
        mean[r] = mu;
        rstd[r] = rs;
    }
}

// Rows [r0, r1), all of one batch item: gx, and the sums over these rows of g * xhat (gW)
// and g (gS), added to. xh and gh: D floats of scratch.
template <typename T>
__attribute__((always_inline)) inline void normBackwardRowsT(const T* __restrict x, const T* __restrict g,
                                                             T* __restrict gx, const float* __restrict mean,
                                                             const float* __restrict rstd,
                                                             const float* __restrict W, float* __restrict gW,
                                                             float* __restrict gS, float* __restrict xh,
                                                             float* __restrict gh, int64_t D, int64_t r0, int64_t r1)
{
    for (int64_t r = r0; r < r1; ++r) {
        const T* xr = x + r * D;
        const T* gr = g + r * D;
        const float mu = mean[r], rs = rstd[r];
        for (int64_t c = 0; c < D; ++c) {
            const float xhat = (load(xr, c) - mu) * rs;
            const float gy = load(gr, c);
            gW[c] += gy * xhat;
            gS[c] += gy;
            xh[c] = xhat;
            gh[c] = gy * W[c];
        }
        normInputGrad(gh, xh, rs, D, gx + r * D);
    }
}

KINORA_VEC_TARGETS void normRowsF(const float* x, float* out, float* mean, float* rstd, const float* W,
                                  const float* S, int64_t D, float eps, int64_t r0, int64_t r1)
{
    normRowsT(x, out, mean, rstd, W, S, D, eps, r0, r1);
}

KINORA_VEC_TARGETS void normRowsH(const std::uint16_t* x, std::uint16_t* out, float* mean, float* rstd,
                                  const float* W, const float* S, int64_t D, float eps, int64_t r0, int64_t r1)
{
    normRowsT(x, out, mean, rstd, W, S, D, eps, r0, r1);
}

KINORA_VEC_TARGETS void normBackwardRowsF(const float* x, const float* g, float* gx, const float* mean,
                                          const float* rstd, const float* W, float* gW, float* gS, float* xh,
                                          float* gh, int64_t D, int64_t r0, int64_t r1)
{
    normBackwardRowsT(x, g, gx, mean, rstd, W, gW, gS, xh, gh, D, r0, r1);
}

KINORA_VEC_TARGETS void normBackwardRowsH(const std::uint16_t* x, const std::uint16_t* g, std::uint16_t* gx,
                                          const float* mean, const float* rstd, const float* W, float* gW, float* gS,
                                          float* xh, float* gh, int64_t D, int64_t r0, int64_t r1)
{
    normBackwardRowsT(x, g, gx, mean, rstd, W, gW, gS, xh, gh, D, r0, r1);
}

// Rows per parallel chunk of the backward: a fixed split inside each batch item (not one
// per thread), so that the gradients' sums come out the same whatever the thread count.
int64_t normChunkRows(int64_t D) { return std::max<int64_t>(1, 8192 / std::max<int64_t>(D, 1)); }

class NormAffine : public torch::autograd::Function<NormAffine> {
public:
    // W, S: [Bm, D] float32, contiguous.
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, const torch::Tensor& W,
                                 const torch::Tensor& S, double eps)
    {
        auto x = input.contiguous();
        const int64_t D = x.size(-1);
        const int64_t rows = D > 0 ? x.numel() / D : 0;
        const int64_t items = W.size(0);
        const int64_t perItem = items > 0 ? rows / items : 0;
        auto out = torch::empty_like(x);
        auto stats = torch::empty({2, rows}, torch::TensorOptions().dtype(torch::kFloat32));
        float* mean = stats.data_ptr<float>();
        float* rstd = mean + rows;
        const bool half = x.scalar_type() == torch::kBFloat16;
        const float* w = W.data_ptr<float>();
        const float* s = S.data_ptr<float>();
        at::parallel_for(0, rows, grainRows(D), [&](int64_t r0, int64_t r1) {
            while (r0 < r1) { // split at batch items: each has its own W and S
                const int64_t item = items == 1 ? 0 : r0 / perItem;
                const int64_t end = items == 1 ? r1 : std::min(r1, (item + 1) * perItem);
                if (half)
                    normRowsH(bits<const std::uint16_t>(x), bits<std::uint16_t>(out), mean, rstd, w + item * D,
                              s + item * D, D, static_cast<float>(eps), r0, end);
                else
                    normRowsF(x.data_ptr<float>(), out.data_ptr<float>(), mean, rstd, w + item * D, s + item * D, D,
                              static_cast<float>(eps), r0, end);
                r0 = end;
            }
        });
        ctx->save_for_backward({x, W, stats});
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        if (!grads[0].defined())
            return {torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
        const auto saved = ctx->get_saved_variables();
        const auto& x = saved[0];
        const auto& W = saved[1];
        const auto& stats = saved[2];
        const int64_t D = x.size(-1);
        const int64_t rows = D > 0 ? x.numel() / D : 0;
        const int64_t items = W.size(0);
        const int64_t perItem = items > 0 ? rows / items : 0;
        auto g = grads[0].to(x.scalar_type()).contiguous();
        auto gx = torch::empty_like(x);
        const int64_t per = normChunkRows(D);
        const int64_t chunksPerItem = std::max<int64_t>(1, (perItem + per - 1) / per);
        const int64_t chunks = items * chunksPerItem;
        auto partial = torch::zeros({items, chunksPerItem, 2, D}, torch::TensorOptions().dtype(torch::kFloat32));
        const float* mean = stats.data_ptr<float>();
        const float* rstd = mean + rows;
        const bool half = x.scalar_type() == torch::kBFloat16;
        at::parallel_for(0, chunks, 1, [&](int64_t c0, int64_t c1) {
            std::vector<float> scratch(2 * static_cast<size_t>(D));
            for (int64_t k = c0; k < c1; ++k) {
                const int64_t item = k / chunksPerItem, within = k % chunksPerItem;
                const int64_t r0 = item * perItem + within * per;
                const int64_t r1 = std::min((item + 1) * perItem, r0 + per);
                if (r0 >= r1)
                    continue;
                float* gW = partial.data_ptr<float>() + k * 2 * D;
                float* gS = gW + D;
                const float* w = W.data_ptr<float>() + item * D;
                if (half)
                    normBackwardRowsH(bits<const std::uint16_t>(x), bits<const std::uint16_t>(g),
                                      bits<std::uint16_t>(gx), mean, rstd, w, gW, gS, scratch.data(),
                                      scratch.data() + D, D, r0, r1);
                else
                    normBackwardRowsF(x.data_ptr<float>(), g.data_ptr<float>(), gx.data_ptr<float>(), mean, rstd, w,
                                      gW, gS, scratch.data(), scratch.data() + D, D, r0, r1);
            }
        });
        auto sums = partial.sum(1); // [Bm, 2, D], chunk order fixed
        return {gx, sums.select(1, 0), sums.select(1, 1), torch::Tensor()};
    }
};

bool fusable(const torch::Tensor& x)
{
    return fusedRowsEnabled() && x.defined() && x.device().is_cpu() && x.dim() >= 1 && x.numel() > 0 &&
           (x.scalar_type() == torch::kFloat32 || x.scalar_type() == torch::kBFloat16);
}

} // namespace

bool fusedRowsEnabled()
{
    static const bool enabled = [] {
        const char* v = std::getenv("KINORA_FUSED_ROWS");
        return !(v && std::strcmp(v, "aten") == 0);
    }();
    return enabled;
}

torch::Tensor softmaxLastDim(const torch::Tensor& x)
{
    if (!fusable(x))
        return torch::softmax(x, -1);
    return Softmax::apply(x);
}

torch::Tensor layerNormModulateReference(const torch::Tensor& x, const torch::Tensor& weight,
                                         const torch::Tensor& bias, const torch::Tensor& shift,
                                         const torch::Tensor& scale, double eps)
{
    auto y = torch::layer_norm(x.to(torch::kFloat32), {x.size(-1)},
                               weight.defined() ? weight.to(torch::kFloat32) : weight,
                               bias.defined() ? bias.to(torch::kFloat32) : bias, eps)
                 .to(x.scalar_type());
    if (!shift.defined() && !scale.defined())
        return y;
    // [B, D] -> [B, 1, ..., 1, D]: broadcast over every dimension between.
    auto expand = [&](const torch::Tensor& t) {
        auto sizes = std::vector<int64_t>(static_cast<size_t>(x.dim()), 1);
        sizes.front() = t.size(0);
        sizes.back() = t.size(-1);
        return t.view(sizes);
    };
    TORCH_CHECK(shift.defined() && scale.defined(), "layerNormModulate: give both shift and scale, or neither");
    return torch::addcmul(expand(shift), y, expand(scale) + 1);
}

torch::Tensor layerNormModulate(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                const torch::Tensor& shift, const torch::Tensor& scale, double eps)
{
    const bool modulated = shift.defined() || scale.defined();
    if (!fusable(x) || x.dim() < 2 || (modulated && (!shift.defined() || !scale.defined())) ||
        (modulated && (shift.dim() != 2 || scale.dim() != 2 || shift.size(0) != x.size(0) ||
                       scale.size(0) != x.size(0))))
        return layerNormModulateReference(x, weight, bias, shift, scale, eps);
    const int64_t D = x.size(-1);
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
    // W = weight * (1 + scale), S = bias * (1 + scale) + shift: [Bm, D].
    torch::Tensor W = weight.defined() ? weight.to(torch::kFloat32).view({1, D}) : torch::ones({1, D}, f32);
    torch::Tensor S = bias.defined() ? bias.to(torch::kFloat32).view({1, D}) : torch::zeros({1, D}, f32);
    if (modulated) {
        auto factor = scale.to(torch::kFloat32) + 1;
        W = W * factor;
        S = torch::addcmul(shift.to(torch::kFloat32), S, factor);
    }
    return NormAffine::apply(x, W.contiguous(), S.contiguous(), eps);
}

} // namespace kinora::model
