#include "prompt/scene_builder.h"

#include <algorithm>
#include <cmath>

namespace kinora::prompt::detail {

namespace {

using world::Background;
using world::Color;
using world::Motion;
using world::Placement;
using world::Shape;
using world::Speed;

std::uint64_t splitmix(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Each open attribute has its own draw from the seed, so saying one more thing in a
// prompt leaves the defaults of the others as they were.
enum class Slot { Shape, Motion, Direction, Colour, Background };

template <typename T> T pick(std::uint64_t seed, int object, Slot slot, const std::vector<T>& options)
{
    const auto salt = static_cast<std::uint64_t>(object * 8 + static_cast<int>(slot) + 1);
    const std::uint64_t r = splitmix(seed ^ splitmix(salt * 0xD1B54A32D192ED03ull));
    return options[static_cast<std::size_t>(r % options.size())];
}

template <typename T> std::vector<T> allOf(int count)
{
    std::vector<T> values;
    for (int i = 0; i < count; ++i)
        values.push_back(static_cast<T>(i));
    return values;
}

template <typename T> void removeValue(std::vector<T>& values, T value)
{
    values.erase(std::remove(values.begin(), values.end(), value), values.end());
}

std::string label(std::size_t object, const char* attribute)
{
    return object == 0 ? std::string(attribute) : "second " + std::string(attribute);
}

void addOnce(std::vector<std::string>& list, const std::string& item)
{
    if (std::find(list.begin(), list.end(), item) == list.end())
        list.push_back(item);
}

Placement opposite(Placement p)
{
    return p == Placement::Left ? Placement::Right : Placement::Left;
}

std::optional<Placement> side(const std::optional<Placement>& p)
{
    if (p && *p != Placement::Center)
        return p;
    return std::nullopt;
}

std::string describe(const world::ObjectSpec& o)
{
    return std::string(world::colorName(o.color)) + " " + std::string(world::shapeName(o.shape));
}

} // namespace

double colourDistance(Color color, Background background)
{
    const world::Rgb a = world::colorRgb(color), b = world::backgroundMeanRgb(background);
    const double dr = double(a.r) - b.r, dg = double(a.g) - b.g, db = double(a.b) - b.b;
    return std::sqrt(dr * dr + dg * dg + db * db);
}

CompletedScene completeScene(const SceneRequest& request, std::uint64_t seed, double minColourDistance)
{
    CompletedScene out;
    world::Scene& scene = out.scene;
    scene.seed = seed;

    std::vector<ObjectRequest> asked = request.objects;
    if (asked.empty())
        asked.emplace_back();
    if (asked.size() == 1 && asked.front().doubled) {
        asked.push_back(asked.front());
        asked.back().placement.reset();
    }
    if (asked.size() > 2)
        asked.resize(2);
    const std::size_t n = asked.size();
    scene.objects.resize(n);

    for (std::size_t i = 0; i < n; ++i) {
        const ObjectRequest& a = asked[i];
        world::ObjectSpec& o = scene.objects[i];
        const int index = static_cast<int>(i);

        if (a.shape) {
            o.shape = *a.shape;
        } else {
            auto options = allOf<Shape>(world::kShapeCount);
            if (a.motion == Motion::Spin)
                removeValue(options, Shape::Circle); // a turning circle shows nothing
            o.shape = pick(seed, index, Slot::Shape, options);
            out.defaulted.push_back(label(i, "shape"));
        }

        if (a.motion) {
            o.motion = *a.motion;
        } else if (a.travel) {
            o.motion = pick(seed, index, Slot::Direction,
                std::vector<Motion> { Motion::Left, Motion::Right, Motion::Up, Motion::Down });
            out.defaulted.push_back(label(i, "direction"));
        } else {
            auto options = allOf<Motion>(world::kMotionCount);
            if (o.shape == Shape::Circle)
                removeValue(options, Motion::Spin);
            if (a.speed)
                removeValue(options, Motion::Still); // "slowly" asks for some movement
            o.motion = pick(seed, index, Slot::Motion, options);
            out.defaulted.push_back(label(i, "motion"));
        }

        o.size = a.size.value_or(world::Size::Medium);
        o.speed = a.speed ? *a.speed : a.impliedSpeed.value_or(Speed::Normal);
        if (o.motion == Motion::Still && o.speed != Speed::Normal) {
            o.speed = Speed::Normal; // captions never give "staying still" a speed
            if (a.speed)
                out.notes.push_back("An object that stays still has no speed; the speed word was left out.");
        }
    }

    // Colours the prompt gave are kept whatever the background; the open ones differ
    // from the other object's and, where the background is known, stay clear of it.
    const auto pickColour = [&](std::size_t i, std::optional<Background> background) {
        std::vector<Color> others;
        for (std::size_t j = 0; j < n; ++j) {
            if (j != i && (asked[j].color || j < i))
                others.push_back(scene.objects[j].color);
        }
        auto visible = allOf<Color>(world::kColorCount);
        if (background) {
            visible.erase(std::remove_if(visible.begin(), visible.end(),
                              [&](Color c) { return colourDistance(c, *background) < minColourDistance; }),
                visible.end());
        }
        auto options = visible;
        for (Color c : others)
            removeValue(options, c);
        if (options.empty())
            options = visible.empty() ? allOf<Color>(world::kColorCount) : visible;
        return pick(seed, static_cast<int>(i), Slot::Colour, options);
    };
    for (std::size_t i = 0; i < n; ++i) {
        if (asked[i].color)
            scene.objects[i].color = *asked[i].color;
    }
    if (request.background) {
        scene.background = *request.background;
        for (std::size_t i = 0; i < n; ++i) {
            if (!asked[i].color) {
                scene.objects[i].color = pickColour(i, scene.background);
                out.defaulted.push_back(label(i, "colour"));
            } else if (colourDistance(scene.objects[i].color, scene.background) < minColourDistance) {
                out.notes.push_back("The " + describe(scene.objects[i]) + " may be hard to see on the "
                    + std::string(world::backgroundName(scene.background)) + " background.");
            }
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            if (!asked[i].color) {
                scene.objects[i].color = pickColour(i, std::nullopt);
                out.defaulted.push_back(label(i, "colour"));
            }
        }
        auto options = allOf<Background>(world::kBackgroundCount);
        options.erase(std::remove_if(options.begin(), options.end(),
                          [&](Background b) {
                              return std::any_of(scene.objects.begin(), scene.objects.end(),
                                  [&](const world::ObjectSpec& o) {
                                      return colourDistance(o.color, b) < minColourDistance;
                                  });
                          }),
            options.end());
        if (options.empty())
            options = allOf<Background>(world::kBackgroundCount);
        scene.background = pick(seed, 0, Slot::Background, options);
        out.defaulted.push_back("background");
    }

    if (n == 1) {
        if (side(asked[0].placement))
            out.notes.push_back("Left and right placement is only used when there are two objects.");
        scene.objects[0].placement = Placement::Center;
    } else {
        std::optional<Placement> first = side(asked[0].placement), second = side(asked[1].placement);
        if (!first && !second) {
            first = Placement::Left; // in the order the prompt names them
            addOnce(out.defaulted, "placement");
        } else if (first && second && *first == *second) {
            out.notes.push_back(
                "Both objects were placed on the same side; the second was moved to the other.");
            second.reset();
        }
        if (!first)
            first = opposite(*second);
        if (!second)
            second = opposite(*first);
        scene.objects[0].placement = *first;
        scene.objects[1].placement = *second;
    }
    return out;
}

} // namespace kinora::prompt::detail
