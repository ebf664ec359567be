#include "model/transformer.h"

namespace kinora::model {

namespace {

void zeroLinear(torch::nn::Linear& l)
{
    torch::NoGradGuard noGrad;
    l->weight.zero_();
    if (l->bias.defined())
        l->bias.zero_();
}

// Sinusoids of a token's latent frame, row and column: for each axis, sin and cos at
// kFrequencies wavelengths from 4 to 512 tokens.
constexpr int kFrequencies = 8;
constexpr int kPositionFeatures = 3 * 2 * kFrequencies;

torch::Tensor positionFeatures(int64_t T, int64_t gh, int64_t gw, const torch::TensorOptions& options)
{
    constexpr double kHalfPi = 1.5707963267948966;
    auto freqs = torch::pow(2.0, -torch::arange(kFrequencies, torch::kFloat64)) * kHalfPi; // [K]
    auto axis = [&](int64_t n) {
        auto angles = torch::arange(n, torch::kFloat64).unsqueeze(1) * freqs.unsqueeze(0); // [n, K]
        return torch::cat({angles.sin(), angles.cos()}, 1);                             // [n, 2K]
    };
    const auto ft = axis(T).view({T, 1, 1, -1}).expand({T, gh, gw, 2 * kFrequencies});
    const auto fy = axis(gh).view({1, gh, 1, -1}).expand({T, gh, gw, 2 * kFrequencies});
    const auto fx = axis(gw).view({1, 1, gw, -1}).expand({T, gh, gw, 2 * kFrequencies});
    return torch::cat({ft, fy, fx}, -1).reshape({T * gh * gw, kPositionFeatures}).to(options); // (t, y, x) order
}

} // namespace

DitBlockImpl::DitBlockImpl(const TransformerConfig& config, const torch::TensorOptions& options)
{
    const int d = config.width;
    norm1 = register_module("norm1", plainLayerNorm(d, options));
    attn = register_module("attn", SelfAttention(d, config.heads, options));
    norm2 = register_module("norm2", affineLayerNorm(d, options));
    cross = register_module("cross", CrossAttention(d, config.textWidth, config.heads, options));
    norm3 = register_module("norm3", plainLayerNorm(d, options));
    mlp = register_module("mlp", Mlp(d, d * config.mlpRatio, options));
    modulation = register_parameter("modulation", torch::zeros({6, d}, options));
}

torch::Tensor DitBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& timeMod, const Rope& rope,
                                    const torch::Tensor& text, const torch::Tensor& textBias)
{
    auto mod = (timeMod + modulation).unbind(1); // 6 x [B, D]
    auto h = torch::addcmul(x, mod[2].unsqueeze(1), attn(norm1->modulated(x, mod[0], mod[1]), &rope));
    h = h + cross(norm2(h), text, textBias);
    return torch::addcmul(h, mod[5].unsqueeze(1), mlp(norm3->modulated(h, mod[3], mod[4])));
}

TransformerImpl::TransformerImpl(const TransformerConfig& config, const torch::TensorOptions& options)
    : m_config(config)
{
    const int d = config.width;
    const int p = config.patchSize;
    patchEmbed = register_module("patch_embed", linear(config.inChannels() * p * p, d, options));
    timeMlp1 = register_module("time_mlp1", linear(config.timestepDim, d, options));
    timeMlp2 = register_module("time_mlp2", linear(d, d, options));
    timeModulation = register_module("time_modulation", linear(d, 6 * d, options));
    zeroLinear(timeModulation);
    if (config.pooledText) { // starts at zero: adding it to a trained transformer changes nothing at first
        textPool = register_module("text_pool", linear(config.textWidth, d, options));
        zeroLinear(textPool);
    }
    if (config.absolutePositions) { // zero at first, like text_pool
        posEmbed = register_module("pos_embed", linear(kPositionFeatures, d, options));
        zeroLinear(posEmbed);
    }
    if (config.textLayout) { // zero at first: only the output layer of the attention is zeroed
        layoutQuery = register_module("layout_query", linear(kPositionFeatures, d, options));
        layoutCross = register_module("layout_cross", CrossAttention(d, config.textWidth, config.heads, options));
        torch::NoGradGuard noGrad;
        for (auto& p : layoutCross->named_parameters())
            if (p.key().rfind("proj.", 0) == 0)
                p.value().zero_();
    }
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int i = 0; i < config.depth; ++i) {
        DitBlock b(config, options);
        blocks->push_back(b);
        m_blocks.push_back(b);
    }
    normOut = register_module("norm_out", plainLayerNorm(d, options));
    adaLNOut = register_module("adaln_out", linear(d, 2 * d, options));
    projOut = register_module("proj_out", linear(d, config.latentChannels * p * p, options));
    zeroLinear(adaLNOut);
    zeroLinear(projOut);
}

torch::Tensor TransformerImpl::forward(const torch::Tensor& x, const torch::Tensor& known, const torch::Tensor& mask,
                                       const torch::Tensor& t, const torch::Tensor& text,
                                       const torch::Tensor& textMask)
{
    const auto B = x.size(0), C = x.size(1), T = x.size(2), h = x.size(3), w = x.size(4);
    const int p = m_config.patchSize;
    TORCH_CHECK(h % p == 0 && w % p == 0, "latent size ", h, "x", w, " is not divisible by patch ", p);
    const auto gh = h / p, gw = w / p, N = T * gh * gw;
    const auto dtype = patchEmbed->weight.scalar_type();

    // Patchify: [B, Cin, T, h, w] -> [B, T*gh*gw, Cin*p*p], tokens ordered (t, y, x).
    auto in = torch::cat({x, known, mask}, 1).to(dtype);
    const auto Cin = in.size(1);
    auto tokens = in.view({B, Cin, T, gh, p, gw, p})
                      .permute({0, 2, 3, 5, 1, 4, 6})
                      .reshape({B, N, Cin * p * p});
    auto hidden = applyLinear(patchEmbed, tokens); // [B, N, D]

    auto temb = timestepEmbedding(t * 1000.0, m_config.timestepDim).to(dtype);
    auto cPre = timeMlp2(torch::silu(timeMlp1(temb))); // [B, D]
    if (textPool) {
        auto keep = textMask.to(text.scalar_type()).unsqueeze(-1); // [B, L, 1]
        auto pooled = (text * keep).sum(1) / keep.sum(1).clamp_min(1.0);
        cPre = cPre + textPool(pooled.to(dtype));
    }
    auto c = torch::silu(cPre);
    auto timeMod = timeModulation(c).view({B, 6, -1});             // [B, 6, D]

    const auto grid = std::make_tuple(T, gh, gw);
    if (grid != m_ropeGrid || m_rope.cos.device() != x.device() || m_rope.cos.scalar_type() != dtype) {
        const auto gridOptions = torch::TensorOptions().dtype(dtype).device(x.device());
        m_rope = makeRope3d(static_cast<int>(T), static_cast<int>(gh), static_cast<int>(gw), m_config.headDim(),
                            m_config.ropeTheta, gridOptions);
        if (posEmbed || layoutCross)
            m_positions = positionFeatures(T, gh, gw, gridOptions);
        m_ropeGrid = grid;
    }
    if (posEmbed)
        hidden = hidden + applyLinear(posEmbed, m_positions).unsqueeze(0); // [1, N, D] for every clip
    auto textBias = keyMaskBias(textMask, dtype); // [B, 1, 1, L]
    auto ctx = text.to(dtype);
    if (layoutCross) {
        auto queries = applyLinear(layoutQuery, m_positions).unsqueeze(0).expand({B, N, -1}); // [B, N, D]
        hidden = hidden + layoutCross(queries, ctx, textBias);
    }
    for (auto& block : m_blocks)
        hidden = block(hidden, timeMod, m_rope, ctx, textBias);

    auto mod = adaLNOut(c).chunk(2, 1);
    auto out = applyLinear(projOut, normOut->modulated(hidden, mod[0], mod[1])); // [B, N, C*p*p]

    // Unpatchify back to [B, C, T, h, w].
    return out.view({B, T, gh, gw, C, p, p})
        .permute({0, 4, 1, 2, 5, 3, 6})
        .reshape({B, C, T, h, w})
        .to(torch::kFloat32);
}

double TransformerImpl::flops(int batch, int latentFrames, int h, int w, int textTokens) const
{
    const double d = m_config.width;
    const double p = m_config.patchSize;
    const double n = static_cast<double>(latentFrames) * (h / p) * (w / p);
    const double l = textTokens;
    const double perBlock = n * (3 * d * d + d * d)          // qkv, proj
                            + 2 * n * n * d                  // scores, weighted sum
                            + n * (2 * d * d) + l * 2 * d * m_config.textWidth // cross q, proj; kv
                            + 2 * n * l * d                  // cross scores, sum
                            + n * 2 * d * d * m_config.mlpRatio; // mlp
    const double embed = n * (m_config.inChannels() * p * p * d + d * m_config.latentChannels * p * p) +
                         (m_config.pooledText ? m_config.textWidth * d : 0.0) +
                         (m_config.absolutePositions ? n * kPositionFeatures * d : 0.0) +
                         (m_config.textLayout ? n * (kPositionFeatures * d + 2 * d * d + 2 * l * d) +
                                                    l * 2 * d * m_config.textWidth
                                              : 0.0);
    return 2.0 * batch * (m_config.depth * perBlock + embed);
}

} // namespace kinora::model
