// The generation record a clip carries, read back for a redo or a re-roll
// (core/pipeline/operation.cpp): JSON from the MP4's comment tag, which anyone can edit.
// What it reads is then planned against a model like the built-in one, with sources of the
// right count, so every limit of the recipe is reached.
#include "fuzz_util.h"
#include "media/provenance.h"
#include "pipeline/operation.h"

namespace {

kinora::pipeline::ModelInfo model()
{
    kinora::pipeline::ModelInfo m;
    m.name = "fuzz";
    m.frameSize = 16;
    m.fps = 8;
    m.windowFrames = 17;
    m.defaultSteps = 20;
    m.defaultGuidance = 5;
    m.defaultShift = 2;
    m.defaultSampler = "euler";
    return m;
}

kinora::Video clip(int frames)
{
    kinora::Video v;
    v.fps = 8;
    for (int i = 0; i < frames; ++i)
        v.frames.emplace_back(16, 16);
    return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    const auto record = nlohmann::json::parse(data, data + size, nullptr, false);
    if (record.is_discarded())
        return 0;
    (void)pipeline::sourceEntry("clip.mp4", record);
    // What the XMP will claim for it (media/provenance.h): any shape, any depth, no throw.
    const auto provenance = media::provenanceFromRecord(std::string(reinterpret_cast<const char*>(data), size));
    fuzz::require(provenance.kind == media::sourceKindOf(record), "the record's text and its JSON agree");
    auto operation = pipeline::operationFromRecord(record);
    if (!operation)
        return 0;
    fuzz::require(pipeline::parseOperation(pipeline::operationName(operation->kind)) == operation->kind,
                  "operation names round-trip");
    for (int i = 0; i < pipeline::operationSources(operation->kind); ++i)
        operation->sources.push_back({clip(9 + 4 * i), pipeline::sourceEntry("source.mp4", record)});
    auto plan = pipeline::planOperation(*operation, model());
    if (!plan)
        return 0;
    fuzz::require(plan->request.frames > 0 && plan->request.frames <= 8 * 600, "a plan makes a bounded clip");
    fuzz::require(plan->keepCount >= 0 && plan->keepFrom >= 0, "a plan keeps frames from inside what is made");
    (void)pipeline::recordText(pipeline::makeRecord(plan->record));
    return 0;
}
