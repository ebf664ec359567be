#include "model/autoencoder.h"

#include "model/norm_silu.h"

namespace kinora::model {

namespace {

torch::nn::Conv2d conv2d(int in, int out, int kernel, int stride, const torch::TensorOptions& options)
{
    torch::nn::Conv2d c(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2));
    c->to(options.device(), options.dtype().toScalarType());
    return c;
}

ChannelNorm channelNorm(int channels, const torch::TensorOptions& options)
{
    return ChannelNorm(channels, options);
}

} // namespace

ChannelNormImpl::ChannelNormImpl(int channels, const torch::TensorOptions& options)
{
    weight = register_parameter("weight", torch::ones({channels}, options));
    bias = register_parameter("bias", torch::zeros({channels}, options));
}

torch::Tensor ChannelNormImpl::forward(const torch::Tensor& x)
{
    // Spelled out as mean, variance and scale this took eight passes over the tensor and
    // was most of the autoencoder's time in training (model/norm_silu.h).
    return channelLayerNorm(x, weight, bias, 1e-6);
}

torch::Tensor ChannelNormImpl::silu(const torch::Tensor& x)
{
    return channelNormSilu(x, weight, bias, 1e-6);
}

ResBlock2dImpl::ResBlock2dImpl(int in, int out, const torch::TensorOptions& options)
{
    norm1 = register_module("norm1", channelNorm(in, options));
    conv1 = register_module("conv1", conv2d(in, out, 3, 1, options));
    norm2 = register_module("norm2", channelNorm(out, options));
    conv2 = register_module("conv2", conv2d(out, out, 3, 1, options));
    if (in != out)
        skip = register_module("skip", conv2d(in, out, 1, 1, options));
}

torch::Tensor ResBlock2dImpl::forward(const torch::Tensor& x)
{
    auto h = conv1(norm1->silu(x));
    h = conv2(norm2->silu(h));
    return (skip ? skip(x) : x) + h;
}

CausalTemporalBlockImpl::CausalTemporalBlockImpl(int channels, const torch::TensorOptions& options)
{
    norm = register_module("norm", channelNorm(channels, options));
    torch::nn::Conv3d c(torch::nn::Conv3dOptions(channels, channels, {3, 1, 1}));
    c->to(options.device(), options.dtype().toScalarType());
    conv = register_module("conv", c);
}

torch::Tensor CausalTemporalBlockImpl::forward(const torch::Tensor& x)
{
    // x: [B, C, T, H, W]; pad two frames in front with copies of the first, so frame t
    // only ever sees frames <= t.
    // The norm is per pixel and frame, so frame t only ever sees frames <= t.
    auto h = norm->silu(x);
    auto first = h.narrow(2, 0, 1);
    h = torch::cat({first, first, h}, 2);
    return x + conv(h);
}

VideoEncoderImpl::VideoEncoderImpl(const AutoencoderConfig& config, const torch::TensorOptions& options)
    : m_group(config.temporalGroup)
    , m_frameLevels(config.frameLevels)
    , m_shuffle(config.pixelShuffle)
{
    const auto& ch = config.channels;
    const int inChannels = (m_frameLevels > 0 ? 3 : 3 * m_group) * m_shuffle * m_shuffle;
    convIn = register_module("conv_in", conv2d(inChannels, ch[0], 3, 1, options));
    down = register_module("down", torch::nn::ModuleList());
    const int levels = static_cast<int>(ch.size()) - 1;
    if (m_frameLevels > 0)
        fold = register_module("fold", conv2d(m_group * ch[m_frameLevels], ch[m_frameLevels], 1, 1, options));
    for (int i = 0; i < levels; ++i) {
        ResBlock2d res(ch[i], ch[i], options);
        auto d = conv2d(ch[i], ch[i + 1], 3, 2, options);
        down->push_back(res);
        down->push_back(d);
        m_res.push_back(res);
        m_down.push_back(d);
    }
    const int top = ch[levels];
    mid1 = register_module("mid1", ResBlock2d(top, top, options));
    mid2 = register_module("mid2", ResBlock2d(top, top, options));
    normOut = register_module("norm_out", channelNorm(top, options));
    convOut = register_module("conv_out", conv2d(top, config.latentChannels, 3, 1, options));
}

torch::Tensor VideoEncoderImpl::forward(const torch::Tensor& x)
{
    const auto N = x.size(0);
    // Per-frame levels see the group's frames as a batch: [N, g*3, H, W] -> [N*g, 3, H, W].
    auto h = m_frameLevels > 0 ? x.reshape({N * m_group, 3, x.size(2), x.size(3)}) : x;
    if (m_shuffle > 1)
        h = torch::pixel_unshuffle(h, m_shuffle);
    h = convIn(h);
    for (size_t i = 0; i < m_res.size(); ++i) {
        h = m_down[i](m_res[i](h)); // halves H and W
        if (m_frameLevels > 0 && static_cast<int>(i) + 1 == m_frameLevels) // fold the frames together
            h = fold(h.reshape({N, m_group * h.size(1), h.size(2), h.size(3)}));
    }
    h = mid2(mid1(h));
    return convOut(normOut->silu(h)); // [N, C, H/8, W/8]
}

VideoDecoderImpl::VideoDecoderImpl(const AutoencoderConfig& config, const torch::TensorOptions& options)
    : m_group(config.temporalGroup)
    , m_frameLevels(config.frameLevels)
    , m_shuffle(config.pixelShuffle)
{
    const auto& ch = config.channels;
    const int levels = static_cast<int>(ch.size()) - 1;
    const int top = ch[levels];
    convIn = register_module("conv_in", conv2d(config.latentChannels, top, 3, 1, options));
    if (m_frameLevels > 0)
        unfold = register_module("unfold", conv2d(ch[m_frameLevels], m_group * ch[m_frameLevels], 1, 1, options));
    temporal1 = register_module("temporal1", CausalTemporalBlock(top, options));
    mid1 = register_module("mid1", ResBlock2d(top, top, options));
    temporal2 = register_module("temporal2", CausalTemporalBlock(top, options));
    mid2 = register_module("mid2", ResBlock2d(top, top, options));
    up = register_module("up", torch::nn::ModuleList());
    for (int i = levels; i > 0; --i) {
        auto u = conv2d(ch[i], ch[i - 1], 3, 1, options);
        ResBlock2d res(ch[i - 1], ch[i - 1], options);
        up->push_back(u);
        up->push_back(res);
        m_up.push_back(u);
        m_res.push_back(res);
    }
    if (config.decoderTemporalLevels > 0) {
        upTemporal = register_module("up_temporal", torch::nn::ModuleList());
        for (int i = config.decoderTemporalLevels - 1; i >= 0; --i) { // coarsest first, as they run
            CausalTemporalBlock block(ch[i], options);
            upTemporal->push_back(block);
            m_upTemporal.push_back(block);
        }
    }
    normOut = register_module("norm_out", channelNorm(ch[0], options));
    convOut = register_module("conv_out", conv2d(ch[0], (m_frameLevels > 0 ? 3 : 3 * m_group) * m_shuffle * m_shuffle, 3, 1, options));
}

torch::Tensor VideoDecoderImpl::forward(const torch::Tensor& z)
{
    const auto B = z.size(0), T = z.size(2), h = z.size(3), w = z.size(4);
    auto flat = [&](const torch::Tensor& x) { // [B, C', T, h, w] -> [B*T, C', h, w]
        return x.transpose(1, 2).reshape({B * T, x.size(1), h, w});
    };
    auto video = [&](const torch::Tensor& x) { // [B*T, C', h, w] -> [B, C', T, h, w]
        return x.view({B, T, x.size(1), h, w}).transpose(1, 2);
    };
    auto x = convIn(flat(z));
    x = flat(temporal1(video(x)));
    x = mid1(x);
    x = flat(temporal2(video(x)));
    x = mid2(x);
    const int levels = static_cast<int>(m_up.size());
    for (int i = 0; i < levels; ++i) {
        if (m_frameLevels > 0 && levels - i == m_frameLevels) { // each frame of the group its own features
            x = unfold(x);
            x = x.reshape({x.size(0) * m_group, x.size(1) / m_group, x.size(2), x.size(3)});
        }
        x = torch::upsample_nearest2d(x, std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2});
        x = m_res[i](m_up[i](x));
        const int temporal = i - (levels - static_cast<int>(m_upTemporal.size()));
        if (temporal >= 0) { // per-frame features [B*T, C, H, W] mixed over latent time
            const auto H = x.size(2), W = x.size(3);
            auto v = x.reshape({B, T, x.size(1), H, W}).transpose(1, 2);
            x = m_upTemporal[temporal](v).transpose(1, 2).reshape({B * T, x.size(1), H, W});
        }
    }
    auto out = convOut(normOut->silu(x));
    if (m_shuffle > 1)
        out = torch::pixel_shuffle(out, m_shuffle);
    if (m_frameLevels > 0) // [B*T*g, 3, H, W] -> [B*T, g*3, H, W]
        out = out.reshape({B * T, m_group * 3, out.size(2), out.size(3)});
    return out; // [B*T, 3 * group, H, W]
}

AutoencoderImpl::AutoencoderImpl(const AutoencoderConfig& config, const torch::TensorOptions& options)
    : m_config(config)
{
    encoder = register_module("encoder", VideoEncoder(config, options));
    decoder = register_module("decoder", VideoDecoder(config, options));
}

torch::Tensor AutoencoderImpl::encode(const torch::Tensor& video)
{
    const auto B = video.size(0), F = video.size(2), H = video.size(3), W = video.size(4);
    const int g = m_config.temporalGroup;
    TORCH_CHECK(m_config.validFrameCount(static_cast<int>(F)), "autoencoder needs 1 + 4k frames, got ", F);
    const auto T = m_config.latentForFrames(static_cast<int>(F));
    // Repeat the first frame so it fills a whole group of its own.
    auto first = video.narrow(2, 0, 1).expand({B, 3, g - 1, H, W});
    auto padded = torch::cat({first, video}, 2);                                 // [B, 3, g*T, H, W]
    auto groups = padded.view({B, 3, T, g, H, W}).permute({0, 2, 3, 1, 4, 5}); // [B, T, g, 3, H, W]
    auto z = encoder(groups.reshape({B * T, g * 3, H, W}).to(parameters().front().scalar_type()));
    z = z.view({B, T, z.size(1), z.size(2), z.size(3)}).transpose(1, 2); // [B, C, T, h, w]
    return (z.to(torch::kFloat32) + m_config.latentShift) * m_config.latentScale;
}

torch::Tensor AutoencoderImpl::decode(const torch::Tensor& latents)
{
    const auto B = latents.size(0), T = latents.size(2);
    const int g = m_config.temporalGroup;
    auto z = latents / m_config.latentScale - m_config.latentShift;
    auto x = decoder(z.to(parameters().front().scalar_type())).to(torch::kFloat32); // [B*T, g*3, H, W]
    const auto H = x.size(2), W = x.size(3);
    auto frames = x.view({B, T, g, 3, H, W}).permute({0, 3, 1, 2, 4, 5}).reshape({B, 3, T * g, H, W});
    return frames.narrow(2, g - 1, T * g - (g - 1)); // drop the first frame's padding copies
}

torch::Tensor AutoencoderImpl::decodePreview(const torch::Tensor& latents, int latentFrame)
{
    auto one = latents.narrow(2, latentFrame, 1);
    auto frames = decode(one); // a single latent frame decodes to one pixel frame
    return frames.select(2, frames.size(2) - 1);
}

} // namespace kinora::model
