#pragma once

// The engine as the CLI and the app see it: a loaded model pack behind a torch-free
// interface. One thread at a time may call generate(); it owns the model meanwhile.

#include "media/video.h"
#include "pipeline/request.h"
#include "util/result.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kinora::pipeline {

class Pipeline;

struct ModelInfo {
    std::string name;
    std::string description;
    std::string weightHash;
    std::filesystem::path directory;
    int frameSize = 0;
    double fps = 0;
    int windowFrames = 0;
    int overlapFrames = 0; // frames consecutive windows share
    int temporalGroup = 4; // frames per latent frame after the first
    int defaultSteps = 0;
    double defaultGuidance = 0;
    double defaultShift = 0;
    std::string defaultSampler;
    bool firstFrameAnchor = false; // windows from nothing are sampled twice (io::SamplingDefaults)
    std::vector<std::string> vocabulary;
    std::string device;
    int threads = 0;
    std::string precision; // of the transformer
};

class Engine {
public:
    ~Engine();
    static Result<std::unique_ptr<Engine>> load(const std::filesystem::path& modelDir, const EngineOptions& options = {});
    // LibTorch's intra-op threads for the calling thread (0: every core); returns the
    // count now in force. The core never sets it: host programs call this on purpose, on
    // each thread that runs the engine or training (the count is kept per thread).
    static int setThreads(int threads);
    // Keeps freed big CPU blocks (1 MiB and up) for reuse instead of handing them back to
    // the system at once: a step allocates and frees the same 30-80 MB tensors many times,
    // and glibc maps each afresh, so the kernel faults in and zeroes its pages again (a
    // fifth of a training step on a 2-core CPU). Idle blocks are bounded by maxIdleBytes
    // (0: a quarter of the machine's memory), least recently freed given back first.
    // Process-wide (LibTorch's CPU allocator), so a host's choice: the CLI and the studio
    // call it at start; later calls change the bound.
    static void keepFreedMemory(std::size_t maxIdleBytes = 0);

    Result<Video> generate(const GenerationRequest& request);
    const ModelInfo& info() const { return m_info; }
    // Encodes and decodes a clip with the pack's autoencoder (frames at the pack's size,
    // 1 + 4k of them): what the diffusion model can at best reproduce.
    Result<Video> reconstruct(const Video& clip);
    // How well the model recovers a clip's latent in one step from noise level t, given each
    // caption: the clip is encoded, noised to every level in `noiseLevels` with one draw of
    // noise from `seed`, and x0 = x_t - t v is compared with its latent (mean squared
    // error). errors[i][j] is for noiseLevels[i] and captions[j]. Swapping a word the
    // model uses for another raises the error; a word it ignores changes nothing.
    // knownLatentFrames > 0: those first latent frames are given as known, as in an
    // extension, and the error is over the rest.
    Result<std::vector<std::vector<double>>> denoisingErrors(const Video& clip,
        const std::vector<std::string>& captions, const std::vector<double>& noiseLevels, std::uint64_t seed,
        int knownLatentFrames = 0);
    // Words of a caption that the model's tokenizer does not know.
    std::vector<std::string> unknownWords(const std::string& caption) const;

    struct BenchSettings {
        int repeats = 3;
        double seconds = 2.0;
    };
    // One JSON object with the roofline and the pipeline's timings (see DESIGN.md).
    Result<std::string> benchJson(const BenchSettings& settings);

    // Writes a randomly initialised pack of a built-in architecture ("tiny", "default").
    // Training starts from DiT's initialisation, whose zeroed output layers make an
    // untrained model predict nothing; `perturbZeros` fills those with small noise instead,
    // so that an untrained pack's output depends on its inputs (for tests).
    // `initFrom`, when not empty, names a pack whose text encoder and transformer tensors
    // are copied wherever name and shape match (a new autoencoder or patch size keeps
    // what the old transformer learnt about text and motion); `copied` gets their count.
    static Result<void> initModel(const std::string& architecture, const std::filesystem::path& outDir,
                                  std::uint64_t seed, bool perturbZeros = false,
                                  const std::filesystem::path& initFrom = {}, int* copied = nullptr);
    static std::vector<std::string> architectures();

private:
    explicit Engine(std::shared_ptr<Pipeline> pipeline);
    std::shared_ptr<Pipeline> m_pipeline;
    ModelInfo m_info;
};

} // namespace kinora::pipeline
