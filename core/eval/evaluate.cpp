#include "eval/evaluate.h"

#include "eval/clip_analysis.h"
#include "media/video_reader.h"
#include "pipeline/clip_ops.h"
#include "prompt/prompt.h"
#include "world/world.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>

namespace kinora::eval {

using nlohmann::json;

namespace {

constexpr int kClipFrames = 16; // a 2-second clip
// caption_use's scenes: held out, and apart from the other checks' scenes.
constexpr std::uint64_t kCaptionUseSeedOffset = 500000;

struct Tally {
    int n = 0, background = 0, colour = 0, motion = 0, present = 0, shape = 0, all = 0;
    double flicker = 0;
    json failures = json::array();
    // Per expected motion (each object counts): how often it was measured as what.
    std::map<std::string, std::map<std::string, int>> motionConfusion;
    struct Travel {
        int judged = 0, asked = 0, opposite = 0;
    };
    std::map<std::string, Travel> travelled; // one-way motions

    void add(const ClipVerdict& v, const world::Scene& scene, const std::string& caption)
    {
        ++n;
        background += v.backgroundOk;
        colour += v.colourOk;
        motion += v.motionOk;
        present += v.presentStable;
        shape += v.shapeOk;
        all += v.passed();
        flicker += v.backgroundFlicker;
        for (size_t k = 0; k < v.measuredMotions.size() && k < scene.objects.size(); ++k)
            ++motionConfusion[std::string(world::motionPhrase(scene.objects[k].motion))]
                             [std::string(world::motionPhrase(v.measuredMotions[k]))];
        for (size_t k = 0; k < v.travelled.size() && k < scene.objects.size(); ++k)
            if (v.travelled[k]) {
                auto& t = travelled[std::string(world::motionPhrase(scene.objects[k].motion))];
                ++t.judged;
                t.asked += *v.travelled[k] > 0;
                t.opposite += *v.travelled[k] < 0;
            }
        if (!v.passed() && failures.size() < 12)
            failures.push_back({ { "seed", scene.seed }, { "caption", caption },
                { "detected_background", v.detectedBackground }, { "detected_motion", v.detectedMotion },
                { "notes", v.notes } });
    }

    static double pct(int k, int n) { return n ? std::round(1000.0 * k / n) / 10.0 : 0.0; }

    json report() const
    {
        return { { "clips", n }, { "background_pct", pct(background, n) }, { "colour_pct", pct(colour, n) },
            { "motion_pct", pct(motion, n) }, { "present_stable_pct", pct(present, n) },
            { "shape_pct", pct(shape, n) }, { "all_pct", pct(all, n) },
            { "background_flicker_mean", n ? flicker / n : 0.0 }, { "motion_by_kind", motionByKind() },
            { "failures", failures } };
    }

    // {"moving left": {"objects": 9, "right_pct": 33.3, "measured": {"moving left": 3, ...}}, ...}
    json motionByKind() const
    {
        json out = json::object();
        for (const auto& [expected, measured] : motionConfusion) {
            int total = 0;
            for (const auto& [name, count] : measured)
                total += count;
            const auto right = measured.find(expected);
            out[expected] = { { "objects", total },
                { "right_pct", pct(right == measured.end() ? 0 : right->second, total) },
                { "measured", measured } };
            // One-way motions: the shares that at least ended up further that way, or the
            // opposite way (alike when the model does not know the direction).
            if (const auto t = travelled.find(expected); t != travelled.end()) {
                out[expected]["went_that_way_pct"] = pct(t->second.asked, t->second.judged);
                out[expected]["went_opposite_way_pct"] = pct(t->second.opposite, t->second.judged);
            }
        }
        return out;
    }
};

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double meanPsnr(const Video& a, const Video& b)
{
    double sum = 0;
    const size_t n = std::min(a.frames.size(), b.frames.size());
    for (size_t i = 0; i < n; ++i)
        sum += std::min(100.0, media::psnr(a.frames[i], b.frames[i]));
    return n ? sum / n : 0;
}

// The caption_use section (EvalOptions::captionUseScenes): per noise level, the one-step
// denoising error with the true caption and with its direction or colour word swapped.
// direction_vs_colour_pct: what swapping the direction costs, as a share of what
// swapping the colour costs (about 0 for a model that ignores the direction).
Result<json> captionUse(pipeline::Engine& engine, const EvalOptions& o)
{
    using world::Motion;
    const std::vector<double> levels { 0.3, 0.5, 0.7, 0.9 };
    // [0]: generated from nothing; [1]: the first latent frame (the first picture) known, so
    // where the object starts is given and the caption alone says where it goes.
    std::vector<std::array<double, 3>> sums[2];
    sums[0] = sums[1] = std::vector<std::array<double, 3>>(levels.size(), { 0.0, 0.0, 0.0 });
    int n = 0;
    for (std::uint64_t i = 0; n < o.captionUseScenes && i < 100u * o.captionUseScenes; ++i) {
        auto scene = world::sampleScene(world::kHeldOutSeedBase + kCaptionUseSeedOffset + o.firstSeed + i);
        if (scene.objects.size() != 1)
            continue;
        const Motion m = scene.objects[0].motion;
        const Motion swapped = m == Motion::Left ? Motion::Right
            : m == Motion::Right                 ? Motion::Left
            : m == Motion::Up                    ? Motion::Down
            : m == Motion::Down                  ? Motion::Up
                                                 : m;
        if (swapped == m)
            continue;
        auto otherDirection = scene, otherColour = scene;
        otherDirection.objects[0].motion = swapped;
        otherColour.objects[0].color
            = static_cast<world::Color>((static_cast<int>(scene.objects[0].color) + 1) % world::kColorCount);
        const auto clip = world::render(scene);
        for (int known = 0; known < 2; ++known) {
            auto errors = engine.denoisingErrors(clip,
                { world::canonicalCaption(scene), world::canonicalCaption(otherDirection),
                    world::canonicalCaption(otherColour) },
                levels, scene.seed, known);
            if (!errors)
                return errors.error();
            for (size_t l = 0; l < levels.size(); ++l)
                for (int k = 0; k < 3; ++k)
                    sums[known][l][k] += errors.value()[l][k];
        }
        ++n;
    }
    auto section = [&](const std::vector<std::array<double, 3>>& sum) {
        json out;
        const char* names[3] = { "error_true", "error_direction_swapped", "error_colour_swapped" };
        double costDirection = 0.0, costColour = 0.0;
        for (int k = 0; k < 3; ++k) {
            json column = json::array();
            for (size_t l = 0; l < levels.size(); ++l)
                column.push_back(n ? sum[l][k] / n : 0.0);
            out[names[k]] = column;
        }
        for (size_t l = 0; l < levels.size(); ++l) {
            costDirection += sum[l][1] - sum[l][0];
            costColour += sum[l][2] - sum[l][0];
        }
        out["direction_vs_colour_pct"]
            = costColour > 0 ? std::round(1000.0 * costDirection / costColour) / 10.0 : 0.0;
        return out;
    };
    json out = section(sums[0]);
    out["scenes"] = n;
    out["noise_levels"] = levels;
    out["first_frame_known"] = section(sums[1]);
    return out;
}

Video firstFrames(const Video& v, int n)
{
    Video out;
    out.fps = v.fps;
    out.frames.assign(v.frames.begin(), v.frames.begin() + std::min<size_t>(n, v.frames.size()));
    return out;
}

// Frame-to-frame change summed by the pair's position in the autoencoder's group of four
// (0: across a group start), as a ratio to the ground truth's at each position.
json changeRatioByPosition(const std::array<double, 4>& change, const std::array<double, 4>& truth)
{
    json r = json::array();
    for (int k = 0; k < 4; ++k)
        r.push_back(truth[k] > 0 ? std::round(100.0 * change[k] / truth[k]) / 100.0 : 0.0);
    return r;
}

// Change across group starts over the mean change inside groups: 1 for a steady motion,
// far above it for one that stands still and then jumps.
double groupEdgeRatio(const std::array<double, 4>& change)
{
    const double inside = (change[1] + change[2] + change[3]) / 3.0;
    return inside > 0 ? std::round(100.0 * change[0] / inside) / 100.0 : 0.0;
}

} // namespace

Result<json> evaluate(pipeline::Engine& engine, const EvalOptions& o, const EvalProgress& onProgress)
{
    if (engine.info().frameSize != world::kFrameSize)
        return makeError(
            ErrorCode::Unsupported, "evaluation needs a pack made for the shapes world (128 x 128)");
    const auto started = std::chrono::steady_clock::now();
    auto request = [&](const std::string& caption, std::uint64_t seed, int frames, const std::string& contrast = {}) {
        pipeline::GenerationRequest r;
        r.caption = caption;
        if (o.directionGuidance != 0.0 && !contrast.empty()) {
            r.contrastCaption = contrast;
            r.contrastGuidance = o.directionGuidance;
        }
        r.seed = seed;
        r.frames = frames;
        r.steps = o.steps;
        r.guidance = o.guidance;
        return r;
    };
    auto sceneFor = [&](int i) { return world::sampleScene(world::kHeldOutSeedBase + o.firstSeed + i); };

    // Paraphrases are judged twice: read by the model directly (does it understand other
    // wordings?) and through the prompt expander, as a user's prompt goes in the studio.
    Tally canonical, paraphrased, expanded;
    int expandedToCanonical = 0;
    // The stutter of generated clips: how much each frame changes from the one before, by
    // the pair's position in the autoencoder's group of four (0: across a group start),
    // against the ground-truth renders of the same scenes.
    std::array<double, 4> changeGen{}, changeGenTruth{};
    for (int i = 0; i < (o.generate ? o.scenes : 0); ++i) {
        const auto scene = sceneFor(i);
        const auto caption = world::canonicalCaption(scene);
        bool directional = false;
        const auto reversed = world::reversedDirections(scene, &directional);
        const std::string turned = directional ? world::canonicalCaption(reversed) : std::string();
        auto clip = engine.generate(request(caption, i, kClipFrames, turned));
        if (!clip)
            return clip.error();
        canonical.add(analyseClip(clip.value(), scene), scene, caption);
        {
            const auto truth = world::render(scene, kClipFrames);
            const auto& made = clip.value().frames;
            for (size_t f = 1; f < std::min(truth.frames.size(), made.size()); ++f) {
                changeGen[(f - 1) % 4] += media::meanChange(made[f - 1], made[f]);
                changeGenTruth[(f - 1) % 4] += media::meanChange(truth.frames[f - 1], truth.frames[f]);
            }
        }
        if (o.paraphrases) {
            const auto text = world::paraphraseCaption(scene, scene.seed);
            auto expansion = prompt::expandPrompt(text, scene.seed);
            if (!expansion)
                return expansion.error();
            const std::string turnedText = directional ? world::paraphraseCaption(reversed, scene.seed) : std::string();
            auto raw = engine.generate(request(text, i, kClipFrames, turnedText));
            if (!raw)
                return raw.error();
            paraphrased.add(analyseClip(raw.value(), scene), scene, text);
            expandedToCanonical += expansion->caption == caption;
            auto para = engine.generate(request(expansion->caption, i, kClipFrames,
                expansion->caption == caption ? turned : std::string()));
            if (!para)
                return para.error();
            expanded.add(analyseClip(para.value(), scene), scene, text + " -> " + expansion->caption);
        }
        if (onProgress)
            onProgress("generate", i + 1, o.scenes);
    }

    // The same judges on the autoencoder's reconstructions of the ground truth: what a
    // perfect transformer could reach at most with this autoencoder.
    std::vector<double> psnrs;
    Tally reconstructed;
    // How much each reconstructed frame changes from the one before, against the truth,
    // by the pair's position modulo 4 (an autoencoder that keeps one still picture per
    // group of four frames shows ratios near 0 at three positions and large at one).
    std::array<double, 4> changeRec{}, changeTruth{};
    for (int i = 0; i < o.reconstructionScenes; ++i) {
        const auto scene = sceneFor(i);
        const auto truth = world::render(scene, world::kWindowFrames);
        auto rec = engine.reconstruct(truth);
        if (!rec)
            return rec.error();
        psnrs.push_back(meanPsnr(truth, rec.value()));
        for (size_t f = 1; f < std::min(truth.frames.size(), rec->frames.size()); ++f) {
            changeRec[(f - 1) % 4] += media::meanChange(rec->frames[f - 1], rec->frames[f]);
            changeTruth[(f - 1) % 4] += media::meanChange(truth.frames[f - 1], truth.frames[f]);
        }
        reconstructed.add(analyseClip(firstFrames(rec.value(), kClipFrames), scene), scene,
            world::canonicalCaption(scene));
        if (onProgress)
            onProgress("reconstruct", i + 1, o.reconstructionScenes);
    }

    // Extension: 8 known frames of a held-out render, 16 generated after them. Bridge:
    // frames 0-4 and 12-16 known, 7 generated between. Seams are compared with the same
    // measure on the ground-truth render at the same frame.
    std::vector<double> extendJump, extendPsnr, truthJump, bridgeJumpIn, bridgeJumpOut;
    Tally extendTally;
    for (int i = 0; i < (o.generate ? o.extendScenes : 0); ++i) {
        const auto scene = sceneFor(i);
        const auto caption = world::canonicalCaption(scene);
        const auto truth = world::render(scene, 24);
        auto ext = pipeline::extendRequest(firstFrames(truth, 8), 16, false);
        ext.caption = caption;
        ext.seed = i;
        ext.steps = o.steps;
        ext.guidance = o.guidance;
        auto extended = engine.generate(ext);
        if (!extended)
            return extended.error();
        const auto seam = measureSeam(extended.value(), 8);
        extendJump.push_back(seam.jumpRatio);
        extendPsnr.push_back(seam.psnrAcross);
        truthJump.push_back(measureSeam(truth, 8).jumpRatio);
        extendTally.add(analyseClip(firstFrames(extended.value(), 17), scene), scene, caption);

        Video head = firstFrames(truth, 5), tail;
        tail.fps = truth.fps;
        tail.frames.assign(truth.frames.begin() + 12, truth.frames.begin() + 17);
        auto bridge = pipeline::bridgeRequest(head, tail, 7);
        bridge.caption = caption;
        bridge.seed = i;
        bridge.steps = o.steps;
        bridge.guidance = o.guidance;
        auto bridged = engine.generate(bridge);
        if (!bridged)
            return bridged.error();
        bridgeJumpIn.push_back(measureSeam(bridged.value(), 5).jumpRatio);
        bridgeJumpOut.push_back(measureSeam(bridged.value(), 12).jumpRatio);
        if (onProgress)
            onProgress("extend", i + 1, o.extendScenes);
    }

    const auto info = engine.info();
    json report{
        {"model", {{"name", info.name}, {"hash", info.weightHash}}},
        {"held_out_seeds", {world::kHeldOutSeedBase + o.firstSeed, world::kHeldOutSeedBase + o.firstSeed + o.scenes - 1}},
        {"steps", o.steps > 0 ? o.steps : info.defaultSteps},
        {"guidance", o.guidance >= 0 ? o.guidance : info.defaultGuidance},
        {"direction_guidance", o.directionGuidance},
        {"canonical", canonical.report()},
        {"autoencoder_psnr_db", {{"mean", psnrs.empty() ? 0.0 : [&] {
                                      double s = 0;
                                      for (double p : psnrs)
                                          s += p;
                                      return s / psnrs.size();
                                  }()},
                                 {"min", psnrs.empty() ? 0.0 : *std::min_element(psnrs.begin(), psnrs.end())},
                                 {"clips", psnrs.size()}}},
        {"autoencoder_judged", reconstructed.report()},
        {"autoencoder_frame_change_ratio", changeRatioByPosition(changeRec, changeTruth)},
        {"generated_frame_change_ratio", changeRatioByPosition(changeGen, changeGenTruth)},
        {"generated_group_edge_ratio", groupEdgeRatio(changeGen)},
        {"ground_truth_group_edge_ratio", groupEdgeRatio(changeGenTruth)},
        {"extend",
         {{"clips", extendJump.size()},
          {"seam_jump_ratio_median", median(extendJump)},
          {"ground_truth_jump_ratio_median", median(truthJump)},
          {"seam_psnr_db_median", median(extendPsnr)},
          {"first_window_judged", extendTally.report()}}},
        {"bridge",
         {{"clips", bridgeJumpIn.size()},
          {"seam_in_jump_ratio_median", median(bridgeJumpIn)},
          {"seam_out_jump_ratio_median", median(bridgeJumpOut)}}},
    };
    if (o.generate && o.captionUseScenes > 0) {
        auto use = captionUse(engine, o);
        if (!use)
            return use.error();
        report["caption_use"] = use.value();
    }
    if (o.paraphrases && o.generate) {
        report["paraphrase"] = paraphrased.report();
        report["paraphrase_expanded"] = expanded.report();
        report["paraphrase_expanded_to_canonical_pct"] = Tally::pct(expandedToCanonical, o.scenes);
        report["paraphrase_gap_points"] = std::round(10.0
                                              * (canonical.report()["all_pct"].get<double>()
                                                  - paraphrased.report()["all_pct"].get<double>()))
            / 10.0;
    }
    report["wall_seconds"]
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

} // namespace kinora::eval
