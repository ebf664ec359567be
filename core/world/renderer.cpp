// Rendering (WORLD.md, "Frames", "Backgrounds", "Shapes and sizes").
//
// Backgrounds are drawn once per clip and copied per frame; only the stars change.
// Objects are flat-coloured outlines. A pixel well inside is exactly the table
// colour; a pixel on the rim is blended by its coverage, measured on an 8 x 8 grid,
// so sub-pixel motion changes the image smoothly.

#include "world/world_internal.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace kinora::world {

namespace {

using detail::Rng;

constexpr int kGrid = 8; // coverage samples per pixel side
constexpr double kHalfDiagonal = 0.70711; // a pixel centre's reach to its corners
constexpr double kHorizon = 0.6 * kFrameSize; // grass field: sky above, grass below
constexpr int kCheckerSquare = 16;

using Point = OutlinePoint;

// Shapes as unions of convex pieces, in units of the diameter, y down, centred on
// the area centroid so that spinning never moves the centroid.
using Piece = std::vector<Point>;

std::vector<Piece> buildPieces(Shape shape)
{
    switch (shape) {
    case Shape::Circle:
        return {}; // drawn exactly
    case Shape::Square:
        return { { { -0.5, -0.5 }, { 0.5, -0.5 }, { 0.5, 0.5 }, { -0.5, 0.5 } } };
    case Shape::Triangle: {
        const double r = 1.0 / std::numbers::sqrt3; // equilateral, side 1
        return { { { 0.0, -r }, { 0.5, r / 2.0 }, { -0.5, r / 2.0 } } };
    }
    case Shape::Diamond:
        return { { { 0.0, -0.5 }, { 0.36, 0.0 }, { 0.0, 0.5 }, { -0.36, 0.0 } } };
    case Shape::Star: {
        // Five kites (centre, inner, tip, inner) plus the inner pentagon; a chubbier
        // star than the regular pentagram (0.382) so small ones still read as stars.
        constexpr double kOuter = 0.5, kInner = 0.5 * 0.45;
        auto at = [](double radius, double deg) {
            const double a = deg * std::numbers::pi / 180.0;
            return Point { radius * std::cos(a), radius * std::sin(a) };
        };
        std::vector<Piece> pieces;
        Piece pentagon;
        for (int k = 0; k < 5; ++k) {
            const double tip = -90.0 + 72.0 * k;
            pieces.push_back(
                { { 0.0, 0.0 }, at(kInner, tip - 36.0), at(kOuter, tip), at(kInner, tip + 36.0) });
            pentagon.push_back(at(kInner, tip + 36.0));
        }
        pieces.push_back(pentagon);
        return pieces;
    }
    }
    return {};
}

} // namespace

const std::vector<std::vector<OutlinePoint>>& shapeOutline(Shape shape)
{
    static const std::array<std::vector<Piece>, kShapeCount> kPieces
        = { buildPieces(Shape::Circle), buildPieces(Shape::Square), buildPieces(Shape::Triangle),
              buildPieces(Shape::Star), buildPieces(Shape::Diamond) };
    return kPieces[static_cast<int>(shape)];
}

namespace {

const std::vector<Piece>& localPieces(Shape shape) { return shapeOutline(shape); }

// a * x + b * y + c <= 0 inside, (a, b) of unit length so the value is a distance.
struct HalfPlane {
    double a, b, c;
};
struct ConvexPiece {
    std::array<HalfPlane, 5> planes;
    int count = 0;
};

// One object in one frame, in pixel coordinates (the frame spans [0, 128]).
class Outline {
public:
    Outline(Shape shape, const ObjectState& s)
        : m_circle(shape == Shape::Circle)
        , m_cx(s.cx)
        , m_cy(s.cy)
    {
        m_radius = s.diameter / 2.0;
        if (m_circle)
            return;
        const double a = s.angleDeg * std::numbers::pi / 180.0;
        const double ca = std::cos(a), sa = std::sin(a);
        for (const Piece& local : localPieces(shape)) {
            ConvexPiece& piece = m_pieces[m_count++];
            const int n = static_cast<int>(local.size());
            std::array<Point, 5> world {};
            for (int i = 0; i < n; ++i) {
                const double u = local[i].x * s.diameter, v = local[i].y * s.diameter;
                world[i] = { s.cx + u * ca - v * sa, s.cy + u * sa + v * ca };
            }
            // The outward normal's side depends on the winding; the area's sign says which.
            double area = 0.0;
            for (int i = 0; i < n; ++i)
                area += world[i].x * world[(i + 1) % n].y - world[(i + 1) % n].x * world[i].y;
            const double outward = area >= 0.0 ? 1.0 : -1.0;
            for (int i = 0; i < n; ++i) {
                const Point p = world[i], q = world[(i + 1) % n];
                double nx = q.y - p.y, ny = p.x - q.x;
                const double len = std::hypot(nx, ny) * outward;
                nx /= len;
                ny /= len;
                piece.planes[piece.count++] = { nx, ny, -(nx * p.x + ny * p.y) };
            }
        }
    }

    // Signed distance where exact (circle, inside a piece), a lower bound outside.
    double depth(double x, double y) const
    {
        if (m_circle)
            return std::hypot(x - m_cx, y - m_cy) - m_radius;
        double best = 1e9;
        for (int p = 0; p < m_count; ++p) {
            const ConvexPiece& piece = m_pieces[p];
            double worst = -1e9;
            for (int i = 0; i < piece.count; ++i)
                worst = std::max(worst, piece.planes[i].a * x + piece.planes[i].b * y + piece.planes[i].c);
            best = std::min(best, worst);
        }
        return best;
    }

    double coverage(int px, int py) const
    {
        const double d = depth(px + 0.5, py + 0.5);
        if (d <= -kHalfDiagonal)
            return 1.0;
        if (d >= kHalfDiagonal)
            return 0.0;
        int inside = 0;
        for (int j = 0; j < kGrid; ++j) {
            const double y = py + (j + 0.5) / kGrid;
            for (int i = 0; i < kGrid; ++i)
                inside += depth(px + (i + 0.5) / kGrid, y) <= 0.0;
        }
        return inside / double(kGrid * kGrid);
    }

private:
    bool m_circle;
    double m_cx, m_cy, m_radius = 0;
    std::array<ConvexPiece, 6> m_pieces {};
    int m_count = 0;
};

void drawObject(Frame& frame, const ObjectSpec& spec, const ObjectState& state)
{
    const Outline outline(spec.shape, state);
    const Rgb c = colorRgb(spec.color);
    const double reach = state.diameter * 0.75 + 1.0; // beyond every shape's circumradius
    const int x0 = std::max(0, static_cast<int>(std::floor(state.cx - reach)));
    const int x1 = std::min(frame.width - 1, static_cast<int>(std::ceil(state.cx + reach)));
    const int y0 = std::max(0, static_cast<int>(std::floor(state.cy - reach)));
    const int y1 = std::min(frame.height - 1, static_cast<int>(std::ceil(state.cy + reach)));
    for (int y = y0; y <= y1; ++y) {
        for (int x = x0; x <= x1; ++x) {
            const double w = outline.coverage(x, y);
            if (w <= 0.0)
                continue;
            std::uint8_t* p = frame.pixel(x, y);
            if (w >= 1.0) {
                p[0] = c.r;
                p[1] = c.g;
                p[2] = c.b;
                continue;
            }
            p[0] = static_cast<std::uint8_t>(std::lround(p[0] + (c.r - p[0]) * w));
            p[1] = static_cast<std::uint8_t>(std::lround(p[1] + (c.g - p[1]) * w));
            p[2] = static_cast<std::uint8_t>(std::lround(p[2] + (c.b - p[2]) * w));
        }
    }
}

void fillRow(Frame& frame, int y, Rgb c)
{
    for (int x = 0; x < frame.width; ++x) {
        std::uint8_t* p = frame.pixel(x, y);
        p[0] = c.r;
        p[1] = c.g;
        p[2] = c.b;
    }
}

Rgb lerp(Rgb a, Rgb b, double t)
{
    auto one = [t](std::uint8_t u, std::uint8_t v) {
        return static_cast<std::uint8_t>(std::lround(u + (double(v) - u) * t));
    };
    return { one(a.r, b.r), one(a.g, b.g), one(a.b, b.b) };
}

Frame backgroundFrame(Background background)
{
    Frame frame(kFrameSize, kFrameSize);
    switch (background) {
    case Background::Checkerboard: {
        constexpr Rgb kDark { 80, 80, 85 }, kLight { 100, 100, 105 };
        for (int y = 0; y < kFrameSize; ++y) {
            for (int x = 0; x < kFrameSize; ++x) {
                const Rgb c = ((x / kCheckerSquare + y / kCheckerSquare) % 2) ? kLight : kDark;
                std::uint8_t* p = frame.pixel(x, y);
                p[0] = c.r;
                p[1] = c.g;
                p[2] = c.b;
            }
        }
        break;
    }
    case Background::GrassField: {
        constexpr Rgb kSky { 135, 180, 235 }, kGrass { 60, 140, 60 };
        for (int y = 0; y < kFrameSize; ++y) {
            const double grass = std::clamp(y + 1.0 - kHorizon, 0.0, 1.0); // the horizon row is blended
            fillRow(frame, y, lerp(kSky, kGrass, grass));
        }
        break;
    }
    case Background::Sunset: {
        constexpr Rgb kTop { 240, 140, 60 }, kBottom { 80, 50, 120 };
        for (int y = 0; y < kFrameSize; ++y)
            fillRow(frame, y, lerp(kTop, kBottom, (y + 0.5) / kFrameSize));
        break;
    }
    case Background::Black:
    case Background::Gray:
    case Background::Navy:
    case Background::Beige:
    case Background::StarryNight: // flat black under the stars
        for (int y = 0; y < kFrameSize; ++y)
            fillRow(frame, y, backgroundMeanRgb(background));
        break;
    }
    return frame;
}

struct Twinkle {
    int x, y;
    double brightness, phase, rate; // rate in cycles per frame
    bool large; // a plus of five pixels rather than one
};

std::vector<Twinkle> makeStars(std::uint64_t seed)
{
    Rng rng(detail::mix(seed, 0x57A2F1E1Dull));
    const int count = 45 + rng.below(30);
    std::vector<Twinkle> stars(count);
    for (Twinkle& s : stars) {
        s.x = 1 + rng.below(kFrameSize - 2);
        s.y = 1 + rng.below(kFrameSize - 2);
        s.brightness = 0.55 + 0.45 * rng.uniform();
        s.phase = rng.uniform();
        s.rate = 0.08 + 0.17 * rng.uniform();
        s.large = rng.uniform() < 0.25;
    }
    return stars;
}

void lighten(Frame& frame, int x, int y, double w)
{
    std::uint8_t* p = frame.pixel(x, y);
    for (int i = 0; i < 3; ++i)
        p[i] = static_cast<std::uint8_t>(std::lround(p[i] + (255 - p[i]) * std::min(w, 1.0)));
}

void drawStars(Frame& frame, const std::vector<Twinkle>& stars, int index)
{
    for (const Twinkle& s : stars) {
        const double w
            = s.brightness * (0.6 + 0.4 * std::sin(2.0 * std::numbers::pi * (s.rate * index + s.phase)));
        lighten(frame, s.x, s.y, w);
        if (s.large) {
            lighten(frame, s.x - 1, s.y, 0.35 * w);
            lighten(frame, s.x + 1, s.y, 0.35 * w);
            lighten(frame, s.x, s.y - 1, 0.35 * w);
            lighten(frame, s.x, s.y + 1, 0.35 * w);
        }
    }
}

} // namespace

Video render(const Scene& scene, int frames)
{
    Video video;
    video.fps = kFps;
    if (frames <= 0)
        return video;
    video.frames.reserve(frames);

    const Frame base = backgroundFrame(scene.background);
    std::vector<Twinkle> stars;
    if (scene.background == Background::StarryNight)
        stars = makeStars(scene.seed);
    std::vector<detail::MotionPlan> plans;
    for (int i = 0; i < static_cast<int>(scene.objects.size()); ++i)
        plans.push_back(detail::planObject(scene, i));

    for (int f = 0; f < frames; ++f) {
        Frame frame = base;
        drawStars(frame, stars, f);
        for (size_t i = 0; i < plans.size(); ++i)
            drawObject(frame, scene.objects[i], detail::stateAt(plans[i], f / detail::kWindowIntervals));
        video.frames.push_back(std::move(frame));
    }
    return video;
}

} // namespace kinora::world
