// The diffusion stage: the text encoder and transformer learn flow matching on latents of
// freshly rendered clips, with sampled conditioning masks (extend, bridge, fill), caption
// dropout and noise levels shifted towards high noise.

#include "io/safetensors.h"
#include "model/text_encoder.h"
#include "sampling/sampler.h"
#include "train/stage.h"

#include <ATen/record_function.h>

#include <filesystem>
#include <iostream>

namespace kinora::train {

namespace {

std::string hex(std::uint64_t v)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
    return text;
}

class DiffusionStage : public StageUnit {
public:
    DiffusionStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device, double noiseShare)
        : StageUnit(o, pack, device), m_tokenizer(pack.config.vocabulary), m_noiseShare(noiseShare)
    {
    }

    bool learns(const std::string& name) const override { return name.rfind("autoencoder.", 0) != 0; }
    void setModes(io::ModelModules& m) const override
    {
        m.autoencoder->train(false);
        m.textEncoder->train(true);
        m.transformer->train(true);
    }
    BatchOptions batchOptions(int renderThreads) const override
    {
        BatchOptions b = StageUnit::batchOptions(renderThreads);
        b.objectMasks = m_o.latentObjectWeight > 0;
        b.directionsOnly = m_o.directionsOnly;
        b.directionsShare = m_o.directionsShare;
        b.mirrorPairs = m_o.mirrorPairs;
        b.placementWords = !m_o.noPlacementWords;
        b.contrastCaptions = m_o.captionContrast > 0;
        return b;
    }
    // Each rendered batch serves `reuse` consecutive steps (with fresh noise levels, noise
    // and masks): encoding the clips costs more than the transformer's forward and backward.
    int reuse() const override { return std::max(1, m_o.latentReuse); }
    bool needsBatch(std::uint64_t block) const override { return !m_latents.defined() || m_block != block; }

    torch::Tensor loss(io::ModelModules& net, const StepInput& in) override
    {
        const auto& config = m_pack.config;
        if (in.batch) {
            RECORD_USER_SCOPE("phase:encode");
            torch::NoGradGuard noGrad;
            m_latents = encode(net, in.batch->pixels); // [B, C, T, h, w]
            if (in.flops && *in.flops) {
                *in.encodeFlopsPerStep = (*in.flops)->stop() / reuse();
                in.flops->emplace(); // the trained networks' forward from here
            }
            m_captions = in.batch->captions;
            m_contrastCaptions = in.batch->contrastCaptions;
            if (in.batch->objectMask.defined())
                m_cellWeight = 1 + m_o.latentObjectWeight * latentObjectCells(in.batch->objectMask.to(m_device),
                                                                              config.autoencoder.spatialFactor(),
                                                                              config.autoencoder.temporalGroup);
            m_block = in.block;
        }
        const torch::Tensor z0 = m_latents;
        std::vector<model::Tokenizer::Encoding> encodings;
        for (const auto& c : m_captions)
            encodings.push_back(m_tokenizer.encode(c, config.textEncoder.maxTokens));
        auto [tokens, textMask] = model::batchTokens(encodings, m_device);
        auto text = net.textEncoder->forward(tokens, textMask);
        const auto B = z0.size(0), T = z0.size(2);
        // Noise levels, noise and masks are drawn for the whole step's batch (every rank's
        // share), this rank keeping its rows.
        const int G = std::max<int>(static_cast<int>(B), in.globalBatch);
        auto t = in.share(sampleNoiseLevels(G, m_o.noiseShift, in.noiseGen), B).to(m_device);
        auto globalShape = z0.sizes().vec();
        globalShape[0] = G;
        auto noise = in.share(sampling::frameCorrelatedNoise(globalShape, m_noiseShare, in.noiseGen), B)
                         .to(m_device, z0.scalar_type());
        auto tb = t.view({B, 1, 1, 1, 1});
        auto xt = (1 - tb) * z0 + tb * noise;
        auto mask = in.share(sampleConditioningMasks(G, static_cast<int>(T), *in.rng, m_o.knownShare, m_o.firstFrameShare), B)
                        .to(m_device, z0.scalar_type())
                        .expand({B, 1, T, z0.size(3), z0.size(4)})
                        .contiguous();
        RECORD_USER_SCOPE("phase:transformer_forward");
        auto v = net.transformer->forward(xt, z0 * mask, mask, t, text, textMask);
        auto weight = (1 - mask).expand_as(z0);
        if (m_cellWeight.defined())
            weight = weight * m_cellWeight.to(weight.scalar_type()); // [B, 1, T, h, w] broadcasts
        const auto target = noise - z0;
        auto squared = (v - target).pow(2) * weight;
        auto mse = in.weighted(squared.sum(), weight.sum().clamp_min(1.0));
        if (m_o.captionContrast <= 0 || m_contrastCaptions.size() != static_cast<size_t>(B))
            return mse;
        return mse + m_o.captionContrast * contrastTerm(net, in, xt, z0 * mask, mask, t, target, weight, squared);
    }

    // The exported pack samples with the frame-correlated noise it was trained with.
    void finish(io::ModelConfig& config, nlohmann::json&) override { config.sampling.frameNoiseShare = m_noiseShare; }

private:
    // TrainOptions::captionContrast's term, summed over this rank's contrast rows and divided
    // by the whole step's batch.
    torch::Tensor contrastTerm(io::ModelModules& net, const StepInput& in, const torch::Tensor& xt,
                               const torch::Tensor& known, const torch::Tensor& mask, const torch::Tensor& t,
                               const torch::Tensor& target, const torch::Tensor& weight,
                               const torch::Tensor& squared)
    {
        const auto B = xt.size(0);
        const auto tCpu = t.to(torch::kCPU, torch::kFloat32).contiguous();
        // Known latent frames per row (the mask is the same over a frame's cells).
        const auto knownFrames = mask.select(1, 0).select(-1, 0).select(-1, 0).sum(1).to(torch::kCPU, torch::kFloat32);
        std::vector<std::int64_t> rows;
        std::vector<model::Tokenizer::Encoding> encodings;
        const auto& config = m_pack.config;
        for (std::int64_t i = 0; i < B; ++i) {
            if (m_contrastCaptions[i].empty() || tCpu[i].item<float>() < m_o.captionContrastMinNoise || knownFrames[i].item<float>() > 1.5f)
                continue;
            rows.push_back(i);
            encodings.push_back(m_tokenizer.encode(m_contrastCaptions[i], config.textEncoder.maxTokens));
        }
        const auto denominator = torch::full({}, static_cast<double>(B), torch::TensorOptions().device(xt.device()));
        if (rows.empty()) // still a term of the graph, so every rank's backward matches
            return in.weighted(squared.sum() * 0, denominator);
        auto index = torch::tensor(rows, torch::kLong).to(xt.device());
        auto [tokens, textMask] = model::batchTokens(encodings, m_device);
        auto text = net.textEncoder->forward(tokens, textMask);
        RECORD_USER_SCOPE("phase:contrast_forward");
        auto v = net.transformer->forward(xt.index_select(0, index), known.index_select(0, index),
                                          mask.index_select(0, index), t.index_select(0, index), text, textMask);
        const auto w = weight.index_select(0, index).to(torch::kFloat32);
        const std::vector<std::int64_t> cells = {1, 2, 3, 4};
        const auto norm = w.sum(cells).clamp_min(1.0);
        auto trueError = squared.index_select(0, index).to(torch::kFloat32).sum(cells) / norm;
        auto turnedError = ((v - target.index_select(0, index)).pow(2).to(torch::kFloat32) * w).sum(cells) / norm;
        auto hinge = torch::relu(trueError.clamp_min(1e-8).log() - turnedError.clamp_min(1e-8).log()
                                 + m_o.captionContrastMargin);
        return in.weighted(hinge.sum(), denominator);
    }

    // The batch's latents: from the cache when it holds them, else encoded (and kept there).
    torch::Tensor encode(io::ModelModules& net, const torch::Tensor& pixels)
    {
        auto run = [&] { return net.autoencoder->encode(modelInput(pixels, m_device, torch::kBFloat16)); };
        if (m_o.latentCache.empty() || m_cacheOff)
            return run();
        namespace fs = std::filesystem;
        if (m_aeKey.empty()) { // the weights never change in this stage: hashed once
            auto tensors = net.autoencoder->parameters();
            for (const auto& t : net.autoencoder->buffers())
                tensors.push_back(t);
            // The device and precision change the latents' last bits.
            tensors.push_back(torch::tensor({static_cast<std::int64_t>(m_device.type()),
                                             static_cast<std::int64_t>(tensors.front().scalar_type())}));
            m_aeKey = hex(fingerprintOf(tensors));
        }
        const fs::path file = fs::path(m_o.latentCache) / (m_aeKey + "-" + hex(fingerprintOf({pixels})) + ".safetensors");
        std::error_code ec;
        if (fs::exists(file, ec)) {
            auto cached = io::SafetensorsFile::open(file);
            const auto* info = cached ? cached.value().find("latents") : nullptr;
            if (info) {
                auto z = cached.value().tensor(*info);
                if (z.dim() == 5 && z.size(0) == pixels.size(0))
                    return z.to(m_device, /*non_blocking=*/false, /*copy=*/true);
            }
            // Unreadable or foreign: encoded again and written over below.
        }
        auto z = run();
        fs::create_directories(file.parent_path(), ec);
        if (auto ok = io::writeSafetensors(file, {{"latents", z}}); !ok) {
            // A full disk or a read-only folder costs speed, never the run.
            std::cerr << "kinora-cli: warning: the latent cache stops (" << ok.error().message
                      << "); training goes on encoding every batch\n";
            m_cacheOff = true;
        }
        return z;
    }

    model::Tokenizer m_tokenizer;
    std::string m_aeKey; // hex fingerprint of the autoencoder, the device and the precision
    bool m_cacheOff = false;
    double m_noiseShare;
    // The encoded batch, reused for reuse() steps.
    torch::Tensor m_latents, m_cellWeight;
    std::vector<std::string> m_captions, m_contrastCaptions;
    std::uint64_t m_block = 0;
};

} // namespace

std::unique_ptr<StageUnit> makeDiffusionStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device,
                                              double noiseShare)
{
    return std::make_unique<DiffusionStage>(o, pack, device, noiseShare);
}

} // namespace kinora::train
