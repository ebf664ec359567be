// Training: the batches it renders (loss weights, conditioning masks) and short runs of
// every stage on a small 128 px architecture, with a resume.

#include "io/model_pack.h"
#include "io/safetensors.h"
#include "model/compat.h"
#include "pipeline/engine.h"
#include "train/batch.h"
#include "train/caption_head.h"
#include "train/trainer.h"
#include "world/world.h"

#include <torch/torch.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <set>

#include <fstream>

using namespace kinora;

namespace {

std::uint64_t firstSeedWith(world::Background background, std::uint64_t from = 1)
{
    for (std::uint64_t seed = from;; ++seed)
        if (world::sampleScene(seed).background == background)
            return seed;
}

// Sum over each tensor of a network: enough to tell whether training changed it.
std::map<std::string, double> sums(const io::ModelModules& modules, const std::string& prefix)
{
    std::map<std::string, double> out;
    for (const auto& [name, t] : modules.namedTensors())
        if (name.rfind(prefix, 0) == 0)
            out[name] = t.to(torch::kFloat64).abs().sum().item<double>();
    return out;
}

// A short run: batch 2, 32 px autoencoder crops (two threads, set in initTestCase).
train::TrainOptions shortRun(train::Stage stage, const std::filesystem::path& dir, const char* model,
    const char* run, const char* out, std::int64_t steps)
{
    train::TrainOptions o;
    o.stage = stage;
    o.model = dir / model;
    o.runDir = dir / run;
    o.out = dir / out;
    o.steps = steps;
    o.batch = 2;
    o.warmup = 1;
    o.aeCrop = 32;
    return o;
}

// The trained and EMA weights' fingerprint of a run, 0 if it failed.
std::uint64_t fingerprintOf(const train::TrainOptions& o)
{
    std::uint64_t fingerprint = 0;
    auto ok = train::runTraining(o, [&](const train::TrainProgress& p) {
        if (p.fingerprint)
            fingerprint = p.fingerprint;
    });
    return ok.ok() ? fingerprint : 0;
}

// Trains, then loads the exported pack (or says why either failed).
Result<io::LoadedPack> trainAndLoad(const train::TrainOptions& o)
{
    if (auto ok = train::runTraining(o); !ok)
        return ok.error();
    return io::loadModelPack(o.out, torch::kCPU, {});
}

const char* why(const Result<io::LoadedPack>& r) { return r.ok() ? "" : r.error().message.c_str(); }

int changedTensors(const std::map<std::string, double>& a, const std::map<std::string, double>& b)
{
    int n = 0;
    for (const auto& [name, v] : a)
        n += b.at(name) != v;
    return n;
}

} // namespace

class TestTrain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void batchShapes();
    void maskMarksObjectsAndStars();
    void maskLeavesFlatBackgroundsAlone();
    void latentObjectCells();
    void conditioningMasks();
    void directionsOnlyScenes();
    void directionsShareMixes();
    void mirrorPairsDifferInDirection();
    void placementWordsLeftOut();
    void contrastCaptionsTurnDirections();
    void captionContrastChangesTheRun();
    void noiseLevelsShift();
    void stagesTrainOnlyTheirNetworks();
    void resumeContinues();
    void latentCacheGivesTheSameRun();
    void timeBudgetEndsTheRun();
    void precisionFollowsTheCpu();
    void trainingLeavesTheDefaultGeneratorAlone();
    void captionTargetsFollowPlacement();
    void textStageTeachesTheEncoderAlone();
    void textEncoderLearningRateScale();
    void renderAheadGivesTheSameRun();

private:
    std::filesystem::path m_arch;
    QTemporaryDir m_dir;
};

void TestTrain::initTestCase()
{
    torch::set_num_threads(2);
    QVERIFY(m_dir.isValid());
    // 128 px (what training renders) but small: the per-frame autoencoder variant and a
    // two-layer transformer.
    m_arch = std::filesystem::path(m_dir.path().toStdString()) / "arch.json";
    std::ofstream(m_arch) << R"({"frame_size": 128, "weights_dtype": "fp32",
        "autoencoder": {"latent_channels": 4, "channels": [8, 16, 16], "frame_levels": 1, "pixel_shuffle": 2},
        "text_encoder": {"max_tokens": 16, "width": 32, "depth": 1, "heads": 2, "mlp_ratio": 2},
        "transformer": {"patch_size": 4, "width": 64, "depth": 2, "heads": 2, "mlp_ratio": 2, "timestep_dim": 32},
        "sampling": {"steps": 2}})";
}

void TestTrain::batchShapes()
{
    std::mt19937_64 rng(1);
    train::BatchOptions options;
    options.size = 40;
    options.captionDrop = 0.5;
    auto batch = train::renderBatch(100, options, rng);
    QCOMPARE(batch.pixels.sizes().vec(), (std::vector<int64_t> { 40, 3, 17, 128, 128 }));
    QCOMPARE(batch.pixels.scalar_type(), torch::kUInt8);
    QVERIFY(!batch.objectMask.defined());
    QCOMPARE(int(batch.captions.size()), 40);
    const auto dropped = std::count(batch.captions.begin(), batch.captions.end(), std::string());
    QVERIFY2(dropped >= 8 && dropped <= 32, qPrintable(QString("%1 of 40 captions dropped at 50 %").arg(dropped)));
    // The same seeds and options render the same clips.
    std::mt19937_64 again(1);
    QVERIFY(torch::equal(train::renderBatch(100, options, again).pixels, batch.pixels));

    // Data-parallel shares: each rank renders its rows of the batch, with the captions the
    // whole batch draws (the rng decides them in order for every scene, rendered or not).
    options.size = 6;
    options.objectMasks = true;
    std::mt19937_64 whole(7);
    const auto all = train::renderBatch(300, options, whole);
    for (int first : {0, 2, 4}) {
        auto share = options;
        share.shardFirst = first;
        share.shardSize = 2;
        std::mt19937_64 rankRng(7);
        const auto part = train::renderBatch(300, share, rankRng);
        QCOMPARE(int(part.captions.size()), 2);
        QVERIFY(torch::equal(part.pixels, all.pixels.narrow(0, first, 2)));
        QVERIFY(torch::equal(part.objectMask, all.objectMask.narrow(0, first, 2)));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(part.captions[i], all.captions[first + i]);
            QCOMPARE(part.seeds[i], all.seeds[first + i]);
        }
    }
}

void TestTrain::maskMarksObjectsAndStars()
{
    const auto seed = firstSeedWith(world::Background::StarryNight);
    std::mt19937_64 rng(1);
    train::BatchOptions options;
    options.size = 1;
    options.objectMasks = true;
    const auto batch = train::renderBatch(seed, options, rng);
    QCOMPARE(batch.objectMask.sizes().vec(), (std::vector<int64_t> { 1, 1, 17, 128, 128 }));
    const auto mask = batch.objectMask.accessor<std::uint8_t, 5>(); // [1, 1, F, H, W]

    auto scene = world::sampleScene(seed);
    const auto clip = world::render(scene, 17);
    scene.objects.clear();
    const auto sky = world::render(scene, 17);
    int objectPixels = 0, starPixels = 0, starsMarked = 0;
    for (int f = 0; f < 17; ++f)
        for (int y = 1; y < 128; ++y)
            for (int x = 1; x < 128; ++x) {
                const auto* a = clip.frames[f].pixel(x, y);
                const auto* b = sky.frames[f].pixel(x, y);
                const bool object = std::abs(a[0] - b[0]) > 6 || std::abs(a[1] - b[1]) > 6 || std::abs(a[2] - b[2]) > 6;
                if (object) {
                    ++objectPixels;
                    QVERIFY2(mask[0][0][f][y][x] == 1,
                        qPrintable(QString("object pixel %1,%2 of frame %3 not marked 1").arg(x).arg(y).arg(f)));
                } else if (b[0] > 100) { // a star on the black sky
                    ++starPixels;
                    starsMarked += mask[0][0][f][y][x] == 2;
                }
            }
    QVERIFY(objectPixels > 0);
    QVERIFY(starPixels > 17 * 20);
    QVERIFY2(starsMarked > starPixels * 9 / 10, qPrintable(QString("%1 of %2 star pixels marked").arg(starsMarked).arg(starPixels)));
}

void TestTrain::maskLeavesFlatBackgroundsAlone()
{
    for (auto background : { world::Background::Black, world::Background::Beige, world::Background::Sunset }) {
        const auto seed = firstSeedWith(background);
        std::mt19937_64 rng(1);
        train::BatchOptions options;
        options.size = 1;
        options.objectMasks = true;
        const auto batch = train::renderBatch(seed, options, rng);
        auto scene = world::sampleScene(seed);
        const auto clip = world::render(scene, 17);
        scene.objects.clear();
        const auto empty = world::render(scene, 17);
        int objectPixels = 0;
        for (int f = 0; f < 17; ++f)
            for (size_t i = 0; i < clip.frames[f].rgb.size(); i += 3) {
                int d = 0;
                for (int c = 0; c < 3; ++c)
                    d = std::max(d, std::abs(int(clip.frames[f].rgb[i + c]) - int(empty.frames[f].rgb[i + c])));
                objectPixels += d > 6;
            }
        // Only the objects are marked: a flat or smooth background has no detail to weight.
        QCOMPARE((batch.objectMask == 1).sum().item<int64_t>(), int64_t(objectPixels));
        QCOMPARE((batch.objectMask == 2).sum().item<int64_t>(), int64_t(0));
    }
}

void TestTrain::latentObjectCells()
{
    // A 2 x 2-pixel object in frame 0 at (9, 17), one pixel in frame 6 at (31, 0), a star
    // (2) in frame 12: the first frame is its own latent frame, then groups of four.
    auto mask = torch::zeros({ 1, 1, 13, 32, 32 }, torch::kUInt8);
    mask[0][0][0].narrow(0, 17, 2).narrow(1, 9, 2).fill_(1);
    mask[0][0][6][0][31] = 1;
    mask[0][0][12][5][5] = 2;
    const auto cells = train::latentObjectCells(mask, 8, 4);
    QCOMPARE(cells.sizes().vec(), (std::vector<int64_t> { 1, 1, 4, 4, 4 }));
    QCOMPARE(cells.sum().item<double>(), 2.0);
    QCOMPARE(cells[0][0][0][2][1].item<double>(), 1.0); // y 17-18 -> row 2, x 9-10 -> column 1
    QCOMPARE(cells[0][0][2][0][3].item<double>(), 1.0); // frame 6 is in frames 5-8: latent frame 2
    QCOMPARE(cells[0][0][3].sum().item<double>(), 0.0); // stars are detail, not objects
    // The 2 x 2 object straddles no cell border here; one that does marks both cells.
    mask.zero_();
    mask[0][0][3][7][7] = 1;
    mask[0][0][3][8][8] = 1;
    QCOMPARE(train::latentObjectCells(mask, 8, 4)[0][0][1].sum().item<double>(), 2.0);
}

void TestTrain::noiseLevelsShift()
{
    // Unshifted, the median noise level is 0.5 and one in 70 is above 0.9; shifted by 3,
    // the median is 0.75 and about one in seven is above 0.9.
    torch::manual_seed(3);
    const auto plain = train::sampleNoiseLevels(20000, 1.0);
    const auto shifted = train::sampleNoiseLevels(20000, 3.0);
    QCOMPARE(shifted.sizes().vec(), (std::vector<int64_t> { 20000 }));
    QVERIFY((shifted > 0).all().item<bool>() && (shifted < 1).all().item<bool>());
    QVERIFY(std::abs(plain.median().item<double>() - 0.5) < 0.02);
    QVERIFY(std::abs(shifted.median().item<double>() - 0.75) < 0.02);
    const double highPlain = (plain > 0.9).to(torch::kFloat64).mean().item<double>();
    const double highShifted = (shifted > 0.9).to(torch::kFloat64).mean().item<double>();
    QVERIFY2(highPlain < 0.025 && highShifted > 0.11 && highShifted < 0.17,
        qPrintable(QString("above 0.9: %1 unshifted, %2 shifted").arg(highPlain).arg(highShifted)));
}

void TestTrain::conditioningMasks()
{
    std::mt19937_64 rng(3);
    const auto masks = train::sampleConditioningMasks(2000, 5, rng); // [B, 1, T, 1, 1]
    QCOMPARE(masks.sizes().vec(), (std::vector<int64_t> { 2000, 1, 5, 1, 1 }));
    const auto known = masks.flatten(1).sum(1); // known latent frames per sample
    QVERIFY2(known.max().item<double>() < 5, "a sample had every frame known");
    QVERIFY(((masks == 0) | (masks == 1)).all().item<bool>());
    const double none = (known == 0).to(torch::kFloat32).mean().item<double>();
    QVERIFY2(none > 0.3 && none < 0.5, qPrintable(QString("%1 with nothing known, expected ~40 %").arg(none)));
    const auto firstKnown = masks.flatten(1).select(1, 0) == 1, lastKnown = masks.flatten(1).select(1, 4) == 1;
    const double extend = (firstKnown & ~lastKnown).to(torch::kFloat32).mean().item<double>();
    const double backward = (~firstKnown & lastKnown).to(torch::kFloat32).mean().item<double>();
    QVERIFY2(extend > 0.15, qPrintable(QString("first frames known in %1").arg(extend)));
    QVERIFY2(backward > 0.1, qPrintable(QString("last frames known in %1").arg(backward)));
    // Another share of samples with known frames (--known-share) moves only that share.
    std::mt19937_64 rng2(3);
    const auto fewer = train::sampleConditioningMasks(2000, 5, rng2, 0.1).flatten(1).sum(1);
    const double noneFewer = (fewer == 0).to(torch::kFloat32).mean().item<double>();
    QVERIFY2(noneFewer > 0.87 && noneFewer < 0.93, qPrintable(QString("%1 with nothing known, expected ~90 %").arg(noneFewer)));
    std::mt19937_64 rng3(3);
    QVERIFY(torch::equal(train::sampleConditioningMasks(2000, 5, rng3, train::kDefaultKnownShare), masks));
    // --first-frame-share: that share knows exactly the first latent frame, the rest as before.
    std::mt19937_64 rng4(3);
    const auto first = train::sampleConditioningMasks(2000, 5, rng4, train::kDefaultKnownShare, 0.5).flatten(1);
    const auto onlyFirst = (first.select(1, 0) == 1) & (first.sum(1) == 1);
    const double shareOnlyFirst = onlyFirst.to(torch::kFloat32).mean().item<double>();
    // 50 % drawn so, plus the default draw's own extends of one frame (about 0.5 x 0.2 x 0.25).
    QVERIFY2(shareOnlyFirst > 0.5 && shareOnlyFirst < 0.6, qPrintable(QString("%1 know the first frame alone").arg(shareOnlyFirst)));
    const double noneFirst = (first.sum(1) == 0).to(torch::kFloat32).mean().item<double>();
    QVERIFY2(noneFirst > 0.15 && noneFirst < 0.25, qPrintable(QString("%1 with nothing known, expected ~20 %").arg(noneFirst)));
}

// --directions-only (a study): one red circle on black, and all four directions occur;
// the batch's captions name the scene's direction.
void TestTrain::directionsOnlyScenes()
{
    std::set<int> seen;
    for (std::uint64_t seed = 0; seed < 64; ++seed) {
        const auto scene = train::directionScene(seed);
        QCOMPARE(int(scene.objects.size()), 1);
        QVERIFY(scene.background == world::Background::Black);
        QVERIFY(scene.objects[0].color == world::Color::Red && scene.objects[0].shape == world::Shape::Circle);
        const int m = int(scene.objects[0].motion);
        QVERIFY(m >= int(world::Motion::Left) && m <= int(world::Motion::Down));
        seen.insert(m);
    }
    QCOMPARE(int(seen.size()), 4);
    train::BatchOptions options{4, 17, 0.0, 0.0};
    options.directionsOnly = true;
    std::mt19937_64 rng(1);
    const auto batch = train::renderBatch(100, options, rng);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(QString::fromStdString(batch.captions[i]),
                 QString::fromStdString(world::canonicalCaption(train::directionScene(100 + i))));
}

// --directions-share (a study): about that share of the seeds render the directions-only
// scene, with all four directions among them, and the rest the whole world.
void TestTrain::directionsShareMixes()
{
    auto isDirectionScene = [](const world::Scene& s, std::uint64_t seed) {
        return world::canonicalCaption(s) == world::canonicalCaption(train::directionScene(seed))
               && s.objects.size() == 1 && s.background == world::Background::Black;
    };
    for (double share : {0.0, 0.3, 1.0}) {
        train::BatchOptions options;
        options.directionsShare = share;
        int mixed = 0;
        std::set<int> directions;
        for (std::uint64_t seed = 0; seed < 400; ++seed) {
            const auto scene = train::trainingScene(seed, options);
            if (isDirectionScene(scene, seed)) {
                ++mixed;
                directions.insert(int(scene.objects[0].motion));
            } else {
                QCOMPARE(world::canonicalCaption(scene), world::canonicalCaption(world::sampleScene(seed)));
            }
        }
        const double got = mixed / 400.0;
        QVERIFY2(std::abs(got - share) < 0.07, qPrintable(QString("share %1 gave %2").arg(share).arg(got)));
        if (share > 0)
            QCOMPARE(int(directions.size()), 4);
    }
}

// --mirror-pairs (a study): each odd clip is the even one before it flipped left to right,
// with left and right swapped in its caption; the even clips are the scenes' own.
void TestTrain::mirrorPairsDifferInDirection()
{
    train::BatchOptions options{8, 9, 0.0, 0.0};
    options.mirrorPairs = true;
    options.objectMasks = true;
    std::mt19937_64 rng(3);
    // Start where the first scene moves left or right, so a pair differs in direction.
    std::uint64_t first = 40;
    auto sideways = [](const world::Scene& s) {
        return std::any_of(s.objects.begin(), s.objects.end(), [](const world::ObjectSpec& o) {
            return o.motion == world::Motion::Left || o.motion == world::Motion::Right;
        });
    };
    while (!sideways(world::sampleScene(first)))
        ++first;
    const auto batch = train::renderBatch(first, options, rng);
    QCOMPARE(int(batch.pixels.size(0)), 8);
    bool sawSwap = false;
    for (int j = 0; j < 8; j += 2) {
        const auto scene = world::sampleScene(first + j);
        QCOMPARE(batch.captions[j], world::canonicalCaption(scene));
        const auto mirror = train::mirroredScene(scene);
        QCOMPARE(batch.captions[j + 1], world::canonicalCaption(mirror));
        QVERIFY(torch::equal(batch.pixels[j + 1], batch.pixels[j].flip({-1})));
        QVERIFY(torch::equal(batch.objectMask[j + 1], batch.objectMask[j].flip({-1})));
        for (size_t k = 0; k < scene.objects.size(); ++k) {
            const auto a = scene.objects[k].motion, b = mirror.objects[k].motion;
            if (a == world::Motion::Left || a == world::Motion::Right) {
                QVERIFY(a != b);
                sawSwap = true;
            } else {
                QVERIFY(a == b);
            }
        }
    }
    QVERIFY(!torch::equal(batch.pixels[0], batch.pixels[0].flip({-1})));
    // A caption naming a side names the other in the mirror.
    world::Scene two;
    two.objects.resize(2);
    two.objects[0].placement = world::Placement::Left;
    two.objects[0].motion = world::Motion::Right;
    two.objects[1].placement = world::Placement::Right;
    two.objects[1].color = world::Color::Blue;
    const auto m = train::mirroredScene(two);
    QVERIFY(m.objects[0].placement == world::Placement::Right && m.objects[0].motion == world::Motion::Left);
    QVERIFY(m.objects[1].placement == world::Placement::Left);
    QVERIFY(sawSwap);
}

// --no-placement-words (a study): a pair's captions no longer say which side each object
// is on, but still say how each moves; the clips are the same.
// --caption-contrast (a study): each caption that says a direction gets a twin with the
// directions turned round and every other word the same; the batch itself is unchanged.
void TestTrain::contrastCaptionsTurnDirections()
{
    for (double paraphrase : {0.0, 0.5}) {
        train::BatchOptions plain{24, 5, 0.1, paraphrase};
        auto with = plain;
        with.contrastCaptions = true;
        std::mt19937_64 rngA(11), rngB(11);
        const auto a = train::renderBatch(100, plain, rngA);
        const auto b = train::renderBatch(100, with, rngB);
        QVERIFY(a.contrastCaptions.empty());
        QVERIFY(a.captions == b.captions);
        QVERIFY(torch::equal(a.pixels, b.pixels));
        QCOMPARE(int(b.contrastCaptions.size()), 24);
        int turned = 0;
        for (int j = 0; j < 24; ++j) {
            const auto scene = world::sampleScene(100 + j);
            bool directional = false;
            const auto reversed = world::reversedDirections(scene, &directional);
            const auto& contrast = b.contrastCaptions[j];
            if (!directional || b.captions[j].empty()) {
                QVERIFY2(contrast.empty(), contrast.c_str());
                continue;
            }
            QVERIFY2(!contrast.empty() && contrast != b.captions[j], b.captions[j].c_str());
            ++turned;
            if (paraphrase == 0.0)
                QCOMPARE(contrast, world::canonicalCaption(reversed));
            // Same length in words: only direction words changed.
            auto words = [](const std::string& s) { return std::count(s.begin(), s.end(), ' '); };
            if (paraphrase == 0.0)
                QCOMPARE(words(contrast), words(b.captions[j]));
        }
        QVERIFY(turned >= 3);
    }
    world::Scene s;
    s.objects.resize(2);
    s.objects[0].motion = world::Motion::Up;
    s.objects[0].placement = world::Placement::Left;
    s.objects[1].motion = world::Motion::Spin;
    bool changed = false;
    auto r = world::reversedDirections(s, &changed);
    QVERIFY(changed);
    QVERIFY(r.objects[0].motion == world::Motion::Down && r.objects[0].placement == world::Placement::Left);
    QVERIFY(r.objects[1].motion == world::Motion::Spin);
    s.objects[0].motion = world::Motion::Grow;
    world::reversedDirections(s, &changed);
    QVERIFY(!changed);
}

// The caption-contrast term reaches the weights (another run than the plain one), keeps the
// loss finite, and the pack's card records its weight.
void TestTrain::captionContrastChangesTheRun()
{
    namespace fs = std::filesystem;
    const auto dir = fs::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "cc0", 4).ok());
    auto runOf = [&](double weight, const char* name) {
        auto o = shortRun(train::Stage::Diffusion, dir, "cc0", name, (std::string(name) + "-out").c_str(), 3);
        o.batch = 8;
        o.latentReuse = 1;
        o.captionContrast = weight;
        std::uint64_t fingerprint = 0;
        double loss = 0;
        auto ok = train::runTraining(o, [&](const train::TrainProgress& p) {
            if (p.fingerprint)
                fingerprint = p.fingerprint;
            if (p.loss != 0)
                loss = p.loss;
        });
        return std::tuple {ok.ok(), fingerprint, loss};
    };
    const auto [plainOk, plain, plainLoss] = runOf(0, "cc-plain");
    const auto [okC, contrasted, loss] = runOf(1, "cc-contrast");
    QVERIFY(plainOk && okC);
    QVERIFY(plain != 0 && contrasted != 0);
    QVERIFY(contrasted != plain);
    QVERIFY(std::isfinite(loss) && loss > 0);
    std::ifstream card(dir / "cc-contrast-out" / "model.json");
    const auto json = nlohmann::json::parse(card);
    QCOMPARE(json["training"]["stages"].back()["caption_contrast"].get<double>(), 1.0);
    QCOMPARE(json["training"]["stages"].back()["caption_contrast_margin"].get<double>(), 0.05);
}

void TestTrain::placementWordsLeftOut()
{
    // A pair in which neither object moves sideways: "left" and "right" can only be placements.
    auto sideways = [](const world::ObjectSpec& o) {
        return o.motion == world::Motion::Left || o.motion == world::Motion::Right;
    };
    std::uint64_t first = 0;
    for (;; ++first) {
        const auto s = world::sampleScene(first);
        if (s.objects.size() == 2 && !sideways(s.objects[0]) && !sideways(s.objects[1]))
            break;
    }
    auto saysSide = [](const std::string& c) {
        return c.find("left") != std::string::npos || c.find("right") != std::string::npos;
    };
    for (double paraphrase : {0.0, 1.0}) {
        train::BatchOptions with{1, 9, 0.0, paraphrase};
        train::BatchOptions without = with;
        without.placementWords = false;
        int withSide = 0, withoutSide = 0;
        for (int i = 0; i < 20; ++i) {
            std::mt19937_64 rngA(i), rngB(i);
            const auto a = train::renderBatch(first, with, rngA);
            const auto b = train::renderBatch(first, without, rngB);
            withSide += saysSide(a.captions[0]);
            withoutSide += saysSide(b.captions[0]);
            QVERIFY(!b.captions[0].empty());
            if (i == 0)
                QVERIFY(torch::equal(a.pixels, b.pixels));
        }
        QVERIFY2(withSide > 0, qPrintable(QString("paraphrase %1").arg(paraphrase)));
        QCOMPARE(withoutSide, 0);
    }
}

void TestTrain::stagesTrainOnlyTheirNetworks()
{
    const auto dir = std::filesystem::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "p0", 1).ok());

    auto ok = train::runTraining(shortRun(train::Stage::Autoencoder, dir, "p0", "ae", "p1", 3));
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
    auto ditRun = shortRun(train::Stage::Diffusion, dir, "p1", "dit", "p2", 3);
    ditRun.frameNoiseShare = 0.4;
    ok = train::runTraining(ditRun);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());

    auto p0 = io::loadModelPack(dir / "p0", torch::kCPU, {});
    auto p1 = io::loadModelPack(dir / "p1", torch::kCPU, {});
    auto p2 = io::loadModelPack(dir / "p2", torch::kCPU, {});
    QVERIFY(p0.ok() && p1.ok() && p2.ok());
    // The autoencoder stage changes the autoencoder and nothing else; the diffusion stage
    // the text encoder and transformer, and not the autoencoder.
    QVERIFY(changedTensors(sums(p0->modules, "autoencoder."), sums(p1->modules, "autoencoder.")) > 10);
    QCOMPARE(changedTensors(sums(p0->modules, "transformer."), sums(p1->modules, "transformer.")), 0);
    QCOMPARE(changedTensors(sums(p0->modules, "text_encoder."), sums(p1->modules, "text_encoder.")), 0);
    QCOMPARE(changedTensors(sums(p1->modules, "autoencoder."), sums(p2->modules, "autoencoder.")), 0);
    QVERIFY(changedTensors(sums(p1->modules, "transformer."), sums(p2->modules, "transformer.")) > 10);
    QVERIFY(changedTensors(sums(p1->modules, "text_encoder."), sums(p2->modules, "text_encoder.")) > 3);
    // The autoencoder stage measured its latents' spread and folded it into the pack.
    QVERIFY(p1->config.autoencoder.latentScale != 1.0);
    // --decoder-only: the decoder learns, the encoder and the latent normalisation stay.
    auto decoderRun = shortRun(train::Stage::Autoencoder, dir, "p2", "dec", "p3", 3);
    decoderRun.decoderOnly = true;
    auto p3 = trainAndLoad(decoderRun);
    QVERIFY2(p3.ok(), why(p3));
    QCOMPARE(changedTensors(sums(p2->modules, "autoencoder.encoder."), sums(p3->modules, "autoencoder.encoder.")), 0);
    QVERIFY(changedTensors(sums(p2->modules, "autoencoder.decoder."), sums(p3->modules, "autoencoder.decoder.")) > 10);
    QCOMPARE(changedTensors(sums(p2->modules, "transformer."), sums(p3->modules, "transformer.")), 0);
    QCOMPARE(p3->config.autoencoder.latentScale, p2->config.autoencoder.latentScale);
    QCOMPARE(p3->config.autoencoder.latentShift, p2->config.autoencoder.latentShift);
    // --freeze-text-encoder: the transformer learns, the text encoder stays the start pack's.
    auto frozenRun = shortRun(train::Stage::Diffusion, dir, "p1", "frozen", "p2f", 2);
    frozenRun.freezeTextEncoder = true;
    auto p2f = trainAndLoad(frozenRun);
    QVERIFY2(p2f.ok(), why(p2f));
    QCOMPARE(changedTensors(sums(p1->modules, "text_encoder."), sums(p2f->modules, "text_encoder.")), 0);
    QVERIFY(changedTensors(sums(p1->modules, "transformer."), sums(p2f->modules, "transformer.")) > 10);
    QVERIFY(p2f->config.training["stages"].back()["freeze_text_encoder"].get<bool>());
    // Resumed without the flag, the run stays as it began: the text encoder frozen.
    auto frozenResume = shortRun(train::Stage::Diffusion, dir, "p1", "frozen", "p2g", 3);
    frozenResume.resume = true;
    auto p2g = trainAndLoad(frozenResume);
    QVERIFY2(p2g.ok(), why(p2g));
    QCOMPARE(changedTensors(sums(p1->modules, "text_encoder."), sums(p2g->modules, "text_encoder.")), 0);
    QVERIFY(changedTensors(sums(p2f->modules, "transformer."), sums(p2g->modules, "transformer.")) > 10);
    // The diffusion stage's frame noise share is the pack's, for sampling; later stages keep it.
    QCOMPARE(p1->config.sampling.frameNoiseShare, 0.0);
    QCOMPARE(p2->config.sampling.frameNoiseShare, 0.4);
    QCOMPARE(p3->config.sampling.frameNoiseShare, 0.4);
    const auto& stages = p2->config.training["stages"];
    QCOMPARE(int(stages.size()), 2);
    QCOMPARE(stages[0]["stage"].get<std::string>(), std::string("autoencoder"));
    QCOMPARE(stages[1]["samples"].get<int>(), 6);
    QCOMPARE(stages[1]["frame_noise_share"].get<double>(), 0.4);
    // Each run keeps a CSV log with a row for the last step.
    QFile log(QString::fromStdString((dir / "dit" / "log.csv").string()));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const auto rows = QString::fromUtf8(log.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(rows.front(), QStringLiteral("step,samples,loss,lr,elapsed_s"));
    QVERIFY(rows.back().startsWith(QStringLiteral("3,6,")));
    const double loss = rows.back().section(',', 2, 2).toDouble();
    QVERIFY2(std::isfinite(loss) && loss > 0, qPrintable(rows.back()));
}

void TestTrain::resumeContinues()
{
    const auto dir = std::filesystem::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "r0", 2).ok());
    auto o = shortRun(train::Stage::Diffusion, dir, "r0", "resume", "r1", 2);
    QVERIFY(train::runTraining(o).ok());
    // Resuming picks up the checkpoint at step 2 and trains the rest.
    o.steps = 4;
    o.resume = true;
    o.out = dir / "r2";
    auto r2 = trainAndLoad(o);
    QVERIFY2(r2.ok(), why(r2));
    const auto& stage = r2->config.training["stages"].back();
    QCOMPARE(stage["steps"].get<int>(), 4);
    QCOMPARE(stage["samples"].get<int>(), 8);
    QVERIFY(!stage.contains("changed_on_resume"));
    // Exporting the stopped run (resume, no steps left) records the options it was trained
    // with, not the exporting command's.
    auto exportOnly = o;
    exportOnly.batch = 3;
    exportOnly.lr = 1e-3;
    exportOnly.out = dir / "r3";
    QVERIFY(train::runTraining(exportOnly).ok());
    auto r3 = io::loadModelPack(dir / "r3", torch::kCPU, {});
    QVERIFY(r3.ok());
    const auto& exported = r3->config.training["stages"].back();
    QCOMPARE(exported["steps"].get<int>(), 4);
    QCOMPARE(exported["batch"].get<int>(), 2);
    QCOMPARE(exported["lr"].get<double>(), o.lr);
    QVERIFY(!exported.contains("changed_on_resume"));
    // Training on with other options records them, and what they replaced.
    exportOnly.steps = 5;
    exportOnly.out = dir / "r4";
    QVERIFY(train::runTraining(exportOnly).ok());
    auto r4 = io::loadModelPack(dir / "r4", torch::kCPU, {});
    QVERIFY(r4.ok());
    const auto& changed = r4->config.training["stages"].back();
    QCOMPARE(changed["lr"].get<double>(), 1e-3);
    QCOMPARE(changed["changed_on_resume"]["lr"]["before"].get<double>(), o.lr);
    QCOMPARE(changed["changed_on_resume"]["batch"]["after"].get<int>(), 3);
    QVERIFY(!changed["changed_on_resume"].contains("seed"));
    // Resuming a run dir that has no checkpoint says so.
    o.runDir = dir / "nothing-here";
    auto missing = train::runTraining(o);
    QVERIFY(!missing.ok());
}

// --latent-cache: the first run writes each encoded batch, a second run with the same
// seed reads them and ends with bit-identical weights; the latents it reads are what it
// trains on (a tampered file changes the result); an unwritable folder only warns.
void TestTrain::latentCacheGivesTheSameRun()
{
    namespace fs = std::filesystem;
    const auto dir = fs::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "lc0", 4).ok());
    auto o = shortRun(train::Stage::Diffusion, dir, "lc0", "lc-plain", "lc-plain-out", 4);
    o.latentReuse = 1; // a batch per step: four cached batches
    const auto plain = fingerprintOf(o);
    QVERIFY(plain != 0);
    const fs::path cache = dir / "latents";
    auto cachedRun = [&](const char* name) {
        auto c = o;
        c.runDir = dir / name;
        c.out = dir / (std::string(name) + "-out");
        c.latentCache = cache.string();
        return fingerprintOf(c);
    };
    QCOMPARE(cachedRun("lc-write"), plain);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(cache))
        files.push_back(e.path());
    QCOMPARE(int(files.size()), 4);
    QCOMPARE(cachedRun("lc-read"), plain);
    QCOMPARE(int(std::distance(fs::directory_iterator(cache), fs::directory_iterator())), 4);
    // Tamper with one batch: the run that reads it trains on it.
    std::sort(files.begin(), files.end());
    {
        auto f = io::SafetensorsFile::open(files[0]);
        QVERIFY(f.ok());
        auto z = f.value().tensor(*f.value().find("latents")).clone() * 0.5;
        QVERIFY(io::writeSafetensors(files[0], {{"latents", z}}).ok());
    }
    const auto tampered = cachedRun("lc-tampered");
    QVERIFY(tampered != 0);
    QVERIFY(tampered != plain);
    // A cache that cannot be written: the run goes on and matches the plain one.
    const fs::path blocked = dir / "not-a-folder";
    { std::ofstream(blocked) << "x"; }
    auto b = o;
    b.runDir = dir / "lc-blocked";
    b.out = dir / "lc-blocked-out";
    b.latentCache = (blocked / "sub").string();
    QCOMPARE(fingerprintOf(b), plain);
}

// --max-minutes ends a run with far more steps than it can take, exports the pack, and
// the progress line's ETA counts down to the budget rather than to the step count.
void TestTrain::timeBudgetEndsTheRun()
{
    const auto dir = std::filesystem::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "b0", 3).ok());
    auto o = shortRun(train::Stage::Diffusion, dir, "b0", "budget", "b1", 100000000);
    o.maxMinutes = 0.1; // 6 s
    std::vector<train::TrainProgress> reports;
    auto ok = train::runTraining(o, [&](const train::TrainProgress& p) { reports.push_back(p); });
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
    QVERIFY(std::filesystem::exists(dir / "b1" / "model.json"));
    QVERIFY(!reports.empty()); // one report after 5 s
    for (const auto& p : reports) {
        QVERIFY(p.step < o.steps);
        QVERIFY2(p.etaSeconds <= std::max(0.0, 6.0 - p.elapsedSeconds) + 1e-6 && p.etaSeconds >= 0,
            qPrintable(QStringLiteral("eta %1 s at %2 s").arg(p.etaSeconds).arg(p.elapsedSeconds)));
    }
}

// --precision: bf16 or fp32 as asked, recorded in the stage record and reported with the
// progress; auto is bf16 only where matmuls run in bf16 in hardware; anything else refused.
void TestTrain::precisionFollowsTheCpu()
{
    const auto dir = std::filesystem::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "q0", 4).ok());
    const bool fast = compat::cpuHasFastBf16();
    for (const std::string precision : {"bf16", "fp32", "auto"}) {
        const auto run = "prec-" + precision, out = "q-" + precision;
        auto o = shortRun(train::Stage::Diffusion, dir, "q0", run.c_str(), out.c_str(), 1);
        o.precision = precision;
        std::vector<train::TrainProgress> reports;
        auto ok = train::runTraining(o, [&](const train::TrainProgress& p) { reports.push_back(p); });
        QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
        auto pack = io::loadModelPack(o.out, torch::kCPU, {});
        QVERIFY2(pack.ok(), why(pack));
        const bool expected = precision == "bf16" || (precision == "auto" && fast);
        QCOMPARE(pack->config.training["stages"].back()["bf16"].get<bool>(), expected);
        QVERIFY(!reports.empty());
        QCOMPARE(reports.back().bf16, expected);
    }
    auto o = shortRun(train::Stage::Diffusion, dir, "q0", "prec-bad", "q-bad", 1);
    o.precision = "fp16";
    auto bad = train::runTraining(o);
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.find("fp16") != std::string::npos);
    QVERIFY(!std::filesystem::exists(dir / "q-bad"));
}

// Training draws its noise from generators of its own (seed, step): the process's default
// generator gives the same numbers after a run as before it, and two runs of the same
// options give the same weights.
void TestTrain::trainingLeavesTheDefaultGeneratorAlone()
{
    const auto dir = std::filesystem::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "g0", 5).ok());
    torch::manual_seed(42);
    const auto expected = torch::randn({8});
    torch::manual_seed(42);
    auto once = trainAndLoad(shortRun(train::Stage::Diffusion, dir, "g0", "gen-a", "g-a", 2));
    QVERIFY2(once.ok(), why(once));
    QVERIFY(torch::equal(torch::randn({8}), expected));
    torch::manual_seed(7); // a different process state gives the same run
    auto twice = trainAndLoad(shortRun(train::Stage::Diffusion, dir, "g0", "gen-b", "g-b", 2));
    QVERIFY2(twice.ok(), why(twice));
    QVERIFY(sums(once->modules, "transformer.") == sums(twice->modules, "transformer."));
    QVERIFY(sums(once->modules, "text_encoder.") == sums(twice->modules, "text_encoder."));
}

// The probe's object slots: the only object, or the left one, first; then the right one
// or "none", whatever order the scene lists them in.
void TestTrain::captionTargetsFollowPlacement()
{
    const auto& attributes = train::captionAttributes();
    auto index = [&](const std::string& name) {
        for (size_t i = 0; i < attributes.size(); ++i)
            if (attributes[i].name == name)
                return static_cast<int>(i);
        return -1;
    };
    QVERIFY(index("first.colour") >= 0 && index("second.motion") >= 0);

    world::Scene scene;
    scene.background = world::Background::Sunset;
    world::ObjectSpec red, blue;
    red.color = world::Color::Red;
    red.motion = world::Motion::Left;
    red.placement = world::Placement::Right;
    blue.color = world::Color::Blue;
    blue.shape = world::Shape::Star;
    blue.placement = world::Placement::Left;
    scene.objects = {red, blue};
    auto t = train::attributeTargets(scene);
    QCOMPARE(t.size(), attributes.size());
    QCOMPARE(t[index("background")], std::int64_t(world::Background::Sunset));
    QCOMPARE(t[index("objects")], std::int64_t(1));
    QCOMPARE(t[index("first.colour")], std::int64_t(world::Color::Blue));
    QCOMPARE(t[index("first.shape")], std::int64_t(world::Shape::Star));
    QCOMPARE(t[index("second.colour")], std::int64_t(world::Color::Red));
    QCOMPARE(t[index("second.motion")], std::int64_t(world::Motion::Left));

    red.placement = world::Placement::Center;
    scene.objects = {red};
    t = train::attributeTargets(scene);
    QCOMPARE(t[index("objects")], std::int64_t(0));
    QCOMPARE(t[index("first.colour")], std::int64_t(world::Color::Red));
    QCOMPARE(t[index("second.colour")], std::int64_t(world::kColorCount)); // none
    QCOMPARE(t[index("second.motion")], std::int64_t(world::kMotionCount));
    for (size_t i = 0; i < attributes.size(); ++i)
        QVERIFY(t[i] >= 0 && t[i] < attributes[i].classes);
}

// --stage text trains the text encoder alone, on captions, and reports how well its
// features name held-out captions' attributes; the probe survives a resume.
void TestTrain::textStageTeachesTheEncoderAlone()
{
    const auto dir = std::filesystem::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "t0", 4).ok());
    auto o = shortRun(train::Stage::Text, dir, "t0", "text", "t1", 150);
    o.batch = 64;
    o.lr = 3e-3;
    o.warmup = 5;
    o.emaDecay = 0.9;
    auto ok = train::runTraining(o);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
    auto t0 = io::loadModelPack(dir / "t0", torch::kCPU, {});
    auto t1 = io::loadModelPack(dir / "t1", torch::kCPU, {});
    QVERIFY(t0.ok() && t1.ok());
    QVERIFY(changedTensors(sums(t0->modules, "text_encoder."), sums(t1->modules, "text_encoder.")) > 5);
    QCOMPARE(changedTensors(sums(t0->modules, "transformer."), sums(t1->modules, "transformer.")), 0);
    QCOMPARE(changedTensors(sums(t0->modules, "autoencoder."), sums(t1->modules, "autoencoder.")), 0);
    const auto& stage = t1->config.training["stages"].back();
    QCOMPARE(stage["stage"].get<std::string>(), std::string("text"));
    // 9 600 captions are enough to tell the eight backgrounds apart well above chance (1/8).
    const auto& accuracy = stage["caption_accuracy"];
    QCOMPARE(accuracy["scenes"].get<int>(), 2000);
    const double background = accuracy["canonical"]["background"].get<double>();
    QVERIFY2(background > 0.5, qPrintable(QString::number(background)));
    qInfo("background accuracy %.3f", background);
    QVERIFY(accuracy["paraphrase"].contains("second.motion"));
    QVERIFY(accuracy["canonical_two_objects"].contains("first.colour"));
    QVERIFY(!accuracy["canonical_two_objects"].contains("background"));

    // Resuming loads the probe from the checkpoint along with the encoder.
    o.steps = 152;
    o.resume = true;
    o.out = dir / "t2";
    auto t2 = trainAndLoad(o);
    QVERIFY2(t2.ok(), why(t2));
    QCOMPARE(t2->config.training["stages"].back()["steps"].get<int>(), 152);

    // A frozen text encoder cannot be what the text stage trains.
    auto frozen = shortRun(train::Stage::Text, dir, "t0", "text-frozen", "t3", 2);
    frozen.freezeTextEncoder = true;
    QVERIFY(!train::runTraining(frozen).ok());
}

// --text-encoder-lr-scale: the text encoder moves less than at the full rate, the
// transformer as much; a resumed run keeps the scale (and its optimiser groups).
void TestTrain::textEncoderLearningRateScale()
{
    const auto dir = std::filesystem::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "s0", 5).ok());
    auto full = shortRun(train::Stage::Diffusion, dir, "s0", "scale-1", "s1", 3);
    auto slow = shortRun(train::Stage::Diffusion, dir, "s0", "scale-001", "s2", 3);
    slow.textEncoderLrScale = 0.01;
    QVERIFY(train::runTraining(full).ok());
    auto ok = train::runTraining(slow);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
    auto s0 = io::loadModelPack(dir / "s0", torch::kCPU, {});
    auto s1 = io::loadModelPack(dir / "s1", torch::kCPU, {});
    auto s2 = io::loadModelPack(dir / "s2", torch::kCPU, {});
    QVERIFY(s0.ok() && s1.ok() && s2.ok());
    auto moved = [&](const io::ModelModules& after, const std::string& prefix) {
        double d = 0;
        auto a = s0->modules.namedTensors(), b = after.namedTensors();
        for (size_t i = 0; i < a.size(); ++i)
            if (a[i].first.rfind(prefix, 0) == 0)
                d += (b[i].second - a[i].second).abs().sum().item<double>();
        return d;
    };
    const double textFull = moved(s1->modules, "text_encoder."), textSlow = moved(s2->modules, "text_encoder.");
    QVERIFY2(textSlow > 0 && textSlow < 0.1 * textFull, qPrintable(QStringLiteral("%1 vs %2").arg(textSlow).arg(textFull)));
    const double ditFull = moved(s1->modules, "transformer."), ditSlow = moved(s2->modules, "transformer.");
    QVERIFY2(ditSlow > 0.5 * ditFull, qPrintable(QStringLiteral("%1 vs %2").arg(ditSlow).arg(ditFull)));
    QCOMPARE(s2->config.training["stages"].back()["text_encoder_lr_scale"].get<double>(), 0.01);
    // Resumed without the option, the run keeps its scale and its optimiser's two groups.
    auto resumed = shortRun(train::Stage::Diffusion, dir, "s0", "scale-001", "s3", 4);
    resumed.resume = true;
    auto s3 = trainAndLoad(resumed);
    QVERIFY2(s3.ok(), why(s3));
    const auto& stage = s3->config.training["stages"].back();
    QCOMPARE(stage["text_encoder_lr_scale"].get<double>(), 0.01);
    QCOMPARE(stage["steps"].get<int>(), 4);
    QVERIFY(!stage.contains("changed_on_resume"));
}

// Clips rendered ahead on their own thread are the clips the step would have rendered:
// the same weights, in both stages, with and without latent reuse.
void TestTrain::renderAheadGivesTheSameRun()
{
    namespace fs = std::filesystem;
    const auto dir = fs::path(m_dir.path().toStdString());
    QVERIFY(pipeline::Engine::initModel(m_arch.string(), dir / "ra0", 4).ok());
    const struct {
        train::Stage stage;
        int reuse;
        const char* runs[4];
    } arms[] = {{train::Stage::Autoencoder, 1, {"ra-ae-a", "ra-ae-a-out", "ra-ae-i", "ra-ae-i-out"}},
                {train::Stage::Diffusion, 2, {"ra-dit-a", "ra-dit-a-out", "ra-dit-i", "ra-dit-i-out"}}};
    for (const auto& arm : arms) {
        auto o = shortRun(arm.stage, dir, "ra0", arm.runs[0], arm.runs[1], 5);
        o.latentReuse = arm.reuse;
        o.renderAhead = train::TrainOptions::RenderAhead::On;
        const auto ahead = fingerprintOf(o);
        o.runDir = dir / arm.runs[2];
        o.out = dir / arm.runs[3];
        o.renderAhead = train::TrainOptions::RenderAhead::Off;
        const auto inline_ = fingerprintOf(o);
        QVERIFY(ahead != 0);
        QVERIFY2(ahead == inline_, arm.runs[0]);
    }
}

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"
