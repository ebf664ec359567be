#pragma once

// Turning user operations (generate, extend, bridge, fill) into generation requests
// over known frames, and the generation record every clip carries. No torch here.

#include "media/video.h"
#include "pipeline/engine.h"
#include "pipeline/request.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace kinora::pipeline {

inline constexpr double kMaxSeconds = 600.0;

// Frames for a duration at a frame rate; refuses durations that are not positive, not
// finite or longer than kMaxSeconds.
Result<int> framesForSeconds(double seconds, double fps);

// Nearest-frame resampling to another frame rate (imported clips at 24/30 fps).
Video resampleFps(const Video& video, double fps);

// Output: the source followed (or preceded, when backward) by newFrames generated ones.
GenerationRequest extendRequest(const Video& source, int newFrames, bool backward);
// Output: a, then gapFrames generated ones, then b.
GenerationRequest bridgeRequest(const Video& a, const Video& b, int gapFrames);
// Output: the source with frames first..last (inclusive, 0-based) generated anew.
Result<GenerationRequest> fillRequest(const Video& source, int first, int last);
// Parses "A-B" (0-based, inclusive).
Result<std::pair<int, int>> parseFrameRange(const std::string& text);

struct RecordInfo {
    std::string operation; // generate | extend | bridge | fill
    std::string prompt;
    std::string expandedPrompt;
    std::string negativePrompt;
    std::string negativeExpanded;
    std::uint64_t seed = 0;
    int steps = 0;
    bool draft = false;  // a draft: a quarter of finalSteps (the record says both)
    int finalSteps = 0;
    double guidance = 0;
    double shift = 0;
    std::string sampler;
    std::string modelName;
    std::string modelHash;
    std::string device;
    int frames = 0;
    double fps = 0;
    nlohmann::json sources = nlohmann::json::array(); // what it was made from
};
nlohmann::json makeRecord(const RecordInfo& info);

// The sampling settings an operation was asked for; unset ones take the pack's defaults.
struct SamplingChoice {
    std::uint64_t seed = 0;
    std::optional<int> steps;
    std::optional<double> guidance;
    std::optional<double> shift;
    std::string sampler; // empty: the pack's
    // A draft: a quarter of the steps (at least 1), to see a rough version at once; the
    // record keeps the full count (final_steps), so promoting it redoes it at full quality.
    bool draft = false;
};
int draftSteps(int finalSteps);
inline constexpr int kMaxSteps = 1000;
inline constexpr double kMaxGuidance = 50;
inline constexpr double kMaxShift = 100;
// Fills the sampling fields of a request and of its record (and the record's model),
// with every limit checked here for the CLI and the studio alike: steps 1 to kMaxSteps,
// guidance 0 to kMaxGuidance, shift above 0 and at most kMaxShift, a known sampler.
// The pack's own defaults are checked too (NaN fails).
Result<void> applySampling(const SamplingChoice& choice, const ModelInfo& model, GenerationRequest& request,
                           RecordInfo& record);
// A seed for an operation asked for none: uniform in [0, 1e9), short enough to type.
std::uint64_t randomSeed();

// A record as one line of JSON text. Bytes that are not UTF-8 (a file name from an old
// Latin-1 disk, say) become U+FFFD instead of throwing: a clip is never lost to its record.
inline std::string recordText(const nlohmann::json& record)
{
    return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace kinora::pipeline
