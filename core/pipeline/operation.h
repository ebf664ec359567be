#pragma once

// One recipe per user operation (generate, extend forwards or backwards, bridge, fill),
// shared by kinora-cli and the studio's job worker: from the sources, the prompt and the
// sampling choice to the engine request, and from the engine's frames to the clip and its
// generation record. Every check and limit of an operation lives here, so the CLI, the
// studio and a redo from a record make the same frames. No torch here.

#include "media/video.h"
#include "pipeline/clip_ops.h"
#include "pipeline/engine.h"
#include "pipeline/request.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kinora::pipeline {

enum class OperationKind { Generate, Extend, ExtendBackward, Bridge, Fill };

// The record's name for it: generate, extend, extend-backward, bridge, fill.
const char* operationName(OperationKind kind);
std::optional<OperationKind> parseOperation(const std::string& name);
// How many source clips it takes: 0, 1, 1, 2, 1.
int operationSources(OperationKind kind);
// Whether it needs a prompt; the others, unprompted, keep to the first source's prompt.
bool operationNeedsPrompt(OperationKind kind);

// A source clip: its frames and what its record says ({"file", "seed", "prompt"}).
struct OperationSource {
    Video video;
    nlohmann::json entry = nlohmann::json::object();
};
// The record entry for a source: its file name, whether the model made it ("ai_generated",
// and "composite" when it mixes footage and model-made frames: media::sourceKindOf of its
// record; no record means footage), and the seed and prompt of its own record when it has
// one (an object; anything else is ignored).
nlohmann::json sourceEntry(const std::string& fileName, const nlohmann::json& record);
// A source that was part of its file (the studio's trimmed clip: frames first .. first +
// count - 1 of a take of `total` frames) says so in its entry ("first_frame",
// "frame_count"), so a redo reads the same frames; a whole file adds nothing.
void setSourceRange(nlohmann::json& entry, int first, int count, int total);
// The part of a source file's frames its record entry names (all of them when it names
// none). Errors: Format for a range the file does not hold, naming `file`.
Result<Video> sourceRangeOf(Video video, const nlohmann::json& entry, const std::string& file);
// A decoded clip at the pack's frame size and rate: frames of another size are refused
// (callers decode at the pack's size), the rate is resampled to the pack's.
Result<Video> fitToModel(Video video, const ModelInfo& model);

struct Operation {
    OperationKind kind = OperationKind::Generate;
    std::vector<OperationSource> sources; // fitted to the model (fitToModel)
    int newFrames = 0;                    // generate, extend, bridge: frames to make
    int fillFirst = 0;                    // fill: source frames to make anew (inclusive)
    int fillLast = 0;
    std::string prompt;   // as typed; blank: the first source's prompt where allowed
    std::string negative; // as typed
    SamplingChoice sampling;
    // Bridge: the clip made holds both source clips whole around the new frames
    // (kinora-cli fill --to writes A + bridge + B) instead of the new frames alone (a take).
    bool keepSources = false;
};

struct OperationPlan {
    GenerationRequest request; // no observer or cancel flag: the caller's
    RecordInfo record;         // frames and fps are set by finishOperation
    std::string prompt;        // the prompt used (the source's when none was typed)
    std::vector<std::string> unknownWords; // from the prompt expander
    std::vector<std::string> notes;
    // The clip made: head, then generated frames [keepFrom, keepFrom + keepCount), then tail.
    Video head;
    Video tail;
    int keepFrom = 0;
    int keepCount = 0;
    nlohmann::json redo = nlohmann::json::object(); // record fields a redo needs (new_frames, fill range)
};

// Context of extend and bridge: at most one window of known frames next to the new ones
// (half a window and one frame from each clip of a bridge); the rest of the source is
// copied around the result unchanged, so a long clip costs no more than a short one.
// A fill regenerates within the whole clip.
Result<OperationPlan> planOperation(const Operation& operation, const ModelInfo& model);

// The clip and its record from what the engine made for plan.request.
struct OperationResult {
    Video clip;
    nlohmann::json record;
};
Result<OperationResult> finishOperation(const OperationPlan& plan, const Video& generated, double fps);

// What a record describes, as an operation to run again (kinora-cli redo, the studio's
// re-roll): kind, new frames, fill range, prompt, negative prompt and sampling settings.
// The sources are the caller's to find and fit.
Result<Operation> operationFromRecord(const nlohmann::json& record);

} // namespace kinora::pipeline
