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
    // Before the networks are built (which allocates what model.json describes): a
    // model.json that asks for more parameters than the weights file holds is refused.
    std::uint64_t held = 0;
    for (const auto& t : file->tensors()) {
        // Saturating at just over the limit: (4e9 + 1)^2 still fits 64 bits.
        constexpr std::uint64_t cap = kMaxParameters + 1;
        std::uint64_t n = 1;
        for (auto d : t.shape)
            n = d <= 0 ? 0 : std::min(cap, n * std::min(cap, std::uint64_t(d)));
        held = std::min(cap, held + n);
    }
    if (const auto needed = minimumParameters(config.value()); needed > held)
        return makeError(ErrorCode::Mismatch, "model pack " + dir.string() + " does not match its model.json: it describes at least " +
                                                  std::to_string(needed) + " parameters, and " + kWeightsFile +
                                                  " holds " + std::to_string(held));

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
