#pragma once

// A model pack's model.json: the architecture, vocabulary, sampling defaults and training
// record, read and checked without LibTorch (so the fuzzers reach it). io/model_pack.h
// builds and loads the networks it describes.

#include "model/configs.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kinora::io {

inline constexpr int kModelFormatVersion = 1;
inline constexpr const char* kModelJson = "model.json";
inline constexpr const char* kWeightsFile = "model.safetensors";

struct SamplingDefaults {
    int steps = 20;
    double guidance = 5.0;
    double shift = 2.0;
    std::string sampler = "euler";
    double frameNoiseShare = 0; // variance the latent frames' starting noise shares; set by training
    // Windows made from nothing are sampled twice: once for their first latent frame (the
    // first picture), then again with that frame known, so the caption's motion is made from
    // a start, as packs trained with `train --first-frame-share` learn it. Twice the steps.
    bool firstFrameAnchor = false;
};

struct ModelConfig {
    std::string name = "kinora-random";
    std::string description;
    int formatVersion = kModelFormatVersion;
    int frameSize = 128;    // square frames, pixels
    double fps = 8.0;
    int windowFrames = 17;  // one generation window, 1 + 4k
    int overlapFrames = 5;  // frames a following window takes from the previous one
    model::AutoencoderConfig autoencoder;
    model::TextEncoderConfig textEncoder;
    model::TransformerConfig transformer;
    SamplingDefaults sampling;
    std::vector<std::string> vocabulary; // tokenizer words, [PAD] [BOS] [UNK] first
    std::string weightsDtype = "bf16"; // how weights are stored
    nlohmann::json training = nlohmann::json::object(); // the training record, free-form
};

nlohmann::json configToJson(const ModelConfig& config);
Result<ModelConfig> configFromJson(const nlohmann::json& json);
Result<ModelConfig> readModelConfig(const std::filesystem::path& dir);

// A lower bound on the parameters the networks of `config` hold (the transformer's and the
// text encoder's weight matrices and word vectors): a pack whose weights file holds fewer
// is refused before anything is allocated, and no model.json may describe more than
// kMaxParameters.
std::uint64_t minimumParameters(const ModelConfig& config);
inline constexpr std::uint64_t kMaxParameters = 4'000'000'000ull;

} // namespace kinora::io
