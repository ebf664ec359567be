#include "model/modules.h"

#include "model/compat.h"
#include "model/cpu_matmul.h"
#include "model/fused_rows.h"

#include <cmath>

namespace kinora::model {

namespace {

// Angles for `pairs` frequency pairs along one axis of length n: [n, pairs].
torch::Tensor axisAngles(int n, int pairs, double theta)
{
    if (pairs == 0)
        return torch::zeros({n, 0}, torch::kFloat64);
    auto freqs = torch::pow(theta, -torch::arange(0, pairs, torch::kFloat64) / pairs);
    auto pos = torch::arange(0, n, torch::kFloat64);
    return torch::outer(pos, freqs);
}

} // namespace

// f on x's rows ([..., K] as [rows, K]), its output's last size in place of K.
template <typename F>
torch::Tensor onRows(const torch::Tensor& x, F&& f)
{
    auto y = f(x.reshape({-1, x.size(-1)}));
    auto sizes = x.sizes().vec();
    sizes.back() = y.size(-1);
    return y.view(sizes);
}

Rope makeRope3d(int t, int h, int w, int headDim, double theta, const torch::TensorOptions& options)
{
    const int pairs = headDim / 2;
    const int pairsH = pairs * 3 / 8; // 3/8 of the pairs each for height and width, the rest for time
    const int pairsW = pairsH;
    const int pairsT = pairs - pairsH - pairsW;
    auto at = axisAngles(t, pairsT, theta);
    auto ah = axisAngles(h, pairsH, theta);
    auto aw = axisAngles(w, pairsW, theta);
    // Token order is (t, h, w) row-major, as produced by the patch embedding.
    auto gt = at.view({t, 1, 1, pairsT}).expand({t, h, w, pairsT});
    auto gh = ah.view({1, h, 1, pairsH}).expand({t, h, w, pairsH});
    auto gw = aw.view({1, 1, w, pairsW}).expand({t, h, w, pairsW});
    auto angles = torch::cat({gt, gh, gw}, -1).reshape({t * h * w, pairs});
    return Rope{angles.cos().to(options), angles.sin().to(options)};
}

torch::Tensor applyRope(const torch::Tensor& x, const Rope& rope)
{
    // Half-split rotation: the pair (x[i], x[i + d/2]) turns by angle i.
    auto halves = x.chunk(2, -1);
    const auto& x1 = halves[0];
    const auto& x2 = halves[1];
    return torch::cat({x1 * rope.cos - x2 * rope.sin, x1 * rope.sin + x2 * rope.cos}, -1);
}

torch::Tensor modulate(const torch::Tensor& x, const torch::Tensor& shift, const torch::Tensor& scale)
{
    return torch::addcmul(shift.unsqueeze(1), x, scale.unsqueeze(1) + 1);
}

torch::Tensor timestepEmbedding(const torch::Tensor& t, int dim, double maxPeriod)
{
    const int half = dim / 2;
    auto freqs = torch::exp(-std::log(maxPeriod) * torch::arange(0, half, torch::kFloat32) / half)
                     .to(t.device());
    auto args = t.to(torch::kFloat32).unsqueeze(1) * freqs.unsqueeze(0);
    return torch::cat({torch::cos(args), torch::sin(args)}, -1); // [B, dim]
}

SelfAttentionImpl::SelfAttentionImpl(int dim, int heads, const torch::TensorOptions& options) : m_heads(heads)
{
    qkv = register_module("qkv", linear(dim, 3 * dim, options));
    proj = register_module("proj", linear(dim, dim, options));
}

torch::Tensor SelfAttentionImpl::forward(const torch::Tensor& x, const Rope* rope, const torch::Tensor& bias)
{
    const auto B = x.size(0), N = x.size(1), D = x.size(2);
    // qkv: 3 x [B, heads, N, headDim]. unbind, not parts[i]: each select's backward fills
    // a zero tensor of all three parts' size and adds them up (2 s of a 14-s training step
    // at 320 tokens); unbind's backward stacks the three gradients once.
    auto parts = applyLinear(qkv, x).view({B, N, 3, m_heads, D / m_heads}).permute({2, 0, 3, 1, 4}).unbind(0);
    auto q = parts[0], k = parts[1], v = parts[2];
    if (rope) {
        q = applyRope(q, *rope);
        k = applyRope(k, *rope);
    }
    auto out = compat::attention(q, k, v, bias); // [B, heads, N, headDim]
    return applyLinear(proj, out.transpose(1, 2).reshape({B, N, D}));
}

CrossAttentionImpl::CrossAttentionImpl(int dim, int contextDim, int heads, const torch::TensorOptions& options)
    : m_heads(heads)
{
    q = register_module("q", linear(dim, dim, options));
    kv = register_module("kv", linear(contextDim, 2 * dim, options));
    proj = register_module("proj", linear(dim, dim, options));
}

torch::Tensor CrossAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& context,
                                          const torch::Tensor& bias)
{
    const auto B = x.size(0), N = x.size(1), D = x.size(2), L = context.size(1);
    const auto hd = D / m_heads;
    auto qh = applyLinear(q, x).view({B, N, m_heads, hd}).transpose(1, 2);                       // [B, h, N, hd]
    auto kvh = applyLinear(kv, context).view({B, L, 2, m_heads, hd}).permute({2, 0, 3, 1, 4}).unbind(0); // 2 x [B, h, L, hd]
    auto out = compat::attention(qh, kvh[0], kvh[1], bias);
    return applyLinear(proj, out.transpose(1, 2).reshape({B, N, D}));
}

MlpImpl::MlpImpl(int dim, int hidden, const torch::TensorOptions& options)
{
    fc1 = register_module("fc1", linear(dim, hidden, options));
    fc2 = register_module("fc2", linear(hidden, dim, options));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x)
{
    // Exact GELU: LibTorch 1.13's bf16 tanh-approximation kernel is 15x slower on the CPU.
    auto hidden = onRows(x, [&](const torch::Tensor& rows) { return linearGelu(rows, fc1->weight, fc1->bias); });
    return applyLinear(fc2, hidden);
}

LayerNormImpl::LayerNormImpl(int dim, bool affine, const torch::TensorOptions& options) : m_dim(dim)
{
    if (affine) {
        weight = register_parameter("weight", torch::ones({dim}, options));
        bias = register_parameter("bias", torch::zeros({dim}, options));
    }
}

torch::Tensor LayerNormImpl::forward(const torch::Tensor& x)
{
    return layerNormModulate(x, weight, bias, {}, {}, 1e-6);
}

torch::Tensor LayerNormImpl::modulated(const torch::Tensor& x, const torch::Tensor& shift, const torch::Tensor& scale)
{
    return layerNormModulate(x, weight, bias, shift, scale, 1e-6);
}

LayerNorm plainLayerNorm(int dim, const torch::TensorOptions& options)
{
    return LayerNorm(dim, false, options);
}

LayerNorm affineLayerNorm(int dim, const torch::TensorOptions& options)
{
    return LayerNorm(dim, true, options);
}

torch::nn::Linear linear(int in, int out, const torch::TensorOptions& options, bool bias)
{
    torch::nn::Linear l(torch::nn::LinearOptions(in, out).bias(bias));
    // Xavier-uniform weights and zero biases, as DiT initialises its linears.
    torch::NoGradGuard noGrad;
    torch::nn::init::xavier_uniform_(l->weight);
    if (bias)
        l->bias.zero_();
    l->to(options.device(), options.dtype().toScalarType());
    return l;
}

torch::Tensor applyLinear(torch::nn::Linear& layer, const torch::Tensor& x)
{
    return onRows(x, [&](const torch::Tensor& rows) {
        return linear(rows, layer->weight, layer->bias); // oneDNN for fp32 on the CPU
    });
}

torch::Tensor keyMaskBias(const torch::Tensor& mask, torch::ScalarType type)
{
    auto bias = torch::zeros(mask.sizes(), torch::TensorOptions().dtype(torch::kFloat32).device(mask.device()));
    bias.masked_fill_(mask.logical_not(), -std::numeric_limits<float>::infinity());
    return bias.view({mask.size(0), 1, 1, mask.size(1)}).to(type);
}

} // namespace kinora::model
