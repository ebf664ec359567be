// Motion classification from an object's track (WORLD.md, "Motions over one
// 2-second window").
//
// The world's motions separate by their paths: orbits move on both axes; bounce,
// fall, up and down on the vertical only (a bounce comes back up after falling, a
// fall accelerates where "down" keeps its pace); left and right on the horizontal.
// Objects whose centroid stays put grow, shrink, spin or stay still; a spin keeps
// centroid and area, so only its changing pixels show it.

#include "eval/eval_internal.h"

#include <algorithm>
#include <cmath>

namespace kinora::eval::detail {

using world::Motion;

namespace {

constexpr double kMoveShare = 0.08; // of the frame size: travel below this is jitter (10 px at 128)
constexpr double kReboundShare = 0.8; // of the move threshold: rise after a drop that makes a bounce
constexpr double kAccelShare = 0.5; // of the fitted descent owed to acceleration: a fall
constexpr double kGrowRatio = 1.4; // area change over the clip at the fitted rate
constexpr double kShrinkRatio = 0.72;
constexpr double kSpinScore = 0.03;
constexpr int kSpinMargin = 3;
// Coverage changes below this (after a 3 x 3 mean) are pixel noise, not a turn.
constexpr double kSpinNoise = 0.05;

double median3(double a, double b, double c)
{
    return std::max(std::min(a, b), std::min(std::max(a, b), c));
}

std::vector<double> smooth(const std::vector<double>& v)
{
    if (v.size() < 3)
        return v;
    std::vector<double> out(v);
    for (std::size_t i = 1; i + 1 < v.size(); ++i)
        out[i] = median3(v[i - 1], v[i], v[i + 1]);
    return out;
}

double range(const std::vector<double>& v)
{
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return *hi - *lo;
}

// 3 x 3 mean, edges clamped: averages away per-pixel noise, keeps outlines.
std::vector<float> smoothPatch(const AlphaPatch& p)
{
    std::vector<float> out(p.alpha.size(), 0.0f);
    for (int y = 0; y < p.height; ++y) {
        for (int x = 0; x < p.width; ++x) {
            float s = 0.0f;
            for (int dy = -1; dy <= 1; ++dy) {
                const int yy = std::clamp(y + dy, 0, p.height - 1);
                for (int dx = -1; dx <= 1; ++dx)
                    s += p.alpha[std::size_t(yy) * p.width + std::clamp(x + dx, 0, p.width - 1)];
            }
            out[std::size_t(y) * p.width + x] = s / 9.0f;
        }
    }
    return out;
}

// Least squares y = a + b t + c t^2; returns {b, c}.
std::array<double, 2> fitQuadratic(const std::vector<double>& t, const std::vector<double>& y)
{
    double s[5] = {}, r[3] = {};
    for (std::size_t i = 0; i < t.size(); ++i) {
        double p = 1.0;
        for (int k = 0; k < 5; ++k) {
            s[k] += p;
            if (k < 3)
                r[k] += p * y[i];
            p *= t[i];
        }
    }
    // Normal equations [s0 s1 s2; s1 s2 s3; s2 s3 s4] [a b c] = r, by Cramer's rule.
    auto det3 = [](double a, double b, double c, double d, double e, double f, double g, double h, double i) {
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    };
    const double d = det3(s[0], s[1], s[2], s[1], s[2], s[3], s[2], s[3], s[4]);
    if (std::abs(d) < 1e-12)
        return { 0.0, 0.0 };
    const double db = det3(s[0], r[0], s[2], s[1], r[1], s[3], s[2], r[2], s[4]);
    const double dc = det3(s[0], s[1], r[0], s[1], s[2], r[1], s[2], s[3], r[2]);
    return { db / d, dc / d };
}

double fitSlope(const std::vector<double>& t, const std::vector<double>& y)
{
    const double n = static_cast<double>(t.size());
    double st = 0, sy = 0, stt = 0, sty = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        st += t[i];
        sy += y[i];
        stt += t[i] * t[i];
        sty += t[i] * y[i];
    }
    const double d = n * stt - st * st;
    return std::abs(d) < 1e-12 ? 0.0 : (n * sty - st * sy) / d;
}

// The largest rise (y decreasing) that follows a drop of at least `drop`.
double reboundAfterDrop(const std::vector<double>& y, double drop)
{
    double best = 0.0, lowestSoFar = y.empty() ? 0.0 : y.front();
    for (std::size_t i = 0; i < y.size(); ++i) {
        lowestSoFar = std::min(lowestSoFar, y[i]);
        if (y[i] - lowestSoFar < drop)
            continue;
        for (std::size_t j = i + 1; j < y.size(); ++j)
            best = std::max(best, y[i] - y[j]);
    }
    return best;
}

} // namespace

Motion classifyTrack(const ObjectTrack& track, double frameSize, std::optional<double> spin)
{
    std::vector<double> t, x, y, a;
    auto collect = [&](bool skipOccluded) {
        t.clear();
        x.clear();
        y.clear();
        a.clear();
        for (std::size_t f = 0; f < track.present.size(); ++f) {
            if (!track.present[f] || (skipOccluded && f < track.occluded.size() && track.occluded[f]))
                continue;
            t.push_back(double(f));
            x.push_back(track.cx[f]);
            y.push_back(track.cy[f]);
            a.push_back(track.area[f]);
        }
    };
    // Frames where another object may hide part of this one would fake motion,
    // unless they are most of the clip.
    const auto present = std::count(track.present.begin(), track.present.end(), true);
    collect(true);
    if (t.size() < 3 || 2 * static_cast<long>(t.size()) < present)
        collect(false);
    if (t.size() < 3)
        return Motion::Still;
    const std::vector<double> sx = smooth(x), sy = smooth(y);
    const double move = kMoveShare * frameSize;
    const bool movesX = range(sx) > move, movesY = range(sy) > move;
    if (movesX && movesY)
        return Motion::Orbit;
    if (movesY) {
        if (reboundAfterDrop(sy, move) > kReboundShare * move)
            return Motion::Bounce;
        if (sy.back() < sy.front())
            return Motion::Up;
        const double t0 = t.front(), span = std::max(1.0, t.back() - t.front());
        std::vector<double> tn(t.size());
        for (std::size_t i = 0; i < t.size(); ++i)
            tn[i] = (t[i] - t0) / span;
        const auto [b, c] = fitQuadratic(tn, sy);
        const double accel = std::max(c, 0.0) / (std::abs(b) + std::abs(c) + 1e-9);
        return accel > kAccelShare ? Motion::Fall : Motion::Down;
    }
    if (movesX)
        return sx.back() < sx.front() ? Motion::Left : Motion::Right;

    // Growth at a steady rate (WORLD.md's sizes change geometrically): the slope
    // of log area, over the whole clip even where frames were left out.
    std::vector<double> logArea(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        logArea[i] = std::log(std::max(a[i], 1.0));
    const double span = std::max(1.0, static_cast<double>(track.present.size()) - 1.0);
    const double ratio = std::exp(fitSlope(t, logArea) * span);
    if (ratio > kGrowRatio)
        return Motion::Grow;
    if (ratio < kShrinkRatio)
        return Motion::Shrink;
    if (spin && *spin > kSpinScore)
        return Motion::Spin;
    return Motion::Still;
}

double spinScore(const LabelledClip& labels, const TrackDetail& detail, world::Color colour)
{
    // One box around the object in all frames, so every frame's coverage lines up.
    FramePick box;
    box.x0 = box.y0 = 1 << 30;
    std::vector<int> frames;
    const auto& occluded = detail.track.occluded;
    int clear = 0;
    for (std::size_t f = 0; f < detail.picks.size(); ++f)
        clear += !detail.picks[f].empty() && !occluded[f];
    for (std::size_t f = 0; f < detail.picks.size(); ++f) {
        const FramePick& p = detail.picks[f];
        if (p.empty() || (clear >= 2 && occluded[f]))
            continue;
        frames.push_back(static_cast<int>(f));
        box.x0 = std::min(box.x0, p.x0);
        box.y0 = std::min(box.y0, p.y0);
        box.x1 = std::max(box.x1, p.x1);
        box.y1 = std::max(box.y1, p.y1);
        box.size += p.size;
    }
    if (frames.size() < 2)
        return 0.0;
    std::vector<std::vector<float>> patches;
    std::vector<double> sums;
    for (int f : frames) {
        patches.push_back(smoothPatch(alphaPatch(labels, f, box, colour, kSpinMargin)));
        double s = 0.0;
        for (float v : patches.back())
            s += v;
        sums.push_back(s);
    }
    // Consecutive frames may be a symmetry apart (a star turning 72 degrees), so the
    // largest change over lags of one to three frames counts.
    double best = 0.0;
    for (std::size_t lag = 1; lag <= 3 && lag < patches.size(); ++lag) {
        double total = 0.0;
        int pairs = 0;
        for (std::size_t i = 0; i + lag < patches.size(); ++i) {
            const auto& p = patches[i];
            const auto& q = patches[i + lag];
            double diff = 0.0;
            for (std::size_t j = 0; j < p.size(); ++j)
                diff += std::max(0.0, std::abs(double(p[j]) - q[j]) - kSpinNoise);
            const double mass = 0.5 * (sums[i] + sums[i + lag]);
            if (mass <= 0.0)
                continue;
            total += diff / mass;
            ++pairs;
        }
        if (pairs > 0)
            best = std::max(best, total / pairs);
    }
    return best;
}

Motion classifyTrack(const LabelledClip& labels, const TrackDetail& detail, world::Color colour)
{
    const double size = labels.video ? std::max(labels.video->width(), labels.video->height()) : 0.0;
    const Motion m = classifyTrack(detail.track, size, std::nullopt);
    if (m != Motion::Still)
        return m;
    return classifyTrack(detail.track, size, spinScore(labels, detail, colour));
}

} // namespace kinora::eval::detail

namespace kinora::eval {

std::optional<int> travelAlong(const ObjectTrack& track, world::Motion asked, double frameSize)
{
    double dx = 0.0, dy = 0.0; // the way asked, as a unit step in image coordinates (y down)
    switch (asked) {
    case world::Motion::Left:
        dx = -1;
        break;
    case world::Motion::Right:
        dx = 1;
        break;
    case world::Motion::Up:
        dy = -1;
        break;
    case world::Motion::Down:
    case world::Motion::Fall:
        dy = 1;
        break;
    default:
        return std::nullopt;
    }
    std::vector<double> along;
    for (std::size_t f = 0; f < track.present.size(); ++f)
        if (track.present[f])
            along.push_back(dx * track.cx[f] + dy * track.cy[f]);
    if (along.size() < 2)
        return std::nullopt;
    auto medianOf = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const std::size_t k = std::min<std::size_t>(3, along.size() / 2);
    const double start = medianOf({ along.begin(), along.begin() + k });
    const double end = medianOf({ along.end() - k, along.end() });
    const double move = detail::kMoveShare * frameSize;
    return end - start > move ? 1 : start - end > move ? -1 : 0;
}

} // namespace kinora::eval
