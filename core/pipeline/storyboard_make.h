#pragma once

// Making a storyboard (storyboard.h) into one clip: each shot with the operation recipe
// (operation.h), a `continue` shot as an extension of the shot before it with its own
// prompt, a `cut` as a new generation. Shared by kinora-cli storyboard and the long-clip
// evaluation.

#include "pipeline/engine.h"
#include "pipeline/operation.h"
#include "pipeline/storyboard.h"

#include <atomic>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

namespace kinora::pipeline {

struct StoryboardFilm {
    Video film;
    nlohmann::json record;       // operation "storyboard": the board, its seed and each shot's record
    std::vector<int> shotStarts; // each shot's first frame in the film
};

struct StoryboardRun {
    SamplingChoice sampling; // its seed is the board's when the board has none; shot i takes seed + i
    std::string negative;
    // Before each shot is generated: the observer of its generation (may return null).
    std::function<GenerationObserver*(int shot, const OperationPlan& plan)> observe;
    const std::atomic<bool>* cancel = nullptr;
};

// The frames each shot takes at the pack's frame rate; an error names the shot.
Result<std::vector<int>> shotFrameCounts(const Storyboard& board, double fps);

Result<StoryboardFilm> makeStoryboard(Engine& engine, Storyboard board, const StoryboardRun& run);

} // namespace kinora::pipeline
