#include "pipeline/engine.h"

#include "model/text_encoder.h"
#include "pipeline/bench.h"
#include "pipeline/block_cache.h"
#include "pipeline/pipeline.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

namespace kinora::pipeline {

Engine::Engine(std::shared_ptr<Pipeline> pipeline) : m_pipeline(std::move(pipeline))
{
    const auto& c = m_pipeline->config();
    m_info.name = c.name;
    m_info.description = c.description;
    m_info.weightHash = m_pipeline->weightHash();
    m_info.directory = m_pipeline->directory();
    m_info.frameSize = c.frameSize;
    m_info.fps = c.fps;
    m_info.windowFrames = c.windowFrames;
    m_info.overlapFrames = c.overlapFrames;
    m_info.temporalGroup = c.autoencoder.temporalGroup;
    m_info.defaultSteps = c.sampling.steps;
    m_info.defaultGuidance = c.sampling.guidance;
    m_info.defaultShift = c.sampling.shift;
    m_info.defaultSampler = c.sampling.sampler;
    m_info.firstFrameAnchor = c.sampling.firstFrameAnchor;
    m_info.vocabulary = c.vocabulary;
    m_info.device = m_pipeline->deviceName();
    m_info.threads = m_pipeline->threads();
    m_info.precision = c10::toString(m_pipeline->precision().transformer);
}

Engine::~Engine() = default;

int Engine::setThreads(int threads)
{
    torch::set_num_threads(threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    return torch::get_num_threads();
}

void Engine::keepFreedMemory(std::size_t maxIdleBytes)
{
    installBlockCache(maxIdleBytes);
}

Result<std::unique_ptr<Engine>> Engine::load(const std::filesystem::path& modelDir, const EngineOptions& options)
{
    auto pipeline = Pipeline::load(modelDir, options);
    if (!pipeline)
        return pipeline.error();
    return std::unique_ptr<Engine>(new Engine(std::move(pipeline.value())));
}

Result<Video> Engine::generate(const GenerationRequest& request)
{
    return m_pipeline->generate(request);
}

namespace {

Result<void> checkWholeClip(const Video& clip, const io::ModelConfig& c)
{
    if (clip.frames.empty() || !c.autoencoder.validFrameCount(static_cast<int>(clip.frames.size())))
        return makeError(ErrorCode::InvalidArgument, "the autoencoder needs 1 + 4k frames");
    if (clip.width() != c.frameSize || clip.height() != c.frameSize)
        return makeError(ErrorCode::InvalidArgument, "frames must be " + std::to_string(c.frameSize) + " pixels square");
    return {};
}

} // namespace

Result<Video> Engine::reconstruct(const Video& clip)
{
    if (auto ok = checkWholeClip(clip, m_pipeline->config()); !ok)
        return ok.error();
    try {
        c10::InferenceMode inference;
        auto& ae = m_pipeline->modules().autoencoder;
        auto x = framesToTensor(clip.frames).unsqueeze(0).to(m_pipeline->device());
        Video out;
        out.fps = clip.fps;
        out.frames = tensorToFrames(ae->decode(ae->encode(x))[0].clamp(-1, 1));
        return out;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("reconstruction failed: ") + e.what());
    }
}

Result<std::vector<std::vector<double>>> Engine::denoisingErrors(const Video& clip,
    const std::vector<std::string>& captions, const std::vector<double>& noiseLevels, std::uint64_t seed,
    int knownLatentFrames)
{
    if (auto ok = checkWholeClip(clip, m_pipeline->config()); !ok)
        return ok.error();
    for (double t : noiseLevels)
        if (!(t > 0.0 && t <= 1.0))
            return makeError(ErrorCode::InvalidArgument, "noise levels must lie in (0, 1]");
    try {
        c10::InferenceMode inference;
        auto& ae = m_pipeline->modules().autoencoder;
        auto z0 = ae->encode(framesToTensor(clip.frames).unsqueeze(0).to(m_pipeline->device()))
                      .to(torch::kFloat32);
        auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
        auto noise
            = torch::randn(z0.sizes(), gen, torch::TensorOptions().dtype(torch::kFloat32)).to(z0.device());
        // The first knownLatentFrames latent frames given as known (an extension's context), the
        // error measured over the others.
        auto mask = torch::zeros_like(z0.narrow(1, 0, 1));
        const int known = std::clamp(knownLatentFrames, 0, int(z0.size(2)) - 1);
        if (known > 0)
            mask.narrow(2, 0, known).fill_(1);
        auto given = z0 * mask;
        auto unknown = (1 - mask).expand_as(z0);
        std::vector<Pipeline::TextFeatures> texts;
        for (const auto& c : captions)
            texts.push_back(m_pipeline->encodeText(c));
        std::vector<std::vector<double>> errors;
        for (double t : noiseLevels) {
            auto xt = (1 - t) * z0 + t * noise;
            auto& row = errors.emplace_back();
            for (const auto& text : texts) {
                auto x0 = xt - t * m_pipeline->guidedVelocity(xt, given, mask, t, text, text, 1.0);
                row.push_back(((x0 - z0).pow(2) * unknown).sum().item<double>() / unknown.sum().item<double>());
            }
        }
        return errors;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("denoising failed: ") + e.what());
    }
}

std::vector<std::string> Engine::unknownWords(const std::string& caption) const
{
    std::set<std::string> vocab(m_info.vocabulary.begin(), m_info.vocabulary.end());
    std::vector<std::string> unknown;
    for (const auto& w : model::Tokenizer::splitWords(caption))
        if (!vocab.count(w))
            unknown.push_back(w);
    return unknown;
}

Result<std::string> Engine::benchJson(const BenchSettings& settings)
{
    BenchOptions options;
    options.repeats = settings.repeats;
    options.seconds = settings.seconds;
    auto json = runBench(*m_pipeline, options);
    if (!json)
        return json.error();
    return json->dump();
}

Result<void> Engine::initModel(const std::string& architecture, const std::filesystem::path& outDir,
                               std::uint64_t seed, bool perturbZeros, const std::filesystem::path& initFrom,
                               int* copied)
{
    auto config = io::architecture(architecture);
    if (!config)
        return config.error();
    try {
        auto modules = io::createModules(config.value(), torch::kCPU, {}, seed);
        if (perturbZeros) {
            torch::NoGradGuard noGrad;
            auto gen = at::make_generator<at::CPUGeneratorImpl>(seed * 1000003ull + 1); // not the process's
            for (auto& [name, t] : modules.namedTensors())
                if (t.is_floating_point() && t.dim() >= 1 && t.count_nonzero().item<int64_t>() == 0 &&
                    name.rfind(".bias") != name.size() - 5)
                    t.normal_(0.0, 0.02, gen);
        }
        int count = 0;
        if (!initFrom.empty()) {
            auto source = io::loadModelPack(initFrom, torch::kCPU, {});
            if (!source)
                return source.error();
            if (source->config.vocabulary != config->vocabulary)
                return makeError(ErrorCode::InvalidArgument,
                    "--init-from: " + initFrom.string() + " has another vocabulary, so its text encoder does not fit");
            std::map<std::string, torch::Tensor> from;
            for (auto& [name, t] : source->modules.namedTensors())
                from.emplace(name, t);
            torch::NoGradGuard noGrad;
            for (auto& [name, t] : modules.namedTensors()) {
                if (name.rfind("autoencoder.", 0) == 0)
                    continue;
                auto it = from.find(name);
                if (it != from.end() && it->second.sizes() == t.sizes()) {
                    t.copy_(it->second);
                    ++count;
                }
            }
        }
        if (copied)
            *copied = count;
        config->training = {{"state", "random initialisation"}, {"seed", seed}, {"perturbed_zeros", perturbZeros}};
        if (!initFrom.empty())
            config->training["initialised_from"] = {{"pack", initFrom.string()}, {"tensors_copied", count}};
        return io::saveModelPack(outDir, config.value(), modules);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("cannot create the model: ") + e.what());
    }
}

std::vector<std::string> Engine::architectures() { return io::architectureNames(); }

} // namespace kinora::pipeline
