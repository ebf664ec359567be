#pragma once

// The sampling plan: which windows of frames the engine denoises for a request, and so how
// many denoising steps it takes (what time estimates count). No torch.

#include "pipeline/engine.h"
#include "pipeline/request.h"

#include <vector>

namespace kinora::pipeline {

// One window of the sampling plan: `frames` output frames from `start` (which may be
// negative, or run past the end, where the window is padded to 1 + 4k frames).
struct Window {
    int start = 0;
    int frames = 0;
};

// Covers `total` frames with windows of `windowFrames` that overlap by `overlap`, ordered
// so each window is sampled next to frames already known: right to left when only the
// end is known (backward extension), left to right otherwise.
std::vector<Window> planWindows(const std::vector<bool>& known, int windowFrames, int overlap, int group = 4);
// The windows actually sampled: those that still have unknown frames when their turn
// comes (a window is skipped when earlier ones filled it completely).
std::vector<Window> windowsToSample(const std::vector<bool>& known, int windowFrames, int overlap, int group = 4);

// Whether the first window sampled has no known frame: a pack that anchors the first frame
// (io::SamplingDefaults::firstFrameAnchor) samples that window twice.
bool firstWindowFromNothing(const std::vector<Window>& work, const std::vector<bool>& known);

// Denoising steps a request costs on a pack: windows sampled x steps, plus the anchored
// first window's second pass.
int plannedSteps(const GenerationRequest& request, const ModelInfo& model);

} // namespace kinora::pipeline
