// The autoencoder stage: reconstruction of rendered clips (random crops), with extra
// weight on objects and fine background detail and, optionally, on frame-to-frame changes.

#include "train/stage.h"

namespace kinora::train {

namespace {

// Latent statistics of the trained encoder, so that the diffusion model sees latents of
// unit variance.
std::pair<double, double> latentStatistics(model::Autoencoder& ae, std::uint64_t seed, const torch::Device& device)
{
    torch::NoGradGuard noGrad;
    std::mt19937_64 rng(seed);
    std::vector<torch::Tensor> zs;
    for (int i = 0; i < 8; ++i) {
        auto batch = renderBatch(kHeldOutSeedBase / 2 + 64ull * i, {8, 17, 0.0, 0.0}, rng);
        zs.push_back(ae->encode(modelInput(batch.pixels, device)).flatten().to(torch::kCPU));
    }
    auto all = torch::cat(zs);
    return {all.mean().item<double>(), all.std().item<double>()};
}

class AutoencoderStage : public StageUnit {
public:
    using StageUnit::StageUnit;

    // With --decoder-only, only the decoder.
    bool learns(const std::string& name) const override
    {
        return name.rfind(m_o.decoderOnly ? "autoencoder.decoder." : "autoencoder.", 0) == 0;
    }
    void setModes(io::ModelModules& m) const override
    {
        m.autoencoder->train(true);
        m.textEncoder->train(false);
        m.transformer->train(false);
    }
    BatchOptions batchOptions(int renderThreads) const override
    {
        BatchOptions b = StageUnit::batchOptions(renderThreads);
        b.captionDrop = 0.0;
        b.objectMasks = m_o.objectWeight > 0 || m_o.detailWeight > 0;
        return b;
    }

    torch::Tensor loss(io::ModelModules& net, const StepInput& in) override
    {
        const Batch& batch = *in.batch;
        // The autoencoder is convolutional in space, so it learns from random crops
        // (aligned to its downsampling grid) at a quarter of the cost of whole frames.
        auto clips = modelInput(batch.pixels, m_device);
        auto objects = batch.objectMask.defined() ? batch.objectMask.to(m_device).to(torch::kFloat32) : torch::Tensor();
        const int crop = m_o.aeCrop;
        const int factor = m_pack.config.autoencoder.spatialFactor();
        if (crop > 0 && crop < clips.size(3)) {
            std::vector<torch::Tensor> crops, objectCrops;
            const int cells = static_cast<int>((clips.size(3) - crop) / factor) + 1;
            std::uniform_int_distribution<int> cell(0, cells - 1);
            // Crops are drawn for every rank's clips in order; this rank keeps its own.
            const int64_t B = clips.size(0), G = std::max<int64_t>(B, in.globalBatch);
            for (int64_t j = 0; j < G; ++j) {
                const int y = cell(*in.rng) * factor, x = cell(*in.rng) * factor;
                const int64_t b = j - (G == B ? 0 : in.shardFirst);
                if (b < 0 || b >= B)
                    continue;
                crops.push_back(clips[b].narrow(2, y, crop).narrow(3, x, crop));
                if (objects.defined())
                    objectCrops.push_back(objects[b].narrow(2, y, crop).narrow(3, x, crop));
            }
            clips = torch::stack(crops);
            if (objects.defined())
                objects = torch::stack(objectCrops);
        }
        // Per-pixel loss weights: 1, plus the object or detail weight where the mask says so.
        torch::Tensor pixelWeight;
        if (objects.defined())
            pixelWeight = 1 + m_o.objectWeight * (objects == 1).to(torch::kFloat32) +
                          m_o.detailWeight * (objects == 2).to(torch::kFloat32);
        auto z = net.autoencoder->encode(clips); // casts to the networks' dtype
        auto rec = net.autoencoder->decode(z);   // fp32
        // Objects cover a few percent of the pixels, so an unweighted loss is nearly
        // all background: weighting their pixels keeps their shape and colour sharp.
        auto diff = rec - clips;
        auto perPixel = diff.abs() + diff.pow(2);
        torch::Tensor loss;
        if (pixelWeight.defined()) {
            auto weight = pixelWeight.expand_as(perPixel);
            loss = in.weighted((perPixel * weight).sum(), weight.sum());
        } else {
            loss = in.mean(perPixel);
        }
        // A decoder that shows one still picture per latent frame loses little on
        // pixels when objects move slowly; matching the changes between frames
        // makes it keep the motion inside each group of four.
        if (m_o.temporalWeight > 0) {
            const auto F = clips.size(2);
            auto recDelta = rec.narrow(2, 1, F - 1) - rec.narrow(2, 0, F - 1);
            auto clipDelta = clips.narrow(2, 1, F - 1) - clips.narrow(2, 0, F - 1);
            auto deltaError = (recDelta - clipDelta).abs();
            if (pixelWeight.defined()) {
                auto weight = pixelWeight.narrow(2, 1, F - 1).expand_as(deltaError);
                loss = loss + m_o.temporalWeight * in.weighted((deltaError * weight).sum(), weight.sum());
            } else {
                loss = loss + m_o.temporalWeight * in.mean(deltaError);
            }
        }
        return loss;
    }

    // A frozen encoder keeps its latents' statistics; a trained one is measured anew.
    void finish(io::ModelConfig& config, nlohmann::json&) override
    {
        if (m_o.decoderOnly)
            return;
        m_pack.modules.autoencoder->eval();
        const auto [mean, stdev] = latentStatistics(m_pack.modules.autoencoder, m_o.seed, m_device);
        const double oldScale = config.autoencoder.latentScale, oldShift = config.autoencoder.latentShift;
        // encode() gives (z + oldShift) * oldScale; fold the new statistics into that.
        config.autoencoder.latentShift = oldShift - mean / oldScale;
        config.autoencoder.latentScale = oldScale / stdev;
    }
};

} // namespace

std::unique_ptr<StageUnit> makeAutoencoderStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device)
{
    return std::make_unique<AutoencoderStage>(o, pack, device);
}

} // namespace kinora::train
