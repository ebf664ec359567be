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

#include <torch/torch.h>

#include <vector>

namespace kinora::model {

struct AutoencoderConfig {
    int latentChannels = 16;
    // Channels at each resolution: 1x, 1/2, 1/4, ...; each step down halves the size, so
    // four entries compress 8x and five 16x. The default's 16x keeps the transformer at
    // 80 tokens per window (4 x 4 patches x 5 latent frames at 128 x 128): training
    // cost on a CPU scales with tokens, and the shapes world needs few.
    std::vector<int> channels = {16, 32, 64, 128, 128};
    int temporalGroup = 4;                            // frames per latent frame (after the first)
    // Levels (from full resolution down) at which each frame of a group has its own
    // features, with weights shared between frames; the group's frames are folded into
    // one feature map only below them. 0 stacks the frames along channels at the input,
    // which leaves 16 channels at full resolution to carry four frames: a decoder built
    // that way learns to show one still picture per group and loses the motion inside it.
    int frameLevels = 0;
    // Pixels folded into channels (pixel unshuffle) before the first level and unfolded
    // after the last: 2 runs the networks from half resolution, at a quarter of the cost.
    int pixelShuffle = 1;
    double latentScale = 1.0;                         // latents are multiplied by this after encoding
    double latentShift = 0.0;                         // and shifted by this

    // Pixel frames for a latent length and back; frames must be 1 + 4k.
    int spatialFactor() const { return pixelShuffle << (static_cast<int>(channels.size()) - 1); }
    int framesForLatent(int latentFrames) const { return 1 + temporalGroup * (latentFrames - 1); }
    int latentForFrames(int frames) const { return 1 + (frames - 1) / temporalGroup; }
    bool validFrameCount(int frames) const { return frames >= 1 && (frames - 1) % temporalGroup == 0; }
};

// Normalises each pixel's channel vector (LayerNorm over channels, with affine). Unlike
// GroupNorm it has no statistics over space or time, so a crop or a single frame is
// normalised exactly as it is inside a whole clip: the autoencoder trains on crops,
// runs on whole frames, and stays causal.
class ChannelNormImpl : public torch::nn::Module {
public:
    ChannelNormImpl(int channels, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x); // x: [N, C, ...]

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
