#pragma once

// Diffusion transformer on spacetime patches of the latent video (DiT with
// cross-attention to text, AdaLN-Zero modulation by the noise level, factorised 3D
// rotary positions, full self-attention over all frames' tokens).
//
// The modulation is computed once from the timestep and offset per block by a learned
// table (PixArt-alpha's "adaLN-single"): DiT's per-block 6D x D projections would be a
// third of the parameters at this size. Everything starts zero, so every block begins as
// the identity (AdaLN-Zero).
//
// Input channels are the noisy latent, the known latent (zero where unknown) and the
// known-mask, so one model generates, extends, bridges and fills.

#include "model/configs.h"
#include "model/modules.h"

namespace kinora::model {


class DitBlockImpl : public torch::nn::Module {
public:
    DitBlockImpl(const TransformerConfig& config, const torch::TensorOptions& options);
    // x: [B, N, D]; mod: [B, 6, D] (the shared timestep modulation); text: [B, L, Dt];
    // textBias: [B, 1, 1, L]
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mod, const Rope& rope,
                          const torch::Tensor& text, const torch::Tensor& textBias);

private:
    LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};
    SelfAttention attn{nullptr};
    CrossAttention cross{nullptr};
    Mlp mlp{nullptr};
    // Added to the shared timestep modulation: shift, scale, gate for attention and MLP.
    torch::Tensor modulation;
};
TORCH_MODULE(DitBlock);

class TransformerImpl : public torch::nn::Module {
public:
    TransformerImpl(const TransformerConfig& config, const torch::TensorOptions& options);

    // x: [B, C, T, h, w] noisy latent; known: [B, C, T, h, w]; mask: [B, 1, T, h, w];
    // t: [B] noise level in [0, 1]; text: [B, L, Dt]; textMask: [B, L] bool
    // -> velocity [B, C, T, h, w] (float32)
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& known, const torch::Tensor& mask,
                          const torch::Tensor& t, const torch::Tensor& text, const torch::Tensor& textMask);

    const TransformerConfig& config() const { return m_config; }
    // Multiply-adds x2 of one forward for a batch, for throughput reports.
    double flops(int batch, int latentFrames, int h, int w, int textTokens) const;

private:
    TransformerConfig m_config;
    torch::nn::Linear patchEmbed{nullptr};
    torch::nn::Linear timeMlp1{nullptr}, timeMlp2{nullptr};
    torch::nn::Linear timeModulation{nullptr}; // AdaLN-single: one [6 x D] modulation for all blocks
    torch::nn::Linear textPool{nullptr};       // pooled caption -> added to the timestep embedding (pooledText)
    torch::nn::Linear posEmbed{nullptr};       // sinusoids of (frame, row, column) -> added to tokens (absolutePositions)
    torch::nn::Linear layoutQuery{nullptr};    // sinusoids -> queries over the caption (textLayout)
    CrossAttention layoutCross{nullptr};       // -> added to tokens (textLayout)
    torch::nn::ModuleList blocks{nullptr};
    std::vector<DitBlock> m_blocks;
    LayerNorm normOut{nullptr};
    torch::nn::Linear adaLNOut{nullptr};
    torch::nn::Linear projOut{nullptr};

    // Rotary tables depend only on the token grid; cached per grid.
    std::tuple<int64_t, int64_t, int64_t> m_ropeGrid{-1, -1, -1};
    Rope m_rope;
    torch::Tensor m_positions; // [N, kPositionFeatures] sinusoids for the cached grid
};
TORCH_MODULE(Transformer);

} // namespace kinora::model
