#pragma once

// Word-level tokenizer and a small pre-norm transformer that turns a caption into
// per-token features for the diffusion transformer's cross-attention.

#include "model/configs.h"
#include "model/modules.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kinora::model {


// Lower-cases, splits on anything that is not a letter, digit or apostrophe, and maps
// words to ids. Id 0 is [PAD], 1 is [BOS] (always first, so even an empty prompt has
// one token to attend to: that is the unconditional input), 2 is [UNK].
class Tokenizer {
public:
    static constexpr std::int64_t kPad = 0, kBos = 1, kUnk = 2;

    explicit Tokenizer(std::vector<std::string> vocabulary);

    struct Encoding {
        std::vector<std::int64_t> ids; // [BOS] w1 w2 ... (no padding)
        std::vector<std::string> unknownWords;
        bool truncated = false;
    };
    Encoding encode(std::string_view text, int maxTokens) const;
    static std::vector<std::string> splitWords(std::string_view text);

    const std::vector<std::string>& vocabulary() const { return m_vocab; }
    int size() const { return static_cast<int>(m_vocab.size()); }

    // The special tokens followed by the given words, deduplicated.
    static std::vector<std::string> makeVocabulary(const std::vector<std::string>& words);

private:
    std::vector<std::string> m_vocab;
    std::unordered_map<std::string, std::int64_t> m_ids;
};

class TextBlockImpl : public torch::nn::Module {
public:
    TextBlockImpl(const TextEncoderConfig& config, const torch::TensorOptions& options);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& bias); // x: [B, L, D]

private:
    LayerNorm norm1{nullptr}, norm2{nullptr};
    SelfAttention attn{nullptr};
    Mlp mlp{nullptr};
};
TORCH_MODULE(TextBlock);

class TextEncoderImpl : public torch::nn::Module {
public:
    TextEncoderImpl(const TextEncoderConfig& config, int vocabSize, const torch::TensorOptions& options);
    // tokens: [B, L] int64, mask: [B, L] bool (true = real token) -> [B, L, D]
    torch::Tensor forward(const torch::Tensor& tokens, const torch::Tensor& mask);
    const TextEncoderConfig& config() const { return m_config; }

private:
    TextEncoderConfig m_config;
    torch::nn::Embedding embed{nullptr};
    torch::Tensor position;
    torch::nn::ModuleList blocks{nullptr};
    std::vector<TextBlock> m_blocks;
    LayerNorm normOut{nullptr};
};
TORCH_MODULE(TextEncoder);

// Pads a batch of encodings to one length: tokens [B, L] and mask [B, L].
std::pair<torch::Tensor, torch::Tensor> batchTokens(const std::vector<Tokenizer::Encoding>& encodings,
                                                    const torch::Device& device);

} // namespace kinora::model
