// Per-pixel colour classes, their blobs, and one object's track through them.

#include "eval/eval_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace kinora::eval::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Which palette colour a pixel shows (see labelClip in eval_internal.h):
// - on the blend line between the background and a palette colour, at least half
//   way along it and off it by at most kBlendFit: that colour (a blurred or
//   anti-aliased edge, whatever third colour it happens to pass near);
// - else within the colour tolerance of a palette colour and nearer to it than to
//   the background: the nearest palette colour (a fully covered, off-colour pixel);
// - else near a blend line, off it by at most the tolerance times the coverage.
constexpr double kMinCoverage = 0.5;
constexpr double kMaxCoverage = 1.5; // brighter than the palette colour is still that colour
constexpr double kBlendFit = 20.0; // a few times the pixel noise of a generated clip
// No palette colour lies within 34 of a background colour, so a pixel this close
// to the background is less than half covered by any: background.
constexpr int kSurelyBackground2 = 17 * 17;

std::array<world::Rgb, world::kColorCount> palette()
{
    std::array<world::Rgb, world::kColorCount> p;
    for (int c = 0; c < world::kColorCount; ++c)
        p[c] = world::colorRgb(static_cast<world::Color>(c));
    return p;
}

int pixelColour(const std::uint8_t* p, const std::uint8_t* b)
{
    static const auto kPalette = palette();
    const int d2 = distance2(p, b);
    if (d2 <= kSurelyBackground2)
        return -1;
    const double dr = double(p[0]) - b[0], dg = double(p[1]) - b[1], db = double(p[2]) - b[2];
    int blend = -1;
    double blendResidual = 1e18;
    for (int c = 0; c < world::kColorCount; ++c) {
        const double vr = double(kPalette[c].r) - b[0], vg = double(kPalette[c].g) - b[1],
                     vb = double(kPalette[c].b) - b[2];
        const double n2 = vr * vr + vg * vg + vb * vb;
        if (n2 <= 0.0)
            continue;
        const double dot = dr * vr + dg * vg + db * vb;
        const double a = std::min(dot / n2, kMaxCoverage);
        if (a < kMinCoverage)
            continue;
        const double residual = d2 - 2.0 * a * dot + a * a * n2; // squared distance from the line
        const double tol = kColourTolerance * std::min(a, 1.0);
        if (residual <= tol * tol && residual < blendResidual) {
            blendResidual = residual;
            blend = c;
        }
    }
    if (blend >= 0 && blendResidual <= kBlendFit * kBlendFit)
        return blend;
    int nearest = -1, nearestD = std::numeric_limits<int>::max();
    for (int c = 0; c < world::kColorCount; ++c) {
        const int dc = distance2(p, kPalette[c]);
        if (dc < nearestD) {
            nearestD = dc;
            nearest = c;
        }
    }
    if (nearestD <= kColourTolerance * kColourTolerance && nearestD < d2)
        return nearest;
    return blend;
}

void labelFrame(const Frame& frame, const BackgroundModel& bg, FrameLabels& out)
{
    const int w = frame.width, h = frame.height;
    out.label.assign(std::size_t(w) * h, kNoLabel);
    out.blob.assign(std::size_t(w) * h, -1);
    out.blobs.clear();
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const std::uint8_t* p = frame.pixel(x, y);
            const int c = pixelColour(p, bg.nearest(x, y, p));
            if (c >= 0)
                out.label[std::size_t(y) * w + x] = static_cast<std::uint8_t>(c);
        }
    }

    // 4-connected blobs of one label.
    std::vector<int> stack;
    for (int start = 0; start < w * h; ++start) {
        if (out.label[start] == kNoLabel || out.blob[start] >= 0)
            continue;
        const int id = static_cast<int>(out.blobs.size());
        Blob b;
        b.label = out.label[start];
        b.x0 = b.x1 = start % w;
        b.y0 = b.y1 = start / w;
        out.blob[start] = id;
        stack.assign(1, start);
        while (!stack.empty()) {
            const int i = stack.back();
            stack.pop_back();
            const int x = i % w, y = i / w;
            ++b.size;
            b.x0 = std::min(b.x0, x);
            b.x1 = std::max(b.x1, x);
            b.y0 = std::min(b.y0, y);
            b.y1 = std::max(b.y1, y);
            const int next[4]
                = { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1 };
            for (int j : next) {
                if (j >= 0 && out.blob[j] < 0 && out.label[j] == b.label) {
                    out.blob[j] = id;
                    stack.push_back(j);
                }
            }
        }
        out.blobs.push_back(b);
    }
    for (int y = 1; y < h - 1; ++y) {
        for (int x = 1; x < w - 1; ++x) {
            const int i = y * w + x, id = out.blob[i];
            if (id >= 0 && out.blob[i - 1] == id && out.blob[i + 1] == id && out.blob[i - w] == id
                && out.blob[i + w] == id)
                ++out.blobs[id].core;
        }
    }
}

FramePick pick(const FrameLabels& labels, world::Color colour)
{
    const auto want = static_cast<std::uint8_t>(colour);
    int largest = -1;
    for (int i = 0; i < static_cast<int>(labels.blobs.size()); ++i) {
        const Blob& b = labels.blobs[i];
        if (b.label == want && b.solid() && (largest < 0 || b.size > labels.blobs[largest].size))
            largest = i;
    }
    FramePick p;
    if (largest < 0)
        return p;
    const Blob& main = labels.blobs[largest];
    const int keep = main.size / 4;
    const int reach = std::max(4, std::max(main.x1 - main.x0, main.y1 - main.y0) / 2);
    p.x0 = p.y0 = std::numeric_limits<int>::max();
    for (int i = 0; i < static_cast<int>(labels.blobs.size()); ++i) {
        const Blob& b = labels.blobs[i];
        if (b.label != want || !b.solid() || b.size < keep)
            continue;
        const int gapX = std::max({ 0, b.x0 - main.x1, main.x0 - b.x1 });
        const int gapY = std::max({ 0, b.y0 - main.y1, main.y0 - b.y1 });
        if (gapX > reach || gapY > reach)
            continue;
        p.blobs.push_back(i);
        p.size += b.size;
        p.x0 = std::min(p.x0, b.x0);
        p.y0 = std::min(p.y0, b.y0);
        p.x1 = std::max(p.x1, b.x1);
        p.y1 = std::max(p.y1, b.y1);
    }
    return p;
}

bool inPick(const FramePick& p, int blob)
{
    return blob >= 0 && std::find(p.blobs.begin(), p.blobs.end(), blob) != p.blobs.end();
}

// Whether a solid blob of another colour comes within kTouch pixels of the pick
// (a blurred seam between two objects matches neither, hence the gap).
bool touchesOther(const FrameLabels& fl, const FramePick& p, int w, int h)
{
    constexpr int kTouch = 3;
    std::vector<int> others;
    for (int i = 0; i < static_cast<int>(fl.blobs.size()); ++i) {
        const Blob& b = fl.blobs[i];
        if (b.solid() && !inPick(p, i) && b.label != fl.blobs[p.blobs.front()].label && b.x0 <= p.x1 + kTouch
            && b.x1 >= p.x0 - kTouch && b.y0 <= p.y1 + kTouch && b.y1 >= p.y0 - kTouch)
            others.push_back(i);
    }
    if (others.empty())
        return false;
    for (int y = std::max(0, p.y0 - kTouch); y <= std::min(h - 1, p.y1 + kTouch); ++y) {
        for (int x = std::max(0, p.x0 - kTouch); x <= std::min(w - 1, p.x1 + kTouch); ++x) {
            const int id = fl.blob[std::size_t(y) * w + x];
            if (id < 0 || std::find(others.begin(), others.end(), id) == others.end())
                continue;
            for (int yy = std::max(0, y - kTouch); yy <= std::min(h - 1, y + kTouch); ++yy)
                for (int xx = std::max(0, x - kTouch); xx <= std::min(w - 1, x + kTouch); ++xx)
                    if (inPick(p, fl.blob[std::size_t(yy) * w + xx]))
                        return true;
        }
    }
    return false;
}

} // namespace

LabelledClip labelClip(const Video& clip, BackgroundModel background)
{
    LabelledClip out;
    out.video = &clip;
    out.background = std::move(background);
    out.frames.resize(clip.frames.size());
    for (std::size_t f = 0; f < clip.frames.size(); ++f)
        labelFrame(clip.frames[f], out.background, out.frames[f]);
    return out;
}

LabelledClip labelClip(const Video& clip, world::Background bg)
{
    return labelClip(clip, backgroundModel(measureBackground(clip), bg, clip.width(), clip.height()));
}

std::array<long, world::kColorCount> colourCounts(const LabelledClip& labels)
{
    std::array<long, world::kColorCount> counts {};
    for (const FrameLabels& f : labels.frames)
        for (const Blob& b : f.blobs)
            if (b.solid())
                counts[b.label] += b.size;
    return counts;
}

TrackDetail track(const LabelledClip& labels, world::Color colour)
{
    const std::size_t n = labels.frames.size();
    TrackDetail d;
    ObjectTrack& t = d.track;
    t.present.assign(n, false);
    t.cx.assign(n, kNaN);
    t.cy.assign(n, kNaN);
    t.area.assign(n, kNaN);
    t.angle.assign(n, kNaN);
    t.occluded.assign(n, false);
    d.meanColour.assign(n, { kNaN, kNaN, kNaN });
    d.innerColour.assign(n, { kNaN, kNaN, kNaN });
    d.innerCount.assign(n, 0);
    d.picks.resize(n);
    const int w = labels.video ? labels.video->width() : 0;
    for (std::size_t f = 0; f < n; ++f) {
        const FrameLabels& fl = labels.frames[f];
        const FramePick p = pick(fl, colour);
        d.picks[f] = p;
        if (p.empty())
            continue;
        const Frame& frame = labels.video->frames[f];
        const world::Rgb c = world::colorRgb(colour);
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, count = 0;
        std::array<double, 3> unmixed {}, inner {};
        double weight = 0;
        int innerCount = 0;
        auto inside = [&](int x, int y) {
            return x >= 0 && y >= 0 && x < w && y < frame.height
                && inPick(p, fl.blob[std::size_t(y) * w + x]);
        };
        for (int y = p.y0; y <= p.y1; ++y) {
            for (int x = p.x0; x <= p.x1; ++x) {
                const std::size_t i = std::size_t(y) * w + x;
                if (!inPick(p, fl.blob[i]))
                    continue;
                sx += x;
                sy += y;
                sxx += double(x) * x;
                syy += double(y) * y;
                sxy += double(x) * y;
                ++count;
                // The colour the pixel would have if the object covered it fully: a
                // blur or a rim changes coverage, not this.
                const std::uint8_t* px = frame.pixel(x, y);
                const std::uint8_t* b = labels.background.nearest(x, y, px);
                const double a = std::clamp(coverage(px, b, c), 0.5, 1.5);
                for (int k = 0; k < 3; ++k)
                    unmixed[k] += a * b[k] + (double(px[k]) - b[k]); // a times (b + (px - b) / a)
                weight += a;
                if (inside(x - 2, y) && inside(x + 2, y) && inside(x, y - 2) && inside(x, y + 2)
                    && inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1)) {
                    for (int k = 0; k < 3; ++k)
                        inner[k] += px[k];
                    ++innerCount;
                }
            }
        }
        t.present[f] = true;
        t.occluded[f] = touchesOther(fl, p, w, frame.height);
        t.cx[f] = sx / count + 0.5; // pixel centres, as the renderer places them
        t.cy[f] = sy / count + 0.5;
        t.area[f] = count;
        const double mx = sx / count, my = sy / count;
        const double mu20 = sxx / count - mx * mx, mu02 = syy / count - my * my, mu11 = sxy / count - mx * my;
        t.angle[f] = 0.5 * std::atan2(2.0 * mu11, mu20 - mu02) * 180.0 / std::numbers::pi;
        d.meanColour[f] = { unmixed[0] / weight, unmixed[1] / weight, unmixed[2] / weight };
        d.innerCount[f] = innerCount;
        if (innerCount > 0)
            d.innerColour[f] = { inner[0] / innerCount, inner[1] / innerCount, inner[2] / innerCount };
    }
    return d;
}

AlphaPatch alphaPatch(
    const LabelledClip& labels, int frame, const FramePick& p, world::Color colour, int margin)
{
    AlphaPatch a;
    if (p.empty())
        return a;
    const Frame& f = labels.video->frames[frame];
    const FrameLabels& fl = labels.frames[frame];
    a.x0 = std::max(0, p.x0 - margin);
    a.y0 = std::max(0, p.y0 - margin);
    const int x1 = std::min(f.width - 1, p.x1 + margin), y1 = std::min(f.height - 1, p.y1 + margin);
    a.width = x1 - a.x0 + 1;
    a.height = y1 - a.y0 + 1;
    a.alpha.assign(std::size_t(a.width) * a.height, 0.0f);
    const world::Rgb c = world::colorRgb(colour);
    const auto want = static_cast<std::uint8_t>(colour);
    for (int y = a.y0; y <= y1; ++y) {
        for (int x = a.x0; x <= x1; ++x) {
            const std::size_t i = std::size_t(y) * f.width + x;
            const int blob = fl.blob[i];
            if (blob >= 0 && fl.label[i] != want && fl.blobs[blob].solid())
                continue; // another object
            const std::uint8_t* px = f.pixel(x, y);
            const std::uint8_t* b = labels.background.nearest(x, y, px);
            a.alpha[std::size_t(y - a.y0) * a.width + (x - a.x0)]
                = static_cast<float>(std::clamp(coverage(px, b, c), 0.0, 1.0));
        }
    }
    return a;
}

} // namespace kinora::eval::detail
