#pragma once

// What a caller asks of the engine, without any torch types, so the CLI and the app
// can build requests without compiling LibTorch's headers.

#include "media/video.h"
#include "sampling/sampler_kind.h"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kinora::pipeline {

enum class DeviceChoice { Auto, Cpu, Cuda };
bool parseDevice(const std::string& name, DeviceChoice* out);

struct EngineOptions {
    DeviceChoice device = DeviceChoice::Auto;
    std::string precision = "auto";  // auto | fp32 | bf16
};

struct Progress {
    int step = 0;          // steps finished over all windows
    int steps = 0;         // steps over all windows
    int window = 0;        // 1-based window being sampled
    int windows = 0;
    double elapsedSeconds = 0;
};

// Receives progress and previews on the inference thread; implementations hand them on.
class GenerationObserver {
public:
    virtual ~GenerationObserver() = default;
    virtual void onProgress(const Progress& progress) { (void)progress; }
    virtual bool wantsPreview() const { return false; }
    // The current estimate of the window's middle frame, cheap to decode.
    virtual void onPreview(const Frame& frame, const Progress& progress)
    {
        (void)frame;
        (void)progress;
    }
    // After each window but the last, where the frames made so far reach back to frame 0:
    // output frames [0, count) are final (the finished clip starts with them), so a caller
    // may show them while the rest is made. frames holds all the request's frames.
    virtual bool wantsFrames() const { return false; }
    virtual void onFramesReady(const std::vector<Frame>& frames, int count, const Progress& progress)
    {
        (void)frames;
        (void)count;
        (void)progress;
    }
};

struct GenerationRequest {
    std::string caption;          // what the text encoder reads (the expanded prompt)
    std::string negativeCaption;  // replaces the unconditional input when not empty
    // Direction guidance: the caption with its directions turned round, and how hard to
    // steer away from it (velocity += contrastGuidance * (cond - contrast), a third pass of
    // the network per step). Off when the caption is empty or the weight is 0.
    std::string contrastCaption;
    double contrastGuidance = 0;
    std::uint64_t seed = 0;
    int steps = 0;                // 0: the pack's default
    double guidance = -1;         // < 0: the pack's default; 1 disables guidance
    double shift = -1;            // < 0: the pack's default
    std::optional<sampling::SamplerKind> sampler; // empty: the pack's default
    int frames = 0;               // output length
    // Known output frames (generate: none; extend: head or tail; bridge: both ends;
    // fill: all but A..B). knownFrames[i] is used where known[i]; sizes must equal frames
    // or be empty, and known frames must have the pack's frame size.
    std::vector<bool> known;
    std::vector<Frame> knownFrames;
    GenerationObserver* observer = nullptr;
    const std::atomic<bool>* cancel = nullptr;
};

} // namespace kinora::pipeline
