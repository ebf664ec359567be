#pragma once

// One unit per training stage (autoencoder, text, diffusion) behind the loop, checkpoints
// and logs that trainer.cpp shares: which tensors learn, what is rendered, the loss of a
// step, and what the exported pack records. A new stage is a new file and a case in
// makeStage (internal to the trainer).

#include "io/model_pack.h"
#include "train/batch.h"
#include "train/flop_counter.h"
#include "train/trainer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace kinora::train {

using Named = std::vector<std::pair<std::string, torch::Tensor>>;

// What the loop hands a stage for one step. Everything random derives from (seed, step).
struct StepInput {
    const Batch* batch = nullptr; // rendered clips when the stage asked for them (needsBatch)
    std::uint64_t firstSeed = 0;  // the scene seed of the batch's first sample
    std::uint64_t block = 0;      // which rendered batch: step / reuse()
    std::mt19937_64* rng = nullptr;
    std::mt19937_64* dataRng = nullptr;
    at::Generator noiseGen;
    // Engaged on the one step whose forward FLOPs a benchmark counts.
    std::optional<FlopCounter>* flops = nullptr;
    double* encodeFlopsPerStep = nullptr; // a stage that encodes without gradients says so here
    // Data-parallel: the step's clips over every rank, and where this rank's share starts.
    // Stages draw everything random for all globalBatch samples (so that any split sees the
    // same draws) and keep their share; `total` sums a loss's weight over the ranks
    // (unset with one process).
    int globalBatch = 0;
    int shardFirst = 0;
    std::function<torch::Tensor(const torch::Tensor&)> total;

    // `sum / weight`, the weight summed over every rank: each rank's loss is then its share
    // of the global one, and the summed gradients are those of one process with all clips.
    torch::Tensor weighted(const torch::Tensor& sum, const torch::Tensor& weight) const
    {
        return sum / (total ? total(weight) : weight);
    }
    // The mean of x over every rank's elements (x.mean() with one process).
    torch::Tensor mean(const torch::Tensor& x) const
    {
        return total ? x.sum() / total(torch::full({}, static_cast<double>(x.numel()), x.options()))
                     : x.mean();
    }
    // This rank's rows of a tensor drawn for the whole step's batch.
    torch::Tensor share(const torch::Tensor& global, std::int64_t rows) const
    {
        return global.size(0) == rows ? global : global.narrow(0, shardFirst, rows);
    }
};

class StageUnit {
public:
    StageUnit(const TrainOptions& options, io::LoadedPack& pack, const torch::Device& device)
        : m_o(options), m_pack(pack), m_device(device)
    {
    }
    virtual ~StageUnit() = default;

    // Whether the pack's tensor `name` learns (--freeze-text-encoder is applied after).
    virtual bool learns(const std::string& name) const = 0;
    // Tensors outside the pack that learn too: checkpointed, never exported.
    virtual Named extraTensors() { return {}; }
    // Training or evaluation mode of each network.
    virtual void setModes(io::ModelModules& modules) const = 0;
    // What is rendered (by default: the batch, 17 frames, the caption dropout, half the
    // captions paraphrased), and whether this stage renders at all.
    virtual BatchOptions batchOptions(int renderThreads) const
    {
        BatchOptions b{m_o.batch, 17, m_o.captionDrop, 0.5};
        b.threads = renderThreads;
        return b;
    }
    virtual bool rendersClips() const { return true; }
    // Steps each rendered batch serves.
    virtual int reuse() const { return 1; }
    // Whether the step for `block` needs a new batch (false: the stage reuses its last one).
    virtual bool needsBatch(std::uint64_t block) const { return true; }
    // The step's loss on `net` (the working copy: bf16 under mixed precision).
    virtual torch::Tensor loss(io::ModelModules& net, const StepInput& in) = 0;
    // After training, with the EMA weights in `pack.modules`: changes to the exported config
    // and fields of the stage's record.
    virtual void finish(io::ModelConfig& config, nlohmann::json& record) {}

protected:
    const TrainOptions& m_o;
    io::LoadedPack& m_pack;
    torch::Device m_device;
};

std::unique_ptr<StageUnit> makeAutoencoderStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device);
std::unique_ptr<StageUnit> makeTextStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device);
// FNV-1a over the bytes of the tensors: equal only for bit-identical tensors (the ranks'
// weights after training, the latent cache's keys).
std::uint64_t fingerprintOf(const std::vector<torch::Tensor>& tensors);

std::unique_ptr<StageUnit> makeDiffusionStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device,
                                              double noiseShare);

} // namespace kinora::train
