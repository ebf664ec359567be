#pragma once

// Private to core/eval: the background model, per-pixel colour labels and their
// blobs, which every public measure shares so that analyseClip labels a clip once.

#include "eval/clip_analysis.h"

#include <array>
#include <cstdint>
#include <vector>

namespace kinora::eval::detail {

inline constexpr std::uint8_t kNoLabel = 255;
// Palette membership: this far (Euclidean RGB) off a fully covered colour; see labelClip.
inline constexpr int kColourTolerance = 60;
// Blobs smaller than this are noise or stars, never objects.
inline constexpr int kMinBlob = 5;

// What the background looks like in the clip, as measured before classifying it.
struct BackgroundFeatures {
    std::vector<std::array<double, 3>> rows; // per-row median colour over sampled frames
    double checkerContrast = 0; // light minus dark 16-px squares, luminance
    double starPeaks = 0; // small bright peaks on a dark base, per frame
};

BackgroundFeatures measureBackground(const Video& clip);
world::Background classifyFeatures(const BackgroundFeatures& features);

// The expected background colour at each pixel. Checkerboards keep both squares'
// colours, so a blurred or shifted board is still background everywhere.
struct BackgroundModel {
    world::Background kind = world::Background::Black;
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb, alt; // alt: only for the checkerboard

    const std::uint8_t* at(int x, int y) const { return rgb.data() + (std::size_t(y) * width + x) * 3; }
    // The candidate nearer to `p` (the only one but on a checkerboard).
    const std::uint8_t* nearest(int x, int y, const std::uint8_t* p) const;
};

BackgroundModel backgroundModel(
    const BackgroundFeatures& features, world::Background kind, int width, int height);

struct Blob {
    std::uint8_t label = kNoLabel;
    int size = 0;
    int core = 0; // pixels whose four neighbours are in the blob too
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0; // inclusive bounds

    // Stars and the thin rims where an object's edge blends into a background
    // into some third palette colour (cyan over grass reads green) have no core.
    bool solid() const { return size >= kMinBlob && core > 0; }
};

struct FrameLabels {
    std::vector<std::uint8_t> label; // palette index or kNoLabel
    std::vector<int> blob; // index into blobs, -1 for unlabelled pixels
    std::vector<Blob> blobs;
};

struct LabelledClip {
    const Video* video = nullptr;
    BackgroundModel background;
    std::vector<FrameLabels> frames;
};

// Labels every pixel of every frame against that background model (the rule is
// in clip_analysis.h and pixel_labels.cpp).
LabelledClip labelClip(const Video& clip, BackgroundModel background);
// Measures, models and labels with the given background (for standalone measures).
LabelledClip labelClip(const Video& clip, world::Background bg);

// Pixels per palette colour in solid blobs, over all frames.
std::array<long, world::kColorCount> colourCounts(const LabelledClip& labels);

// One object's blobs in one frame: the largest solid one of its colour and any
// solid one nearby of at least a quarter of that size (an object cut in two by
// another one).
struct FramePick {
    std::vector<int> blobs;
    int x0 = 0, y0 = 0, x1 = -1, y1 = -1;
    int size = 0;
    bool empty() const { return size == 0; }
};

struct TrackDetail {
    ObjectTrack track;
    std::vector<FramePick> picks;
    // Per frame, NaN where absent: the mean colour unmixed from the background
    // (what a fully covered pixel would show), and the plain mean over pixels at
    // least two pixels inside the object, with their count.
    std::vector<std::array<double, 3>> meanColour, innerColour;
    std::vector<int> innerCount;
};

TrackDetail track(const LabelledClip& labels, world::Color colour);

// Coverage of the object colour at each pixel of the pick's box grown by `margin`,
// unmixed from the background there; 0 on pixels of other objects. Row-major.
struct AlphaPatch {
    int x0 = 0, y0 = 0, width = 0, height = 0;
    std::vector<float> alpha;
};
AlphaPatch alphaPatch(
    const LabelledClip& labels, int frame, const FramePick& pick, world::Color colour, int margin);

// How much the object's pixels change between frames while its centroid stays
// (sum of |alpha change| over sum of alpha); 0 for a still object.
double spinScore(const LabelledClip& labels, const TrackDetail& detail, world::Color colour);
// Spin is only looked for where the path says Still; pass the score when known.
world::Motion classifyTrack(const ObjectTrack& track, double frameSize, std::optional<double> spin);
world::Motion classifyTrack(const LabelledClip& labels, const TrackDetail& detail, world::Color colour);

// The shape whose outline, placed at the object's centroid with the object's
// area and softened by the best of a few blurs, best matches the object's
// coverage in its first `frames` frames (one for an object that may turn, whose
// later frames are rotated).
std::optional<world::Shape> shapeOf(
    const LabelledClip& labels, const TrackDetail& detail, world::Color colour, int frames);

inline int distance2(const std::uint8_t* p, world::Rgb c)
{
    const int dr = int(p[0]) - c.r, dg = int(p[1]) - c.g, db = int(p[2]) - c.b;
    return dr * dr + dg * dg + db * db;
}

inline int distance2(const std::uint8_t* p, const std::uint8_t* q)
{
    const int dr = int(p[0]) - q[0], dg = int(p[1]) - q[1], db = int(p[2]) - q[2];
    return dr * dr + dg * dg + db * db;
}

// How far `p` lies from the background colour `b` towards the object colour `c`,
// along the line between them: the object's coverage of the pixel if it blends
// the two (1 on the object, 0 on the background; not clamped).
inline double coverage(const std::uint8_t* p, const std::uint8_t* b, world::Rgb c)
{
    const double vr = double(c.r) - b[0], vg = double(c.g) - b[1], vb = double(c.b) - b[2];
    const double n2 = vr * vr + vg * vg + vb * vb;
    if (n2 <= 0.0)
        return 1.0;
    return ((double(p[0]) - b[0]) * vr + (double(p[1]) - b[1]) * vg + (double(p[2]) - b[2]) * vb) / n2;
}

} // namespace kinora::eval::detail
