#pragma once

// Judges whether a clip of the shapes world (../shared/WORLD.md) shows what its
// scene asked for: background, object colours, presence, motion and shape, all
// measured on the decoded pixels. No torch, no Qt.
//
// Generated clips are blurrier and a little off-colour compared to the renderer,
// so colours are matched with tolerance. A pixel shows a palette colour when
// - it lies on the blend line between the background there and that colour, at
//   least half way along (a soft edge keeps its object's colour rather than
//   passing for a third one it happens to come near), or else
// - it is within 60 (Euclidean RGB) of that colour and nearer to it than to any
//   other palette colour and to the background (an off-colour object).
// The background itself is measured from the clip (per-row medians, a global
// colour cast), not assumed. Blobs without a solid inside (stars, thin rims) are
// never objects.

#include "media/video.h"
#include "world/world.h"

#include <optional>
#include <string>
#include <vector>

namespace kinora::eval {

// Per-frame measurements of one object, found by its colour.
struct ObjectTrack {
    std::vector<bool> present; // enough pixels of the colour in one blob
    std::vector<double> cx, cy, area; // centroid and pixel area; NaN where absent
    std::vector<double> angle; // orientation from second moments, degrees in (-90, 90]; NaN where absent
    // Another object touches it, so part of it may be hidden: its area and centroid
    // are not trusted for motion (two-object scenes may overlap).
    std::vector<bool> occluded;
};

struct ClipVerdict {
    bool backgroundOk = false; // background classified as the expected one
    bool colourOk = false; // every object's colour is among the dominant non-background colours
    bool presentStable = false; // every object present in >= 90 % of frames, its colour steady
    bool motionOk = false; // every object's measured motion is the expected one (direction included)
    bool shapeOk = false; // every judged object's shape is the expected one (spinning objects are not judged)
    double backgroundFlicker = 0; // mean absolute frame-to-frame change of background pixels (0-255)
    std::string detectedBackground, detectedMotion, detectedShape; // what was measured, for reports
    std::vector<world::Motion> measuredMotions; // per expected object, in the scene's order
    // Per expected object whose motion travels one way: travelAlong's +1, -1 or 0; nullopt
    // for other motions.
    std::vector<std::optional<int>> travelled;
    std::vector<std::string> notes;

    // The clip shows the caption: shape is reported but not required, as the
    // model's small objects are often too soft to tell a star from a diamond.
    bool passed() const { return backgroundOk && colourOk && presentStable && motionOk; }
};

ClipVerdict analyseClip(const Video& clip, const world::Scene& expected);

// The nearest of the eight backgrounds, from row profiles (flat, sky over grass,
// sunset gradient), the 16-pixel checker contrast and twinkling star peaks.
world::Background classifyBackground(const Video& clip);

// The palette colour covering most pixels that are not background-like, in blobs
// of a few pixels at least (single bright stars do not count); nullopt if none.
std::optional<world::Color> dominantObjectColour(const Video& clip, world::Background bg);

ObjectTrack trackColour(const Video& clip, world::Color colour, world::Background bg);

// Motion from the centroid path and area alone. Spinning cannot be seen there
// (a spinning object keeps its centroid and area), so this answers Still for it;
// the overload below looks at the pixels as well.
world::Motion classifyMotion(const ObjectTrack& track, double frameSize);
world::Motion classifyMotion(const Video& clip, world::Color colour, world::Background bg);

// For the motions that travel one way (left, right, up, down, falls): +1 where the object
// ends up at least the jitter threshold further that way than it started (median of its
// first and last three sightings), whatever it does on the way or across; -1 where it ends
// up as far the opposite way; 0 otherwise. A weaker test than the classifier's, to tell a
// model that knows the direction but jitters from one that does not know it (the two
// shares are then alike). nullopt for other motions or fewer than two sightings.
std::optional<int> travelAlong(const ObjectTrack& track, world::Motion asked, double frameSize);

// The shape of the object of that colour, from its first frames; nullopt if absent.
std::optional<world::Shape> classifyShape(const Video& clip, world::Color colour, world::Background bg);

// How well generated frames continue known ones. Steps are mean absolute pixel
// differences (0-255) between consecutive frames. jumpRatio = stepAcross (frame
// k-1 to frame k = firstGeneratedFrame) over meanKnownStep (mean step among frames
// 0..k-1), both with 0.1 added so that a still clip reads ~1, not 0/0.
struct SeamReport {
    double jumpRatio = 0;
    double psnrAcross = 0; // dB between frames k-1 and k; 100 when identical
    double meanKnownStep = 0;
    double stepAcross = 0;
};
SeamReport measureSeam(const Video& clip, int firstGeneratedFrame);

} // namespace kinora::eval
