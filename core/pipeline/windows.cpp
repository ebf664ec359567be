#include "pipeline/windows.h"

#include <algorithm>

namespace kinora::pipeline {

namespace {

int roundUpFrames(int frames, int group)
{
    return 1 + group * ((std::max(frames, 1) - 1 + group - 1) / group);
}

} // namespace

std::vector<Window> planWindows(const std::vector<bool>& known, int windowFrames, int overlap, int group)
{
    const int total = static_cast<int>(known.size());
    std::vector<Window> windows;
    const auto firstUnknown = std::find(known.begin(), known.end(), false);
    if (firstUnknown == known.end())
        return windows;
    const int u = static_cast<int>(firstUnknown - known.begin());
    const int v = total - 1 - static_cast<int>(std::find(known.rbegin(), known.rend(), false) - known.rbegin());
    // Sample only the unknown span plus `overlap` known frames of context on each side.
    const int lo = std::max(0, u - overlap);
    const int hi = std::min(total, v + 1 + overlap);
    const bool backward = known[hi - 1] && !known[lo];
    const int length = hi - lo;
    if (length <= windowFrames) {
        const int frames = roundUpFrames(length, group);
        int start = backward ? hi - frames : lo;
        if (!backward && start + frames > total)
            start = std::max(0, total - frames); // take more known context rather than padding
        windows.push_back({start, frames});
        return windows;
    }
    const int stride = windowFrames - overlap;
    for (int start = lo; start + windowFrames < hi; start += stride)
        windows.push_back({start, windowFrames});
    windows.push_back({hi - windowFrames, windowFrames});
    if (backward)
        std::reverse(windows.begin(), windows.end());
    return windows;
}

std::vector<Window> windowsToSample(const std::vector<bool>& known, int windowFrames, int overlap, int group)
{
    const int total = static_cast<int>(known.size());
    std::vector<bool> willKnow = known;
    std::vector<Window> work;
    for (const auto& w : planWindows(known, windowFrames, overlap, group)) {
        bool any = false;
        for (int i = std::max(0, w.start); i < std::min(total, w.start + w.frames); ++i)
            if (!willKnow[i]) {
                any = true;
                willKnow[i] = true;
            }
        if (any)
            work.push_back(w);
    }
    return work;
}

bool firstWindowFromNothing(const std::vector<Window>& work, const std::vector<bool>& known)
{
    if (work.empty())
        return false;
    for (int i = 0; i < work.front().frames; ++i) {
        const int f = work.front().start + i;
        if (f >= 0 && f < static_cast<int>(known.size()) && known[f])
            return false;
    }
    return true;
}

int plannedSteps(const GenerationRequest& request, const ModelInfo& model)
{
    std::vector<bool> known = request.known;
    if (known.empty())
        known.assign(std::max(0, request.frames), false);
    const int steps = request.steps > 0 ? request.steps : model.defaultSteps;
    const auto work = windowsToSample(known, model.windowFrames, model.overlapFrames, model.temporalGroup);
    const bool anchored = model.firstFrameAnchor && firstWindowFromNothing(work, known);
    return static_cast<int>(work.size() + (anchored ? 1 : 0)) * steps;
}

} // namespace kinora::pipeline
