#pragma once

// Causal video autoencoder: pixel_shuffle x 2^levels in each spatial axis (8x to 32x),
// 4x in time.
//
// Frames are grouped causally: latent frame 0 encodes pixel frame 0 alone, latent frame
// j >= 1 encodes pixel frames 4j-3 .. 4j, so a single frame and any 1 + 4k frames encode.
// Each group's frames are stacked along channels (or, with frame levels, encoded one by
// one in the outer levels and folded together below them) and encoded by a 2D network
// on their own (so a latent frame depends only on its own pixels, which keeps
// conditioning on known frames exact); the decoder mixes latent frames with causal
// temporal convolutions before turning each back into four frames.

#include "model/configs.h"

#include <torch/torch.h>

#include <vector>

namespace kinora::model {


// Normalises each pixel's channel vector (LayerNorm over channels, with affine). Unlike
// GroupNorm it has no statistics over space or time, so a crop or a single frame is
// normalised exactly as it is inside a whole clip: the autoencoder trains on crops,
// runs on whole frames, and stays causal.
class ChannelNormImpl : public torch::nn::Module {
public:
    ChannelNormImpl(int channels, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x); // x: [N, C, ...]
    // silu(forward(x)), fused on the CPU (model/norm_silu.h): every norm here feeds a SiLU.
    torch::Tensor silu(const torch::Tensor& x);

private:
    torch::Tensor weight, bias;
};
TORCH_MODULE(ChannelNorm);

class ResBlock2dImpl : public torch::nn::Module {
public:
    ResBlock2dImpl(int in, int out, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x); // x: [N, C, H, W]

private:
    ChannelNorm norm1{nullptr}, norm2{nullptr};
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, skip{nullptr};
};
TORCH_MODULE(ResBlock2d);

// Residual causal convolution over latent time: kernel 3, padded with the first frame.
class CausalTemporalBlockImpl : public torch::nn::Module {
public:
    CausalTemporalBlockImpl(int channels, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x); // x: [B, C, T, H, W]

private:
    ChannelNorm norm{nullptr};
    torch::nn::Conv3d conv{nullptr};
};
TORCH_MODULE(CausalTemporalBlock);

class VideoEncoderImpl : public torch::nn::Module {
public:
    VideoEncoderImpl(const AutoencoderConfig& config, const torch::TensorOptions& options);
    // x: [N, 3 * group, H, W] -> [N, latentChannels, H/f, W/f]
    torch::Tensor forward(const torch::Tensor& x);

private:
    int m_group = 4, m_frameLevels = 0, m_shuffle = 1;
    torch::nn::Conv2d convIn{nullptr}, convOut{nullptr}, fold{nullptr};
    torch::nn::ModuleList down{nullptr};
    std::vector<ResBlock2d> m_res;
    std::vector<torch::nn::Conv2d> m_down;
    ResBlock2d mid1{nullptr}, mid2{nullptr};
    ChannelNorm normOut{nullptr};
};
TORCH_MODULE(VideoEncoder);

class VideoDecoderImpl : public torch::nn::Module {
public:
    VideoDecoderImpl(const AutoencoderConfig& config, const torch::TensorOptions& options);
    // z: [B, C, T, h, w] -> [B*T, 3 * group, f*h, f*w] (f: the spatial factor)
    torch::Tensor forward(const torch::Tensor& z);

private:
    int m_group = 4, m_frameLevels = 0, m_shuffle = 1;
    torch::nn::Conv2d convIn{nullptr}, convOut{nullptr}, unfold{nullptr};
    CausalTemporalBlock temporal1{nullptr}, temporal2{nullptr};
    ResBlock2d mid1{nullptr}, mid2{nullptr};
    torch::nn::ModuleList up{nullptr};
    std::vector<ResBlock2d> m_res;
    std::vector<torch::nn::Conv2d> m_up;
    // AutoencoderConfig::decoderTemporalLevels: after the last levels' blocks ("up_temporal").
    torch::nn::ModuleList upTemporal{nullptr};
    std::vector<CausalTemporalBlock> m_upTemporal;
    ChannelNorm normOut{nullptr};
};
TORCH_MODULE(VideoDecoder);

class AutoencoderImpl : public torch::nn::Module {
public:
    AutoencoderImpl(const AutoencoderConfig& config, const torch::TensorOptions& options);

    // video: [B, 3, F, H, W] in [-1, 1], F = 1 + 4k -> latents [B, C, 1 + k, H/8, W/8] (scaled)
    torch::Tensor encode(const torch::Tensor& video);
    // latents: [B, C, T, h, w] (scaled) -> video [B, 3, 1 + 4(T-1), 8h, 8w], unclamped
    torch::Tensor decode(const torch::Tensor& latents);
    // Decodes one latent frame alone into its last pixel frame: a cheap preview.
    // latents: [B, C, T, h, w] -> [B, 3, 8h, 8w]
    torch::Tensor decodePreview(const torch::Tensor& latents, int latentFrame);

    const AutoencoderConfig& config() const { return m_config; }

private:
    AutoencoderConfig m_config;
    VideoEncoder encoder{nullptr};
    VideoDecoder decoder{nullptr};
};
TORCH_MODULE(Autoencoder);

} // namespace kinora::model
