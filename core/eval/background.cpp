// Background classification and the per-pixel background model (WORLD.md,
// "Backgrounds").
//
// Every background but the checkerboard is a function of the row alone, so the
// per-row median colour over a few frames describes it and ignores objects (they
// cover less than half of a row in most frames). The checkerboard shows in the
// contrast between its light and dark 16-px squares, and stars in small bright
// peaks of the 5 x 5 mean luminance, which survive blurring (a box blur keeps a
// star's energy, only spreading it).

#include "eval/eval_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kinora::eval::detail {

using world::Background;

namespace {

using RowColour = std::array<double, 3>;

constexpr int kCheckerSquare = 16;
constexpr RowColour kCheckerDark { 80, 80, 85 }, kCheckerLight { 100, 100, 105 };
constexpr double kCheckerContrast = 20.0; // luminance, light minus dark
constexpr double kCheckerWeight = 2.0; // cost per unit of contrast mismatch
constexpr int kSampledFrames = 9;
constexpr double kStarMinRise = 3.0; // 5 x 5 mean luminance above the base
constexpr double kStarNoiseSigmas = 4.0;
constexpr double kStarMaxRise = 60.0; // brighter peaks are objects
constexpr double kDarkBase = 60.0;
// Star peaks per frame that make a black background starry: renders show 50 or
// more, 5 x 5 blurred ones 14 or more, black (even noisy) under 1.
constexpr double kStarryPeaks = 4.0;
constexpr double kRowTrust = 40.0; // a measured row this close to the template is used as is

RowColour lerp(RowColour a, RowColour b, double t)
{
    return { a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t };
}

RowColour flat(world::Rgb c)
{
    return { double(c.r), double(c.g), double(c.b) };
}

// The ideal colour of row y; for the checkerboard, the dark square's.
RowColour templateRow(Background bg, int y, int height)
{
    switch (bg) {
    case Background::GrassField: {
        const double grass = std::clamp(y + 1.0 - 0.6 * height, 0.0, 1.0);
        return lerp({ 135, 180, 235 }, { 60, 140, 60 }, grass);
    }
    case Background::Sunset:
        return lerp({ 240, 140, 60 }, { 80, 50, 120 }, (y + 0.5) / height);
    case Background::Checkerboard:
        return kCheckerDark;
    default:
        return flat(world::backgroundMeanRgb(bg));
    }
}

double dist(RowColour a, RowColour b)
{
    return std::sqrt(
        (a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

double luminance(const std::uint8_t* p)
{
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

double luminance(RowColour c)
{
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

std::vector<int> sampledFrames(int count)
{
    std::vector<int> out;
    const int n = std::min(count, kSampledFrames);
    for (int i = 0; i < n; ++i)
        out.push_back(n == 1 ? 0 : static_cast<int>(std::lround(i * (count - 1.0) / (n - 1))));
    return out;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    const auto mid = v.begin() + v.size() / 2;
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// Peaks of the 5 x 5 mean luminance a little above a dark base: one per star,
// whether the star is a sharp dot or has been blurred into a soft spot. The base
// is each row's mean without its bright pixels (a median would sit below noise
// clipped at black), and the rise a peak needs grows with the noise.
int countStarPeaks(const Frame& f, const std::vector<double>& rowLuma)
{
    const int w = f.width, h = f.height;
    std::vector<int> luma(std::size_t(w) * h);
    std::vector<double> base(h, 0.0);
    for (int y = 0; y < h; ++y) {
        double sum = 0.0;
        int count = 0;
        for (int x = 0; x < w; ++x) {
            const std::uint8_t* p = f.pixel(x, y);
            const int l = (77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8;
            luma[std::size_t(y) * w + x] = l;
            if (l <= rowLuma[y] + kStarMaxRise / 3.0) {
                sum += l;
                ++count;
            }
        }
        base[y] = count ? sum / count : rowLuma[y];
    }
    std::vector<int> integral(std::size_t(w + 1) * (h + 1), 0);
    for (int y = 0; y < h; ++y) {
        int row = 0;
        for (int x = 0; x < w; ++x) {
            row += luma[std::size_t(y) * w + x];
            integral[std::size_t(y + 1) * (w + 1) + x + 1] = integral[std::size_t(y) * (w + 1) + x + 1] + row;
        }
    }
    // Means over 5 x 5 windows centred on (x, y), for 2 <= x < w - 2, less the base.
    std::vector<float> rise(std::size_t(w) * h, 0.0f);
    std::vector<float> spread;
    for (int y = 2; y < h - 2; ++y) {
        for (int x = 2; x < w - 2; ++x) {
            const auto at = [&](int xx, int yy) { return integral[std::size_t(yy) * (w + 1) + xx]; };
            const int s = at(x + 3, y + 3) - at(x - 2, y + 3) - at(x + 3, y - 2) + at(x - 2, y - 2);
            const float r = static_cast<float>(s / 25.0 - base[y]);
            rise[std::size_t(y) * w + x] = r;
            if (base[y] <= kDarkBase && (x + y) % 4 == 0)
                spread.push_back(std::abs(r));
        }
    }
    if (spread.empty())
        return 0;
    std::nth_element(spread.begin(), spread.begin() + spread.size() / 2, spread.end());
    const double sigma = 1.4826 * spread[spread.size() / 2];
    const double lo = std::max(kStarMinRise, kStarNoiseSigmas * sigma);
    int peaks = 0;
    for (int y = 5; y < h - 5; ++y) {
        if (base[y] > kDarkBase)
            continue;
        for (int x = 5; x < w - 5; ++x) {
            const float r = rise[std::size_t(y) * w + x];
            if (r <= lo || r > kStarMaxRise)
                continue;
            bool peak = true;
            for (int dy = -1; dy <= 1 && peak; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    if (rise[std::size_t(y + dy) * w + x + dx] > r) {
                        peak = false;
                        break;
                    }
            if (!peak)
                continue;
            if (rise[std::size_t(y) * w + x - 3] >= r || rise[std::size_t(y) * w + x + 3] >= r
                || rise[std::size_t(y - 3) * w + x] >= r || rise[std::size_t(y + 3) * w + x] >= r)
                continue;
            ++peaks;
        }
    }
    return peaks;
}

} // namespace

BackgroundFeatures measureBackground(const Video& clip)
{
    BackgroundFeatures out;
    if (clip.frames.empty())
        return out;
    const int w = clip.width(), h = clip.height();
    const std::vector<int> frames = sampledFrames(static_cast<int>(clip.frames.size()));

    // Row medians by histogram: exact, and cheap for 8-bit values.
    out.rows.resize(h);
    const int half = static_cast<int>(frames.size()) * w / 2;
    std::array<std::array<int, 256>, 3> hist;
    for (int y = 0; y < h; ++y) {
        for (auto& hc : hist)
            hc.fill(0);
        for (int f : frames) {
            const std::uint8_t* p = clip.frames[f].pixel(0, y);
            for (int x = 0; x < w; ++x, p += 3) {
                ++hist[0][p[0]];
                ++hist[1][p[1]];
                ++hist[2][p[2]];
            }
        }
        for (int c = 0; c < 3; ++c) {
            int seen = 0, v = 0;
            while (v < 255 && seen + hist[c][v] <= half)
                seen += hist[c][v++];
            out.rows[y][c] = v;
        }
    }

    // Light minus dark squares: per square the median over frames of its mean
    // luminance, then the median over each kind of square.
    const int bw = w / kCheckerSquare, bh = h / kCheckerSquare;
    if (bw >= 2 && bh >= 2) {
        std::vector<std::vector<double>> squareMeans(std::size_t(bw) * bh);
        for (int f : frames) {
            const Frame& frame = clip.frames[f];
            for (int by = 0; by < bh; ++by) {
                for (int bx = 0; bx < bw; ++bx) {
                    double sum = 0.0;
                    for (int y = by * kCheckerSquare; y < (by + 1) * kCheckerSquare; ++y)
                        for (int x = bx * kCheckerSquare; x < (bx + 1) * kCheckerSquare; ++x)
                            sum += luminance(frame.pixel(x, y));
                    squareMeans[std::size_t(by) * bw + bx].push_back(sum / (kCheckerSquare * kCheckerSquare));
                }
            }
        }
        std::vector<double> light, dark;
        for (int by = 0; by < bh; ++by)
            for (int bx = 0; bx < bw; ++bx)
                ((bx + by) % 2 ? light : dark).push_back(median(squareMeans[std::size_t(by) * bw + bx]));
        out.checkerContrast = median(light) - median(dark);
    }

    std::vector<double> baseLuma(h);
    for (int y = 0; y < h; ++y)
        baseLuma[y] = luminance(out.rows[y]);
    if (w > 10 && h > 10) {
        double peaks = 0.0;
        for (int f : frames)
            peaks += countStarPeaks(clip.frames[f], baseLuma);
        out.starPeaks = peaks / frames.size();
    }
    return out;
}

Background classifyFeatures(const BackgroundFeatures& features)
{
    const int h = static_cast<int>(features.rows.size());
    if (h == 0)
        return Background::Black;
    Background best = Background::Black;
    double bestCost = std::numeric_limits<double>::infinity();
    for (int b = 0; b < world::kBackgroundCount; ++b) {
        const auto bg = static_cast<Background>(b);
        if (bg == Background::StarryNight)
            continue; // the same rows as black; told apart by its stars below
        double cost = 0.0;
        for (int y = 0; y < h; ++y) {
            double d = dist(features.rows[y], templateRow(bg, y, h));
            if (bg == Background::Checkerboard)
                d = std::min(d, dist(features.rows[y], kCheckerLight));
            cost += d;
        }
        cost /= h;
        const double contrast = bg == Background::Checkerboard ? kCheckerContrast : 0.0;
        cost += kCheckerWeight * std::abs(features.checkerContrast - contrast);
        if (cost < bestCost) {
            bestCost = cost;
            best = bg;
        }
    }
    if (best == Background::Black && features.starPeaks >= kStarryPeaks)
        return Background::StarryNight;
    return best;
}

const std::uint8_t* BackgroundModel::nearest(int x, int y, const std::uint8_t* p) const
{
    const std::uint8_t* a = at(x, y);
    if (alt.empty())
        return a;
    const std::uint8_t* b = alt.data() + (std::size_t(y) * width + x) * 3;
    return distance2(p, a) <= distance2(p, b) ? a : b;
}

BackgroundModel backgroundModel(const BackgroundFeatures& features, Background kind, int width, int height)
{
    BackgroundModel m;
    m.kind = kind;
    m.width = width;
    m.height = height;
    m.rgb.resize(std::size_t(width) * height * 3);
    auto fill = [width](std::vector<std::uint8_t>& img, int y, RowColour c) {
        for (int x = 0; x < width; ++x)
            for (int k = 0; k < 3; ++k)
                img[(std::size_t(y) * width + x) * 3 + k]
                    = static_cast<std::uint8_t>(std::lround(std::clamp(c[k], 0.0, 255.0)));
    };
    const int rows = std::min(height, static_cast<int>(features.rows.size()));
    auto ideal = [&](int y) {
        const RowColour dark = templateRow(kind, y, height);
        if (kind != Background::Checkerboard || y >= rows)
            return dark;
        return dist(features.rows[y], dark) <= dist(features.rows[y], kCheckerLight) ? dark : kCheckerLight;
    };

    // A generated clip may cast the whole background a little (the median shift
    // of its rows from the template); the template follows it.
    RowColour shift {};
    for (int k = 0; k < 3 && rows > 0; ++k) {
        std::vector<double> d;
        for (int y = 0; y < rows; ++y)
            d.push_back(features.rows[y][k] - ideal(y)[k]);
        shift[k] = std::clamp(median(d), -kRowTrust, kRowTrust);
    }
    auto shifted = [&shift](RowColour c) {
        return RowColour { c[0] + shift[0], c[1] + shift[1], c[2] + shift[2] };
    };

    if (kind == Background::Checkerboard) {
        m.alt.resize(m.rgb.size());
        for (int y = 0; y < height; ++y) {
            fill(m.rgb, y, shifted(kCheckerDark));
            fill(m.alt, y, shifted(kCheckerLight));
        }
        return m;
    }
    // The clip's own rows where they look like the template (a generated sunset is
    // never exactly the renderer's), the template where an object hid a row.
    for (int y = 0; y < height; ++y) {
        const RowColour expected = shifted(ideal(y));
        fill(
            m.rgb, y, y < rows && dist(features.rows[y], expected) < kRowTrust ? features.rows[y] : expected);
    }
    return m;
}

} // namespace kinora::eval::detail
