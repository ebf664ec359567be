#pragma once

// The shapes world (../shared/WORLD.md, v1): scene attributes, seeded sampling,
// rendering and captions. The renderer, the training captions, the prompt expander
// and the evaluation all go through this header. No torch, no Qt.

#include "media/video.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinora::world {

inline constexpr int kWorldVersion = 1;
inline constexpr int kFrameSize = 128;        // width and height in pixels
inline constexpr double kFps = 8.0;
inline constexpr int kWindowFrames = 17;      // one ~2 s generation window (1 + 4k)
// Scene seeds at or above this are never used for training; evaluation draws from them.
inline constexpr std::uint64_t kHeldOutSeedBase = 1'000'000'000ull;

enum class Color { Red, Orange, Yellow, Green, Cyan, Blue, Purple, White };
enum class Background { Black, Gray, Navy, Beige, StarryNight, Checkerboard, GrassField, Sunset };
enum class Shape { Circle, Square, Triangle, Star, Diamond };
enum class Size { Small, Medium, Large };
enum class Motion { Left, Right, Up, Down, Bounce, Fall, Orbit, Grow, Shrink, Spin, Still };
enum class Speed { Slow, Normal, Fast };
enum class Placement { Center, Left, Right };

inline constexpr int kColorCount = 8;
inline constexpr int kBackgroundCount = 8;
inline constexpr int kShapeCount = 5;
inline constexpr int kSizeCount = 3;
inline constexpr int kMotionCount = 11;
inline constexpr int kSpeedCount = 3;

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

struct ObjectSpec {
    Color color = Color::Red;
    Shape shape = Shape::Circle;
    Size size = Size::Medium;
    Motion motion = Motion::Still;
    Speed speed = Speed::Normal;
    Placement placement = Placement::Center;
};

struct Scene {
    Background background = Background::Black;
    std::vector<ObjectSpec> objects; // one or two
    std::uint64_t seed = 0;          // drives details the caption leaves open (start position, stars)
};

// Where an object is in one frame: ground truth for evaluation.
struct ObjectState {
    double cx = 0, cy = 0;   // centre in pixels
    double diameter = 0;     // current size across, in pixels
    double angleDeg = 0;     // rotation
};

struct OutlinePoint {
    double x = 0, y = 0;
};
// A shape's outline as a union of convex polygons, in units of its diameter, y down,
// centred on its area centroid; empty for the circle, which is drawn analytically.
const std::vector<std::vector<OutlinePoint>>& shapeOutline(Shape shape);

// Canonical words, exactly as they appear in canonical captions.
std::string_view colorName(Color c);
std::string_view backgroundName(Background b);
std::string_view shapeName(Shape s);
std::string_view sizeName(Size s);       // "small", "medium", "large"
std::string_view motionPhrase(Motion m); // "moving to the left", "bouncing", "staying still", ...
std::string_view speedName(Speed s);     // "slowly", "", "quickly"
Rgb colorRgb(Color c);
Rgb backgroundMeanRgb(Background b);

// A scene drawn from the seed over the whole world (one object mostly, two sometimes),
// honouring the colour-distance and spin rules.
Scene sampleScene(std::uint64_t seed);

// Renders `frames` frames at 128 x 128, 8 fps. Deterministic for a given scene.
// Motions are defined over one 2-second window (16 frame intervals).
Video render(const Scene& scene, int frames = kWindowFrames);
ObjectState objectState(const Scene& scene, int objectIndex, int frame);

// "a red circle moving to the left on a black background"; see docs/captions.md.
std::string canonicalCaption(const Scene& scene);
// One of many paraphrase templates, chosen by `variant` (any integer).
std::string paraphraseCaption(const Scene& scene, std::uint64_t variant);
int paraphraseTemplateCount();

// Parses a canonical caption back into a scene (seed 0); nullopt if it is not one.
std::optional<Scene> parseCanonicalCaption(std::string_view caption);

// The scene with every direction turned round: moving left <-> right and up <-> down; the
// rest (placements included) as it was. `changed` (when given) says whether any object
// moves in one of those four directions.
Scene reversedDirections(Scene scene, bool* changed = nullptr);

// Every word that appears in any caption the world produces (for tokenizer vocabularies).
std::vector<std::string> captionVocabulary();

} // namespace kinora::world
