#pragma once

// `kinora-cli eval`: renders held-out scenes (seeds never used in training), generates
// clips from their canonical captions and from paraphrases (through the prompt
// expander, as a user's prompt would go), and judges the decoded frames with
// clip_analysis. Also measures the autoencoder's reconstruction and how well extended
// and bridged clips continue their known frames.

#include "pipeline/engine.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>

namespace kinora::eval {

struct EvalOptions {
    int scenes = 200;
    std::uint64_t firstSeed = 0; // offset into the held-out seed range
    int steps = 0; // 0: the pack's defaults
    double guidance = -1;
    // Direction guidance (GenerationRequest::contrastGuidance) with the scene's caption
    // turned round as the contrast, for scenes that move left, right, up or down; 0: off.
    double directionGuidance = 0;
    bool paraphrases = true;
    int extendScenes = 50; // scenes also used for the extend and bridge checks
    int reconstructionScenes = 50;
    // false: no generation at all, only the autoencoder's round trip (its PSNR, and the
    // same judges on the reconstructed clips: the ceiling of what generation can reach).
    bool generate = true;
    // One-object scenes moving left, right, up or down, whose latent the model denoises in
    // one step from several noise levels with the true caption, with the direction swapped
    // and with the colour swapped: whether the model uses those words at all (0: skip).
    int captionUseScenes = 24;
};

using EvalProgress = std::function<void(const std::string& phase, int done, int total)>;

Result<nlohmann::json> evaluate(
    pipeline::Engine& engine, const EvalOptions& options, const EvalProgress& onProgress = {});

// `kinora-cli eval --long`: minute-long clips of held-out one-object scenes whose motion
// can go on (bounce, orbit, spin, still, in turn), judged by eval/long_clip.h (seams at
// window and group starts, drift of the object's area and colour and of the background,
// presence per tenth, motion at the end against the start), and storyboards of four
// shots (a scene, the same object continuing with another motion, a cut to a new scene,
// that one continuing), each shot judged on its first second (colour and background), with
// the seam and the object's colour across each continue join. The report says which of
// the long-clip issue's bars each part meets.
struct LongEvalOptions {
    int clips = 4;
    double seconds = 60;
    int storyboards = 2;
    double shotSeconds = 4;
    std::uint64_t firstSeed = 0; // offset into the held-out scenes
    int steps = 0;               // 0: the pack's
    double guidance = -1;        // < 0: the pack's
    const std::atomic<bool>* cancel = nullptr;
};

Result<nlohmann::json> evaluateLong(
    pipeline::Engine& engine, const LongEvalOptions& options, const EvalProgress& onProgress = {});

} // namespace kinora::eval
