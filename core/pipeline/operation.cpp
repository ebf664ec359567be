#include "pipeline/operation.h"

#include "media/provenance.h"

#include "prompt/prompt.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kinora::pipeline {

namespace {

Error invalid(const std::string& message) { return makeError(ErrorCode::InvalidArgument, message); }

} // namespace

const char* operationName(OperationKind kind)
{
    switch (kind) {
    case OperationKind::Generate: return "generate";
    case OperationKind::Extend: return "extend";
    case OperationKind::ExtendBackward: return "extend-backward";
    case OperationKind::Bridge: return "bridge";
    case OperationKind::Fill: return "fill";
    }
    return "generate";
}

std::optional<OperationKind> parseOperation(const std::string& name)
{
    for (auto kind : {OperationKind::Generate, OperationKind::Extend, OperationKind::ExtendBackward,
                      OperationKind::Bridge, OperationKind::Fill})
        if (name == operationName(kind))
            return kind;
    return std::nullopt;
}

int operationSources(OperationKind kind)
{
    switch (kind) {
    case OperationKind::Generate: return 0;
    case OperationKind::Bridge: return 2;
    default: return 1;
    }
}

bool operationNeedsPrompt(OperationKind kind) { return kind == OperationKind::Generate; }

nlohmann::json sourceEntry(const std::string& fileName, const nlohmann::json& record)
{
    nlohmann::json entry{{"file", fileName}};
    // What made its pixels, so the new clip's provenance can say composite when it grew
    // from footage (media/provenance.h).
    const auto kind = media::sourceKindOf(record);
    entry["ai_generated"] = media::madeByModel(kind);
    if (kind == media::SourceKind::CompositeWithTrainedAlgorithmic)
        entry["composite"] = true;
    if (record.is_object()) {
        entry["seed"] = record.value("seed", nlohmann::json());
        const auto prompt = record.find("prompt");
        entry["prompt"] = prompt != record.end() && prompt->is_string() ? prompt->get<std::string>() : std::string();
    }
    return entry;
}

void setSourceRange(nlohmann::json& entry, int first, int count, int total)
{
    if (count < 0)
        count = total - first;
    if (first <= 0 && count >= total)
        return;
    entry["first_frame"] = first;
    entry["frame_count"] = count;
}

Result<Video> sourceRangeOf(Video video, const nlohmann::json& entry, const std::string& file)
{
    if (!entry.is_object() || (!entry.contains("first_frame") && !entry.contains("frame_count")))
        return video;
    const auto first = entry.find("first_frame"), count = entry.find("frame_count");
    const std::int64_t total = std::int64_t(video.frames.size());
    if (first == entry.end() || count == entry.end() || !first->is_number_integer() || !count->is_number_integer() ||
        first->get<std::int64_t>() < 0 || count->get<std::int64_t>() <= 0 ||
        first->get<std::int64_t>() > total - count->get<std::int64_t>())
        return makeError(ErrorCode::Format, "the record's frame range (first_frame, frame_count) is not within " +
                                                file + ", which has " + std::to_string(total) + " frames");
    const auto a = first->get<std::int64_t>(), n = count->get<std::int64_t>();
    video.frames = std::vector<Frame>(video.frames.begin() + a, video.frames.begin() + a + n);
    return video;
}

Result<Video> fitToModel(Video video, const ModelInfo& model)
{
    if (video.frames.empty())
        return makeError(ErrorCode::Format, "the clip has no video frames");
    if (video.width() != model.frameSize || video.height() != model.frameSize)
        return invalid("this clip's frames are " + std::to_string(video.width()) + "x" +
                       std::to_string(video.height()) + " but the model pack makes " +
                       std::to_string(model.frameSize) + "x" + std::to_string(model.frameSize));
    return resampleFps(video, model.fps);
}

Result<OperationPlan> planOperation(const Operation& op, const ModelInfo& model)
{
    const int needed = operationSources(op.kind);
    if (int(op.sources.size()) != needed)
        return invalid(std::string(operationName(op.kind)) + " needs " + std::to_string(needed) + " source clip" +
                       (needed == 1 ? "" : "s") + ", not " + std::to_string(op.sources.size()));
    for (const auto& s : op.sources)
        if (s.video.frames.empty() || s.video.width() != model.frameSize || s.video.height() != model.frameSize)
            return invalid("a source clip is not at the model pack's frame size (fitToModel)");
    const bool makesFrames = op.kind != OperationKind::Fill;
    if (makesFrames && (op.newFrames < 1 || op.newFrames > int(std::lround(kMaxSeconds * model.fps))))
        return invalid("the frames to make must be between 1 and " + std::to_string(int(kMaxSeconds)) + " seconds' worth");

    OperationPlan plan;
    auto& request = plan.request;
    auto& record = plan.record;
    record.operation = operationName(op.kind);
    for (const auto& s : op.sources)
        record.sources.push_back(s.entry);

    // The prompt: one check for every operation; unprompted ones keep to their source's.
    plan.prompt = op.prompt;
    const auto typed = prompt::checkPrompt(op.prompt, operationNeedsPrompt(op.kind));
    if (!typed.ok())
        return invalid(typed.message);
    bool blank = typed.blank;
    if (blank && !op.sources.empty()) {
        const auto& entry = op.sources.front().entry;
        const auto it = entry.find("prompt");
        plan.prompt = it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
        const auto inherited = prompt::checkPrompt(plan.prompt, false);
        if (!inherited.ok())
            return invalid("the source clip's prompt: " + inherited.message);
        blank = inherited.blank;
    }
    if (auto ok = prompt::checkUtf8(op.negative, "the negative prompt"); !ok)
        return ok.error();

    const int context = std::max(1, model.windowFrames);
    switch (op.kind) {
    case OperationKind::Generate:
        request.frames = op.newFrames;
        plan.keepCount = op.newFrames;
        plan.redo["new_frames"] = op.newFrames;
        break;
    case OperationKind::Extend:
    case OperationKind::ExtendBackward: {
        const bool backward = op.kind == OperationKind::ExtendBackward;
        const Video& s = op.sources[0].video;
        const int n = int(s.frames.size()), ctx = std::min(n, context);
        const Video known = backward ? s.slice(0, ctx) : s.slice(n - ctx, ctx);
        request = extendRequest(known, op.newFrames, backward);
        if (backward)
            plan.tail = s.slice(ctx, n - ctx);
        else
            plan.head = s.slice(0, n - ctx);
        plan.keepCount = request.frames;
        plan.redo["new_frames"] = op.newFrames;
        break;
    }
    case OperationKind::Bridge: {
        const Video& first = op.sources[0].video;
        const Video& second = op.sources[1].video;
        const int na = int(first.frames.size()), nb = int(second.frames.size()), side = context / 2 + 1;
        const Video a = first.slice(na - std::min(na, side), std::min(na, side));
        const Video b = second.slice(0, std::min(nb, side));
        request = bridgeRequest(a, b, op.newFrames);
        plan.keepFrom = int(a.frames.size());
        plan.keepCount = op.newFrames;
        if (op.keepSources) {
            plan.head = first;
            plan.tail = second;
        }
        plan.redo["new_frames"] = op.newFrames;
        plan.redo["with_sources"] = op.keepSources;
        break;
    }
    case OperationKind::Fill: {
        auto r = fillRequest(op.sources[0].video, op.fillFirst, op.fillLast);
        if (!r)
            return r.error();
        request = std::move(r.value());
        plan.keepCount = request.frames;
        plan.redo["fill_first"] = op.fillFirst;
        plan.redo["fill_last"] = op.fillLast;
        break;
    }
    }

    // Sampling settings into the frame request, and the model into the record.
    if (auto ok = applySampling(op.sampling, model, request, record); !ok)
        return ok.error();
    if (!blank) {
        auto expansion = prompt::expandPrompt(plan.prompt, request.seed);
        if (!expansion)
            return expansion.error();
        request.caption = expansion->caption;
        plan.unknownWords = expansion->unknownWords;
        plan.notes = expansion->notes;
    }
    request.negativeCaption = prompt::negativeCaption(op.negative);
    record.prompt = plan.prompt;
    record.expandedPrompt = request.caption;
    record.negativePrompt = op.negative;
    record.negativeExpanded = request.negativeCaption;
    return plan;
}

Result<OperationResult> finishOperation(const OperationPlan& plan, const Video& generated, double fps)
{
    if (int(generated.frames.size()) < plan.keepFrom + plan.keepCount)
        return makeError(ErrorCode::Internal, "the engine made fewer frames than the operation asked for");
    OperationResult out;
    out.clip.fps = fps;
    out.clip.frames = plan.head.frames;
    out.clip.frames.insert(out.clip.frames.end(), generated.frames.begin() + plan.keepFrom,
                           generated.frames.begin() + plan.keepFrom + plan.keepCount);
    out.clip.frames.insert(out.clip.frames.end(), plan.tail.frames.begin(), plan.tail.frames.end());
    auto info = plan.record;
    info.frames = int(out.clip.frames.size());
    info.fps = fps;
    out.record = makeRecord(info);
    for (const auto& [key, value] : plan.redo.items())
        out.record[key] = value;
    return out;
}

Result<Operation> operationFromRecord(const nlohmann::json& record)
{
    if (!record.is_object())
        return makeError(ErrorCode::Format, "the generation record is not a JSON object");
    // Fields of the wrong type read as absent (json::value would throw on them).
    auto text = [&](const char* key) {
        const auto it = record.find(key);
        return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const auto name = text("operation");
    const auto kind = parseOperation(name);
    if (!kind)
        return makeError(ErrorCode::Format, name.empty() ? "the record names no operation"
                                                         : "the record's operation '" + name + "' cannot be redone");
    auto number = [&](const char* key) -> std::optional<double> {
        const auto it = record.find(key);
        if (it == record.end() || !it->is_number())
            return std::nullopt;
        return it->get<double>();
    };
    // Counts must be whole numbers an int holds: an edited record may say 1e30 or 2.5.
    std::string badCount;
    auto count = [&](const char* key) -> std::optional<int> {
        const auto v = number(key);
        if (!v)
            return std::nullopt;
        if (!(*v >= std::numeric_limits<int>::min() && *v <= std::numeric_limits<int>::max()) || *v != std::floor(*v)) {
            if (badCount.empty())
                badCount = key;
            return std::nullopt;
        }
        return static_cast<int>(*v);
    };
    Operation op;
    op.kind = *kind;
    op.prompt = text("prompt");
    op.negative = text("negative_prompt");
    const auto seed = record.find("seed");
    if (seed == record.end() || !seed->is_number_unsigned())
        return makeError(ErrorCode::Format, "the record has no seed");
    op.sampling.seed = seed->get<std::uint64_t>();
    op.sampling.steps = count("steps");
    // A draft is redone as the draft it was: its final step count, quartered again.
    const auto draft = record.find("draft");
    if (draft != record.end() && draft->is_boolean() && draft->get<bool>()) {
        op.sampling.draft = true;
        op.sampling.steps = count("final_steps");
    }
    if (!badCount.empty())
        return makeError(ErrorCode::Format, "the record's " + badCount + " is not a whole number");
    op.sampling.guidance = number("guidance");
    op.sampling.shift = number("shift");
    op.sampling.sampler = text("sampler");
    if (op.kind == OperationKind::Fill) {
        const auto first = count("fill_first"), last = count("fill_last");
        if (!badCount.empty())
            return makeError(ErrorCode::Format, "the record's " + badCount + " is not a whole number of frames");
        if (!first || !last)
            return makeError(ErrorCode::Format, "the record does not say which frames were made anew (fill_first, fill_last)");
        op.fillFirst = *first;
        op.fillLast = *last;
    } else {
        auto frames = count("new_frames");
        if (!frames && badCount.empty() && op.kind == OperationKind::Generate)
            frames = count("frames");
        if (!badCount.empty())
            return makeError(ErrorCode::Format, "the record's " + badCount + " is not a whole number of frames");
        if (!frames)
            return makeError(ErrorCode::Format, "the record does not say how many frames were made (new_frames); "
                                                "it was written by an older Kinora");
        op.newFrames = *frames;
    }
    const auto withSources = record.find("with_sources");
    op.keepSources = withSources != record.end() && withSources->is_boolean() && withSources->get<bool>();
    return op;
}

} // namespace kinora::pipeline
