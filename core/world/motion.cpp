// Object paths (WORLD.md, "Motions over one 2-second window").
//
// A path is planned once per object from the scene's seed: the start is drawn
// uniformly from the positions that keep the whole outline inside the frame for
// the whole window, after shortening any motion that could not fit at all (only
// the largest, fastest travels lose a few pixels). Past the window (frame > 16):
//   - left/right/up/down keep going at the same speed and stop at the frame edge;
//   - falls keep accelerating and come to rest at the bottom edge;
//   - bounce, orbit and spin are periodic and simply continue;
//   - grow and shrink hold the size reached at frame 16.
// So an object never leaves the frame, however many frames are asked for.

#include "world/world_internal.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace kinora::world::detail {

namespace {

constexpr double kTravel = 48.0; // px per window at normal speed
constexpr double kBounceHeight = 48.0; // apex above the floor
constexpr double kBouncePeriod = 0.8; // windows per bounce at normal speed: lands at 0.4, back up at 0.8
constexpr double kOrbitRadius = 24.0;
constexpr double kFrameCentre = kFrameSize / 2.0;
constexpr double kPlacementGap = 1.0; // px between an object's outline and the middle line at t = 0

// Shape circumradius per pixel of diameter: the reach of a shape at any angle.
double circumradius(Shape shape)
{
    switch (shape) {
    case Shape::Square:
        return std::numbers::sqrt2 / 2.0;
    case Shape::Triangle:
        return 1.0 / std::numbers::sqrt3; // equilateral with side = diameter, centred on its centroid
    case Shape::Circle:
    case Shape::Star:
    case Shape::Diamond:
        break;
    }
    return 0.5;
}

// Draws from [lo, hi]; an empty range means "as close to lo as the rules allow".
double pick(double lo, double hi, double u)
{
    return hi > lo ? lo + u * (hi - lo) : lo;
}

} // namespace

double baseDiameter(Size size)
{
    switch (size) {
    case Size::Small:
        return 16.0;
    case Size::Medium:
        break;
    case Size::Large:
        return 40.0;
    }
    return 26.0;
}

double speedFactor(Speed speed)
{
    switch (speed) {
    case Speed::Slow:
        return 0.5;
    case Speed::Normal:
        break;
    case Speed::Fast:
        return 1.75;
    }
    return 1.0;
}

Extents shapeExtents(Shape shape, bool spinning)
{
    if (spinning) {
        const double r = circumradius(shape);
        return { r, r, r, r };
    }
    Extents e;
    if (shape == Shape::Triangle)
        e.top = 1.0 / std::numbers::sqrt3; // the apex reaches further than the base
    return e;
}

MotionPlan planObject(const Scene& scene, int objectIndex)
{
    const ObjectSpec& o = scene.objects[objectIndex];
    // Always the same draws in the same order, whatever the motion.
    Rng rng(mix(scene.seed, 0x5EED0B1Eull + static_cast<std::uint64_t>(objectIndex)));
    const double ux = rng.uniform(), uy = rng.uniform(), uphase = rng.uniform();

    MotionPlan p;
    p.motion = o.motion;
    p.diameter = baseDiameter(o.size);
    const double k = speedFactor(o.speed);
    const Extents e = shapeExtents(o.shape, o.motion == Motion::Spin);
    const double room = kFrameSize - 2.0 * kEdgeMargin;

    // The largest size the object reaches decides where its centre may go.
    double largest = p.diameter;
    if (o.motion == Motion::Grow) {
        const double fit
            = std::min(room / ((e.left + e.right) * p.diameter), room / ((e.top + e.bottom) * p.diameter));
        p.scaleEnd = std::min(1.0 + k, fit); // doubles at normal speed
        largest = p.diameter * p.scaleEnd;
    } else if (o.motion == Motion::Shrink) {
        p.scaleEnd = 1.0 / (1.0 + k); // halves at normal speed
    }
    p.minX = kEdgeMargin + e.left * largest;
    p.maxX = kFrameSize - kEdgeMargin - e.right * largest;
    p.minY = kEdgeMargin + e.top * largest;
    p.maxY = kFrameSize - kEdgeMargin - e.bottom * largest;
    const double spanX = p.maxX - p.minX, spanY = p.maxY - p.minY;

    // Ranges for the start centre (for an orbit: for the orbit's centre).
    double xlo = p.minX, xhi = p.maxX, ylo = p.minY, yhi = p.maxY;
    switch (o.motion) {
    case Motion::Left:
        p.amount = std::min(kTravel * k, spanX);
        xlo += p.amount;
        break;
    case Motion::Right:
        p.amount = std::min(kTravel * k, spanX);
        xhi -= p.amount;
        break;
    case Motion::Up:
        p.amount = std::min(kTravel * k, spanY);
        ylo += p.amount;
        break;
    case Motion::Down:
        p.amount = std::min(kTravel * k, spanY);
        yhi -= p.amount;
        break;
    case Motion::Bounce:
        // Speed changes the tempo, not the height: slowly still lands once in the window.
        p.amount = std::min(kBounceHeight, spanY);
        p.period = kBouncePeriod / k;
        yhi -= p.amount;
        break;
    case Motion::Fall:
        p.amount = std::min(kTravel * k, spanY);
        yhi -= p.amount;
        yhi = ylo + (yhi - ylo) / 3.0; // "starts high"
        break;
    case Motion::Orbit:
        p.amount = std::min({ kOrbitRadius, spanX / 2.0, spanY / 2.0 });
        p.turns = k;
        xlo += p.amount;
        xhi -= p.amount;
        ylo += p.amount;
        yhi -= p.amount;
        break;
    case Motion::Spin:
        p.spinDeg = 360.0 * k;
        break;
    case Motion::Grow:
    case Motion::Shrink:
    case Motion::Still:
        break;
    }

    // A placed object is wholly in its half at mid-window (an orbit: its orbit's
    // centre is, and it starts on the outer side). A path too long for that (a
    // large object moving left quickly, on the left) goes as far that way as it can.
    const double midShift
        = o.motion == Motion::Left ? p.amount / 2.0 : (o.motion == Motion::Right ? -p.amount / 2.0 : 0.0);
    double phaseLo = 0.0, phaseSpan = 2.0 * std::numbers::pi;
    if (o.placement == Placement::Left) {
        xhi = std::min(xhi, kFrameCentre - kPlacementGap - e.right * p.diameter + midShift);
        phaseLo = 0.5 * std::numbers::pi;
        phaseSpan = std::numbers::pi;
    } else if (o.placement == Placement::Right) {
        xlo = std::min(std::max(xlo, kFrameCentre + kPlacementGap + e.left * p.diameter + midShift), xhi);
        phaseLo = -0.5 * std::numbers::pi;
        phaseSpan = std::numbers::pi;
    }

    const double x = pick(xlo, xhi, ux), y = pick(ylo, yhi, uy);
    if (o.motion == Motion::Orbit) {
        p.orbitX = x;
        p.orbitY = y;
        p.orbitPhase = phaseLo + uphase * phaseSpan;
        p.startX = x + p.amount * std::cos(p.orbitPhase);
        p.startY = y + p.amount * std::sin(p.orbitPhase);
    } else {
        p.startX = x;
        p.startY = y;
    }
    return p;
}

ObjectState stateAt(const MotionPlan& p, double t)
{
    t = std::max(t, 0.0);
    ObjectState s { p.startX, p.startY, p.diameter, 0.0 };
    switch (p.motion) {
    case Motion::Left:
        s.cx = std::max(p.startX - p.amount * t, p.minX);
        break;
    case Motion::Right:
        s.cx = std::min(p.startX + p.amount * t, p.maxX);
        break;
    case Motion::Up:
        s.cy = std::max(p.startY - p.amount * t, p.minY);
        break;
    case Motion::Down:
        s.cy = std::min(p.startY + p.amount * t, p.maxY);
        break;
    case Motion::Bounce: {
        // Dropped from the apex at rest: the drop grows with the square of the time
        // since the last apex, so it is fastest at the floor, halfway through each period.
        const double u = std::fmod(t, p.period) / p.period;
        const double sinceApex = 1.0 - std::abs(2.0 * u - 1.0); // 0 at an apex, 1 at the floor
        s.cy = p.startY + p.amount * sinceApex * sinceApex;
        break;
    }
    case Motion::Fall:
        s.cy = std::min(p.startY + p.amount * t * t, p.maxY);
        break;
    case Motion::Orbit: {
        const double a = p.orbitPhase + 2.0 * std::numbers::pi * p.turns * t;
        s.cx = p.orbitX + p.amount * std::cos(a);
        s.cy = p.orbitY + p.amount * std::sin(a);
        break;
    }
    case Motion::Grow:
    case Motion::Shrink:
        s.diameter = p.diameter * std::pow(p.scaleEnd, std::min(t, 1.0)); // a steady rate, not a steady step
        break;
    case Motion::Spin:
        s.angleDeg = std::fmod(p.spinDeg * t, 360.0);
        break;
    case Motion::Still:
        break;
    }
    return s;
}

} // namespace kinora::world::detail

namespace kinora::world {

ObjectState objectState(const Scene& scene, int objectIndex, int frame)
{
    if (objectIndex < 0 || objectIndex >= static_cast<int>(scene.objects.size()))
        return {};
    return detail::stateAt(detail::planObject(scene, objectIndex), frame / detail::kWindowIntervals);
}

} // namespace kinora::world
