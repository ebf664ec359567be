#include "io/model_pack.h"

#include "media/mp4_writer.h"
#include "model/seeded_init.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#if __has_include("world/world.h")
#include "world/world.h"
#endif

namespace kinora::io {

using nlohmann::json;

namespace {

template <typename T>
void readIf(const json& j, const char* key, T& out)
{
    if (j.contains(key))
        out = j.at(key).get<T>();
}

torch::ScalarType storageType(const std::string& name)
{
    if (name == "fp32" || name == "f32")
        return torch::kFloat32;
    if (name == "fp16" || name == "f16")
        return torch::kFloat16;
    return torch::kBFloat16;
}

std::string shapeText(c10::IntArrayRef shape)
{
    std::ostringstream s;
    s << "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s << (i ? ", " : "") << shape[i];
    s << "]";
    return s.str();
}

std::string listSome(const std::vector<std::string>& items, size_t limit = 6)
{
    std::string out;
    for (size_t i = 0; i < items.size() && i < limit; ++i)
        out += (i ? ", " : "") + items[i];
    if (items.size() > limit)
        out += ", ... (" + std::to_string(items.size()) + " in all)";
    return out;
}

std::vector<std::string> defaultVocabulary()
{
    std::vector<std::string> words;
#if __has_include("world/world.h")
    words = world::captionVocabulary();
#endif
    return model::Tokenizer::makeVocabulary(words);
}

} // namespace

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
          {"frame_noise_share", c.sampling.frameNoiseShare}}},
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
    if (c.frameSize % (c.autoencoder.spatialFactor() * dit.patchSize) != 0)
        return makeError(ErrorCode::Format, "frame size must be a multiple of the autoencoder factor x patch size");
    if (!c.autoencoder.validFrameCount(c.windowFrames) || c.overlapFrames < 1 || c.overlapFrames >= c.windowFrames)
        return makeError(ErrorCode::Format, "window_frames must be 1 + 4k and larger than overlap_frames");
    if (c.fps <= 0 || c.sampling.steps <= 0)
        return makeError(ErrorCode::Format, "fps and sampling steps must be positive");
    if (c.sampling.frameNoiseShare < 0 || c.sampling.frameNoiseShare >= 1)
        return makeError(ErrorCode::Format, "sampling.frame_noise_share must be in [0, 1), not " +
                                                std::to_string(c.sampling.frameNoiseShare));
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

std::vector<std::string> architectureNames() { return {"tiny", "default", "shapes-v1"}; }

Result<ModelConfig> architecture(const std::string& name)
{
    ModelConfig c;
    c.vocabulary = defaultVocabulary();
    if (name == "default") {
        // kinora-shapes-v3's: an 8x autoencoder behind a 2x2 pixel unshuffle (16 x 16
        // latents at 128 x 128), 4 x 4 latent patches (80 tokens per window, as v1), and the
        // pooled caption in the transformer's modulation; since the sixth run also absolute
        // token positions (docs/training.md: lower denoising error from scratch; a caption cannot
        // say where or when without them).
        c.name = "kinora-default-random";
        c.description = "Default architecture (kinora-shapes-v3 with absolute positions), randomly initialised (untrained)";
        c.autoencoder.channels = {32, 64, 128};
        c.autoencoder.pixelShuffle = 2;
        c.transformer.patchSize = 4;
        c.transformer.pooledText = true;
        c.transformer.absolutePositions = true;
    } else if (name == "shapes-v1") {
        // kinora-shapes-v1's: a 16x autoencoder and 2 x 2 latent patches.
        c.name = "kinora-shapes-v1-random";
        c.description = "kinora-shapes-v1 architecture, randomly initialised (untrained)";
    } else if (name == "tiny") {
        // Small enough for tests to run whole generations in a fraction of a second.
        c.name = "kinora-tiny-random";
        c.description = "Tiny architecture for tests, randomly initialised";
        c.autoencoder.latentChannels = 4;
        c.autoencoder.channels = {8, 8, 16, 16}; // 8x: 64 x 64 frames give 8 x 8 latents
        c.textEncoder = {16, 32, 1, 2, 2};
        c.transformer.width = 64;
        c.transformer.depth = 2;
        c.transformer.heads = 2;
        c.transformer.mlpRatio = 2;
        c.transformer.timestepDim = 32;
        c.sampling.steps = 4;
        c.frameSize = 64;
        c.weightsDtype = "fp32";
    } else if (std::filesystem::is_regular_file(name)) {
        // A model.json-style file: architectures for experiments without recompiling.
        std::ifstream in(name);
        json j;
        try {
            in >> j;
        } catch (const std::exception&) {
            return makeError(ErrorCode::Format, name + " is not valid JSON");
        }
        if (!j.contains("vocabulary"))
            j["vocabulary"] = c.vocabulary;
        return configFromJson(j);
    } else {
        return makeError(ErrorCode::InvalidArgument,
                         "unknown architecture '" + name + "' (known: tiny, default, shapes-v1, or a model.json file)");
    }
    auto checked = configFromJson(configToJson(c));
    return checked;
}

std::vector<std::pair<std::string, torch::Tensor>> ModelModules::namedTensors() const
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    auto add = [&out](const std::string& prefix, const torch::nn::Module& m) {
        for (const auto& p : m.named_parameters(true))
            out.emplace_back(prefix + p.key(), p.value());
        for (const auto& b : m.named_buffers(true))
            out.emplace_back(prefix + b.key(), b.value());
    };
    add("autoencoder.", *autoencoder);
    add("text_encoder.", *textEncoder);
    add("transformer.", *transformer);
    return out;
}

ModelModules createModules(const ModelConfig& config, const torch::Device& device, const ModulePrecision& precision,
                           std::uint64_t seed)
{
    // Built on the CPU from a seeded generator whose state is put back afterwards: the
    // same seed gives the same weights on every device, and nothing else in the process
    // sees its random numbers change.
    auto opts = [&](torch::ScalarType t) { return torch::TensorOptions().dtype(t).device(torch::kCPU); };
    ModelModules m;
    {
        model::SeededInit seeded(seed);
        m.autoencoder = model::Autoencoder(config.autoencoder, opts(precision.autoencoder));
        m.textEncoder = model::TextEncoder(config.textEncoder, static_cast<int>(config.vocabulary.size()),
                                           opts(precision.textEncoder));
        m.transformer = model::Transformer(config.transformer, opts(precision.transformer));
    }
    // Modules built in one dtype may still hold float parameters (e.g. GroupNorm); align them.
    m.autoencoder->to(device, precision.autoencoder);
    m.textEncoder->to(device, precision.textEncoder);
    m.transformer->to(device, precision.transformer);
    return m;
}

Result<LoadedPack> loadModelPack(const std::filesystem::path& dir, const torch::Device& device,
                                 const ModulePrecision& precision)
{
    auto config = readModelConfig(dir);
    if (!config)
        return config.error();
    auto file = SafetensorsFile::open(dir / kWeightsFile);
    if (!file)
        return makeError(file.error().code, "model pack " + dir.string() + ": " + file.error().message);

    try {
        torch::NoGradGuard noGrad;
        LoadedPack pack{config.value(), createModules(config.value(), torch::kCPU, precision), "", dir};
        std::vector<std::string> missing, mismatched, unexpected;
        std::set<std::string> expected;
        const auto tensors = pack.modules.namedTensors();
        for (const auto& [name, target] : tensors) {
            expected.insert(name);
            const TensorInfo* info = file->find(name);
            if (!info) {
                missing.push_back(name);
                continue;
            }
            auto type = scalarTypeFor(info->dtype);
            if (!type || !c10::isFloatingType(type.value())) {
                mismatched.push_back(name + " (dtype " + info->dtype + ")");
                continue;
            }
            if (c10::IntArrayRef(info->shape) != target.sizes()) {
                mismatched.push_back(name + " (shape " + shapeText(info->shape) + ", expected " +
                                     shapeText(target.sizes()) + ")");
                continue;
            }
            target.copy_(file->tensor(*info));
        }
        for (const auto& t : file->tensors())
            if (!expected.count(t.name))
                unexpected.push_back(t.name);
        if (!missing.empty() || !mismatched.empty() || !unexpected.empty()) {
            std::string msg = "model pack " + dir.string() + " does not match its model.json:";
            if (!missing.empty())
                msg += " missing " + listSome(missing) + ";";
            if (!mismatched.empty())
                msg += " mismatched " + listSome(mismatched) + ";";
            if (!unexpected.empty())
                msg += " unexpected " + listSome(unexpected) + ";";
            msg.pop_back();
            return makeError(ErrorCode::Mismatch, msg);
        }
        pack.weightHash = file->contentHash();
        if (device != torch::kCPU) {
            pack.modules.autoencoder->to(device);
            pack.modules.textEncoder->to(device);
            pack.modules.transformer->to(device);
        }
        pack.modules.autoencoder->eval();
        pack.modules.textEncoder->eval();
        pack.modules.transformer->eval();
        return pack;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, "loading model pack " + dir.string() + " failed: " + e.what());
    }
}

Result<void> saveModelPack(const std::filesystem::path& dir, const ModelConfig& config, const ModelModules& modules)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message());
    if (auto ok = media::checkOutputPath(dir / kModelJson); !ok) // renamed over, like the weights
        return ok;
    const auto type = storageType(config.weightsDtype);
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (auto& [name, t] : modules.namedTensors())
        tensors.emplace_back(name, t.detach().to(torch::kCPU, type));
    auto written = writeSafetensors(dir / kWeightsFile, tensors, {{"format", "kinora"}, {"name", config.name}});
    if (!written)
        return written;

    const auto path = dir / kModelJson;
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << configToJson(config).dump(2) << "\n";
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp, ec);
            return makeError(ErrorCode::Io, "cannot write " + path.string());
        }
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot write " + path.string() + ": " + ec.message());
    return success();
}

} // namespace kinora::io
