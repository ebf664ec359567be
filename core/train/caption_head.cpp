#include "train/caption_head.h"

#include "model/modules.h"

#include <cmath>

namespace kinora::train {

namespace {

constexpr int kSlots = 2;
constexpr int kObjectCountAttribute = 1; // captionAttributes()[1]: "objects", 0 = one, 1 = two

struct SlotAttribute {
    const char* name;
    int values;
};
constexpr SlotAttribute kSlotAttributes[] = {{"colour", world::kColorCount},
                                             {"shape", world::kShapeCount},
                                             {"size", world::kSizeCount},
                                             {"motion", world::kMotionCount},
                                             {"speed", world::kSpeedCount}};

// The slot an object fills: the only object, or left before right.
std::vector<const world::ObjectSpec*> slots(const world::Scene& scene)
{
    std::vector<const world::ObjectSpec*> out(kSlots, nullptr);
    if (scene.objects.size() == 1) {
        out[0] = &scene.objects[0];
    } else {
        for (const auto& object : scene.objects)
            out[object.placement == world::Placement::Right ? 1 : 0] = &object;
    }
    return out;
}

} // namespace

const std::vector<CaptionAttribute>& captionAttributes()
{
    static const std::vector<CaptionAttribute> attributes = [] {
        std::vector<CaptionAttribute> a{{"background", world::kBackgroundCount}, {"objects", kSlots}};
        for (const char* slot : {"first", "second"})
            for (const auto& s : kSlotAttributes)
                a.push_back({std::string(slot) + "." + s.name, s.values + 1});
        return a;
    }();
    return attributes;
}

std::vector<std::int64_t> attributeTargets(const world::Scene& scene)
{
    std::vector<std::int64_t> t{static_cast<std::int64_t>(scene.background),
                                static_cast<std::int64_t>(scene.objects.size()) - 1};
    for (const auto* object : slots(scene)) {
        if (!object) {
            for (const auto& s : kSlotAttributes)
                t.push_back(s.values); // no such object
            continue;
        }
        t.push_back(static_cast<std::int64_t>(object->color));
        t.push_back(static_cast<std::int64_t>(object->shape));
        t.push_back(static_cast<std::int64_t>(object->size));
        t.push_back(static_cast<std::int64_t>(object->motion));
        t.push_back(static_cast<std::int64_t>(object->speed));
    }
    return t;
}

CaptionBatch captionBatch(const std::vector<world::Scene>& scenes, const std::vector<std::string>& captions,
                          const model::Tokenizer& tokenizer, int maxTokens, const torch::Device& device)
{
    std::vector<model::Tokenizer::Encoding> encodings;
    std::vector<torch::Tensor> targets;
    for (size_t i = 0; i < scenes.size(); ++i) {
        encodings.push_back(tokenizer.encode(captions[i], maxTokens));
        targets.push_back(torch::tensor(attributeTargets(scenes[i]), torch::kInt64));
    }
    auto [tokens, mask] = model::batchTokens(encodings, device);
    return {tokens, mask, torch::stack(targets).to(device)};
}

CaptionHeadImpl::CaptionHeadImpl(int width, const torch::TensorOptions& options)
{
    const auto& attributes = captionAttributes();
    queries = register_parameter("queries",
                                 torch::randn({static_cast<std::int64_t>(attributes.size()), width}, options) * 0.02);
    classifiers = register_module("classifiers", torch::nn::ModuleList());
    for (const auto& a : attributes) {
        auto layer = model::linear(width, a.classes, options);
        classifiers->push_back(layer);
        m_classifiers.push_back(layer);
    }
}

std::vector<torch::Tensor> CaptionHeadImpl::forward(const torch::Tensor& features, const torch::Tensor& mask)
{
    auto f = features.to(queries.scalar_type());                                     // [B, L, D]
    auto scores = torch::matmul(f, queries.t()) / std::sqrt(double(f.size(2)));      // [B, L, A]
    scores = scores.masked_fill(mask.logical_not().unsqueeze(2), -1e9);
    auto pooled = torch::matmul(torch::softmax(scores, 1).transpose(1, 2), f);     // [B, A, D]
    std::vector<torch::Tensor> logits;
    for (size_t a = 0; a < m_classifiers.size(); ++a)
        logits.push_back(m_classifiers[a](pooled.select(1, static_cast<std::int64_t>(a))));
    return logits;
}

torch::Tensor captionHeadLoss(const std::vector<torch::Tensor>& logits, const torch::Tensor& targets)
{
    torch::Tensor loss;
    for (size_t a = 0; a < logits.size(); ++a) {
        auto l = torch::nn::functional::cross_entropy(logits[a], targets.select(1, static_cast<std::int64_t>(a)));
        loss = loss.defined() ? loss + l : l;
    }
    return loss;
}

nlohmann::json captionAccuracy(model::TextEncoder& encoder, const model::Tokenizer& tokenizer, CaptionHead& head,
                               int count, const torch::Device& device)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = encoder->is_training();
    encoder->eval();
    const auto& attributes = captionAttributes();
    nlohmann::json report = {{"scenes", count}};
    for (const bool paraphrased : {false, true}) {
        // Over all scenes, and over the two-object scenes alone: those are where the words
        // must be tied to the right object (most scenes have one, so "none" is an easy guess).
        std::vector<double> correct(attributes.size(), 0.0), correctPairs(attributes.size(), 0.0);
        double pairs = 0;
        constexpr int kChunk = 256;
        for (int first = 0; first < count; first += kChunk) {
            std::vector<world::Scene> scenes;
            std::vector<std::string> captions;
            for (int i = first; i < std::min(count, first + kChunk); ++i) {
                scenes.push_back(world::sampleScene(world::kHeldOutSeedBase + static_cast<std::uint64_t>(i)));
                captions.push_back(paraphrased ? world::paraphraseCaption(scenes.back(), static_cast<std::uint64_t>(i))
                                               : world::canonicalCaption(scenes.back()));
            }
            const auto b = captionBatch(scenes, captions, tokenizer, encoder->config().maxTokens, device);
            auto logits = head->forward(encoder->forward(b.tokens, b.mask), b.mask);
            const auto& t = b.targets;
            auto isPair = t.select(1, kObjectCountAttribute).eq(1); // two objects
            pairs += isPair.sum().item<double>();
            for (size_t a = 0; a < attributes.size(); ++a) {
                auto right = logits[a].argmax(1).eq(t.select(1, static_cast<std::int64_t>(a)));
                correct[a] += right.sum().item<double>();
                correctPairs[a] += right.logical_and(isPair).sum().item<double>();
            }
        }
        auto rounded = [](double x) { return std::round(1000.0 * x) / 1000.0; };
        const std::string name = paraphrased ? "paraphrase" : "canonical";
        for (size_t a = 0; a < attributes.size(); ++a) {
            report[name][attributes[a].name] = rounded(correct[a] / count);
            if (pairs > 0 && attributes[a].name.find('.') != std::string::npos)
                report[name + "_two_objects"][attributes[a].name] = rounded(correctPairs[a] / pairs);
        }
    }
    encoder->train(wasTraining);
    return report;
}

} // namespace kinora::train
