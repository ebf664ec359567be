#include "io/model_config.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace kinora::io {

using nlohmann::json;

namespace {

// A whole number that fits T: nlohmann's own get<int>() casts any number, and a float
// beyond int's range (a 20-digit integer parses as one) is undefined behaviour there.
template <typename T>
T wholeNumber(const json& v, const char* key)
{
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    const auto refuse = [&] {
        return std::invalid_argument(std::string("\"") + key + "\" must be a whole number from " +
                                     std::to_string(std::numeric_limits<T>::min()) + " to " +
                                     std::to_string(std::numeric_limits<T>::max()));
    };
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
            throw refuse();
        return static_cast<T>(u);
    }
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            (i > 0 && static_cast<std::uint64_t>(i) > static_cast<std::uint64_t>(std::numeric_limits<T>::max())))
            throw refuse();
        return static_cast<T>(i);
    }
    if (v.is_number_float()) { // 8.0 is 8; 8.5, inf and 1e30 are refused
        const double d = v.get<double>();
        if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(std::numeric_limits<T>::min()) ||
            d > static_cast<double>(std::numeric_limits<T>::max()))
            throw refuse();
        return static_cast<T>(d);
    }
    return v.get<T>(); // not a number: nlohmann's type error
}

template <typename T>
void readIf(const json& j, const char* key, T& out)
{
    if (!j.contains(key))
        return;
    const auto& v = j.at(key);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        out = wholeNumber<T>(v, key);
    } else if constexpr (std::is_same_v<T, std::vector<int>>) {
        if (!v.is_array())
            throw std::invalid_argument(std::string("\"") + key + "\" must be a list of whole numbers");
        out.clear();
        for (const auto& e : v)
            out.push_back(wholeNumber<int>(e, key));
    } else {
        out = v.get<T>();
    }
}

} // namespace

std::uint64_t minimumParameters(const ModelConfig& c)
{
    // Every size is checked against its limit before this is called, so no product overflows.
    const std::uint64_t w = c.transformer.width, r = c.transformer.mlpRatio, tw = c.textEncoder.width;
    const std::uint64_t perBlock = (6 + 2 * r) * w * w + 2 * w * tw; // self-attention, cross-attention, MLP
    const std::uint64_t textPerBlock = (4 + 2 * std::uint64_t(c.textEncoder.mlpRatio)) * tw * tw;
    return std::uint64_t(c.transformer.depth) * perBlock + std::uint64_t(c.textEncoder.depth) * textPerBlock +
           std::uint64_t(c.vocabulary.size()) * tw;
}

json configToJson(const ModelConfig& c)
{
    const auto& ae = c.autoencoder;
    const auto& te = c.textEncoder;
    const auto& dit = c.transformer;
    return json{
        {"format_version", c.formatVersion},
        {"name", c.name},
        {"description", c.description},
        {"frame_size", c.frameSize},
        {"fps", c.fps},
        {"window_frames", c.windowFrames},
        {"overlap_frames", c.overlapFrames},
        {"weights_dtype", c.weightsDtype},
        {"autoencoder",
         {{"latent_channels", ae.latentChannels},
          {"channels", ae.channels},
          {"temporal_group", ae.temporalGroup},
          {"frame_levels", ae.frameLevels},
          {"pixel_shuffle", ae.pixelShuffle},
          {"decoder_temporal_levels", ae.decoderTemporalLevels},
          {"latent_scale", ae.latentScale},
          {"latent_shift", ae.latentShift}}},
        {"text_encoder",
         {{"max_tokens", te.maxTokens},
          {"width", te.width},
          {"depth", te.depth},
          {"heads", te.heads},
          {"mlp_ratio", te.mlpRatio}}},
        {"transformer",
         {{"patch_size", dit.patchSize},
          {"width", dit.width},
          {"depth", dit.depth},
          {"heads", dit.heads},
          {"mlp_ratio", dit.mlpRatio},
          {"timestep_dim", dit.timestepDim},
          {"rope_theta", dit.ropeTheta},
          {"pooled_text", dit.pooledText},
          {"absolute_positions", dit.absolutePositions},
          {"text_layout", dit.textLayout}}},
        {"sampling",
         {{"steps", c.sampling.steps},
          {"guidance", c.sampling.guidance},
          {"shift", c.sampling.shift},
          {"sampler", c.sampling.sampler},
          {"frame_noise_share", c.sampling.frameNoiseShare},
          {"first_frame_anchor", c.sampling.firstFrameAnchor}}},
        {"vocabulary", c.vocabulary},
        {"training", c.training},
    };
}

Result<ModelConfig> configFromJson(const json& j)
{
    ModelConfig c;
    try {
        readIf(j, "format_version", c.formatVersion);
        if (c.formatVersion > kModelFormatVersion)
            return makeError(ErrorCode::Unsupported, "model pack format " + std::to_string(c.formatVersion) +
                                                         " is newer than this Kinora understands (" +
                                                         std::to_string(kModelFormatVersion) + ")");
        readIf(j, "name", c.name);
        readIf(j, "description", c.description);
        readIf(j, "frame_size", c.frameSize);
        readIf(j, "fps", c.fps);
        readIf(j, "window_frames", c.windowFrames);
        readIf(j, "overlap_frames", c.overlapFrames);
        readIf(j, "weights_dtype", c.weightsDtype);
        if (j.contains("autoencoder")) {
            const auto& a = j.at("autoencoder");
            readIf(a, "latent_channels", c.autoencoder.latentChannels);
            readIf(a, "channels", c.autoencoder.channels);
            readIf(a, "temporal_group", c.autoencoder.temporalGroup);
            readIf(a, "frame_levels", c.autoencoder.frameLevels);
            readIf(a, "pixel_shuffle", c.autoencoder.pixelShuffle);
            readIf(a, "decoder_temporal_levels", c.autoencoder.decoderTemporalLevels);
            readIf(a, "latent_scale", c.autoencoder.latentScale);
            readIf(a, "latent_shift", c.autoencoder.latentShift);
        }
        if (j.contains("text_encoder")) {
            const auto& t = j.at("text_encoder");
            readIf(t, "max_tokens", c.textEncoder.maxTokens);
            readIf(t, "width", c.textEncoder.width);
            readIf(t, "depth", c.textEncoder.depth);
            readIf(t, "heads", c.textEncoder.heads);
            readIf(t, "mlp_ratio", c.textEncoder.mlpRatio);
        }
        if (j.contains("transformer")) {
            const auto& t = j.at("transformer");
            readIf(t, "patch_size", c.transformer.patchSize);
            readIf(t, "width", c.transformer.width);
            readIf(t, "depth", c.transformer.depth);
            readIf(t, "heads", c.transformer.heads);
            readIf(t, "mlp_ratio", c.transformer.mlpRatio);
            readIf(t, "timestep_dim", c.transformer.timestepDim);
            readIf(t, "rope_theta", c.transformer.ropeTheta);
            readIf(t, "pooled_text", c.transformer.pooledText);
            readIf(t, "absolute_positions", c.transformer.absolutePositions);
            readIf(t, "text_layout", c.transformer.textLayout);
        }
        if (j.contains("sampling")) {
            const auto& s = j.at("sampling");
            readIf(s, "steps", c.sampling.steps);
            readIf(s, "guidance", c.sampling.guidance);
            readIf(s, "shift", c.sampling.shift);
            readIf(s, "sampler", c.sampling.sampler);
            readIf(s, "frame_noise_share", c.sampling.frameNoiseShare);
            readIf(s, "first_frame_anchor", c.sampling.firstFrameAnchor);
        }
        readIf(j, "vocabulary", c.vocabulary);
        if (j.contains("training"))
            c.training = j.at("training");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Format, std::string("model.json has a field of the wrong type: ") + e.what());
    }
    c.transformer.latentChannels = c.autoencoder.latentChannels;
    c.transformer.textWidth = c.textEncoder.width;

    // Sizes that would make the networks fail later are refused here, with a reason.
    const auto& dit = c.transformer;
    // First each size inside the range a pack can use: outside it a network divides by zero
    // (0 heads, patch size or frames per group) or asks for more memory than a machine has.
    struct Limit {
        const char* field;
        long long value, lo, hi;
    };
    const Limit limits[] = {
        {"frame_size", c.frameSize, 16, 4096},
        {"window_frames", c.windowFrames, 2, 1024},
        {"autoencoder.latent_channels", c.autoencoder.latentChannels, 1, 1024},
        {"autoencoder.temporal_group", c.autoencoder.temporalGroup, 1, 16},
        {"text_encoder.max_tokens", c.textEncoder.maxTokens, 2, 4096},
        {"text_encoder.width", c.textEncoder.width, 1, 8192},
        {"text_encoder.depth", c.textEncoder.depth, 0, 128},
        {"text_encoder.heads", c.textEncoder.heads, 1, 256},
        {"text_encoder.mlp_ratio", c.textEncoder.mlpRatio, 1, 16},
        {"transformer.patch_size", dit.patchSize, 1, 16},
        {"transformer.width", dit.width, 1, 16384},
        {"transformer.depth", dit.depth, 1, 256},
        {"transformer.heads", dit.heads, 1, 256},
        {"transformer.mlp_ratio", dit.mlpRatio, 1, 16},
        {"transformer.timestep_dim", dit.timestepDim, 2, 8192},
        {"sampling.steps", c.sampling.steps, 1, 1000},
        {"vocabulary (entries)", static_cast<long long>(c.vocabulary.size()), 3, 1 << 20},
    };
    for (const auto& l : limits)
        if (l.value < l.lo || l.value > l.hi)
            return makeError(ErrorCode::Format, "model.json: " + std::string(l.field) + " is " + std::to_string(l.value) +
                                                    "; it must be from " + std::to_string(l.lo) + " to " +
                                                    std::to_string(l.hi));
    if (std::any_of(c.autoencoder.channels.begin(), c.autoencoder.channels.end(), [](int n) { return n > 4096; }))
        return makeError(ErrorCode::Format, "model.json: autoencoder.channels are at most 4096 each");
    if (c.vocabulary.size() < 3)
        return makeError(ErrorCode::Format, "model.json has no tokenizer vocabulary");
    if (dit.width <= 0 || dit.heads <= 0 || dit.width % dit.heads != 0 || dit.headDim() % 2 != 0)
        return makeError(ErrorCode::Format, "transformer width must be a positive multiple of heads with an even head size");
    if (c.textEncoder.width % c.textEncoder.heads != 0)
        return makeError(ErrorCode::Format, "text encoder width must be a multiple of its heads");
    if (c.autoencoder.pixelShuffle != 1 && c.autoencoder.pixelShuffle != 2 && c.autoencoder.pixelShuffle != 4)
        return makeError(ErrorCode::Format, "autoencoder pixel_shuffle must be 1, 2 or 4");
    if (c.autoencoder.channels.size() < 2 || c.autoencoder.channels.size() > 6 ||
        std::any_of(c.autoencoder.channels.begin(), c.autoencoder.channels.end(), [](int n) { return n < 1; }) ||
        c.autoencoder.spatialFactor() < 8 || c.autoencoder.spatialFactor() > 32)
        return makeError(ErrorCode::Format,
            "autoencoder channels must list positive widths that, with pixel_shuffle, compress 8x to 32x");
    if (c.autoencoder.frameLevels < 0 || c.autoencoder.frameLevels >= static_cast<int>(c.autoencoder.channels.size()) - 1)
        return makeError(ErrorCode::Format, "autoencoder frame_levels must be 0 or fewer than its downsampling levels");
    if (c.autoencoder.decoderTemporalLevels < 0 ||
        c.autoencoder.decoderTemporalLevels >= static_cast<int>(c.autoencoder.channels.size()) ||
        (c.autoencoder.decoderTemporalLevels > 0 && c.autoencoder.frameLevels > 0))
        return makeError(ErrorCode::Format,
            "autoencoder decoder_temporal_levels must be 0 to its upsampling levels, and 0 with frame_levels");
    if (c.frameSize % (c.autoencoder.spatialFactor() * dit.patchSize) != 0)
        return makeError(ErrorCode::Format, "frame size must be a multiple of the autoencoder factor x patch size");
    if (!c.autoencoder.validFrameCount(c.windowFrames) || c.overlapFrames < 1 || c.overlapFrames >= c.windowFrames)
        return makeError(ErrorCode::Format, "window_frames must be 1 + 4k and larger than overlap_frames");
    if (c.fps <= 0 || c.sampling.steps <= 0)
        return makeError(ErrorCode::Format, "fps and sampling steps must be positive");
    if (c.sampling.frameNoiseShare < 0 || c.sampling.frameNoiseShare >= 1)
        return makeError(ErrorCode::Format, "sampling.frame_noise_share must be in [0, 1), not " +
                                                std::to_string(c.sampling.frameNoiseShare));
    if (const auto n = minimumParameters(c); n > kMaxParameters)
        return makeError(ErrorCode::Format, "model.json describes at least " + std::to_string(n) +
                                                " parameters; a Kinora pack holds at most " +
                                                std::to_string(kMaxParameters));
    return c;
}

Result<ModelConfig> readModelConfig(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return makeError(ErrorCode::NotFound, "model pack not found: " + dir.string() + " is not a folder");
    const auto path = dir / kModelJson;
    std::ifstream in(path);
    if (!in)
        return makeError(ErrorCode::NotFound, "model pack " + dir.string() + " has no " + kModelJson);
    json j;
    try {
        in >> j;
    } catch (const std::exception&) {
        return makeError(ErrorCode::Format, path.string() + " is not valid JSON");
    }
    return configFromJson(j);
}

} // namespace kinora::io
