// analyseClip and the standalone measures: the public face of core/eval.

#include "eval/clip_analysis.h"
#include "eval/eval_internal.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kinora::eval {

using namespace detail;
using world::Motion;

namespace {

constexpr double kPresentShare = 0.9;
constexpr double kColourDrift = 35.0; // largest distance of a frame's mean colour from the clip's
constexpr int kSolidInside = 12; // pixels two or more inside the outline
constexpr int kShapeFrames = 2;
constexpr int kFlickerMargin = 3; // background pixels this near an object are its blurred rim
constexpr double kSeamFloor = 0.1; // added to both steps of the seam ratio

// Every frame the same non-empty size with its full pixel buffer: all that the
// measures below assume.
bool wellFormed(const Video& clip)
{
    if (clip.frames.empty() || clip.width() <= 0 || clip.height() <= 0)
        return false;
    return std::all_of(clip.frames.begin(), clip.frames.end(), [&clip](const Frame& f) {
        return f.width == clip.width() && f.height == clip.height()
            && f.rgb.size() == std::size_t(f.width) * f.height * 3;
    });
}

long minColourPixels(const Video& clip)
{
    return static_cast<long>(kMinBlob) * static_cast<long>(clip.frames.size());
}

std::string join(const std::vector<std::string>& parts)
{
    std::string out;
    for (const std::string& p : parts)
        out += (out.empty() ? "" : " and ") + p;
    return out;
}

// The largest distance of a frame's object colour from the clip's median one.
// Objects with a solid inside in every frame are measured there, plainly; small
// or soft ones by their colour unmixed from the background, which a changing
// coverage (a blurred object moving across pixels) does not change.
double colourDrift(const TrackDetail& d)
{
    bool solid = true;
    for (std::size_t f = 0; f < d.innerCount.size(); ++f)
        if (d.track.present[f] && d.innerCount[f] < kSolidInside)
            solid = false;
    const auto& colours = solid ? d.innerColour : d.meanColour;
    std::array<std::vector<double>, 3> channels;
    for (const auto& c : colours)
        if (!std::isnan(c[0]))
            for (int k = 0; k < 3; ++k)
                channels[k].push_back(c[k]);
    if (channels[0].empty())
        return 0.0;
    std::array<double, 3> mid;
    for (int k = 0; k < 3; ++k) {
        auto v = channels[k];
        std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
        mid[k] = v[v.size() / 2];
    }
    double worst = 0.0;
    for (std::size_t i = 0; i < channels[0].size(); ++i) {
        double s = 0.0;
        for (int k = 0; k < 3; ++k)
            s += (channels[k][i] - mid[k]) * (channels[k][i] - mid[k]);
        worst = std::max(worst, std::sqrt(s));
    }
    return worst;
}

// Pixels of no object (nor its rim) in a frame: 1, else 0.
std::vector<std::uint8_t> backgroundMask(const FrameLabels& fl, int w, int h)
{
    std::vector<std::uint8_t> object(std::size_t(w) * h, 0);
    for (std::size_t i = 0; i < object.size(); ++i)
        object[i] = fl.blob[i] >= 0 && fl.blobs[fl.blob[i]].solid();
    // Grow the objects by the margin: rows, then columns.
    std::vector<std::uint8_t> rows(object.size(), 0), out(object.size(), 1);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (object[std::size_t(y) * w + x])
                for (int xx = std::max(0, x - kFlickerMargin); xx <= std::min(w - 1, x + kFlickerMargin);
                     ++xx)
                    rows[std::size_t(y) * w + xx] = 1;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (rows[std::size_t(y) * w + x])
                for (int yy = std::max(0, y - kFlickerMargin); yy <= std::min(h - 1, y + kFlickerMargin);
                     ++yy)
                    out[std::size_t(yy) * w + x] = 0;
    return out;
}

double backgroundFlicker(const LabelledClip& labels)
{
    const Video& clip = *labels.video;
    const int w = clip.width(), h = clip.height();
    if (clip.frames.size() < 2)
        return 0.0;
    std::vector<std::uint8_t> prev = backgroundMask(labels.frames[0], w, h);
    double total = 0.0;
    int pairs = 0;
    for (std::size_t f = 1; f < clip.frames.size(); ++f) {
        std::vector<std::uint8_t> cur = backgroundMask(labels.frames[f], w, h);
        const std::uint8_t* a = clip.frames[f - 1].rgb.data();
        const std::uint8_t* b = clip.frames[f].rgb.data();
        long sum = 0, count = 0;
        for (std::size_t i = 0; i < cur.size(); ++i) {
            if (!cur[i] || !prev[i])
                continue;
            sum += std::abs(int(a[3 * i]) - b[3 * i]) + std::abs(int(a[3 * i + 1]) - b[3 * i + 1])
                + std::abs(int(a[3 * i + 2]) - b[3 * i + 2]);
            ++count;
        }
        if (count > 0) {
            total += double(sum) / (3.0 * count);
            ++pairs;
        }
        prev = std::move(cur);
    }
    return pairs > 0 ? total / pairs : 0.0;
}

double meanAbsStep(const Frame& a, const Frame& b, double* mse = nullptr)
{
    long sum = 0;
    double sq = 0.0;
    const std::size_t n = std::min(a.rgb.size(), b.rgb.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int d = int(a.rgb[i]) - b.rgb[i];
        sum += std::abs(d);
        sq += double(d) * d;
    }
    if (mse)
        *mse = n ? sq / n : 0.0;
    return n ? double(sum) / n : 0.0;
}

} // namespace

world::Background classifyBackground(const Video& clip)
{
    if (!wellFormed(clip))
        return world::Background::Black;
    return classifyFeatures(measureBackground(clip));
}

std::optional<world::Color> dominantObjectColour(const Video& clip, world::Background bg)
{
    if (!wellFormed(clip))
        return std::nullopt;
    const auto counts = colourCounts(labelClip(clip, bg));
    const auto best = std::max_element(counts.begin(), counts.end());
    if (*best < minColourPixels(clip))
        return std::nullopt;
    return static_cast<world::Color>(best - counts.begin());
}

ObjectTrack trackColour(const Video& clip, world::Color colour, world::Background bg)
{
    if (!wellFormed(clip))
        return track(LabelledClip {}, colour).track;
    return track(labelClip(clip, bg), colour).track;
}

world::Motion classifyMotion(const ObjectTrack& track, double frameSize)
{
    return classifyTrack(track, frameSize, std::nullopt);
}

world::Motion classifyMotion(const Video& clip, world::Color colour, world::Background bg)
{
    if (!wellFormed(clip))
        return Motion::Still;
    const LabelledClip labels = labelClip(clip, bg);
    return classifyTrack(labels, track(labels, colour), colour);
}

std::optional<world::Shape> classifyShape(const Video& clip, world::Color colour, world::Background bg)
{
    if (!wellFormed(clip))
        return std::nullopt;
    const LabelledClip labels = labelClip(clip, bg);
    const TrackDetail d = track(labels, colour);
    const bool turns = classifyTrack(labels, d, colour) == Motion::Spin;
    return shapeOf(labels, d, colour, turns ? 1 : kShapeFrames);
}

ClipVerdict analyseClip(const Video& clip, const world::Scene& expected)
{
    ClipVerdict v;
    if (!wellFormed(clip)) {
        v.notes.push_back("no frames, or frames of unequal size");
        return v;
    }
    const BackgroundFeatures features = measureBackground(clip);
    const world::Background bg = classifyFeatures(features);
    v.backgroundOk = bg == expected.background;
    v.detectedBackground = std::string(world::backgroundName(bg));
    if (!v.backgroundOk)
        v.notes.push_back("background: expected " + std::string(world::backgroundName(expected.background))
            + ", measured " + v.detectedBackground);

    // Objects are found against the background the clip shows, right or wrong.
    const LabelledClip labels = labelClip(clip, backgroundModel(features, bg, clip.width(), clip.height()));
    v.backgroundFlicker = backgroundFlicker(labels);

    const auto counts = colourCounts(labels);
    const int objects = static_cast<int>(expected.objects.size());
    const double n = static_cast<double>(clip.frames.size());
    v.colourOk = v.presentStable = v.motionOk = v.shapeOk = objects > 0;
    std::vector<std::string> motions, shapes;
    for (const world::ObjectSpec& o : expected.objects) {
        const std::string name(world::colorName(o.color));
        const long mine = counts[static_cast<int>(o.color)];
        const long ahead = std::count_if(counts.begin(), counts.end(), [mine](long c) { return c > mine; });
        if (mine < minColourPixels(clip) || ahead >= objects) {
            v.colourOk = false;
            v.notes.push_back("colour: " + name + " is not among the " + std::to_string(objects)
                + " dominant colours (" + std::to_string(mine) + " px)");
        }

        const TrackDetail d = track(labels, o.color);
        const double share = std::count(d.track.present.begin(), d.track.present.end(), true) / n;
        const double drift = colourDrift(d);
        if (share < kPresentShare || drift > kColourDrift) {
            v.presentStable = false;
            v.notes.push_back(name + ": present in " + std::to_string(int(std::lround(100 * share)))
                + " % of frames, colour drift " + std::to_string(int(std::lround(drift))));
        }

        const Motion m = classifyTrack(labels, d, o.color);
        motions.emplace_back(world::motionPhrase(m));
        v.measuredMotions.push_back(m);
        v.travelled.push_back(travelAlong(d.track, o.motion, std::max(clip.width(), clip.height())));
        if (m != o.motion) {
            v.motionOk = false;
            v.notes.push_back(name + ": expected " + std::string(world::motionPhrase(o.motion))
                + ", measured " + motions.back());
        }

        // A spinning object's outline is turned in every frame of a generated clip.
        const auto shape = shapeOf(labels, d, o.color, m == Motion::Spin ? 1 : kShapeFrames);
        shapes.emplace_back(shape ? world::shapeName(*shape) : "none");
        if (o.motion != Motion::Spin && shape != o.shape) {
            v.shapeOk = false;
            v.notes.push_back(name + ": expected a " + std::string(world::shapeName(o.shape)) + ", measured "
                + shapes.back());
        }
    }
    v.detectedMotion = join(motions);
    v.detectedShape = join(shapes);
    return v;
}

SeamReport measureSeam(const Video& clip, int firstGeneratedFrame)
{
    SeamReport r;
    const int n = static_cast<int>(clip.frames.size());
    const int k = firstGeneratedFrame;
    if (k < 1 || k >= n || !wellFormed(clip))
        return r;
    double mse = 0.0;
    r.stepAcross = meanAbsStep(clip.frames[k - 1], clip.frames[k], &mse);
    r.psnrAcross = mse > 0.0 ? std::min(100.0, 10.0 * std::log10(255.0 * 255.0 / mse)) : 100.0;
    double known = 0.0;
    for (int i = 1; i < k; ++i)
        known += meanAbsStep(clip.frames[i - 1], clip.frames[i]);
    r.meanKnownStep = k > 1 ? known / (k - 1) : 0.0;
    r.jumpRatio = (r.stepAcross + kSeamFloor) / (r.meanKnownStep + kSeamFloor);
    return r;
}

} // namespace kinora::eval
