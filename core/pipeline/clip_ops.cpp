#include "pipeline/clip_ops.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <random>

namespace kinora::pipeline {

Result<int> framesForSeconds(double seconds, double fps)
{
    if (!std::isfinite(seconds) || seconds <= 0)
        return makeError(ErrorCode::InvalidArgument, "duration must be a positive number of seconds");
    if (seconds > kMaxSeconds)
        return makeError(ErrorCode::InvalidArgument, "duration is limited to " +
                                                         std::to_string(static_cast<int>(kMaxSeconds)) + " seconds");
    const int frames = static_cast<int>(std::lround(seconds * fps));
    if (frames < 1)
        return makeError(ErrorCode::InvalidArgument, "duration is shorter than one frame");
    return frames;
}

Video resampleFps(const Video& video, double fps)
{
    if (video.frames.empty() || std::abs(video.fps - fps) < 1e-6)
        return video;
    Video out;
    out.fps = fps;
    const int count = std::max(1, static_cast<int>(std::lround(video.frames.size() * fps / video.fps)));
    for (int i = 0; i < count; ++i) {
        const auto src = std::min<size_t>(video.frames.size() - 1,
                                          static_cast<size_t>(std::floor(i * video.fps / fps + 1e-9)));
        out.frames.push_back(video.frames[src]);
    }
    return out;
}

GenerationRequest extendRequest(const Video& source, int newFrames, bool backward)
{
    GenerationRequest r;
    const int n = static_cast<int>(source.frames.size());
    r.frames = n + newFrames;
    r.known.assign(r.frames, false);
    r.knownFrames.assign(r.frames, Frame());
    for (int i = 0; i < n; ++i) {
        const int at = backward ? newFrames + i : i;
        r.known[at] = true;
        r.knownFrames[at] = source.frames[i];
    }
    return r;
}

GenerationRequest bridgeRequest(const Video& a, const Video& b, int gapFrames)
{
    GenerationRequest r;
    const int na = static_cast<int>(a.frames.size()), nb = static_cast<int>(b.frames.size());
    r.frames = na + gapFrames + nb;
    r.known.assign(r.frames, false);
    r.knownFrames.assign(r.frames, Frame());
    for (int i = 0; i < na; ++i) {
        r.known[i] = true;
        r.knownFrames[i] = a.frames[i];
    }
    for (int i = 0; i < nb; ++i) {
        r.known[na + gapFrames + i] = true;
        r.knownFrames[na + gapFrames + i] = b.frames[i];
    }
    return r;
}

Result<GenerationRequest> fillRequest(const Video& source, int first, int last)
{
    const int n = static_cast<int>(source.frames.size());
    if (first < 0 || last < first || last >= n)
        return makeError(ErrorCode::InvalidArgument, "frame range " + std::to_string(first) + "-" +
                                                         std::to_string(last) + " is outside the clip's frames 0-" +
                                                         std::to_string(n - 1));
    GenerationRequest r;
    r.frames = n;
    r.known.assign(n, true);
    r.knownFrames = source.frames;
    for (int i = first; i <= last; ++i)
        r.known[i] = false;
    return r;
}

Result<std::pair<int, int>> parseFrameRange(const std::string& text)
{
    const auto dash = text.find('-');
    try {
        if (dash == std::string::npos || dash == 0)
            throw std::invalid_argument("no dash");
        size_t used = 0;
        const int a = std::stoi(text.substr(0, dash), &used);
        if (used != dash)
            throw std::invalid_argument("junk");
        const auto rest = text.substr(dash + 1);
        const int b = std::stoi(rest, &used);
        if (used != rest.size())
            throw std::invalid_argument("junk");
        return std::make_pair(a, b);
    } catch (const std::exception&) {
        return makeError(ErrorCode::InvalidArgument, "frame range '" + text + "' is not of the form A-B (e.g. 4-9)");
    }
}

nlohmann::json makeRecord(const RecordInfo& info)
{
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char created[32];
    std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    nlohmann::json record{
        {"kinora_version", KINORA_VERSION},
        {"ai_generated", true},
        {"operation", info.operation},
        {"prompt", info.prompt},
        {"expanded_prompt", info.expandedPrompt},
        {"negative_prompt", info.negativePrompt},
        {"expanded_negative_prompt", info.negativeExpanded},
        {"seed", info.seed},
        {"steps", info.steps},
        {"guidance", info.guidance},
        {"shift", info.shift},
        {"sampler", info.sampler},
        {"model", {{"name", info.modelName}, {"hash", info.modelHash}}},
        {"device", info.device},
        {"frames", info.frames},
        {"fps", info.fps},
        {"sources", info.sources},
        {"created", created},
    };
    if (info.draft) {
        record["draft"] = true;
        record["final_steps"] = info.finalSteps;
    }
    return record;
}

int draftSteps(int finalSteps) { return std::max(1, (finalSteps + 3) / 4); }

Result<void> applySampling(const SamplingChoice& choice, const ModelInfo& model, GenerationRequest& request,
                           RecordInfo& record)
{
    request.seed = choice.seed;
    request.steps = choice.steps.value_or(model.defaultSteps);
    request.guidance = choice.guidance.value_or(model.defaultGuidance);
    request.shift = choice.shift.value_or(model.defaultShift);
    if (request.steps < 1 || request.steps > kMaxSteps)
        return makeError(ErrorCode::InvalidArgument, "steps must be between 1 and " + std::to_string(kMaxSteps));
    if (!(request.guidance >= 0 && request.guidance <= kMaxGuidance))
        return makeError(ErrorCode::InvalidArgument, "guidance must be between 0 and 50");
    if (!(request.shift > 0 && request.shift <= kMaxShift))
        return makeError(ErrorCode::InvalidArgument, "shift must be above 0 and at most 100");
    const std::string samplerName = choice.sampler.empty() ? model.defaultSampler : choice.sampler;
    sampling::SamplerKind kind;
    if (!sampling::parseSampler(samplerName, &kind))
        return makeError(ErrorCode::InvalidArgument, "unknown sampler '" + samplerName + "' (euler, heun)");
    request.sampler = kind;
    record.seed = request.seed;
    if (choice.draft) {
        record.draft = true;
        record.finalSteps = request.steps;
        request.steps = draftSteps(request.steps);
    }
    record.steps = request.steps;
    record.guidance = request.guidance;
    record.shift = request.shift;
    record.sampler = samplerName;
    record.modelName = model.name;
    record.modelHash = model.weightHash;
    record.device = model.device;
    return success();
}

std::uint64_t randomSeed()
{
    std::random_device rd;
    return ((static_cast<std::uint64_t>(rd()) << 20) ^ rd()) % 1000000000ull;
}

} // namespace kinora::pipeline
