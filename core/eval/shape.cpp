// Shape classification (WORLD.md, "Shapes and sizes") by matching outlines.
//
// Each of the five outlines is drawn at the object's centroid (the renderer
// centres every shape on its area centroid) and at the size that gives the
// object's coverage area (a blur spreads coverage but keeps its sum and centroid),
// then box-blurred by 0 to 3 pixels, since generated clips are soft. The shape and
// blur with the smallest coverage difference win. First frames only: a spinning
// object has not turned yet at frame 0, and other motions keep the outline upright.

#include "eval/eval_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace kinora::eval::detail {

using world::Shape;

namespace {

constexpr int kMaxBlur = 3; // box radius in pixels
constexpr int kMargin = 3 + kMaxBlur;
constexpr int kSamples = 4; // per pixel side, on outline pixels only

using Point = world::OutlinePoint;
struct Plane {
    double a, b, c; // a x + b y + c <= 0 inside, (a, b) of unit length
};
using Piece = std::vector<Plane>;

// Area per squared diameter.
double unitArea(Shape shape)
{
    if (shape == Shape::Circle)
        return std::numbers::pi / 4.0;
    // The star's pentagon lies inside its kites (the renderer keeps it for its
    // distance estimate); the kites alone tile the star.
    auto polys = world::shapeOutline(shape);
    if (shape == Shape::Star)
        polys.pop_back();
    double area = 0.0;
    for (const auto& p : polys) {
        double a = 0.0;
        for (std::size_t i = 0; i < p.size(); ++i)
            a += p[i].x * p[(i + 1) % p.size()].y - p[(i + 1) % p.size()].x * p[i].y;
        area += std::abs(a) / 2.0;
    }
    return area;
}

// An outline in patch pixel coordinates.
class Outline {
public:
    Outline(Shape shape, double cx, double cy, double diameter)
        : m_circle(shape == Shape::Circle)
        , m_cx(cx)
        , m_cy(cy)
        , m_radius(diameter / 2.0)
    {
        for (const auto& local : world::shapeOutline(shape)) {
            const int n = static_cast<int>(local.size());
            std::vector<Point> pts(n);
            double area = 0.0;
            for (int i = 0; i < n; ++i)
                pts[i] = { cx + local[i].x * diameter, cy + local[i].y * diameter };
            for (int i = 0; i < n; ++i)
                area += pts[i].x * pts[(i + 1) % n].y - pts[(i + 1) % n].x * pts[i].y;
            const double outward = area >= 0.0 ? 1.0 : -1.0;
            Piece piece;
            for (int i = 0; i < n; ++i) {
                const Point p = pts[i], q = pts[(i + 1) % n];
                double nx = q.y - p.y, ny = p.x - q.x;
                const double len = std::hypot(nx, ny) * outward;
                nx /= len;
                ny /= len;
                piece.push_back({ nx, ny, -(nx * p.x + ny * p.y) });
            }
            m_pieces.push_back(std::move(piece));
        }
    }

    // Signed distance where exact, a lower bound of it outside polygons.
    double depth(double x, double y) const
    {
        if (m_circle)
            return std::hypot(x - m_cx, y - m_cy) - m_radius;
        double best = 1e9;
        for (const Piece& piece : m_pieces) {
            double worst = -1e9;
            for (const Plane& pl : piece)
                worst = std::max(worst, pl.a * x + pl.b * y + pl.c);
            best = std::min(best, worst);
        }
        return best;
    }

    double coverage(double px, double py) const // pixel with top-left corner (px, py)
    {
        const double d = depth(px + 0.5, py + 0.5);
        if (d <= -0.71)
            return 1.0;
        if (d >= 0.71)
            return 0.0;
        int inside = 0;
        for (int j = 0; j < kSamples; ++j)
            for (int i = 0; i < kSamples; ++i)
                inside += depth(px + (i + 0.5) / kSamples, py + (j + 0.5) / kSamples) <= 0.0;
        return inside / double(kSamples * kSamples);
    }

private:
    bool m_circle;
    double m_cx, m_cy, m_radius;
    std::vector<Piece> m_pieces;
};

// Separable box blur of radius r, edges clamped.
std::vector<float> boxBlur(const std::vector<float>& in, int w, int h, int r)
{
    std::vector<float> tmp(in.size()), out(in.size());
    const float norm = 1.0f / (2 * r + 1);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float s = 0.0f;
            for (int d = -r; d <= r; ++d)
                s += in[std::size_t(y) * w + std::clamp(x + d, 0, w - 1)];
            tmp[std::size_t(y) * w + x] = s * norm;
        }
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            float s = 0.0f;
            for (int d = -r; d <= r; ++d)
                s += tmp[std::size_t(std::clamp(y + d, 0, h - 1)) * w + x];
            out[std::size_t(y) * w + x] = s * norm;
        }
    return out;
}

// Coverage difference of each shape (best blur) over the object's area; empty if absent.
std::vector<double> shapeErrors(
    const LabelledClip& labels, const TrackDetail& detail, world::Color colour, int frame)
{
    const FramePick& p = detail.picks[frame];
    if (p.empty())
        return {};
    AlphaPatch a = alphaPatch(labels, frame, p, colour, kMargin);
    // A slightly off colour leaves the inside below full coverage; rescale so it is 1.
    std::vector<float> inside;
    for (float v : a.alpha)
        if (v > 0.5f)
            inside.push_back(v);
    if (inside.empty())
        return {};
    std::nth_element(inside.begin(), inside.begin() + inside.size() / 2, inside.end());
    const float level = std::max(0.6f, inside[inside.size() / 2]);
    double area = 0.0, sx = 0.0, sy = 0.0;
    for (int y = 0; y < a.height; ++y)
        for (int x = 0; x < a.width; ++x) {
            float& v = a.alpha[std::size_t(y) * a.width + x];
            v = std::min(1.0f, v / level);
            area += v;
            sx += v * (x + 0.5);
            sy += v * (y + 0.5);
        }
    if (area <= 0.0)
        return {};
    const double cx = sx / area, cy = sy / area;
    std::vector<double> errors;
    for (int s = 0; s < world::kShapeCount; ++s) {
        const auto shape = static_cast<Shape>(s);
        const Outline outline(shape, cx, cy, std::sqrt(area / unitArea(shape)));
        std::vector<float> ideal(a.alpha.size());
        for (int y = 0; y < a.height; ++y)
            for (int x = 0; x < a.width; ++x)
                ideal[std::size_t(y) * a.width + x] = static_cast<float>(outline.coverage(x, y));
        double best = std::numeric_limits<double>::infinity();
        for (int r = 0; r <= kMaxBlur; ++r) {
            const std::vector<float> soft = r ? boxBlur(ideal, a.width, a.height, r) : ideal;
            double diff = 0.0;
            for (std::size_t i = 0; i < soft.size(); ++i)
                diff += std::abs(double(soft[i]) - a.alpha[i]);
            best = std::min(best, diff / area);
        }
        errors.push_back(best);
    }
    return errors;
}

} // namespace

std::optional<Shape> shapeOf(
    const LabelledClip& labels, const TrackDetail& detail, world::Color colour, int frames)
{
    std::vector<double> total(world::kShapeCount, 0.0);
    int used = 0;
    for (std::size_t f = 0; f < detail.picks.size() && used < frames; ++f) {
        const std::vector<double> e = shapeErrors(labels, detail, colour, static_cast<int>(f));
        if (e.empty())
            continue;
        for (int s = 0; s < world::kShapeCount; ++s)
            total[s] += e[s];
        ++used;
    }
    if (used == 0)
        return std::nullopt;
    return static_cast<Shape>(std::min_element(total.begin(), total.end()) - total.begin());
}

} // namespace kinora::eval::detail
