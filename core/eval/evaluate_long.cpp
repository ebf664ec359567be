// kinora-cli eval --long: minute-long clips of held-out scenes whose motion can go on, and
// storyboards of several shots, judged by long_clip.h and clip_analysis.h.

#include "eval/evaluate.h"
#include "eval/long_clip.h"
#include "pipeline/clip_ops.h"
#include "pipeline/storyboard_make.h"
#include "pipeline/windows.h"
#include "world/world.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace kinora::eval {

using nlohmann::json;

namespace {

// Bars of the long-clip issue.
constexpr double kSeamMeanBar = 1.5, kSeamMaxBar = 2.5, kAreaBar = 0.2, kColourBar = 5.0, kPresenceBar = 0.95,
                 kMotionBar = 0.8, kShotBar = 0.9;

// Motions that can go on for a minute (grow and shrink double or halve once and stop).
constexpr world::Motion kLasting[] = {world::Motion::Bounce, world::Motion::Orbit, world::Motion::Spin,
                                      world::Motion::Still};

// Where each later window's new frames and each autoencoder group start, for a clip of
// `frames` made from nothing.
JoinFrames joinsOf(int frames, const pipeline::ModelInfo& info)
{
    JoinFrames j;
    const std::vector<bool> none(static_cast<size_t>(frames), false);
    std::vector<bool> covered(static_cast<size_t>(frames), false);
    const auto work = pipeline::windowsToSample(none, info.windowFrames, info.overlapFrames, info.temporalGroup);
    for (size_t wi = 0; wi < work.size(); ++wi) {
        const auto& w = work[wi];
        bool first = true;
        for (int i = 0; i < w.frames; ++i) {
            const int f = w.start + i;
            if (f < 0 || f >= frames || covered[f])
                continue;
            covered[f] = true;
            if (first && wi > 0)
                j.windowStarts.push_back(f);
            else if (i >= 1 && (i - 1) % info.temporalGroup == 0 && f > 0)
                j.groupStarts.push_back(f); // the first frame of latent frame (i - 1) / group + 1
            first = false;
        }
    }
    return j;
}

// The held-out single-object scene from `seed` on whose motion is `motion`.
world::Scene sceneWith(world::Motion motion, std::uint64_t& seed)
{
    for (;; ++seed) {
        auto scene = world::sampleScene(seed);
        if (scene.objects.size() == 1 && scene.objects[0].motion == motion)
            return scene;
    }
}

double finiteOr(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

} // namespace

Result<json> evaluateLong(pipeline::Engine& engine, const LongEvalOptions& o, const EvalProgress& onProgress)
{
    const auto& info = engine.info();
    if (info.frameSize != world::kFrameSize)
        return makeError(ErrorCode::Unsupported, "evaluation needs a pack made for the shapes world (128 x 128)");
    auto frames = pipeline::framesForSeconds(o.seconds, info.fps);
    if (!frames)
        return frames.error();
    const auto started = std::chrono::steady_clock::now();
    std::uint64_t seed = world::kHeldOutSeedBase + 500'000 + o.firstSeed; // apart from eval's own scenes

    json clips = json::array();
    double seamSum = 0, seamMax = 0, groupSum = 0, groupMax = 0, areaWorst = 0, colourWorst = 0, bgWorst = 0;
    double presenceWorst = 1, motionWorst = std::numeric_limits<double>::infinity(), generateSeconds = 0;
    const JoinFrames joins = joinsOf(frames.value(), info);
    for (int i = 0; i < o.clips; ++i) {
        const auto scene = sceneWith(kLasting[i % std::size(kLasting)], seed);
        ++seed;
        pipeline::GenerationRequest r;
        r.caption = world::canonicalCaption(scene);
        r.seed = 7000 + static_cast<std::uint64_t>(i);
        r.frames = frames.value();
        r.steps = o.steps;
        r.guidance = o.guidance;
        r.cancel = o.cancel;
        const auto t0 = std::chrono::steady_clock::now();
        auto clip = engine.generate(r);
        if (!clip)
            return clip.error();
        generateSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const auto m = measureLongClip(clip.value(), scene, joins);
        std::vector<double> presence(m.presence.begin(), m.presence.end());
        clips.push_back({{"caption", r.caption},
                         {"seed", r.seed},
                         {"frames", r.frames},
                         {"seam_ratio_mean", m.windows.mean},
                         {"seam_ratio_max", m.windows.max},
                         {"group_seam_ratio_mean", m.groups.mean},
                         {"group_seam_ratio_max", m.groups.max},
                         {"median_frame_change", m.medianChange},
                         {"area_first", m.areaFirst},
                         {"area_last", m.areaLast},
                         {"area_change", m.areaChange},
                         {"colour_delta_e", finiteOr(m.colourDeltaE, -1)},
                         {"background_delta_e", m.backgroundDeltaE},
                         {"presence_by_tenth", presence},
                         {"motion_end_over_start", m.motionEndOverStart}});
        seamSum += m.windows.mean;
        seamMax = std::max(seamMax, m.windows.max);
        groupSum += m.groups.mean;
        groupMax = std::max(groupMax, m.groups.max);
        areaWorst = std::max(areaWorst, m.areaChange);
        colourWorst = std::max(colourWorst, finiteOr(m.colourDeltaE, 1e9));
        bgWorst = std::max(bgWorst, m.backgroundDeltaE);
        presenceWorst = std::min(presenceWorst, m.minPresence);
        motionWorst = std::min(motionWorst, m.motionEndOverStart);
        if (onProgress)
            onProgress("long clips", i + 1, o.clips);
    }
    const int n = std::max(1, o.clips);
    json longReport = {{"clips", o.clips},
                       {"seconds", o.seconds},
                       {"windows_per_clip", joins.windowStarts.size() + 1},
                       {"generate_seconds_mean", generateSeconds / n},
                       {"seam_ratio_mean", seamSum / n},
                       {"seam_ratio_max", seamMax},
                       {"group_seam_ratio_mean", groupSum / n},
                       {"group_seam_ratio_max", groupMax},
                       {"area_change_worst", areaWorst},
                       {"colour_delta_e_worst", colourWorst},
                       {"background_delta_e_worst", bgWorst},
                       {"presence_worst_tenth", presenceWorst},
                       {"motion_end_over_start_worst", o.clips ? motionWorst : 0.0},
                       {"per_clip", clips}};
    longReport["bars"] = {{"seams", seamSum / n <= kSeamMeanBar && seamMax <= kSeamMaxBar},
                          {"group_seams", groupSum / n <= kSeamMeanBar && groupMax <= kSeamMaxBar},
                          {"area", areaWorst <= kAreaBar},
                          {"colour", colourWorst <= kColourBar},
                          {"presence", presenceWorst >= kPresenceBar},
                          {"motion", o.clips && motionWorst >= kMotionBar}};

    // Storyboards: a scene, the same object continuing with another motion, a cut to a new
    // scene, and that one continuing too. Each shot is judged on its first second.
    json boards = json::array();
    int shotsRight = 0, shotsJudged = 0, continueJoins = 0, keptColour = 0;
    double joinSum = 0, joinMax = 0;
    for (int b = 0; b < o.storyboards; ++b) {
        std::vector<world::Scene> scenes;
        for (int part = 0; part < 2; ++part) {
            auto first = sceneWith(kLasting[(b + part) % std::size(kLasting)], seed);
            ++seed;
            auto next = first;
            next.objects[0].motion = kLasting[(b + part + 1) % std::size(kLasting)];
            if (next.objects[0].motion == world::Motion::Spin && next.objects[0].shape == world::Shape::Circle)
                next.objects[0].motion = world::Motion::Bounce; // spin is never asked of a circle
            scenes.push_back(first);
            scenes.push_back(next);
        }
        pipeline::Storyboard board;
        board.seed = 9000 + 10 * static_cast<std::uint64_t>(b);
        for (size_t s = 0; s < scenes.size(); ++s)
            board.shots.push_back({world::canonicalCaption(scenes[s]), o.shotSeconds,
                                   s % 2 == 0 ? pipeline::ShotJoin::Cut : pipeline::ShotJoin::Continue, std::nullopt});
        pipeline::StoryboardRun run;
        if (o.steps > 0)
            run.sampling.steps = o.steps;
        if (o.guidance >= 0)
            run.sampling.guidance = o.guidance;
        run.cancel = o.cancel;
        auto made = pipeline::makeStoryboard(engine, board, run);
        if (!made)
            return made.error();
        const Video& film = made->film;
        const int second = std::max(1, static_cast<int>(std::lround(info.fps)));
        json shots = json::array();
        for (size_t s = 0; s < scenes.size(); ++s) {
            const int start = made->shotStarts[s];
            const auto verdict = analyseClip(film.slice(start, second), scenes[s]);
            const bool right = verdict.colourOk && verdict.backgroundOk;
            shotsRight += right ? 1 : 0;
            ++shotsJudged;
            json shot = {{"prompt", board.shots[s].prompt},
                         {"join", pipeline::shotJoinName(board.shots[s].join)},
                         {"first_frame", start},
                         {"colour_ok", verdict.colourOk},
                         {"background_ok", verdict.backgroundOk}};
            if (board.shots[s].join == pipeline::ShotJoin::Continue) {
                const double ratio = seamRatio(film, {start}).mean;
                joinSum += ratio;
                joinMax = std::max(joinMax, ratio);
                ++continueJoins;
                // The object's colour in the second before the join and the second after it.
                const auto before = analyseClip(film.slice(start - second, second), scenes[s - 1]);
                const auto after = measureLongClip(film.slice(start - second, 2 * second), scenes[s], {});
                const bool kept = before.colourOk && verdict.colourOk &&
                                  finiteOr(after.colourDeltaE, 1e9) <= kColourBar;
                keptColour += kept ? 1 : 0;
                shot["join_seam_ratio"] = ratio;
                shot["colour_delta_e_across_join"] = finiteOr(after.colourDeltaE, -1);
                shot["colour_kept"] = kept;
            }
            shots.push_back(shot);
        }
        boards.push_back({{"seed", *board.seed}, {"shots", shots}});
        if (onProgress)
            onProgress("storyboards", b + 1, o.storyboards);
    }
    const double joinMean = continueJoins ? joinSum / continueJoins : 0.0;
    json boardReport = {{"storyboards", o.storyboards},
                        {"shot_seconds", o.shotSeconds},
                        {"shots_right", shotsJudged ? double(shotsRight) / shotsJudged : 0.0},
                        {"continue_join_seam_ratio_mean", joinMean},
                        {"continue_join_seam_ratio_max", joinMax},
                        {"colour_kept_across_joins", continueJoins ? double(keptColour) / continueJoins : 0.0},
                        {"per_board", boards}};
    boardReport["bars"] = {{"shots", shotsJudged && double(shotsRight) / shotsJudged >= kShotBar},
                           {"joins", continueJoins && joinMean <= kSeamMeanBar && joinMax <= kSeamMaxBar},
                           {"colour_kept", continueJoins && keptColour == continueJoins}};
    return json{{"model", info.name},
                {"weights", info.weightHash},
                {"long_clips", longReport},
                {"storyboards", boardReport},
                {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}};
}

} // namespace kinora::eval
