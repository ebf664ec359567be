#pragma once

// Text-encoder pretraining: a small probe that reads a caption's attributes (background,
// object count, and colour, shape, size, motion and speed of each object) out of the text
// encoder's per-token features, the way the diffusion transformer's cross-attention does:
// one learned query per attribute attends over the tokens, and a linear layer classifies
// what it pooled. Training the encoder through it, on captions alone (no clips), makes
// every word the world uses stand out in the features before the transformer ever sees
// them, "moving to the left" and "on the right" as much as "red".
//
// Objects are slots: the first is the only object, or the one on the left; the second is
// the one on the right, or none. So the probe can only be right if the encoder tells
// which object a word belongs to, and where that object is.

#include "model/text_encoder.h"
#include "world/world.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <random>
#include <string>
#include <vector>

namespace kinora::train {

struct CaptionAttribute {
    std::string name;  // "background", "objects", "first.colour", ...
    int classes = 0;   // the last class of an object slot's attributes is "no such object"
};
// The attributes the probe reads, in the order of its queries and of attributeTargets.
const std::vector<CaptionAttribute>& captionAttributes();

// The scene's class for each attribute, in captionAttributes() order.
std::vector<std::int64_t> attributeTargets(const world::Scene& scene);

// Scenes' captions as the text encoder takes them, with the scenes' attribute classes.
struct CaptionBatch {
    torch::Tensor tokens, mask; // [B, L] int64 / bool
    torch::Tensor targets;      // [B, attributes] int64
};
CaptionBatch captionBatch(const std::vector<world::Scene>& scenes, const std::vector<std::string>& captions,
                          const model::Tokenizer& tokenizer, int maxTokens, const torch::Device& device);

class CaptionHeadImpl : public torch::nn::Module {
public:
    CaptionHeadImpl(int width, const torch::TensorOptions& options);
    // features: [B, L, D] (any float dtype; computed in fp32), mask: [B, L] bool.
    // Returns the logits of each attribute: [B, classes].
    std::vector<torch::Tensor> forward(const torch::Tensor& features, const torch::Tensor& mask);

private:
    torch::Tensor queries; // [attributes, D]
    torch::nn::ModuleList classifiers{nullptr};
    std::vector<torch::nn::Linear> m_classifiers;
};
TORCH_MODULE(CaptionHead);

// Summed cross-entropy of the head's logits against targets [B, attributes].
torch::Tensor captionHeadLoss(const std::vector<torch::Tensor>& logits, const torch::Tensor& targets);

// The probe's accuracy per attribute on `count` held-out scenes' captions (canonical
// ones and paraphrases), with the encoder and head as they are:
// {"canonical": {"background": 0.99, ...}, "paraphrase": {...}, "scenes": count}, and the
// object attributes' accuracy on the two-object scenes alone ("canonical_two_objects", ...).
nlohmann::json captionAccuracy(model::TextEncoder& encoder, const model::Tokenizer& tokenizer, CaptionHead& head,
                               int count, const torch::Device& device);

} // namespace kinora::train
