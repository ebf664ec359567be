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
        for (int i = 0; i < m_o.batch; ++i) {
            scenes.push_back(world::sampleScene((in.firstSeed + static_cast<std::uint64_t>(i)) % (kHeldOutSeedBase / 2)));
            captions.push_back(trainingCaption(scenes.back(), 0.0, paraphraseRate, *in.dataRng));
        }
        const auto b = captionBatch(scenes, captions, m_tokenizer, m_pack.config.textEncoder.maxTokens, m_device);
        return captionHeadLoss(m_head->forward(net.textEncoder->forward(b.tokens, b.mask), b.mask), b.targets);
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
