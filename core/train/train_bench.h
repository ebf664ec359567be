#pragma once

// `kinora-cli bench --train`: on the calling thread's LibTorch threads (set by the host),
// optimiser steps of the autoencoder and diffusion stages on
// a pack's architecture, with the recipe's batch options, timed with and without the
// rendering of clips, their FLOPs counted and set against the matmul roofline measured
// in the same process.

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <string>

namespace kinora::train {

struct TrainBenchOptions {
    std::filesystem::path model;    // the pack whose architecture (and weights) train
    int steps = 6;                  // timed steps per stage, after `warmup` untimed ones
    int warmup = 2;
    int diffusionBatch = 32;        // the built-in recipe's (scripts/train-default.sh)
    int autoencoderBatch = 8;
    std::string precision = "auto"; // as train --precision
};

// Keys: train_precision, matmul_fp32_gflops, matmul_bf16_gflops, and for each of
// "diffusion" and "autoencoder": train_<stage>_clips_per_s (rendering included),
// _clips_per_s_no_render (the rendering's time taken out), _step_gflop (forward and
// backward of the learning networks: 3x their forward, plus the no-grad encoding),
// _gflops (achieved, rendering's time taken out) and _roofline_fraction (of the matmul
// roofline in the precision the stage trains in).
// A set cancel flag stops it (its scratch folder removed) with ErrorCode::Cancelled.
Result<nlohmann::json> benchTraining(const TrainBenchOptions& options, const std::atomic<bool>* cancel = nullptr);

} // namespace kinora::train
