#pragma once

// The text-to-video pipeline: a loaded model pack (immutable after loading, owned by
// one inference thread) and per-request state (GenerationRequest with its observer and
// cancel flag). One entry point serves generate, extend, bridge and fill: the request
// says which output frames are already known.

#include "io/model_pack.h"
#include "media/video.h"
#include "pipeline/request.h"
#include "pipeline/windows.h"
#include "sampling/sampler.h"
#include "util/result.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kinora::pipeline {

class Pipeline {
public:
    static Result<std::shared_ptr<Pipeline>> load(const std::filesystem::path& dir, const EngineOptions& options = {});

    // Runs on the calling thread (which then owns the model until it returns).
    Result<Video> generate(const GenerationRequest& request);

    const io::ModelConfig& config() const { return m_pack.config; }
    const std::string& weightHash() const { return m_pack.weightHash; }
    const std::filesystem::path& directory() const { return m_pack.dir; }
    std::string deviceName() const;
    int threads() const { return m_threads; }
    const io::ModulePrecision& precision() const { return m_precision; }
    io::ModelModules& modules() { return m_pack.modules; }
    torch::Device device() const { return m_device; }

    // Text features for a caption: features [1, L, D] and mask [1, L].
    struct TextFeatures {
        torch::Tensor features;
        torch::Tensor mask;
        std::vector<std::string> unknownWords;
    };
    TextFeatures encodeText(const std::string& caption);
    // One guided velocity evaluation (the work of one Euler step); with `contrast`, the
    // direction guidance (GenerationRequest::contrastCaption) in the same batch.
    torch::Tensor guidedVelocity(const torch::Tensor& x, const torch::Tensor& known, const torch::Tensor& mask,
                                 double t, const TextFeatures& cond, const TextFeatures& uncond, double guidance,
                                 const TextFeatures* contrast = nullptr, double contrastGuidance = 0);
    // Latent shape of a window of `frames` pixel frames: [1, C, T, h, w].
    std::vector<int64_t> latentShape(int frames) const;

private:
    Pipeline(io::LoadedPack pack, torch::Device device, io::ModulePrecision precision, int threads);

    io::LoadedPack m_pack;
    torch::Device m_device;
    io::ModulePrecision m_precision;
    int m_threads = 1;
    model::Tokenizer m_tokenizer;
};

// Frame buffers <-> tensors in [-1, 1]: frames -> [3, F, H, W] and back.
torch::Tensor framesToTensor(const std::vector<Frame>& frames);
std::vector<Frame> tensorToFrames(const torch::Tensor& video);

} // namespace kinora::pipeline
