#pragma once

// Measures of a long clip (kinora-cli eval --long): do its joins show, does it drift, does
// its object stay and keep moving? Torch-free, on decoded pixels, with the same colour
// labels as clip_analysis.h.
//
// The frame change d[f] is the mean absolute difference (0-255, over every pixel and
// channel) between frames f - 1 and f. A seam ratio is d at the frames where something
// new starts (a window's first new frame, or an autoencoder group's first frame) over the
// clip's median d, each with 0.1 added so a still clip reads ~1 rather than 0/0; a
// rendered world clip reads ~1.

#include "eval/clip_analysis.h"

#include <array>
#include <optional>
#include <vector>

namespace kinora::eval {

// Where new material starts in a generated clip: each later window's first new frame,
// and the first frame of each autoencoder group (latent frame) that is not a window start.
struct JoinFrames {
    std::vector<int> windowStarts;
    std::vector<int> groupStarts;
};

struct SeamMeasure {
    double mean = 0; // over the frames given
    double max = 0;
    int count = 0;
};

struct LongClipMeasures {
    SeamMeasure windows;
    SeamMeasure groups;
    double medianChange = 0; // the clip's median d
    // The first object of the scene, in the first and last 15 % of the clip: its mean area
    // (pixels) and its colour (plain mean over pixels well inside it), and the mean colour
    // of the pixels no object covers. Delta E is CIE 1976 in Lab (D65, sRGB).
    double areaFirst = 0, areaLast = 0;
    double areaChange = 0;         // |last / first - 1|; 1 where it vanished in either span
    double colourDeltaE = 0;       // NaN where the object was not seen in a span
    double backgroundDeltaE = 0;
    // The share of frames that show the object, per tenth of the clip, and the lowest.
    std::array<double, 10> presence{};
    double minPresence = 0;
    // Mean frame change in the last 15 % over that in the first 15 % (1: as lively at the
    // end; near 0: frozen).
    double motionEndOverStart = 0;
};

// The seam ratio at `frames` (indices >= 1 into the clip).
SeamMeasure seamRatio(const Video& clip, const std::vector<int>& frames);

LongClipMeasures measureLongClip(const Video& clip, const world::Scene& scene, const JoinFrames& joins);

// An sRGB colour (0-255) in CIE Lab (D65).
std::array<double, 3> toLab(const std::array<double, 3>& rgb);
double deltaE(const std::array<double, 3>& rgbA, const std::array<double, 3>& rgbB);

} // namespace kinora::eval
