#include "pipeline/reference_forward.h"

#include <torch/csrc/autograd/profiler_legacy.h>

#include "io/safetensors.h"
#include "model/cpu_matmul.h"
#include "pipeline/pipeline.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

namespace kinora::pipeline {

namespace {

using Inputs = std::map<std::string, torch::Tensor>;

constexpr const char* kInputNames = "tokens, token_mask, x, known, mask, t and optionally latent";

// "[2, 3]": ArrayRef's own printing.
std::string shapeText(c10::IntArrayRef shape) { return c10::str(shape); }

Result<Inputs> readInputs(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return makeError(ErrorCode::NotFound, "inputs file not found: " + path.string());
    auto file = io::SafetensorsFile::open(path);
    if (!file)
        return makeError(file.error().code, "inputs " + path.string() + ": " + file.error().message);
    static const std::set<std::string> names = {"tokens", "token_mask", "x", "known", "mask", "t", "latent"};
    Inputs in;
    for (const auto& info : file->tensors()) {
        if (!names.count(info.name))
            return makeError(ErrorCode::InvalidArgument, path.string() + ": unexpected tensor '" + info.name +
                                                             "' (expected " + kInputNames + ")");
        in[info.name] = file->tensor(info).clone(); // owns its memory: the mapping is read-only
    }
    for (const char* name : {"tokens", "token_mask", "x", "known", "mask", "t"})
        if (!in.count(name))
            return makeError(ErrorCode::InvalidArgument,
                             path.string() + " has no tensor '" + name + "' (expected " + kInputNames + ")");
    return in;
}

// Checks every input against the pack and converts it to what the networks take.
Result<void> checkInputs(Inputs& in, const io::ModelConfig& config, const std::string& file)
{
    auto bad = [&](const std::string& what) { return makeError(ErrorCode::InvalidArgument, file + ": " + what); };
    auto& tokens = in["tokens"];
    if (tokens.dim() != 2 || tokens.size(1) < 1 || !c10::isIntegralType(tokens.scalar_type(), false))
        return bad("'tokens' must be integer ids of shape [B, L], not " + std::string(c10::toString(tokens.scalar_type())) +
                   " " + shapeText(tokens.sizes()));
    const auto B = tokens.size(0), L = tokens.size(1);
    if (B < 1)
        return bad("'tokens' has an empty batch");
    if (L > config.textEncoder.maxTokens)
        return bad("'tokens' has " + std::to_string(L) + " positions; the text encoder takes at most " +
                   std::to_string(config.textEncoder.maxTokens));
    tokens = tokens.to(torch::kInt64);
    const auto vocab = static_cast<int64_t>(config.vocabulary.size());
    if (tokens.min().item<int64_t>() < 0 || tokens.max().item<int64_t>() >= vocab)
        return bad("'tokens' holds ids outside the vocabulary (0 to " + std::to_string(vocab - 1) + ")");

    auto& tokenMask = in["token_mask"];
    if (tokenMask.sizes() != tokens.sizes())
        return bad("'token_mask' must have the shape of 'tokens', " + shapeText(tokens.sizes()) + ", not " +
                   shapeText(tokenMask.sizes()));
    tokenMask = tokenMask.ne(0);
    if (!tokenMask.any(1).all().item<bool>())
        return bad("every row of 'token_mask' needs a real token (attention over no keys is undefined)");

    for (const char* name : {"x", "known", "mask", "t", "latent"}) {
        auto it = in.find(name);
        if (it != in.end() && !c10::isFloatingType(it->second.scalar_type()))
            return bad(std::string("'") + name + "' must be floating point, not " +
                       c10::toString(it->second.scalar_type()));
        if (it != in.end())
            it->second = it->second.to(torch::kFloat32);
    }
    const auto& x = in["x"];
    const int C = config.autoencoder.latentChannels;
    const int p = config.transformer.patchSize;
    if (x.dim() != 5 || x.size(0) != B || x.size(1) != C || x.size(2) < 1 || x.size(3) % p != 0 ||
        x.size(4) % p != 0 || x.size(3) < p || x.size(4) < p)
        return bad("'x' must be [" + std::to_string(B) + ", " + std::to_string(C) +
                   ", T, h, w] with h and w multiples of the patch size " + std::to_string(p) + ", not " +
                   shapeText(x.sizes()));
    if (in["known"].sizes() != x.sizes())
        return bad("'known' must have the shape of 'x', " + shapeText(x.sizes()) + ", not " +
                   shapeText(in["known"].sizes()));
    const std::vector<int64_t> maskShape = {B, 1, x.size(2), x.size(3), x.size(4)};
    if (in["mask"].sizes() != c10::IntArrayRef(maskShape))
        return bad("'mask' must be " + shapeText(maskShape) + ", not " + shapeText(in["mask"].sizes()));
    if (in["t"].dim() != 1 || in["t"].size(0) != B)
        return bad("'t' must be [" + std::to_string(B) + "], not " + shapeText(in["t"].sizes()));
    if (auto it = in.find("latent"); it != in.end()) {
        const auto& z = it->second;
        if (z.dim() != 5 || z.size(0) < 1 || z.size(1) != C || z.size(2) < 1 || z.size(3) < 1 || z.size(4) < 1)
            return bad("'latent' must be [B, " + std::to_string(C) + ", T, h, w], not " + shapeText(z.sizes()));
    }
    return success();
}

// Median milliseconds of `repeats` runs after one untimed run (which also gives the result).
template <typename Run>
double medianMs(int repeats, Run&& run)
{
    run();
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        run();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    const auto n = ms.size();
    return n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
}

} // namespace

Result<std::string> runReferenceForward(const ReferenceForwardRequest& request)
{
    if (request.precision != "fp32" && request.precision != "bf16")
        return makeError(ErrorCode::InvalidArgument, "precision must be fp32 or bf16, not '" + request.precision + "'");
    if (request.repeats < 1)
        return makeError(ErrorCode::InvalidArgument, "repeats must be at least 1");
    std::error_code ec;
    auto parent = request.outputs.parent_path();
    if (request.outputs.empty())
        return makeError(ErrorCode::InvalidArgument, "no output file given");
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
        return makeError(ErrorCode::Io, "cannot write " + request.outputs.string() + ": folder " + parent.string() +
                                            " does not exist");
    auto inputs = readInputs(request.inputs);
    if (!inputs)
        return inputs.error();

    EngineOptions options;
    options.device = DeviceChoice::Cpu;
    options.precision = request.precision;
    auto loaded = Pipeline::load(request.model, options);
    if (!loaded)
        return loaded.error();
    auto& pipeline = *loaded.value();
    if (auto ok = checkInputs(inputs.value(), pipeline.config(), request.inputs.string()); !ok)
        return ok.error();

    try {
        c10::InferenceMode inference;
        auto& in = inputs.value();
        auto& modules = pipeline.modules();
        const int R = request.repeats;

        torch::Tensor text, velocity, video;
        const double textMs = medianMs(R, [&] { text = modules.textEncoder->forward(in["tokens"], in["token_mask"]); });
        const double ditMs = medianMs(R, [&] {
            velocity = modules.transformer->forward(in["x"], in["known"], in["mask"], in["t"], text, in["token_mask"]);
        });
        // KINORA_PROFILE=trace.json: LibTorch's per-operator profile of R more transformer
        // forwards, as a Chrome trace (scripts/profile-summary.py sums it by operator).
        if (const char* profilePath = std::getenv("KINORA_PROFILE")) {
            torch::autograd::profiler::RecordProfile profile{std::string(profilePath)};
            for (int i = 0; i < R; ++i)
                velocity = modules.transformer->forward(in["x"], in["known"], in["mask"], in["t"], text, in["token_mask"]);
        }
        nlohmann::json decoderMs = nullptr;
        if (in.count("latent"))
            decoderMs = medianMs(R, [&] { video = modules.autoencoder->decode(in["latent"]); });

        std::vector<std::pair<std::string, torch::Tensor>> outputs = {
            {"text_features", text.to(torch::kFloat32)}, {"velocity", velocity.to(torch::kFloat32)}};
        if (video.defined())
            outputs.emplace_back("video", video.to(torch::kFloat32));
        const std::string precision = pipeline.precision().transformer == torch::kBFloat16 ? "bf16" : "fp32";
        auto written = io::writeSafetensors(request.outputs, outputs,
                                            {{"model", pipeline.config().name}, {"precision", precision}});
        if (!written)
            return written.error();

        const auto& x = in["x"];
        const int p = pipeline.config().transformer.patchSize;
        nlohmann::json report = {
            {"model", pipeline.config().name},
            {"precision", precision},
            {"threads", torch::get_num_threads()},
            {"cpu_matmul", model::oneDnnMatmul() ? "onednn" : "aten"},
            {"repeats", R},
            {"batch", x.size(0)},
            {"tokens", x.size(2) * (x.size(3) / p) * (x.size(4) / p)},
            {"text_tokens", in["tokens"].size(1)},
            {"text_encoder_ms", textMs},
            {"transformer_ms", ditMs},
            {"decoder_ms", decoderMs},
        };
        return report.dump();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("reference forward failed: ") + e.what());
    }
}

} // namespace kinora::pipeline
