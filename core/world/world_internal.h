#pragma once

// Private to core/world: the seeded random stream and the motion plan shared by
// sampling, rendering and objectState, and the paraphrase word tables that the
// caption vocabulary is built from.

#include "world/world.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace kinora::world::detail {

// splitmix64. <random>'s distributions differ between standard libraries; this
// stream, and everything drawn from it, is the same everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed)
        : m_state(seed)
    {
    }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // In [0, 1), 53 bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // In [0, n), without modulo bias worth speaking of (n is tiny).
    int below(int n) { return static_cast<int>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32); }

private:
    std::uint64_t m_state;
};

// Mixes two words into a seed for an independent stream.
inline std::uint64_t mix(std::uint64_t a, std::uint64_t b)
{
    Rng rng(a ^ (b * 0xD1B54A32D192ED03ull));
    rng.next();
    return rng.next();
}

double colorDistance(Rgb a, Rgb b);

// Objects keep this many pixels between their outline and the frame edge, so that
// their anti-aliased rim never touches it.
inline constexpr double kEdgeMargin = 1.0;
// One generation window spans this many frame intervals: frame 16 is t = 1.
inline constexpr double kWindowIntervals = kWindowFrames - 1;

double baseDiameter(Size size);
double speedFactor(Speed speed);

// How far the outline reaches from the centre, per pixel of diameter. Never less
// than half the diameter, so `centre +- diameter / 2` is always inside the frame.
struct Extents {
    double left = 0.5, right = 0.5, top = 0.5, bottom = 0.5;
};
Extents shapeExtents(Shape shape, bool spinning);

// Everything about one object's path, fixed once per scene.
struct MotionPlan {
    Motion motion = Motion::Still;
    double startX = 0, startY = 0; // centre at t = 0
    double diameter = 0; // at t = 0
    double amount = 0; // travel, fall or bounce height, orbit radius (px)
    double period = 1; // bounce period in windows
    double turns = 0; // orbit turns per window
    double orbitX = 0, orbitY = 0, orbitPhase = 0;
    double scaleEnd = 1; // grow/shrink factor reached at t = 1
    double spinDeg = 0; // degrees per window
    // Where the centre may go without the object leaving the frame; travel stops here.
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
};

MotionPlan planObject(const Scene& scene, int objectIndex);
ObjectState stateAt(const MotionPlan& plan, double t); // t in windows, 1 = frame 16

// Every word the paraphrase templates can produce, unsorted, with repeats.
std::vector<std::string_view> paraphraseWords();

} // namespace kinora::world::detail
