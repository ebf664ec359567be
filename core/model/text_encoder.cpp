#include "model/text_encoder.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace kinora::model {

Tokenizer::Tokenizer(std::vector<std::string> vocabulary) : m_vocab(std::move(vocabulary))
{
    for (size_t i = 0; i < m_vocab.size(); ++i)
        m_ids.emplace(m_vocab[i], static_cast<std::int64_t>(i));
}

std::vector<std::string> Tokenizer::splitWords(std::string_view text)
{
    std::vector<std::string> words;
    std::string current;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '\'' || u >= 0x80) {
            current.push_back(static_cast<char>(std::tolower(u)));
        } else if (!current.empty()) {
            words.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty())
        words.push_back(std::move(current));
    return words;
}

Tokenizer::Encoding Tokenizer::encode(std::string_view text, int maxTokens) const
{
    Encoding enc;
    enc.ids.push_back(kBos);
    for (const auto& word : splitWords(text)) {
        if (static_cast<int>(enc.ids.size()) >= maxTokens) {
            enc.truncated = true;
            break;
        }
        auto it = m_ids.find(word);
        if (it == m_ids.end()) {
            enc.ids.push_back(kUnk);
            enc.unknownWords.push_back(word);
        } else {
            enc.ids.push_back(it->second);
        }
    }
    return enc;
}

std::vector<std::string> Tokenizer::makeVocabulary(const std::vector<std::string>& words)
{
    std::vector<std::string> vocab = {"[PAD]", "[BOS]", "[UNK]"};
    std::set<std::string> seen(vocab.begin(), vocab.end());
    for (const auto& w : words)
        if (seen.insert(w).second)
            vocab.push_back(w);
    return vocab;
}

TextBlockImpl::TextBlockImpl(const TextEncoderConfig& config, const torch::TensorOptions& options)
{
    norm1 = register_module("norm1", affineLayerNorm(config.width, options));
    attn = register_module("attn", SelfAttention(config.width, config.heads, options));
    norm2 = register_module("norm2", affineLayerNorm(config.width, options));
    mlp = register_module("mlp", Mlp(config.width, config.width * config.mlpRatio, options));
}

torch::Tensor TextBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& bias)
{
    auto h = x + attn(norm1(x), nullptr, bias);
    return h + mlp(norm2(h));
}

TextEncoderImpl::TextEncoderImpl(const TextEncoderConfig& config, int vocabSize, const torch::TensorOptions& options)
    : m_config(config)
{
    embed = register_module("embed", torch::nn::Embedding(vocabSize, config.width));
    {
        // Word and position vectors start at the same scale (0.02, as GPT-2's do). LibTorch's
        // default N(0, 1) words made the positions 2 % of each token's input, so the encoder
        // read a caption as a bag of words: "a red star on the left and a blue circle on the
        // right" and its mirror image came out the same.
        torch::NoGradGuard noGrad;
        torch::nn::init::normal_(embed->weight, 0.0, 0.02);
    }
    embed->to(options.device(), options.dtype().toScalarType());
    position = register_parameter("position", torch::randn({config.maxTokens, config.width}, options) * 0.02);
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int i = 0; i < config.depth; ++i) {
        TextBlock b(config, options);
        blocks->push_back(b);
        m_blocks.push_back(b);
    }
    normOut = register_module("norm_out", affineLayerNorm(config.width, options));
}

torch::Tensor TextEncoderImpl::forward(const torch::Tensor& tokens, const torch::Tensor& mask)
{
    const auto L = tokens.size(1);
    auto x = embed(tokens) + position.narrow(0, 0, L).unsqueeze(0); // [B, L, D]
    auto bias = keyMaskBias(mask, x.scalar_type());                  // [B, 1, 1, L]
    for (auto& block : m_blocks)
        x = block(x, bias);
    return normOut(x);
}

std::pair<torch::Tensor, torch::Tensor> batchTokens(const std::vector<Tokenizer::Encoding>& encodings,
                                                    const torch::Device& device)
{
    size_t length = 1;
    for (const auto& e : encodings)
        length = std::max(length, e.ids.size());
    const auto B = static_cast<int64_t>(encodings.size());
    auto tokens = torch::zeros({B, static_cast<int64_t>(length)}, torch::kInt64);
    auto mask = torch::zeros({B, static_cast<int64_t>(length)}, torch::kBool);
    auto t = tokens.accessor<int64_t, 2>();
    auto m = mask.accessor<bool, 2>();
    for (int64_t b = 0; b < B; ++b) {
        for (size_t i = 0; i < encodings[b].ids.size(); ++i) {
            t[b][i] = encodings[b].ids[i];
            m[b][i] = true;
        }
    }
    return {tokens.to(device), mask.to(device)};
}

} // namespace kinora::model
