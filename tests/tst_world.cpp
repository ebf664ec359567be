// Tests for core/world: the shapes world's sampling, rendering and captions
// (WORLD.md, docs/captions.md). Motions are checked on the rendered pixels, not
// only on objectState, so the pictures the model learns from are what the words say.

#include "world/world.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <set>
#include <sstream>

using namespace kinora;
using namespace kinora::world;

Q_DECLARE_METATYPE(kinora::world::Shape)
Q_DECLARE_METATYPE(kinora::world::Motion)
Q_DECLARE_METATYPE(kinora::world::Speed)
Q_DECLARE_METATYPE(kinora::world::Color)
Q_DECLARE_METATYPE(kinora::world::Background)

namespace {

constexpr int kLast = kWindowFrames - 1; // t = 1
constexpr double kTravel = 48.0;
const Rgb kBlack { 10, 10, 15 };

Scene single(Shape shape, Motion motion, Speed speed = Speed::Normal, Size size = Size::Medium,
    Color color = Color::White, Background background = Background::Black, std::uint64_t seed = 7)
{
    Scene s;
    s.background = background;
    s.seed = seed;
    s.objects.push_back({ color, shape, size, motion, speed, Placement::Center });
    return s;
}

double speedOf(Speed s)
{
    return s == Speed::Slow ? 0.5 : (s == Speed::Fast ? 1.75 : 1.0);
}

bool equals(const std::uint8_t* p, Rgb c)
{
    return p[0] == c.r && p[1] == c.g && p[2] == c.b;
}

// Area and centroid of an object on a flat background, each pixel weighted by how
// far it has moved from the background towards the object colour (its coverage).
struct Blob {
    double area = 0, cx = 0, cy = 0;
};

Blob measure(const Frame& f, Rgb object, Rgb background)
{
    const double dr = double(object.r) - background.r, dg = double(object.g) - background.g,
                 db = double(object.b) - background.b;
    const double norm = dr * dr + dg * dg + db * db;
    Blob b;
    for (int y = 0; y < f.height; ++y) {
        for (int x = 0; x < f.width; ++x) {
            const std::uint8_t* p = f.pixel(x, y);
            const double a = std::clamp(
                ((p[0] - background.r) * dr + (p[1] - background.g) * dg + (p[2] - background.b) * db) / norm,
                0.0, 1.0);
            b.area += a;
            b.cx += a * (x + 0.5);
            b.cy += a * (y + 0.5);
        }
    }
    if (b.area > 0) {
        b.cx /= b.area;
        b.cy /= b.area;
    }
    return b;
}

std::vector<Blob> track(const Scene& scene, int frames = kWindowFrames)
{
    const Video v = render(scene, frames);
    std::vector<Blob> out;
    for (const Frame& f : v.frames)
        out.push_back(measure(f, colorRgb(scene.objects[0].color), backgroundMeanRgb(scene.background)));
    return out;
}

std::vector<std::string> words(const std::string& text)
{
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

bool hasWord(const std::string& text, std::string_view word)
{
    const auto w = words(text);
    return std::find(w.begin(), w.end(), word) != w.end();
}

bool hasAnyWord(const std::string& text, std::initializer_list<std::string_view> options)
{
    return std::any_of(options.begin(), options.end(), [&](std::string_view w) { return hasWord(text, w); });
}

bool sameSpec(const ObjectSpec& a, const ObjectSpec& b)
{
    return a.color == b.color && a.shape == b.shape && a.size == b.size && a.motion == b.motion
        && a.speed == b.speed && a.placement == b.placement;
}

void addShapeSpeedRows(bool withCircle)
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<Speed>("speed");
    for (int s = withCircle ? 0 : 1; s < kShapeCount; ++s) {
        for (int v = 0; v < kSpeedCount; ++v) {
            const auto shape = static_cast<Shape>(s);
            const auto speed = static_cast<Speed>(v);
            QTest::addRow("%s %s", shapeName(shape).data(), v == 1 ? "normal" : speedName(speed).data())
                << shape << speed;
        }
    }
}

} // namespace

class TestWorld : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void samplingIsDeterministic();
    void samplingCoversTheWorld();
    void renderIsDeterministic();
    void flatColorsAreExact_data();
    void flatColorsAreExact();
    void travelMovesTheObject_data();
    void travelMovesTheObject();
    void fallAccelerates_data() { addShapeSpeedRows(true); }
    void fallAccelerates();
    void orbitTurns_data() { addShapeSpeedRows(true); }
    void orbitTurns();
    void bounceTouchesTheFloorAndComesBack_data() { addShapeSpeedRows(true); }
    void bounceTouchesTheFloorAndComesBack();
    void growAndShrinkChangeTheArea_data();
    void growAndShrinkChangeTheArea();
    void spinTurnsInPlace_data() { addShapeSpeedRows(false); }
    void spinTurnsInPlace();
    void stillStaysStill();
    void objectsStayInsideTheFrame();
    void pairsStartApartInTheirHalves();
    void colorDistanceRule();
    void canonicalCaptionRoundTrip();
    void canonicalCaptionExamples_data();
    void canonicalCaptionExamples();
    void paraphrasesAreVariedAndComplete();
    void paraphrasesCoverTheExamples();
    void vocabularyCoversEveryCaption();
    void checkerboardHasPeriod16();
    void grassFieldSplitsAt60Percent();
    void sunsetIsAMonotonicGradient();
    void starsTwinkle();
    void renderIsFast();
};

void TestWorld::samplingIsDeterministic()
{
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        const Scene a = sampleScene(seed), b = sampleScene(seed);
        QCOMPARE(canonicalCaption(a), canonicalCaption(b));
        QCOMPARE(a.seed, seed);
    }
    // Pinned: the stream is our own splitmix64, so this holds on every standard library.
    QCOMPARE(canonicalCaption(sampleScene(1)),
        std::string("a red circle bouncing slowly on the left and a large green "
                    "circle moving up on the right on a beige background"));
    QCOMPARE(
        canonicalCaption(sampleScene(3)), std::string("a small green circle shrinking on a navy background"));
}

void TestWorld::samplingCoversTheWorld()
{
    constexpr int kScenes = 3000;
    int pairs = 0, normal = 0, objects = 0;
    std::set<int> colors, shapes, sizes, motions, backgrounds, speeds;
    for (int i = 0; i < kScenes; ++i) {
        const Scene s = sampleScene(1000 + i);
        QVERIFY(s.objects.size() == 1 || s.objects.size() == 2);
        backgrounds.insert(static_cast<int>(s.background));
        pairs += s.objects.size() == 2;
        for (const ObjectSpec& o : s.objects) {
            ++objects;
            colors.insert(static_cast<int>(o.color));
            shapes.insert(static_cast<int>(o.shape));
            sizes.insert(static_cast<int>(o.size));
            motions.insert(static_cast<int>(o.motion));
            speeds.insert(static_cast<int>(o.speed));
            normal += o.speed == Speed::Normal;
            QVERIFY(!(o.shape == Shape::Circle && o.motion == Motion::Spin));
            QVERIFY(o.motion != Motion::Still || o.speed == Speed::Normal);
            QCOMPARE(o.placement == Placement::Center, s.objects.size() == 1);
        }
        if (s.objects.size() == 2)
            QVERIFY(s.objects[0].placement != s.objects[1].placement);
    }
    QVERIFY2(pairs > kScenes * 0.15 && pairs < kScenes * 0.25, qPrintable(QString::number(pairs)));
    QVERIFY(normal > objects / 2);
    QCOMPARE(int(colors.size()), kColorCount);
    QCOMPARE(int(shapes.size()), kShapeCount);
    QCOMPARE(int(sizes.size()), kSizeCount);
    QCOMPARE(int(motions.size()), kMotionCount);
    QCOMPARE(int(speeds.size()), kSpeedCount);
    QCOMPARE(int(backgrounds.size()), kBackgroundCount);
}

void TestWorld::renderIsDeterministic()
{
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const Video a = render(sampleScene(seed)), b = render(sampleScene(seed));
        QCOMPARE(int(a.frames.size()), kWindowFrames);
        QCOMPARE(a.fps, kFps);
        QCOMPARE(a.width(), kFrameSize);
        QCOMPARE(a.height(), kFrameSize);
        for (size_t f = 0; f < a.frames.size(); ++f)
            QVERIFY(a.frames[f].rgb == b.frames[f].rgb);
        const Video other = render(sampleScene(seed + 100));
        QVERIFY(a.frames[0].rgb != other.frames[0].rgb);
    }
    // The seed alone moves the start position.
    const Video a = render(
        single(Shape::Square, Motion::Still, Speed::Normal, Size::Medium, Color::Red, Background::Black, 1));
    const Video b = render(
        single(Shape::Square, Motion::Still, Speed::Normal, Size::Medium, Color::Red, Background::Black, 2));
    QVERIFY(a.frames[0].rgb != b.frames[0].rgb);
}

void TestWorld::flatColorsAreExact_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<Color>("color");
    QTest::addColumn<Background>("background");
    constexpr Background kFlat[]
        = { Background::Black, Background::Gray, Background::Navy, Background::Beige };
    for (int s = 0; s < kShapeCount; ++s) {
        for (int c = 0; c < kColorCount; ++c) {
            const Background bg = kFlat[(s + c) % 4];
            QTest::addRow("%s %s on %s", colorName(Color(c)).data(), shapeName(Shape(s)).data(),
                backgroundName(bg).data())
                << Shape(s) << Color(c) << bg;
        }
    }
}

void TestWorld::flatColorsAreExact()
{
    QFETCH(Shape, shape);
    QFETCH(Color, color);
    QFETCH(Background, background);
    const Scene scene = single(shape, Motion::Still, Speed::Normal, Size::Medium, color, background, 11);
    const Video video = render(scene, 1);
    const Frame& f = video.frames[0];
    const ObjectState s = objectState(scene, 0, 0);
    QVERIFY(equals(f.pixel(int(s.cx), int(s.cy)), colorRgb(color)));
    // The corner farthest from the object shows the background table colour.
    const int x = s.cx < kFrameSize / 2 ? kFrameSize - 1 : 0, y = s.cy < kFrameSize / 2 ? kFrameSize - 1 : 0;
    QVERIFY(equals(f.pixel(x, y), backgroundMeanRgb(background)));
}

void TestWorld::travelMovesTheObject_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<Motion>("motion");
    QTest::addColumn<Speed>("speed");
    for (Motion m : { Motion::Left, Motion::Right, Motion::Up, Motion::Down }) {
        for (int s = 0; s < kShapeCount; ++s) {
            for (int v = 0; v < kSpeedCount; ++v)
                QTest::addRow("%s %s speed %d", shapeName(Shape(s)).data(), motionPhrase(m).data(), v)
                    << Shape(s) << m << Speed(v);
        }
    }
}

void TestWorld::travelMovesTheObject()
{
    QFETCH(Shape, shape);
    QFETCH(Motion, motion);
    QFETCH(Speed, speed);
    const Scene scene = single(shape, motion, speed);
    const double d = kTravel * speedOf(speed);
    const double ex = motion == Motion::Left ? -d : (motion == Motion::Right ? d : 0.0);
    const double ey = motion == Motion::Up ? -d : (motion == Motion::Down ? d : 0.0);
    const std::vector<Blob> b = track(scene);
    for (int f = 0; f <= kLast; ++f) {
        const double t = f / double(kLast);
        QVERIFY2(std::abs(b[f].cx - b[0].cx - ex * t) < 0.5 && std::abs(b[f].cy - b[0].cy - ey * t) < 0.5,
            qPrintable(
                QString("frame %1: moved %2, %3").arg(f).arg(b[f].cx - b[0].cx).arg(b[f].cy - b[0].cy)));
        const ObjectState s = objectState(scene, 0, f);
        QVERIFY(std::abs(b[f].cx - s.cx) < 0.3 && std::abs(b[f].cy - s.cy) < 0.3);
    }
    // Past the window it keeps going and stops at the frame edge.
    const ObjectState late = objectState(scene, 0, 200);
    QVERIFY(motion != Motion::Left || late.cx - late.diameter / 2 < 4.0);
    QVERIFY(motion != Motion::Right || late.cx + late.diameter / 2 > kFrameSize - 4.0);
    QVERIFY(motion != Motion::Up || late.cy - late.diameter / 2 < 4.0);
    QVERIFY(motion != Motion::Down || late.cy + late.diameter / 2 > kFrameSize - 4.0);
}

void TestWorld::fallAccelerates()
{
    QFETCH(Shape, shape);
    QFETCH(Speed, speed);
    const std::vector<Blob> b = track(single(shape, Motion::Fall, speed));
    const double d = kTravel * speedOf(speed);
    QVERIFY(b[0].cy < kFrameSize / 2.0); // starts high
    QVERIFY(std::abs(b[kLast].cy - b[0].cy - d) < 0.5);
    QVERIFY(std::abs(b[kLast / 2].cy - b[0].cy - d / 4) < 0.5);
    for (int f = 2; f <= kLast; ++f) {
        QVERIFY(b[f].cy - b[f - 1].cy > b[f - 1].cy - b[f - 2].cy);
        QVERIFY(std::abs(b[f].cx - b[0].cx) < 0.3);
    }
}

void TestWorld::orbitTurns()
{
    QFETCH(Shape, shape);
    QFETCH(Speed, speed);
    const std::vector<Blob> b = track(single(shape, Motion::Orbit, speed));
    const double turn = 2.0 * std::numbers::pi * speedOf(speed);
    auto chord = [](double angle) { return 2.0 * 24.0 * std::abs(std::sin(angle / 2.0)); };
    auto dist = [&](int i, int j) { return std::hypot(b[i].cx - b[j].cx, b[i].cy - b[j].cy); };
    QVERIFY2(std::abs(dist(0, kLast) - chord(turn)) < 0.6, qPrintable(QString::number(dist(0, kLast))));
    for (int f = 1; f <= kLast; ++f)
        QVERIFY(std::abs(dist(f - 1, f) - chord(turn / kLast)) < 0.6); // a steady pace
}

void TestWorld::bounceTouchesTheFloorAndComesBack()
{
    QFETCH(Shape, shape);
    QFETCH(Speed, speed);
    const std::vector<Blob> b = track(single(shape, Motion::Bounce, speed));
    // The first floor contact: the first frame after which the object rises.
    int floor = 0;
    while (floor < kLast && b[floor + 1].cy >= b[floor].cy)
        ++floor;
    QVERIFY2(floor > 0 && floor < kLast, qPrintable(QString::number(floor)));
    const double lowest
        = std::max_element(b.begin(), b.end(), [](auto& l, auto& r) { return l.cy < r.cy; })->cy;
    QVERIFY(lowest - b[0].cy > 40.0); // fell from high (frames may straddle a contact)
    QVERIFY(b[floor].cy - b[std::min(floor + 3, kLast)].cy > 2.0); // and comes back up
    for (int f = 2; f < floor; ++f) // under gravity, before the frame that straddles the contact
        QVERIFY(b[f].cy - b[f - 1].cy > b[f - 1].cy - b[f - 2].cy);
    for (int f = 0; f <= kLast; ++f)
        QVERIFY(std::abs(b[f].cx - b[0].cx) < 0.3); // x fixed
}

void TestWorld::growAndShrinkChangeTheArea_data()
{
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<Motion>("motion");
    QTest::addColumn<Speed>("speed");
    for (Motion m : { Motion::Grow, Motion::Shrink }) {
        for (int s = 0; s < kShapeCount; ++s) {
            for (int v = 0; v < kSpeedCount; ++v)
                QTest::addRow("%s %s speed %d", shapeName(Shape(s)).data(), motionPhrase(m).data(), v)
                    << Shape(s) << m << Speed(v);
        }
    }
}

void TestWorld::growAndShrinkChangeTheArea()
{
    QFETCH(Shape, shape);
    QFETCH(Motion, motion);
    QFETCH(Speed, speed);
    const std::vector<Blob> b = track(single(shape, motion, speed, Size::Medium));
    const double scale = 1.0 + speedOf(speed); // doubles or halves at normal speed
    const double expected = motion == Motion::Grow ? scale * scale : 1.0 / (scale * scale);
    const double ratio = b[kLast].area / b[0].area;
    QVERIFY2(std::abs(ratio / expected - 1.0) < 0.05, qPrintable(QString::number(ratio)));
    for (int f = 1; f <= kLast; ++f) {
        QVERIFY(motion == Motion::Grow ? b[f].area > b[f - 1].area : b[f].area < b[f - 1].area);
        QVERIFY(std::abs(b[f].cx - b[0].cx) < 0.3 && std::abs(b[f].cy - b[0].cy) < 0.3);
    }
}

void TestWorld::spinTurnsInPlace()
{
    QFETCH(Shape, shape);
    QFETCH(Speed, speed);
    const Scene scene = single(shape, Motion::Spin, speed);
    const Video v = render(scene);
    const std::vector<Blob> b = track(scene);
    for (int f = 1; f <= kLast; ++f) {
        QVERIFY(std::abs(b[f].cx - b[0].cx) < 0.3 && std::abs(b[f].cy - b[0].cy) < 0.3);
        QVERIFY(std::abs(b[f].area / b[0].area - 1.0) < 0.03);
        QVERIFY(std::abs(std::remainder(
                    objectState(scene, 0, f).angleDeg - 360.0 * speedOf(speed) * f / kLast, 360.0))
            < 1e-6);
    }
    // Two frames apart the outline has turned 45 degrees or more: many pixels differ.
    int changed = 0;
    for (size_t i = 0; i < v.frames[0].rgb.size(); ++i)
        changed += std::abs(v.frames[0].rgb[i] - v.frames[2].rgb[i]) > 100;
    QVERIFY2(changed > 30, qPrintable(QString::number(changed)));
}

void TestWorld::stillStaysStill()
{
    for (int s = 0; s < kShapeCount; ++s) {
        const Video v = render(single(Shape(s), Motion::Still), 30);
        for (const Frame& f : v.frames)
            QVERIFY(f.rgb == v.frames[0].rgb);
    }
}

void TestWorld::objectsStayInsideTheFrame()
{
    // Also well past the window, where travel stops at the edge and periodic motions go on.
    for (std::uint64_t seed = 0; seed < 1000; ++seed) {
        const Scene scene = sampleScene(seed);
        for (int i = 0; i < int(scene.objects.size()); ++i) {
            for (int f = 0; f < 64; ++f) {
                const ObjectState s = objectState(scene, i, f);
                const double r = s.diameter / 2;
                QVERIFY2(s.cx - r >= 0 && s.cx + r <= kFrameSize && s.cy - r >= 0 && s.cy + r <= kFrameSize,
                    qPrintable(QString("seed %1 object %2 frame %3").arg(seed).arg(i).arg(f)));
            }
        }
        // The rendered border stays background: apexes and turned corners included.
        if (scene.background > Background::Beige || seed % 4)
            continue;
        const Rgb bg = backgroundMeanRgb(scene.background);
        for (const Frame& f : render(scene, 40).frames) {
            for (int k = 0; k < kFrameSize; ++k) {
                QVERIFY(equals(f.pixel(k, 0), bg) && equals(f.pixel(k, kFrameSize - 1), bg));
                QVERIFY(equals(f.pixel(0, k), bg) && equals(f.pixel(kFrameSize - 1, k), bg));
            }
        }
    }
}

void TestWorld::pairsStartApartInTheirHalves()
{
    int pairs = 0;
    for (std::uint64_t seed = 0; pairs < 300; ++seed) {
        const Scene scene = sampleScene(seed);
        if (scene.objects.size() != 2)
            continue;
        ++pairs;
        const ObjectState a = objectState(scene, 0, 0), b = objectState(scene, 1, 0);
        const double gap = std::max(std::abs(a.cx - b.cx) - (a.diameter + b.diameter) / 2,
            std::abs(a.cy - b.cy) - (a.diameter + b.diameter) / 2);
        QVERIFY2(gap >= 0, qPrintable(QString("seed %1").arg(seed)));
        const ObjectState leftMid
            = objectState(scene, scene.objects[0].placement == Placement::Left ? 0 : 1, 8);
        const ObjectState rightMid
            = objectState(scene, scene.objects[0].placement == Placement::Left ? 1 : 0, 8);
        QVERIFY(leftMid.cx < rightMid.cx || scene.objects[0].motion == Motion::Orbit
            || scene.objects[1].motion == Motion::Orbit);
    }
}

void TestWorld::colorDistanceRule()
{
    for (std::uint64_t seed = 0; seed < 1000; ++seed) {
        const Scene scene = sampleScene(seed);
        const Rgb bg = backgroundMeanRgb(scene.background);
        for (const ObjectSpec& o : scene.objects) {
            const Rgb c = colorRgb(o.color);
            QVERIFY(std::hypot(c.r - bg.r, c.g - bg.g, c.b - bg.b) >= 60.0);
        }
    }
}

void TestWorld::canonicalCaptionRoundTrip()
{
    for (std::uint64_t seed = 0; seed < 1000; ++seed) {
        const Scene scene = sampleScene(seed);
        const std::string caption = canonicalCaption(scene);
        const std::optional<Scene> parsed = parseCanonicalCaption(caption);
        QVERIFY2(parsed.has_value(), caption.c_str());
        QCOMPARE(parsed->seed, std::uint64_t(0));
        QCOMPARE(parsed->background, scene.background);
        QCOMPARE(parsed->objects.size(), scene.objects.size());
        for (size_t i = 0; i < scene.objects.size(); ++i)
            QVERIFY2(sameSpec(parsed->objects[i], scene.objects[i]), caption.c_str());
        QCOMPARE(canonicalCaption(*parsed), caption);
    }
}

void TestWorld::canonicalCaptionExamples_data()
{
    QTest::addColumn<QString>("caption");
    QTest::addColumn<bool>("valid");
    QTest::newRow("docs pair")
        << "a red circle moving up on the left and a large blue square spinning on the right "
           "on a black background"
        << true;
    QTest::newRow("simple") << "a red circle moving to the left on a black background" << true;
    QTest::newRow("two-word background")
        << "a small white star staying still on a starry night background" << true;
    QTest::newRow("speed") << "a green diamond falling quickly on a grass field background" << true;
    QTest::newRow("paraphrase") << "a red ball moving to the left on a black background" << false;
    QTest::newRow("no background") << "a red circle moving up" << false;
    QTest::newRow("trailing words") << "a red circle moving up on a black background now" << false;
    QTest::newRow("unknown colour") << "a pink circle moving up on a black background" << false;
    QTest::newRow("empty") << "" << false;
}

void TestWorld::canonicalCaptionExamples()
{
    QFETCH(QString, caption);
    QFETCH(bool, valid);
    const std::optional<Scene> parsed = parseCanonicalCaption(caption.toStdString());
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(QString::fromStdString(canonicalCaption(*parsed)), caption);
    if (QTest::currentDataTag() == QByteArray("docs pair")) {
        QCOMPARE(parsed->objects.size(), size_t(2));
        QVERIFY(sameSpec(parsed->objects[1],
            { Color::Blue, Shape::Square, Size::Large, Motion::Spin, Speed::Normal, Placement::Right }));
    }
}

void TestWorld::paraphrasesAreVariedAndComplete()
{
    const int count = paraphraseTemplateCount();
    QVERIFY(count >= 40);
    std::set<std::string> distinct;
    const Scene fixed
        = single(Shape::Square, Motion::Up, Speed::Slow, Size::Small, Color::Blue, Background::Beige);
    for (int v = 0; v < count; ++v)
        distinct.insert(paraphraseCaption(fixed, v));
    QVERIFY2(int(distinct.size()) >= 40, qPrintable(QString::number(distinct.size())));

    for (std::uint64_t seed = 0; seed < 1000; ++seed) {
        const Scene scene = sampleScene(seed);
        for (std::uint64_t v = seed; v < seed + 5 * 13; v += 13) {
            const std::string p = paraphraseCaption(scene, v);
            QVERIFY2(p == paraphraseCaption(scene, v), p.c_str());
            QVERIFY2(p.find("  ") == std::string::npos && !p.empty() && p.front() != ' ' && p.back() != ' ',
                p.c_str());
            for (const ObjectSpec& o : scene.objects) {
                QVERIFY2(hasWord(p, colorName(o.color)), p.c_str());
                if (o.size == Size::Small)
                    QVERIFY2(hasAnyWord(p, { "small", "little", "tiny" }), p.c_str());
                if (o.size == Size::Large)
                    QVERIFY2(hasAnyWord(p, { "large", "big" }), p.c_str());
                if (o.speed == Speed::Slow)
                    QVERIFY2(hasAnyWord(p, { "slowly", "gently", "slow", "leisurely" }), p.c_str());
                if (o.speed == Speed::Fast)
                    QVERIFY2(hasAnyWord(p, { "quickly", "fast", "rapidly", "swiftly", "high" }), p.c_str());
            }
            if (scene.objects.size() == 2)
                QVERIFY2(hasWord(p, "left") && hasWord(p, "right"), p.c_str());
            // No colour word that is not an object's.
            for (int c = 0; c < kColorCount; ++c) {
                const bool used = std::any_of(scene.objects.begin(), scene.objects.end(),
                    [c](const ObjectSpec& o) { return o.color == Color(c); });
                QVERIFY2(used || !hasWord(p, colorName(Color(c))), p.c_str());
            }
        }
    }
}

void TestWorld::paraphrasesCoverTheExamples()
{
    // The examples in WORLD.md are among the paraphrases of their scenes.
    struct Example {
        Scene scene;
        std::string text;
    };
    const Example examples[] = {
        { single(Shape::Circle, Motion::Left, Speed::Normal, Size::Medium, Color::Red),
            "a red ball moving to the left on a black background" },
        { single(Shape::Circle, Motion::Left, Speed::Normal, Size::Medium, Color::Red),
            "red circle slides left across a dark backdrop" },
        { single(Shape::Square, Motion::Up, Speed::Slow, Size::Small, Color::Blue, Background::Beige),
            "a small blue box rising slowly over beige" },
    };
    for (const Example& e : examples) {
        bool found = false;
        for (std::uint64_t v = 0; v < 2000000 && !found; ++v)
            found = paraphraseCaption(e.scene, v) == e.text;
        QVERIFY2(found, e.text.c_str());
    }
}

void TestWorld::vocabularyCoversEveryCaption()
{
    const std::vector<std::string> vocab = captionVocabulary();
    QVERIFY(std::is_sorted(vocab.begin(), vocab.end()));
    QVERIFY(std::adjacent_find(vocab.begin(), vocab.end()) == vocab.end());
    for (const std::string& w : vocab) {
        QVERIFY(!w.empty());
        QVERIFY2(std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }), w.c_str());
    }
    const std::set<std::string> known(vocab.begin(), vocab.end());
    for (std::uint64_t seed = 0; seed < 1000; ++seed) {
        const Scene scene = sampleScene(seed);
        std::vector<std::string> captions = { canonicalCaption(scene) };
        for (std::uint64_t v = 0; v < 20; ++v)
            captions.push_back(paraphraseCaption(scene, seed * 20 + v));
        for (const std::string& c : captions) {
            for (const std::string& w : words(c))
                QVERIFY2(known.count(w), (w + " in: " + c).c_str());
        }
    }
}

void TestWorld::checkerboardHasPeriod16()
{
    const Scene scene { Background::Checkerboard, {}, 5 };
    const Video video = render(scene, 1);
    const Frame& f = video.frames[0];
    const Rgb dark { 80, 80, 85 }, light { 100, 100, 105 };
    for (int y = 0; y < kFrameSize; ++y) {
        for (int x = 0; x < kFrameSize; ++x) {
            const bool isDark = equals(f.pixel(x, y), dark);
            QVERIFY(isDark || equals(f.pixel(x, y), light));
            if (x + 16 < kFrameSize)
                QCOMPARE(equals(f.pixel(x + 16, y), dark), !isDark);
            if (y + 32 < kFrameSize)
                QCOMPARE(equals(f.pixel(x, y + 32), dark), isDark);
        }
    }
    QVERIFY(equals(f.pixel(15, 0), dark) && equals(f.pixel(16, 0), light)); // squares of exactly 16
}

void TestWorld::grassFieldSplitsAt60Percent()
{
    const Video video = render(Scene { Background::GrassField, {}, 5 }, 1);
    const Frame& f = video.frames[0];
    const Rgb sky { 135, 180, 235 }, grass { 60, 140, 60 };
    for (int x = 0; x < kFrameSize; x += 9) {
        for (int y = 0; y < 76; ++y)
            QVERIFY(equals(f.pixel(x, y), sky));
        for (int y = 77; y < kFrameSize; ++y)
            QVERIFY(equals(f.pixel(x, y), grass));
    }
}

void TestWorld::sunsetIsAMonotonicGradient()
{
    const Video video = render(Scene { Background::Sunset, {}, 5 }, 1);
    const Frame& f = video.frames[0];
    auto near = [](const std::uint8_t* p, Rgb c) {
        return std::abs(p[0] - c.r) <= 2 && std::abs(p[1] - c.g) <= 2 && std::abs(p[2] - c.b) <= 2;
    };
    QVERIFY(near(f.pixel(0, 0), { 240, 140, 60 }));
    QVERIFY(near(f.pixel(0, kFrameSize - 1), { 80, 50, 120 }));
    for (int y = 1; y < kFrameSize; ++y) {
        const std::uint8_t *p = f.pixel(50, y), *above = f.pixel(50, y - 1);
        QVERIFY(p[0] < above[0] && p[1] <= above[1] && p[2] >= above[2]);
        QVERIFY(equals(f.pixel(0, y), Rgb { p[0], p[1], p[2] })); // rows are flat
    }
}

void TestWorld::starsTwinkle()
{
    auto starPixels = [](const Frame& f) {
        std::vector<int> at;
        for (int i = 0; i < kFrameSize * kFrameSize; ++i)
            if (f.rgb[i * 3] > 40)
                at.push_back(i);
        return at;
    };
    const Video a = render(Scene { Background::StarryNight, {}, 5 }, 8);
    const Video b = render(Scene { Background::StarryNight, {}, 6 }, 1);
    const std::vector<int> stars = starPixels(a.frames[0]);
    QVERIFY2(stars.size() >= 30, qPrintable(QString::number(stars.size())));
    QVERIFY(stars.size() < 400); // small stars on a dark sky
    QVERIFY(a.frames[1].rgb != a.frames[0].rgb); // twinkling
    QVERIFY(b.frames[0].rgb != a.frames[0].rgb); // the seed places them
    for (const Frame& f : a.frames) {
        int sky = 0;
        for (int i = 0; i < kFrameSize * kFrameSize; ++i) {
            const std::uint8_t* p = f.rgb.data() + i * 3;
            QVERIFY(p[0] == p[1] && p[2] >= p[0]); // white light over the night sky, never tinted
            sky += equals(p, kBlack);
        }
        QVERIFY(sky > kFrameSize * kFrameSize * 0.97);
    }
}

void TestWorld::renderIsFast()
{
    constexpr int kClips = 100;
    const auto start = std::chrono::steady_clock::now();
    std::size_t sink = 0;
    for (int i = 0; i < kClips; ++i)
        sink += render(sampleScene(5000 + i)).frames.back().rgb[0];
    const double ms
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()
        / kClips;
    qInfo("render: %.2f ms per %d-frame clip (checksum %zu)", ms, kWindowFrames, sink);
    QVERIFY2(ms < 50.0, qPrintable(QString::number(ms)));
}

QTEST_GUILESS_MAIN(TestWorld)
#include "tst_world.moc"
