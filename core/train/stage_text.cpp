// The text stage: the text encoder alone, on captions (nothing is rendered), through a
// probe that names each scene's attributes from the encoder's features (caption_head.h).

#include "model/seeded_init.h"
#include "model/text_encoder.h"
#include "train/caption_head.h"
#include "train/stage.h"
#include "world/world.h"

namespace kinora::train {

namespace {

class TextStage : public StageUnit {
public:
    TextStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device)
        : StageUnit(o, pack, device), m_tokenizer(pack.config.vocabulary), m_head(nullptr)
    {
        // The probe is fp32 and outside the pack: only the checkpoint keeps it.
        {
            model::SeededInit seeded(o.seed); // the same probe for the same seed
            m_head = CaptionHead(pack.config.textEncoder.width, torch::TensorOptions().device(torch::kCPU));
        }
        m_head->to(device);
    }

    bool learns(const std::string& name) const override { return name.rfind("text_encoder.", 0) == 0; }
    Named extraTensors() override
    {
        Named out;
        for (const auto& item : m_head->named_parameters())
            out.emplace_back("caption_head." + item.key(), item.value());
        return out;
    }
    void setModes(io::ModelModules& m) const override
    {
        m.autoencoder->train(false);
        m.textEncoder->train(true);
        m.transformer->train(false);
    }
    bool rendersClips() const override { return false; }

    torch::Tensor loss(io::ModelModules& net, const StepInput& in) override
    {
        std::vector<world::Scene> scenes;
        std::vector<std::string> captions;
        const double paraphraseRate = batchOptions(1).paraphraseRate;
        // Captions are drawn for every rank's scenes in order; this rank keeps its own.
        const int G = std::max(m_o.batch, in.globalBatch), first = G == m_o.batch ? 0 : in.shardFirst;
        for (int i = 0; i < G; ++i) {
            const auto scene = world::sampleScene((in.firstSeed + static_cast<std::uint64_t>(i)) % (kHeldOutSeedBase / 2));
            auto caption = trainingCaption(scene, 0.0, paraphraseRate, *in.dataRng);
            if (i < first || i >= first + m_o.batch)
                continue;
            scenes.push_back(scene);
            captions.push_back(std::move(caption));
        }
        const auto b = captionBatch(scenes, captions, m_tokenizer, m_pack.config.textEncoder.maxTokens, m_device);
        auto loss = captionHeadLoss(m_head->forward(net.textEncoder->forward(b.tokens, b.mask), b.mask), b.targets);
        // A mean over this rank's clips: its share of the mean over all of them.
        return G == m_o.batch ? loss : loss * (static_cast<double>(m_o.batch) / G);
    }

    // How well the exported encoder's features name the held-out captions' attributes.
    void finish(io::ModelConfig&, nlohmann::json& record) override
    {
        record["caption_accuracy"] = captionAccuracy(m_pack.modules.textEncoder, m_tokenizer, m_head, 2000, m_device);
    }

private:
    model::Tokenizer m_tokenizer;
    CaptionHead m_head;
};

} // namespace

std::unique_ptr<StageUnit> makeTextStage(const TrainOptions& o, io::LoadedPack& pack, const torch::Device& device)
{
    return std::make_unique<TextStage>(o, pack, device);
}

} // namespace kinora::train
