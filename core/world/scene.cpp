// Names, colours and seeded scene sampling (WORLD.md, "Object colours" to "Scenes").

#include "world/world_internal.h"

#include <algorithm>
#include <cmath>

namespace kinora::world {

using detail::Rng;

std::string_view colorName(Color c)
{
    constexpr std::string_view kNames[kColorCount]
        = { "red", "orange", "yellow", "green", "cyan", "blue", "purple", "white" };
    return kNames[static_cast<int>(c)];
}

std::string_view backgroundName(Background b)
{
    constexpr std::string_view kNames[kBackgroundCount]
        = { "black", "gray", "navy", "beige", "starry night", "checkerboard", "grass field", "sunset" };
    return kNames[static_cast<int>(b)];
}

std::string_view shapeName(Shape s)
{
    constexpr std::string_view kNames[kShapeCount] = { "circle", "square", "triangle", "star", "diamond" };
    return kNames[static_cast<int>(s)];
}

std::string_view sizeName(Size s)
{
    constexpr std::string_view kNames[kSizeCount] = { "small", "medium", "large" };
    return kNames[static_cast<int>(s)];
}

std::string_view motionPhrase(Motion m)
{
    constexpr std::string_view kPhrases[kMotionCount]
        = { "moving to the left", "moving to the right", "moving up", "moving down", "bouncing", "falling",
              "orbiting", "growing", "shrinking", "spinning", "staying still" };
    return kPhrases[static_cast<int>(m)];
}

std::string_view speedName(Speed s)
{
    constexpr std::string_view kNames[kSpeedCount] = { "slowly", "", "quickly" };
    return kNames[static_cast<int>(s)];
}

Rgb colorRgb(Color c)
{
    constexpr Rgb kTable[kColorCount] = { { 220, 38, 38 }, { 245, 132, 26 }, { 245, 210, 30 },
        { 34, 168, 70 }, { 30, 200, 210 }, { 40, 80, 230 }, { 140, 60, 200 }, { 245, 245, 245 } };
    return kTable[static_cast<int>(c)];
}

Rgb backgroundMeanRgb(Background b)
{
    switch (b) {
    case Background::Black:
        return { 10, 10, 15 };
    case Background::Gray:
        return { 110, 110, 115 };
    case Background::Navy:
        return { 20, 30, 80 };
    case Background::Beige:
        return { 230, 215, 180 };
    case Background::StarryNight:
        return { 10, 10, 15 }; // the stars cover well under 1 % of the frame
    case Background::Checkerboard:
        return { 90, 90, 95 };
    case Background::GrassField:
        return { 105, 164, 165 }; // 60 % sky, 40 % grass
    case Background::Sunset:
        return { 160, 95, 90 }; // midpoint of the linear gradient
    }
    return {};
}

namespace detail {

double colorDistance(Rgb a, Rgb b)
{
    const double dr = double(a.r) - b.r, dg = double(a.g) - b.g, db = double(a.b) - b.b;
    return std::sqrt(dr * dr + dg * dg + db * db);
}

} // namespace detail

namespace {

constexpr double kMinColorDistance = 60.0;
constexpr double kTwoObjectShare = 0.2;

ObjectSpec sampleObject(Rng& rng, Background background)
{
    ObjectSpec o;
    do {
        o.color = static_cast<Color>(rng.below(kColorCount));
    } while (detail::colorDistance(colorRgb(o.color), backgroundMeanRgb(background)) < kMinColorDistance);
    o.shape = static_cast<Shape>(rng.below(kShapeCount));
    o.size = static_cast<Size>(rng.below(kSizeCount));
    do {
        o.motion = static_cast<Motion>(rng.below(kMotionCount));
    } while (o.shape == Shape::Circle && o.motion == Motion::Spin); // a turning circle shows nothing
    const double u = rng.uniform();
    o.speed = u < 0.6 ? Speed::Normal : (u < 0.8 ? Speed::Slow : Speed::Fast);
    if (o.motion == Motion::Still)
        o.speed = Speed::Normal;
    return o;
}

struct Box {
    double x0, y0, x1, y1;
};

Box boxAtStart(const Scene& scene, int index)
{
    const ObjectSpec& o = scene.objects[index];
    const ObjectState s = objectState(scene, index, 0);
    const detail::Extents e = detail::shapeExtents(o.shape, o.motion == Motion::Spin);
    return { s.cx - e.left * s.diameter, s.cy - e.top * s.diameter, s.cx + e.right * s.diameter,
        s.cy + e.bottom * s.diameter };
}

// Where the object is at mid-window (an orbit: the orbit's centre).
bool inOwnHalf(const Scene& scene, int index)
{
    const detail::MotionPlan plan = detail::planObject(scene, index);
    const double x = plan.motion == Motion::Orbit ? plan.orbitX : detail::stateAt(plan, 0.5).cx;
    return scene.objects[index].placement == Placement::Left ? x < kFrameSize / 2.0 : x > kFrameSize / 2.0;
}

} // namespace

Scene sampleScene(std::uint64_t seed)
{
    // A draw that breaks a rule (same colour twice, a pair that cannot be placed
    // apart) is thrown away whole and redrawn from the next stream.
    // The object count is drawn first and kept, so redraws do not thin out pairs.
    const int count = Rng(detail::mix(seed, ~0ull)).uniform() < kTwoObjectShare ? 2 : 1;
    for (std::uint64_t attempt = 0;; ++attempt) {
        Rng rng(detail::mix(seed, attempt));
        Scene scene;
        scene.seed = seed;
        scene.background = static_cast<Background>(rng.below(kBackgroundCount));
        for (int i = 0; i < count; ++i)
            scene.objects.push_back(sampleObject(rng, scene.background));
        if (count == 1)
            return scene;

        if (scene.objects[0].color == scene.objects[1].color)
            continue;
        const bool firstLeft = rng.below(2) == 0;
        scene.objects[0].placement = firstLeft ? Placement::Left : Placement::Right;
        scene.objects[1].placement = firstLeft ? Placement::Right : Placement::Left;
        // Each object's path must centre on its own half, and the two must not
        // overlap at frame 0; otherwise draw again.
        const Box a = boxAtStart(scene, 0), b = boxAtStart(scene, 1);
        const bool overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        if (!overlap && inOwnHalf(scene, 0) && inOwnHalf(scene, 1))
            return scene;
    }
}

Scene reversedDirections(Scene scene, bool* changed)
{
    bool any = false;
    for (auto& o : scene.objects) {
        const Motion m = o.motion;
        if (m == Motion::Left)
            o.motion = Motion::Right;
        else if (m == Motion::Right)
            o.motion = Motion::Left;
        else if (m == Motion::Up)
            o.motion = Motion::Down;
        else if (m == Motion::Down)
            o.motion = Motion::Up;
        any = any || o.motion != m;
    }
    if (changed)
        *changed = any;
    return scene;
}

} // namespace kinora::world
