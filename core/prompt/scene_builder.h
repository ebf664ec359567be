#pragma once

// Private to core/prompt: turns what a prompt asked for into a whole scene, filling
// what it left open from the seed while keeping WORLD.md's rules (an object's colour
// far enough from its background, no spinning circles, two objects on either side).

#include "world/world.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kinora::prompt::detail {

// WORLD.md: no object within this Euclidean RGB distance of its background's mean
// (core/world samples with the same test, distance < 60).
inline constexpr double kMinColourDistance = 60.0;

struct ObjectRequest {
    std::optional<world::Color> color;
    std::optional<world::Shape> shape;
    std::optional<world::Size> size;
    std::optional<world::Motion> motion;
    bool travel = false; // a moving verb without a direction yet ("a ball rolls")
    std::optional<world::Speed> speed;
    std::optional<world::Speed> impliedSpeed; // from the verb ("crawls"), if no speed word
    std::optional<world::Placement> placement;
    bool doubled = false; // "two balls"

    bool hasNoun() const { return color || shape || size; }
};

struct SceneRequest {
    std::vector<ObjectRequest> objects; // one or two
    std::optional<world::Background> background;
};

struct CompletedScene {
    world::Scene scene;
    std::vector<std::string> defaulted;
    std::vector<std::string> notes;
};

// Deterministic in (request, seed). minColourDistance is a parameter so that tests can
// exercise the conflict rules, which the v1 palette never triggers.
CompletedScene completeScene(
    const SceneRequest& request, std::uint64_t seed, double minColourDistance = kMinColourDistance);

double colourDistance(world::Color color, world::Background background);

} // namespace kinora::prompt::detail
