// Canonical captions and their parser (docs/captions.md), and the caption vocabulary.

#include "world/world_internal.h"

#include <algorithm>
#include <cctype>

namespace kinora::world {

namespace {

std::vector<std::string_view> splitWords(std::string_view text)
{
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        const size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        if (i > start)
            words.push_back(text.substr(start, i - start));
    }
    return words;
}

// Walks a caption word by word; a phrase matches only as whole words.
class Reader {
public:
    explicit Reader(std::vector<std::string_view> words)
        : m_words(std::move(words))
    {
    }

    bool atEnd() const { return m_pos == m_words.size(); }

    bool take(std::string_view phrase)
    {
        const std::vector<std::string_view> want = splitWords(phrase);
        if (want.empty() || m_pos + want.size() > m_words.size())
            return false;
        for (size_t i = 0; i < want.size(); ++i) {
            if (m_words[m_pos + i] != want[i])
                return false;
        }
        m_pos += want.size();
        return true;
    }

    // The first of `count` enum values whose name matches.
    template <typename E, typename NameFn> std::optional<E> takeOneOf(int count, NameFn name)
    {
        for (int i = 0; i < count; ++i) {
            const auto value = static_cast<E>(i);
            if (!name(value).empty() && take(name(value)))
                return value;
        }
        return std::nullopt;
    }

private:
    std::vector<std::string_view> m_words;
    size_t m_pos = 0;
};

std::optional<ObjectSpec> readObject(Reader& in)
{
    if (!in.take("a") && !in.take("an"))
        return std::nullopt;
    ObjectSpec o;
    o.size = in.takeOneOf<Size>(kSizeCount, sizeName).value_or(Size::Medium);
    const auto color = in.takeOneOf<Color>(kColorCount, colorName);
    const auto shape = in.takeOneOf<Shape>(kShapeCount, shapeName);
    const auto motion = in.takeOneOf<Motion>(kMotionCount, motionPhrase);
    if (!color || !shape || !motion)
        return std::nullopt;
    o.color = *color;
    o.shape = *shape;
    o.motion = *motion;
    o.speed = in.takeOneOf<Speed>(kSpeedCount, speedName).value_or(Speed::Normal);
    if (in.take("on the left"))
        o.placement = Placement::Left;
    else if (in.take("on the right"))
        o.placement = Placement::Right;
    return o;
}

} // namespace

std::string canonicalCaption(const Scene& scene)
{
    std::string out;
    const bool pair = scene.objects.size() > 1;
    for (const ObjectSpec& o : scene.objects) {
        if (!out.empty())
            out += " and ";
        // "an" before the one colour that starts with a vowel (sizes never do).
        out += o.size == Size::Medium && o.color == Color::Orange ? "an " : "a ";
        if (o.size != Size::Medium) {
            out += sizeName(o.size);
            out += ' ';
        }
        out += colorName(o.color);
        out += ' ';
        out += shapeName(o.shape);
        out += ' ';
        out += motionPhrase(o.motion);
        if (o.speed != Speed::Normal && o.motion != Motion::Still) {
            out += ' ';
            out += speedName(o.speed);
        }
        if (pair && o.placement != Placement::Center)
            out += o.placement == Placement::Left ? " on the left" : " on the right";
    }
    if (!out.empty())
        out += ' ';
    out += "on a ";
    out += backgroundName(scene.background);
    out += " background";
    return out;
}

std::optional<Scene> parseCanonicalCaption(std::string_view caption)
{
    std::string lower(caption);
    std::transform(lower.begin(), lower.end(), lower.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    Reader in(splitWords(lower));

    Scene scene;
    do {
        const std::optional<ObjectSpec> o = readObject(in);
        if (!o)
            return std::nullopt;
        scene.objects.push_back(*o);
    } while (in.take("and"));

    if (!in.take("on a"))
        return std::nullopt;
    const auto background = in.takeOneOf<Background>(kBackgroundCount, backgroundName);
    if (!background || !in.take("background") || !in.atEnd())
        return std::nullopt;
    scene.background = *background;
    if (scene.objects.size() == 1)
        scene.objects.front().placement = Placement::Center; // placement is only said for pairs
    return scene;
}

std::vector<std::string> captionVocabulary()
{
    std::vector<std::string_view> words = detail::paraphraseWords();
    auto add = [&words](std::string_view phrase) {
        for (std::string_view w : splitWords(phrase))
            words.push_back(w);
    };
    for (int i = 0; i < kColorCount; ++i)
        add(colorName(static_cast<Color>(i)));
    for (int i = 0; i < kBackgroundCount; ++i)
        add(backgroundName(static_cast<Background>(i)));
    for (int i = 0; i < kShapeCount; ++i)
        add(shapeName(static_cast<Shape>(i)));
    for (int i = 0; i < kSizeCount; ++i) {
        if (static_cast<Size>(i) != Size::Medium)
            add(sizeName(static_cast<Size>(i)));
    }
    for (int i = 0; i < kMotionCount; ++i)
        add(motionPhrase(static_cast<Motion>(i)));
    for (int i = 0; i < kSpeedCount; ++i)
        add(speedName(static_cast<Speed>(i)));
    add("a an and on the left right background");

    std::vector<std::string> out(words.begin(), words.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace kinora::world
