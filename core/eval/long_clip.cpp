#include "eval/long_clip.h"
#include "eval/eval_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kinora::eval {

using namespace detail;

namespace {

constexpr double kFloor = 0.1;   // added to both sides of a seam ratio
constexpr double kSpan = 0.15;   // the first and last 15 % of a clip

// d[f]: mean absolute difference between frames f - 1 and f (d[0] = 0).
std::vector<double> frameChanges(const Video& clip)
{
    std::vector<double> d(clip.frames.size(), 0.0);
    for (std::size_t f = 1; f < clip.frames.size(); ++f) {
        const auto& a = clip.frames[f - 1].rgb;
        const auto& b = clip.frames[f].rgb;
        const std::size_t n = std::min(a.size(), b.size());
        long sum = 0;
        for (std::size_t i = 0; i < n; ++i)
            sum += std::abs(int(a[i]) - int(b[i]));
        d[f] = n ? double(sum) / double(n) : 0.0;
    }
    return d;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

double medianChange(const std::vector<double>& d)
{
    return d.size() < 2 ? 0.0 : median(std::vector<double>(d.begin() + 1, d.end()));
}

SeamMeasure ratioAt(const std::vector<double>& d, double typical, const std::vector<int>& frames)
{
    SeamMeasure m;
    double sum = 0;
    for (int f : frames) {
        if (f < 1 || f >= int(d.size()))
            continue;
        const double r = (d[f] + kFloor) / (typical + kFloor);
        sum += r;
        m.max = std::max(m.max, r);
        ++m.count;
    }
    m.mean = m.count ? sum / m.count : 0.0;
    return m;
}

double linear(double c)
{
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double labF(double t)
{
    constexpr double e = 216.0 / 24389.0, k = 24389.0 / 27.0;
    return t > e ? std::cbrt(t) : (k * t + 16.0) / 116.0;
}

} // namespace

std::array<double, 3> toLab(const std::array<double, 3>& rgb)
{
    const double r = linear(rgb[0]), g = linear(rgb[1]), b = linear(rgb[2]);
    const double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    const double fx = labF(x), fy = labF(y), fz = labF(z);
    return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

double deltaE(const std::array<double, 3>& rgbA, const std::array<double, 3>& rgbB)
{
    const auto a = toLab(rgbA), b = toLab(rgbB);
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

SeamMeasure seamRatio(const Video& clip, const std::vector<int>& frames)
{
    const auto d = frameChanges(clip);
    return ratioAt(d, medianChange(d), frames);
}

LongClipMeasures measureLongClip(const Video& clip, const world::Scene& scene, const JoinFrames& joins)
{
    LongClipMeasures m;
    const int F = static_cast<int>(clip.frames.size());
    if (F < 2 || scene.objects.empty())
        return m;
    const auto d = frameChanges(clip);
    m.medianChange = medianChange(d);
    m.windows = ratioAt(d, m.medianChange, joins.windowStarts);
    m.groups = ratioAt(d, m.medianChange, joins.groupStarts);

    const auto labels = labelClip(clip, scene.background);
    const auto detail = track(labels, scene.objects.front().color);
    const auto& present = detail.track.present;
    const int span = std::max(1, static_cast<int>(std::lround(kSpan * F)));

    // Mean area, object colour and background colour over frames [from, to).
    struct Span {
        double area = 0;
        std::array<double, 3> colour{};
        std::array<double, 3> background{};
        bool seen = false;
        double change = 0;
    };
    auto measure = [&](int from, int to) {
        Span s;
        int areaCount = 0, colourCount = 0, changeCount = 0;
        std::array<double, 3> colour{}, bg{};
        double bgCount = 0;
        for (int f = from; f < to; ++f) {
            if (f >= 1) {
                s.change += d[f];
                ++changeCount;
            }
            if (present[f]) {
                s.area += detail.track.area[f];
                ++areaCount;
                const auto& c = detail.innerCount[f] > 0 ? detail.innerColour[f] : detail.meanColour[f];
                if (!std::isnan(c[0])) {
                    for (int k = 0; k < 3; ++k)
                        colour[k] += c[k];
                    ++colourCount;
                }
            }
            // The background: pixels no palette colour claims (every second one).
            const auto& frame = clip.frames[f];
            const auto& lab = labels.frames[f].label;
            for (std::size_t i = 0; i < lab.size(); i += 2)
                if (lab[i] == kNoLabel) {
                    for (int k = 0; k < 3; ++k)
                        bg[k] += frame.rgb[i * 3 + k];
                    bgCount += 1;
                }
        }
        s.area = areaCount ? s.area / areaCount : 0.0;
        s.seen = colourCount > 0;
        for (int k = 0; k < 3; ++k) {
            s.colour[k] = colourCount ? colour[k] / colourCount : 0.0;
            s.background[k] = bgCount > 0 ? bg[k] / bgCount : 0.0;
        }
        s.change = changeCount ? s.change / changeCount : 0.0;
        return s;
    };
    const Span first = measure(0, span), last = measure(F - span, F);
    m.areaFirst = first.area;
    m.areaLast = last.area;
    m.areaChange = first.area > 0 && last.area > 0 ? std::abs(last.area / first.area - 1.0) : 1.0;
    m.colourDeltaE = first.seen && last.seen ? deltaE(first.colour, last.colour)
                                             : std::numeric_limits<double>::quiet_NaN();
    m.backgroundDeltaE = deltaE(first.background, last.background);
    m.motionEndOverStart = (last.change + 1e-9) / (first.change + 1e-9);

    m.minPresence = 1.0;
    for (int t = 0; t < 10; ++t) {
        const int from = F * t / 10, to = std::max(from + 1, F * (t + 1) / 10);
        int shown = 0;
        for (int f = from; f < to && f < F; ++f)
            shown += present[f] ? 1 : 0;
        m.presence[t] = double(shown) / double(std::min(to, F) - from);
        m.minPresence = std::min(m.minPresence, m.presence[t]);
    }
    return m;
}

} // namespace kinora::eval
