#pragma once

// Model packs: a folder with model.json (architecture, vocabulary, sampling defaults,
// training record) and model.safetensors (every module's weights under the prefixes
// "autoencoder.", "text_encoder." and "transformer.").

#include "io/model_config.h"
#include "io/safetensors.h"
#include "model/autoencoder.h"
#include "model/text_encoder.h"
#include "model/transformer.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kinora::io {

// Names of the built-in architectures ("tiny" for tests, "default" for the shipped size).
std::vector<std::string> architectureNames();
Result<ModelConfig> architecture(const std::string& name);

// The three networks of a pack, on one device, in one dtype per network.
struct ModelModules {
    model::Autoencoder autoencoder{nullptr};
    model::TextEncoder textEncoder{nullptr};
    model::Transformer transformer{nullptr};

    // (full dotted name, tensor) for every parameter and buffer.
    std::vector<std::pair<std::string, torch::Tensor>> namedTensors() const;
};

struct ModulePrecision {
    torch::ScalarType autoencoder = torch::kFloat32;
    torch::ScalarType textEncoder = torch::kFloat32;
    torch::ScalarType transformer = torch::kFloat32;
};

ModelModules createModules(const ModelConfig& config, const torch::Device& device, const ModulePrecision& precision,
                           std::uint64_t seed = 0);

struct LoadedPack {
    ModelConfig config;
    ModelModules modules;
    std::string weightHash;
    std::filesystem::path dir;
};

// Checks every tensor's name, shape and dtype against the config and names all that is
// missing, unexpected or mismatched. Never throws.
Result<LoadedPack> loadModelPack(const std::filesystem::path& dir, const torch::Device& device,
                                 const ModulePrecision& precision);

// Writes model.json and the weights (in config.weightsDtype), each atomically.
Result<void> saveModelPack(const std::filesystem::path& dir, const ModelConfig& config, const ModelModules& modules);

} // namespace kinora::io
