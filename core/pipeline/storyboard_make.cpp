#include "pipeline/storyboard_make.h"

#include "pipeline/clip_ops.h"

namespace kinora::pipeline {

Result<std::vector<int>> shotFrameCounts(const Storyboard& board, double fps)
{
    std::vector<int> counts;
    for (size_t i = 0; i < board.shots.size(); ++i) {
        auto frames = framesForSeconds(board.shots[i].seconds, fps);
        if (!frames)
            return makeError(frames.error().code, "shot " + std::to_string(i + 1) + ": " + frames.error().message);
        counts.push_back(frames.value());
    }
    return counts;
}

Result<StoryboardFilm> makeStoryboard(Engine& engine, Storyboard board, const StoryboardRun& run)
{
    const auto& info = engine.info();
    auto counts = shotFrameCounts(board, info.fps);
    if (!counts)
        return counts.error();
    const std::uint64_t seed = board.seed ? *board.seed : run.sampling.seed;
    board.seed = seed;
    StoryboardFilm out;
    out.film.fps = info.fps;
    Video previous;
    nlohmann::json shotRecords = nlohmann::json::array();
    for (size_t i = 0; i < board.shots.size(); ++i) {
        const auto& shot = board.shots[i];
        Operation op;
        op.prompt = shot.prompt;
        op.negative = run.negative;
        op.sampling = run.sampling;
        op.sampling.seed = shot.seed ? *shot.seed : seed + i;
        op.newFrames = counts.value()[i];
        if (shot.join == ShotJoin::Continue) {
            op.kind = OperationKind::Extend;
            op.sources.push_back({previous, sourceEntry("shot " + std::to_string(i), shotRecords.back())});
        }
        auto plan = planOperation(op, info);
        if (!plan)
            return makeError(plan.error().code, "shot " + std::to_string(i + 1) + ": " + plan.error().message);
        auto request = plan->request;
        request.observer = run.observe ? run.observe(static_cast<int>(i), plan.value()) : nullptr;
        request.cancel = run.cancel;
        auto video = engine.generate(request);
        if (!video)
            return video.error();
        auto made = finishOperation(plan.value(), video.value(), info.fps);
        if (!made)
            return made.error();
        // The shot's own frames: an extension's clip is the previous shot and then the new ones.
        const size_t own = std::min(size_t(counts.value()[i]), made->clip.frames.size());
        previous = Video{};
        previous.fps = made->clip.fps;
        previous.frames.assign(made->clip.frames.end() - std::ptrdiff_t(own), made->clip.frames.end());
        out.shotStarts.push_back(static_cast<int>(out.film.frames.size()));
        out.film.frames.insert(out.film.frames.end(), previous.frames.begin(), previous.frames.end());
        made->record["join"] = shotJoinName(shot.join);
        shotRecords.push_back(made->record);
    }
    out.record = {{"kinora_version", KINORA_VERSION},
                  {"ai_generated", true},
                  {"operation", "storyboard"},
                  {"seed", seed},
                  {"board", storyboardJson(board)},
                  {"shots", shotRecords},
                  {"frames", out.film.frames.size()},
                  {"fps", out.film.fps}};
    return out;
}

} // namespace kinora::pipeline
