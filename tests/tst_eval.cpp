// Tests for core/eval: the clip judge must pass what the renderer draws for a
// scene (its main duty, checked over hundreds of sampled scenes and one case per
// motion, background and colour), fail clips that show something else in the
// check that names the difference, and tolerate the softness of generated clips.

#include "eval/clip_analysis.h"
#include "eval/long_clip.h"
#include "world/world.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

using namespace kinora;
using namespace kinora::world;
using eval::ClipVerdict;

Q_DECLARE_METATYPE(kinora::world::Motion)
Q_DECLARE_METATYPE(kinora::world::Color)
Q_DECLARE_METATYPE(kinora::world::Background)

namespace {

constexpr int kSampledScenes = 600;

bool compatible(Color c, Background b)
{
    const Rgb x = colorRgb(c), y = backgroundMeanRgb(b);
    const double dr = double(x.r) - y.r, dg = double(x.g) - y.g, db = double(x.b) - y.b;
    return std::sqrt(dr * dr + dg * dg + db * db) >= 60.0;
}

// The first colour from `from` on that the world allows on the background.
Color colourFor(Background b, int from)
{
    for (int i = 0; i < kColorCount; ++i) {
        const auto c = static_cast<Color>((from + i) % kColorCount);
        if (compatible(c, b))
            return c;
    }
    return Color::Red;
}

Scene single(Motion motion, Background bg, Color colour, Shape shape = Shape::Square,
    Size size = Size::Medium, Speed speed = Speed::Normal, std::uint64_t seed = 11)
{
    Scene s;
    s.background = bg;
    s.seed = seed;
    if (motion == Motion::Still)
        speed = Speed::Normal;
    if (motion == Motion::Spin && shape == Shape::Circle)
        shape = Shape::Star;
    s.objects.push_back({ colour, shape, size, motion, speed, Placement::Center });
    return s;
}

// A varied scene with the given motion; `i` picks shape, size, speed, background, colour.
Scene varied(Motion motion, int i)
{
    const auto bg = static_cast<Background>((i * 3 + static_cast<int>(motion)) % kBackgroundCount);
    return single(motion, bg, colourFor(bg, i * 5 + 1), static_cast<Shape>(i % kShapeCount),
        static_cast<Size>((i / 2) % kSizeCount), static_cast<Speed>((i / 3) % kSpeedCount), 100 + i);
}

QString describe(const Scene& scene, const ClipVerdict& v)
{
    QString s = QString::fromStdString(canonicalCaption(scene)) + " | measured: "
        + QString::fromStdString(v.detectedBackground + "; " + v.detectedMotion + "; " + v.detectedShape);
    for (const std::string& n : v.notes)
        s += " | " + QString::fromStdString(n);
    return s;
}

Frame boxBlur5(const Frame& in)
{
    Frame out = in;
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x)
            for (int c = 0; c < 3; ++c) {
                int sum = 0;
                for (int dy = -2; dy <= 2; ++dy)
                    for (int dx = -2; dx <= 2; ++dx)
                        sum += in.pixel(
                            std::clamp(x + dx, 0, in.width - 1), std::clamp(y + dy, 0, in.height - 1))[c];
                out.pixel(x, y)[c] = static_cast<std::uint8_t>((sum + 12) / 25);
            }
    return out;
}

Video blurred(Video v)
{
    for (Frame& f : v.frames)
        f = boxBlur5(f);
    return v;
}

} // namespace

class TestEval : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sampledGroundTruthPasses();
    void everyMotionPasses_data();
    void everyMotionPasses();
    void everyBackgroundPasses_data();
    void everyBackgroundPasses();
    void everyColourPasses_data();
    void everyColourPasses();
    void twoObjectsAreJudgedEach();

    void wrongColourFails_data();
    void wrongColourFails();
    void wrongBackgroundFails_data();
    void wrongBackgroundFails();
    void wrongMotionFails_data();
    void wrongMotionFails();
    void vanishingObjectFails();
    void colourDriftFails();
    void heavyBlurStillPasses();
    void softOffColourNoisyClipsPass();
    void backgroundNoiseRaisesFlicker();

    void standaloneMeasures();
    void travelDirectionIgnoresJitter();
    void seamOfContinuousRenderIsSmall();
    void seamOfCutIsLarge();
    void longRenderedClipsReadAsContinuous_data();
    void longRenderedClipsReadAsContinuous();
    void longClipFlawsAreCaught();
    void labColourDifference();
    void emptyClipFails();
    void analysisIsFast();

private:
    void addMotionRows();
};

void TestEval::sampledGroundTruthPasses()
{
    int bg = 0, colour = 0, present = 0, motion = 0, shape = 0, passed = 0;
    for (int seed = 0; seed < kSampledScenes; ++seed) {
        const Scene scene = sampleScene(seed);
        const ClipVerdict v = eval::analyseClip(render(scene), scene);
        bg += v.backgroundOk;
        colour += v.colourOk;
        present += v.presentStable;
        motion += v.motionOk;
        shape += v.shapeOk;
        passed += v.passed();
        if (!v.passed() || !v.shapeOk)
            qInfo("seed %d: %s", seed, qPrintable(describe(scene, v)));
    }
    const double n = kSampledScenes;
    qInfo("ground truth over %d sampled scenes: background %.3f, colour %.3f, present %.3f, motion %.3f, "
          "shape %.3f, passed %.3f",
        kSampledScenes, bg / n, colour / n, present / n, motion / n, shape / n, passed / n);
    QVERIFY(bg / n >= 0.995);
    QVERIFY(colour / n >= 0.995);
    QVERIFY(present / n >= 0.99);
    QVERIFY(motion / n >= 0.99);
    QVERIFY(shape / n >= 0.97);
    QVERIFY(passed / n >= 0.99);
}

void TestEval::addMotionRows()
{
    QTest::addColumn<Motion>("motion");
    for (int m = 0; m < kMotionCount; ++m)
        QTest::newRow(motionPhrase(static_cast<Motion>(m)).data()) << static_cast<Motion>(m);
}

void TestEval::everyMotionPasses_data()
{
    addMotionRows();
}

// Every shape, size, speed and many backgrounds for each motion.
void TestEval::everyMotionPasses()
{
    QFETCH(Motion, motion);
    int shapes = 0;
    for (int i = 0; i < 15; ++i) {
        const Scene scene = varied(motion, i);
        const ClipVerdict v = eval::analyseClip(render(scene), scene);
        QVERIFY2(v.passed(), qPrintable(describe(scene, v)));
        QCOMPARE(QString::fromStdString(v.detectedMotion), QString(motionPhrase(motion).data()));
        shapes += v.shapeOk;
    }
    QVERIFY2(shapes >= 14, qPrintable(QString("%1 of 15 shapes right").arg(shapes)));
}

void TestEval::everyBackgroundPasses_data()
{
    QTest::addColumn<Background>("background");
    for (int b = 0; b < kBackgroundCount; ++b)
        QTest::newRow(backgroundName(static_cast<Background>(b)).data()) << static_cast<Background>(b);
}

void TestEval::everyBackgroundPasses()
{
    QFETCH(Background, background);
    for (int m = 0; m < kMotionCount; ++m) {
        const Scene scene = single(static_cast<Motion>(m), background, colourFor(background, m),
            static_cast<Shape>(m % kShapeCount), static_cast<Size>(m % kSizeCount), Speed::Normal, 40 + m);
        QCOMPARE(eval::classifyBackground(render(scene)), background);
        const ClipVerdict v = eval::analyseClip(render(scene), scene);
        QVERIFY2(v.passed(), qPrintable(describe(scene, v)));
    }
}

void TestEval::everyColourPasses_data()
{
    QTest::addColumn<Color>("colour");
    for (int c = 0; c < kColorCount; ++c)
        QTest::newRow(colorName(static_cast<Color>(c)).data()) << static_cast<Color>(c);
}

void TestEval::everyColourPasses()
{
    QFETCH(Color, colour);
    for (int b = 0; b < kBackgroundCount; ++b) {
        const auto bg = static_cast<Background>(b);
        if (!compatible(colour, bg))
            continue;
        const Scene scene = single(static_cast<Motion>((b * 3) % kMotionCount), bg, colour,
            static_cast<Shape>(b % kShapeCount), Size::Small, Speed::Fast, 70 + b);
        const Video clip = render(scene);
        QCOMPARE(eval::dominantObjectColour(clip, bg), std::optional<Color>(colour));
        const ClipVerdict v = eval::analyseClip(clip, scene);
        QVERIFY2(v.passed(), qPrintable(describe(scene, v)));
    }
}

void TestEval::twoObjectsAreJudgedEach()
{
    int pairs = 0;
    for (std::uint64_t seed = 0; pairs < 30; ++seed) {
        const Scene scene = sampleScene(seed);
        if (scene.objects.size() != 2)
            continue;
        ++pairs;
        const ClipVerdict v = eval::analyseClip(render(scene), scene);
        QVERIFY2(v.passed(), qPrintable(describe(scene, v)));
        QVERIFY(v.detectedMotion.find(" and ") != std::string::npos);

        // One object in the wrong motion fails the pair.
        Scene wrong = scene;
        wrong.objects[1].motion = wrong.objects[1].motion == Motion::Still ? Motion::Grow : Motion::Still;
        wrong.objects[1].speed = Speed::Normal;
        const ClipVerdict w = eval::analyseClip(render(wrong), scene);
        QVERIFY2(!w.motionOk && !w.passed(), qPrintable(describe(scene, w)));
    }
}

void TestEval::wrongColourFails_data()
{
    everyColourPasses_data();
}

// Rendered in another colour, judged against the asked-for one.
void TestEval::wrongColourFails()
{
    QFETCH(Color, colour);
    for (int b = 0; b < kBackgroundCount; ++b) {
        const auto bg = static_cast<Background>(b);
        if (!compatible(colour, bg))
            continue;
        const Scene asked
            = single(Motion::Right, bg, colour, Shape::Circle, Size::Medium, Speed::Normal, 5 + b);
        Scene shown = asked;
        shown.objects[0].color = colourFor(bg, static_cast<int>(colour) + 1);
        const ClipVerdict v = eval::analyseClip(render(shown), asked);
        QVERIFY2(!v.colourOk && !v.passed(), qPrintable(describe(asked, v)));
        QVERIFY(v.backgroundOk);
    }
}

void TestEval::wrongBackgroundFails_data()
{
    everyBackgroundPasses_data();
}

void TestEval::wrongBackgroundFails()
{
    QFETCH(Background, background);
    for (int d = 1; d < kBackgroundCount; ++d) {
        const auto other = static_cast<Background>((static_cast<int>(background) + d) % kBackgroundCount);
        Color colour = Color::Red;
        for (int c = 0; c < kColorCount; ++c)
            if (compatible(static_cast<Color>(c), background) && compatible(static_cast<Color>(c), other)) {
                colour = static_cast<Color>(c);
                break;
            }
        const Scene asked
            = single(Motion::Orbit, background, colour, Shape::Triangle, Size::Medium, Speed::Normal, 9 + d);
        Scene shown = asked;
        shown.background = other;
        const ClipVerdict v = eval::analyseClip(render(shown), asked);
        QVERIFY2(!v.backgroundOk && !v.passed(), qPrintable(describe(asked, v)));
        QCOMPARE(v.detectedBackground, std::string(backgroundName(other)));
    }
}

void TestEval::wrongMotionFails_data()
{
    QTest::addColumn<Motion>("asked");
    QTest::addColumn<Motion>("shown");
    const std::pair<Motion, Motion> pairs[] = { { Motion::Left, Motion::Right }, { Motion::Up, Motion::Down },
        { Motion::Still, Motion::Right }, { Motion::Still, Motion::Up }, { Motion::Grow, Motion::Shrink },
        { Motion::Bounce, Motion::Fall }, { Motion::Fall, Motion::Down }, { Motion::Orbit, Motion::Left },
        { Motion::Spin, Motion::Still }, { Motion::Grow, Motion::Still } };
    for (const auto& [a, b] : pairs) {
        QTest::addRow("%s, shows %s", motionPhrase(a).data(), motionPhrase(b).data()) << a << b;
        QTest::addRow("%s, shows %s", motionPhrase(b).data(), motionPhrase(a).data()) << b << a;
    }
}

void TestEval::wrongMotionFails()
{
    QFETCH(Motion, asked);
    QFETCH(Motion, shown);
    for (int i = 0; i < 10; ++i) {
        Scene want = varied(asked, i);
        if (shown == Motion::Spin && want.objects[0].shape == Shape::Circle)
            want.objects[0].shape = Shape::Star; // a spinning circle shows nothing
        Scene drawn = want;
        drawn.objects[0].motion = shown;
        if (shown == Motion::Still)
            drawn.objects[0].speed = Speed::Normal;
        const ClipVerdict v = eval::analyseClip(render(drawn), want);
        QVERIFY2(!v.motionOk && !v.passed(), qPrintable(describe(want, v)));
        QVERIFY2(v.backgroundOk && v.colourOk && v.presentStable, qPrintable(describe(want, v)));
    }
}

void TestEval::vanishingObjectFails()
{
    for (int i = 0; i < 20; ++i) {
        const Scene scene = varied(static_cast<Motion>(i % kMotionCount), i);
        Scene empty = scene;
        empty.objects.clear();
        Video clip = render(scene);
        const Video background = render(empty);
        for (std::size_t f = clip.frames.size() / 2; f < clip.frames.size(); ++f)
            clip.frames[f] = background.frames[f];
        const ClipVerdict v = eval::analyseClip(clip, scene);
        QVERIFY2(!v.presentStable && !v.passed(), qPrintable(describe(scene, v)));
        QVERIFY(v.backgroundOk);
    }
}

// Half way through, the red object turns towards orange: still red enough to be
// tracked as red, but not the same red.
void TestEval::colourDriftFails()
{
    const Rgb red = colorRgb(Color::Red);
    for (int b = 0; b < kBackgroundCount; ++b) {
        const auto bg = static_cast<Background>(b);
        const Scene scene = single(Motion::Up, bg, Color::Red, Shape::Square, Size::Large);
        Video clip = render(scene);
        for (std::size_t f = clip.frames.size() / 2; f < clip.frames.size(); ++f)
            for (std::size_t i = 0; i < clip.frames[f].rgb.size(); i += 3) {
                std::uint8_t* p = clip.frames[f].rgb.data() + i;
                if (p[0] == red.r && p[1] == red.g && p[2] == red.b)
                    p[1] = static_cast<std::uint8_t>(red.g + 45);
            }
        const ClipVerdict v = eval::analyseClip(clip, scene);
        QVERIFY2(v.colourOk && !v.presentStable && !v.passed(), qPrintable(describe(scene, v)));
    }
}

void TestEval::heavyBlurStillPasses()
{
    constexpr int kScenes = 200;
    int bg = 0, colour = 0, motion = 0, shape = 0;
    for (int seed = 0; seed < kScenes; ++seed) {
        const Scene scene = sampleScene(seed);
        const ClipVerdict v = eval::analyseClip(blurred(render(scene)), scene);
        bg += v.backgroundOk;
        colour += v.colourOk;
        motion += v.motionOk;
        shape += v.shapeOk;
        if (!v.backgroundOk || !v.colourOk || !v.motionOk)
            qInfo("blurred seed %d: %s", seed, qPrintable(describe(scene, v)));
    }
    const double n = kScenes;
    qInfo("5 x 5 box blur over %d scenes: background %.3f, colour %.3f, motion %.3f, shape %.3f", kScenes,
        bg / n, colour / n, motion / n, shape / n);
    QVERIFY(bg / n >= 0.99);
    QVERIFY(colour / n >= 0.99);
    QVERIFY(motion / n >= 0.99);
}

// What a generated clip may look like: soft, a little off-colour, grainy.
void TestEval::softOffColourNoisyClipsPass()
{
    constexpr int kScenes = 150;
    std::mt19937 rng(7);
    std::normal_distribution<double> cast(0.0, 8.0), grain(0.0, 4.0);
    int passed = 0;
    for (int seed = 0; seed < kScenes; ++seed) {
        const Scene scene = sampleScene(5000 + seed);
        Video clip = render(scene);
        const double shift[3] = { cast(rng), cast(rng), cast(rng) };
        for (Frame& f : clip.frames) {
            f = boxBlur5(f);
            for (std::size_t i = 0; i < f.rgb.size(); ++i)
                f.rgb[i] = static_cast<std::uint8_t>(
                    std::clamp(std::lround(f.rgb[i] + shift[i % 3] + grain(rng)), 0L, 255L));
        }
        const ClipVerdict v = eval::analyseClip(clip, scene);
        passed += v.passed();
        if (!v.passed())
            qInfo("soft seed %d: %s", 5000 + seed, qPrintable(describe(scene, v)));
    }
    qInfo("blurred, cast and grainy clips: %.3f passed", passed / double(kScenes));
    QVERIFY(passed >= kScenes * 97 / 100);
}

void TestEval::backgroundNoiseRaisesFlicker()
{
    std::mt19937 rng(3);
    std::normal_distribution<double> noise(0.0, 8.0);
    for (int b = 0; b < kBackgroundCount; ++b) {
        const auto bg = static_cast<Background>(b);
        const Scene scene = single(Motion::Left, bg, colourFor(bg, b), Shape::Diamond);
        Video clip = render(scene);
        const ClipVerdict clean = eval::analyseClip(clip, scene);
        QVERIFY2(clean.passed(), qPrintable(describe(scene, clean)));
        QVERIFY2(clean.backgroundFlicker < 1.0, qPrintable(QString::number(clean.backgroundFlicker)));
        for (Frame& f : clip.frames)
            for (std::uint8_t& v : f.rgb)
                v = static_cast<std::uint8_t>(std::clamp(std::lround(v + noise(rng)), 0L, 255L));
        const ClipVerdict noisy = eval::analyseClip(clip, scene);
        QVERIFY2(noisy.backgroundFlicker > clean.backgroundFlicker + 4.0,
            qPrintable(QString("%1 -> %2").arg(clean.backgroundFlicker).arg(noisy.backgroundFlicker)));
        QVERIFY2(noisy.passed(), qPrintable(describe(scene, noisy)));
    }
}

// travelAlong: every one-way motion of the ground truth went that way, played
// backwards it went the other way; a jittery path that the classifier calls orbiting still counts
// when it ends up further the asked way; other motions are not judged.
void TestEval::travelDirectionIgnoresJitter()
{
    for (Motion m : { Motion::Left, Motion::Right, Motion::Up, Motion::Down, Motion::Fall }) {
        const Scene scene = single(m, Background::Gray, Color::Yellow);
        const Video clip = render(scene);
        eval::ObjectTrack t = eval::trackColour(clip, Color::Yellow, Background::Gray);
        QCOMPARE(eval::travelAlong(t, m, kFrameSize), std::optional<int>(1));
        eval::ObjectTrack back = t;
        std::reverse(back.cx.begin(), back.cx.end());
        std::reverse(back.cy.begin(), back.cy.end());
        QCOMPARE(eval::travelAlong(back, m, kFrameSize), std::optional<int>(-1));
        if (m == Motion::Left) {
            // Jumps of 30 px across the way of travel, every other frame.
            for (std::size_t f = 0; f < t.cy.size(); ++f)
                t.cy[f] += (f / 2) % 2 ? 30.0 : -30.0;
            QCOMPARE(eval::classifyMotion(t, kFrameSize), Motion::Orbit);
            QCOMPARE(eval::travelAlong(t, m, kFrameSize), std::optional<int>(1));
        }
    }
    const Video orbit = render(single(Motion::Orbit, Background::Gray, Color::Yellow));
    QCOMPARE(eval::travelAlong(
                 eval::trackColour(orbit, Color::Yellow, Background::Gray), Motion::Orbit, kFrameSize),
        std::nullopt);
    const Video still = render(single(Motion::Still, Background::Gray, Color::Yellow));
    QCOMPARE(eval::travelAlong(
                 eval::trackColour(still, Color::Yellow, Background::Gray), Motion::Left, kFrameSize),
        std::optional<int>(0));
}

void TestEval::standaloneMeasures()
{
    for (int i = 0; i < 10; ++i) {
        const Scene scene = varied(Motion::Right, i);
        const ObjectSpec& o = scene.objects[0];
        const Video clip = render(scene);
        const eval::ObjectTrack t = eval::trackColour(clip, o.color, scene.background);
        QCOMPARE(t.present.size(), clip.frames.size());
        for (std::size_t f = 0; f < clip.frames.size(); ++f) {
            QVERIFY(t.present[f]);
            const ObjectState s = objectState(scene, 0, static_cast<int>(f));
            QVERIFY2(std::abs(t.cx[f] - s.cx) < 1.0 && std::abs(t.cy[f] - s.cy) < 1.0,
                qPrintable(QString("frame %1: %2,%3 vs %4,%5")
                               .arg(f)
                               .arg(t.cx[f])
                               .arg(t.cy[f])
                               .arg(s.cx)
                               .arg(s.cy)));
        }
        QCOMPARE(eval::classifyMotion(t, kFrameSize), Motion::Right);
        QCOMPARE(eval::classifyShape(clip, o.color, scene.background), std::optional<Shape>(o.shape));
    }
    // Spinning needs the pixels: the path alone says still.
    const Scene spin = single(Motion::Spin, Background::Gray, Color::Yellow, Shape::Triangle);
    const Video clip = render(spin);
    QCOMPARE(eval::classifyMotion(eval::trackColour(clip, Color::Yellow, Background::Gray), kFrameSize),
        Motion::Still);
    QCOMPARE(eval::classifyMotion(clip, Color::Yellow, Background::Gray), Motion::Spin);
    // Absent colours.
    const eval::ObjectTrack none = eval::trackColour(clip, Color::Blue, Background::Gray);
    QVERIFY(std::none_of(none.present.begin(), none.present.end(), [](bool p) { return p; }));
    QVERIFY(std::isnan(none.cx.front()));
    Scene empty = spin;
    empty.objects.clear();
    QCOMPARE(eval::dominantObjectColour(render(empty), Background::Gray), std::nullopt);
}

void TestEval::seamOfContinuousRenderIsSmall()
{
    for (int i = 0; i < 12; ++i) {
        const Motion m = std::array { Motion::Left, Motion::Right, Motion::Up, Motion::Down, Motion::Orbit,
            Motion::Still }[i % 6];
        const Scene scene = varied(m, i);
        const eval::SeamReport r = eval::measureSeam(render(scene), 9);
        QVERIFY2(r.jumpRatio > 0.6 && r.jumpRatio < 1.6,
            qPrintable(QString("%1: ratio %2").arg(canonicalCaption(scene).c_str()).arg(r.jumpRatio)));
        QVERIFY2(r.psnrAcross > 20.0, qPrintable(QString::number(r.psnrAcross)));
    }
}

void TestEval::seamOfCutIsLarge()
{
    for (int i = 0; i < 12; ++i) {
        // A later window that lost the scene: another background and objects.
        const Scene first = sampleScene(200 + i);
        Scene second = sampleScene(300 + i);
        if (second.background == first.background)
            second.background
                = static_cast<Background>((static_cast<int>(first.background) + 1) % kBackgroundCount);
        for (ObjectSpec& o : second.objects)
            o.color = colourFor(second.background, static_cast<int>(o.color));
        Video clip = render(first);
        const Video other = render(second);
        for (std::size_t f = 9; f < clip.frames.size(); ++f)
            clip.frames[f] = other.frames[f];
        const eval::SeamReport r = eval::measureSeam(clip, 9);
        QVERIFY2(r.jumpRatio > 3.0,
            qPrintable(QString("ratio %1 (step %2 over %3)")
                           .arg(r.jumpRatio)
                           .arg(r.stepAcross)
                           .arg(r.meanKnownStep)));
        QVERIFY(r.stepAcross > r.meanKnownStep);
    }
    QCOMPARE(eval::measureSeam(Video {}, 3).jumpRatio, 0.0);
}

void TestEval::emptyClipFails()
{
    const ClipVerdict v = eval::analyseClip(Video {}, sampleScene(1));
    QVERIFY(!v.passed());
    QVERIFY(!v.notes.empty());

    Video ragged = render(sampleScene(1));
    ragged.frames[3] = Frame(64, 64);
    QVERIFY(!eval::analyseClip(ragged, sampleScene(1)).passed());
    QCOMPARE(eval::dominantObjectColour(ragged, Background::Black), std::nullopt);
    QCOMPARE(eval::measureSeam(ragged, 5).jumpRatio, 0.0);
}

void TestEval::analysisIsFast()
{
    std::vector<std::pair<Scene, Video>> clips;
    for (int seed = 0; seed < 40; ++seed) {
        const Scene s = sampleScene(1000 + seed);
        clips.emplace_back(s, render(s));
    }
    int passed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& [scene, clip] : clips)
        passed += eval::analyseClip(clip, scene).passed();
    const double ms
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()
        / clips.size();
    qInfo("analyseClip: %.2f ms per %d-frame %dx%d clip", ms, kWindowFrames, kFrameSize, kFrameSize);
    QVERIFY(passed >= 39);
    // About 10 ms on an idle 2-core machine; the bound only catches a blow-up (the test
    // machines are shared, and speed goals are met in benchmarks, not timed tests: it
    // failed at 33 ms beside a training run).
    QVERIFY2(ms < 200.0, qPrintable(QString::number(ms)));
}

namespace {

// A minute at 8 fps and the joins of 17-frame windows overlapping by 5 (new frames from
// 17, every 12) with groups of four inside them.
constexpr int kMinute = 481;
eval::JoinFrames minuteJoins()
{
    eval::JoinFrames j;
    for (int f = 17; f < kMinute; f += 12)
        j.windowStarts.push_back(f);
    for (int f = 1; f < kMinute; f += 4)
        if (std::find(j.windowStarts.begin(), j.windowStarts.end(), f) == j.windowStarts.end())
            j.groupStarts.push_back(f);
    return j;
}

} // namespace

void TestEval::longRenderedClipsReadAsContinuous_data()
{
    QTest::addColumn<Motion>("motion");
    QTest::newRow("bounce") << Motion::Bounce;
    QTest::newRow("orbit") << Motion::Orbit;
    QTest::newRow("spin") << Motion::Spin;
    QTest::newRow("still") << Motion::Still;
}

// What the renderer draws for a minute meets every bar of the long-clip issue: no seams,
// no drift, always present, as lively at the end as at the start.
void TestEval::longRenderedClipsReadAsContinuous()
{
    QFETCH(Motion, motion);
    const Scene scene = single(motion, Background::Gray, Color::Red, Shape::Star, Size::Medium);
    const Video clip = render(scene, kMinute);
    QCOMPARE(int(clip.frames.size()), kMinute);
    const auto m = eval::measureLongClip(clip, scene, minuteJoins());
    const QString all = QString("seams %1/%2 groups %3/%4 area %5 colour %6 bg %7 presence %8 motion %9")
                            .arg(m.windows.mean).arg(m.windows.max).arg(m.groups.mean).arg(m.groups.max)
                            .arg(m.areaChange).arg(m.colourDeltaE).arg(m.backgroundDeltaE).arg(m.minPresence)
                            .arg(m.motionEndOverStart);
    QCOMPARE(m.windows.count, 39);
    QVERIFY2(m.windows.mean <= 1.5 && m.windows.max <= 2.5, qPrintable(all));
    QVERIFY2(m.groups.mean <= 1.5 && m.groups.max <= 2.5, qPrintable(all));
    QVERIFY2(m.areaChange <= 0.2 && m.colourDeltaE <= 5 && m.backgroundDeltaE <= 5, qPrintable(all));
    QVERIFY2(m.minPresence >= 0.95, qPrintable(all));
    if (motion != Motion::Still)
        QVERIFY2(m.motionEndOverStart >= 0.8, qPrintable(all));
}

// Each flaw a long generated clip shows moves its own measure past the bar.
void TestEval::longClipFlawsAreCaught()
{
    const Scene scene = single(Motion::Orbit, Background::Gray, Color::Red, Shape::Star, Size::Medium);
    const Video clean = render(scene, kMinute);
    const auto joins = minuteJoins();

    // Every other window a little brighter: a step at each window start.
    Video seams = clean;
    for (size_t w = 0; w < joins.windowStarts.size(); w += 2) {
        const int from = joins.windowStarts[w];
        const int to = w + 1 < joins.windowStarts.size() ? joins.windowStarts[w + 1] : kMinute;
        for (int f = from; f < to; ++f)
            for (auto& v : seams.frames[f].rgb)
                v = static_cast<std::uint8_t>(std::min(255, v + 12));
    }
    const auto s = eval::measureLongClip(seams, scene, joins);
    QVERIFY2(s.windows.mean > 2.5, qPrintable(QString::number(s.windows.mean)));
    QVERIFY2(s.groups.mean < 1.5, qPrintable(QString::number(s.groups.mean)));

    // Frozen for the last third.
    Video frozen = clean;
    for (int f = kMinute * 2 / 3; f < kMinute; ++f)
        frozen.frames[f] = frozen.frames[kMinute * 2 / 3];
    QVERIFY(eval::measureLongClip(frozen, scene, joins).motionEndOverStart < 0.1);

    // Colours drifting towards blue over the clip.
    Video drifted = clean;
    for (int f = 0; f < kMinute; ++f)
        for (size_t i = 2; i < drifted.frames[f].rgb.size(); i += 3)
            drifted.frames[f].rgb[i] = static_cast<std::uint8_t>(std::min(255, drifted.frames[f].rgb[i] + 40 * f / kMinute));
    const auto d = eval::measureLongClip(drifted, scene, joins);
    QVERIFY2(d.colourDeltaE > 5 && d.backgroundDeltaE > 5,
             qPrintable(QString("%1 %2").arg(d.colourDeltaE).arg(d.backgroundDeltaE)));

    // The object gone for most of one tenth, and shrunk to half at the end.
    Video gone = clean;
    Scene empty = scene;
    empty.objects.clear();
    const Video background = render(empty, 1);
    for (int f = 200; f < 240; ++f)
        gone.frames[f] = background.frames[0];
    const auto g = eval::measureLongClip(gone, scene, joins);
    QVERIFY2(g.minPresence < 0.5, qPrintable(QString::number(g.minPresence)));
    Scene smaller = scene;
    smaller.objects[0].size = Size::Small;
    const Video small = render(smaller, kMinute);
    Video shrunk = clean;
    for (int f = kMinute - 80; f < kMinute; ++f)
        shrunk.frames[f] = small.frames[f];
    QVERIFY(eval::measureLongClip(shrunk, scene, joins).areaChange > 0.2);
}

// CIE Lab and Delta E 1976 against published values.
void TestEval::labColourDifference()
{
    const auto white = eval::toLab({255, 255, 255});
    QVERIFY(std::abs(white[0] - 100) < 0.01 && std::abs(white[1]) < 0.01 && std::abs(white[2]) < 0.01);
    const auto red = eval::toLab({255, 0, 0});
    QVERIFY(std::abs(red[0] - 53.24) < 0.05 && std::abs(red[1] - 80.09) < 0.05 && std::abs(red[2] - 67.20) < 0.05);
    QCOMPARE(eval::deltaE({10, 20, 30}, {10, 20, 30}), 0.0);
    QVERIFY(std::abs(eval::deltaE({0, 0, 0}, {255, 255, 255}) - 100) < 0.01);
}

QTEST_GUILESS_MAIN(TestEval)
#include "tst_eval.moc"
