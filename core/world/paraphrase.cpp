// Paraphrase captions (WORLD.md, "Scenes"): many templates over the same
// attributes, with synonyms for shapes, motions, speeds, sizes and backgrounds.
//
// Every paraphrase names the colour exactly, and the shape, motion, speed (unless
// normal), size (unless medium), placement (pairs) and background with words that
// belong to that one value only: "dark" means black, "bigger" only grows, no
// background says "stars" (a shape) or a colour name. Captions are lower case words
// separated by single spaces, without punctuation, so any whitespace tokenizer
// sees exactly the words of captionVocabulary().

#include "world/world_internal.h"

#include <algorithm>
#include <span>

namespace kinora::world {

namespace {

using detail::Rng;
using Words = std::span<const std::string_view>;

// One wording of a motion as an -ing form and as a present-tense verb.
struct Forms {
    std::string_view participle, finite;
};

constexpr Forms kLeft[] = { { "moving to the left", "moves to the left" }, { "moving left", "moves left" },
    { "sliding left", "slides left" }, { "traveling leftward", "travels leftward" },
    { "heading left", "heads left" }, { "going left", "goes left" },
    { "gliding to the left", "glides to the left" } };
constexpr Forms kRight[] = { { "moving to the right", "moves to the right" },
    { "moving right", "moves right" }, { "sliding right", "slides right" },
    { "traveling rightward", "travels rightward" }, { "heading right", "heads right" },
    { "going right", "goes right" }, { "gliding to the right", "glides to the right" } };
constexpr Forms kUp[] = { { "moving up", "moves up" }, { "rising", "rises" }, { "going up", "goes up" },
    { "moving upward", "moves upward" }, { "floating up", "floats up" }, { "ascending", "ascends" },
    { "climbing", "climbs" } };
constexpr Forms kDown[] = { { "moving down", "moves down" }, { "going down", "goes down" },
    { "moving downward", "moves downward" }, { "sinking", "sinks" }, { "descending", "descends" },
    { "sliding down", "slides down" } };
constexpr Forms kBounce[] = { { "bouncing", "bounces" }, { "hopping", "hops" },
    { "bouncing in place", "bounces in place" }, { "bouncing repeatedly", "bounces repeatedly" } };
constexpr Forms kFall[] = { { "falling", "falls" }, { "dropping", "drops" }, { "plunging", "plunges" },
    { "falling from above", "falls from above" }, { "dropping from above", "drops from above" } };
constexpr Forms kOrbit[] = { { "orbiting", "orbits" }, { "circling around", "circles around" },
    { "going round and round", "goes round and round" }, { "looping around", "loops around" },
    { "revolving", "revolves" }, { "moving in an orbit", "moves in an orbit" } };
constexpr Forms kGrow[] = { { "growing", "grows" }, { "expanding", "expands" },
    { "getting bigger", "gets bigger" }, { "growing larger", "grows larger" }, { "swelling", "swells" },
    { "increasing in size", "increases in size" } };
constexpr Forms kShrink[]
    = { { "shrinking", "shrinks" }, { "getting smaller", "gets smaller" }, { "contracting", "contracts" },
          { "decreasing in size", "decreases in size" }, { "becoming smaller", "becomes smaller" } };
constexpr Forms kSpin[] = { { "spinning", "spins" }, { "rotating", "rotates" }, { "twirling", "twirls" },
    { "turning in place", "turns in place" }, { "spinning in place", "spins in place" },
    { "rotating in place", "rotates in place" } };
constexpr Forms kStill[] = { { "staying still", "stays still" }, { "not moving", "does not move" },
    { "standing still", "stands still" }, { "sitting still", "sits still" }, { "resting", "rests" },
    { "remaining motionless", "remains motionless" }, { "keeping still", "keeps still" } };

constexpr std::span<const Forms> kMotionForms[kMotionCount]
    = { kLeft, kRight, kUp, kDown, kBounce, kFall, kOrbit, kGrow, kShrink, kSpin, kStill };

constexpr std::string_view kCircle[] = { "circle", "ball", "disc", "disk" };
constexpr std::string_view kSquare[] = { "square", "box", "cube", "block" };
constexpr std::string_view kTriangle[] = { "triangle" };
constexpr std::string_view kStar[] = { "star", "five pointed star", "star shape" };
constexpr std::string_view kDiamond[] = { "diamond", "rhombus", "diamond shape" };
constexpr Words kShapeWords[kShapeCount] = { kCircle, kSquare, kTriangle, kStar, kDiamond };

constexpr std::string_view kSmall[] = { "small", "little", "tiny" };
constexpr std::string_view kMedium[] = { "medium", "medium sized" }; // said now and then, never needed
constexpr std::string_view kLarge[] = { "large", "big" };
constexpr Words kSizeWords[kSizeCount] = { kSmall, kMedium, kLarge };
constexpr double kSayMedium = 0.1;

// After the verb any adverbial fits; before it only an -ly adverb reads well.
constexpr std::string_view kSlowAfter[] = { "slowly", "gently", "at a slow pace", "leisurely" };
constexpr std::string_view kFastAfter[]
    = { "quickly", "fast", "rapidly", "swiftly", "at high speed", "at a fast pace" };
constexpr std::string_view kSlowBefore[] = { "slowly", "gently" };
constexpr std::string_view kFastBefore[] = { "quickly", "rapidly", "swiftly" };

constexpr std::string_view kOnLeft[] = { "on the left", "on the left side", "in the left half" };
constexpr std::string_view kOnRight[] = { "on the right", "on the right side", "in the right half" };

// A background as a prepositional phrase ("over beige") and as a noun phrase
// ("a dark backdrop", for "... with a red ball").
constexpr std::string_view kBlackAt[]
    = { "on a black background", "against a black backdrop", "against a dark backdrop",
          "on a dark background", "over black", "on black", "on a plain black background" };
constexpr std::string_view kBlackNoun[]
    = { "a black background", "a dark backdrop", "a plain black background" };
constexpr std::string_view kGrayAt[] = { "on a gray background", "on a grey background",
    "against a gray backdrop", "over gray", "over grey", "on a plain grey background" };
constexpr std::string_view kGrayNoun[]
    = { "a gray background", "a grey backdrop", "a plain gray background" };
constexpr std::string_view kNavyAt[] = { "on a navy background", "against a navy backdrop", "over navy",
    "on navy", "on a plain navy background" };
constexpr std::string_view kNavyNoun[] = { "a navy background", "a navy backdrop" };
constexpr std::string_view kBeigeAt[] = { "on a beige background", "over beige", "against a beige backdrop",
    "on beige", "on a plain beige background" };
constexpr std::string_view kBeigeNoun[] = { "a beige background", "a beige backdrop" };
constexpr std::string_view kStarryAt[]
    = { "on a starry night background", "against a starry sky", "under a starry sky",
          "in front of a starry night sky", "under the starry night", "against a starry night" };
constexpr std::string_view kStarryNoun[] = { "a starry sky", "a starry night sky", "the starry night" };
constexpr std::string_view kCheckerAt[] = { "on a checkerboard background", "on a checkered floor",
    "over a checkerboard", "against a checkered pattern", "on a checkerboard" };
constexpr std::string_view kCheckerNoun[] = { "a checkerboard", "a checkered floor", "a checkered pattern" };
constexpr std::string_view kGrassAt[] = { "on a grass field background", "in a grassy field", "on a meadow",
    "over a grassy meadow", "in a field of grass" };
constexpr std::string_view kGrassNoun[] = { "a grassy field", "a meadow", "a field of grass" };
constexpr std::string_view kSunsetAt[] = { "on a sunset background", "at sunset", "against a sunset sky",
    "in front of a sunset", "during sunset" };
constexpr std::string_view kSunsetNoun[] = { "a sunset sky", "a sunset", "the evening sunset" };
constexpr Words kBackgroundAt[kBackgroundCount]
    = { kBlackAt, kGrayAt, kNavyAt, kBeigeAt, kStarryAt, kCheckerAt, kGrassAt, kSunsetAt };
constexpr Words kBackgroundNoun[kBackgroundCount]
    = { kBlackNoun, kGrayNoun, kNavyNoun, kBeigeNoun, kStarryNoun, kCheckerNoun, kGrassNoun, kSunsetNoun };

// How one object is worded. Np*: a noun phrase carrying its motion ("a red ball
// moving left"); Verb*: a clause ("a red ball moves left").
enum class Style {
    Np, // a red ball moving left slowly
    NpSpeedLead, // a red ball slowly moving left
    NpBare, // red ball moving left slowly
    NpThat, // a red ball that moves left slowly
    NpColored, // a ball colored red moving left slowly
    NpWhichIs, // a red ball which is moving left slowly
    Verb, // a red ball moves left slowly
    VerbSpeedLead,
    VerbBare,
    VerbThe, // the red ball moves left slowly
};

// {O}: the objects as noun phrases, {V}: as clauses, {P}: the background as a
// prepositional phrase, {N}: as a noun phrase. Template 0 reads like the canonical form.
struct Template {
    std::string_view pattern;
    Style style;
};

constexpr Template kTemplates[] = {
    { "{O} {P}", Style::Np },
    { "{O} {P}", Style::NpSpeedLead },
    { "{O} {P}", Style::NpBare },
    { "{O} {P}", Style::NpThat },
    { "{O} {P}", Style::NpColored },
    { "{O} {P}", Style::NpWhichIs },
    { "{P} {O}", Style::Np },
    { "{P} {O}", Style::NpSpeedLead },
    { "{P} {O}", Style::NpBare },
    { "{P} {O}", Style::NpColored },
    { "{N} with {O}", Style::Np },
    { "{N} with {O}", Style::NpSpeedLead },
    { "{N} with {O}", Style::NpThat },
    { "{N} with {O}", Style::NpColored },
    { "there is {O} {P}", Style::Np },
    { "there is {O} {P}", Style::NpSpeedLead },
    { "there is {O} {P}", Style::NpThat },
    { "there is {O} {P}", Style::NpColored },
    { "there is {O} {P}", Style::NpWhichIs },
    { "a video of {O} {P}", Style::Np },
    { "a video of {O} {P}", Style::NpSpeedLead },
    { "a video of {O} {P}", Style::NpBare },
    { "a video of {O} {P}", Style::NpThat },
    { "a clip showing {O} {P}", Style::Np },
    { "a clip showing {O} {P}", Style::NpSpeedLead },
    { "a clip showing {O} {P}", Style::NpColored },
    { "a clip showing {O} {P}", Style::NpWhichIs },
    { "{O} in front of {N}", Style::Np },
    { "{O} in front of {N}", Style::NpSpeedLead },
    { "{O} in front of {N}", Style::NpBare },
    { "{O} in front of {N}", Style::NpThat },
    { "{N} behind {O}", Style::Np },
    { "{N} behind {O}", Style::NpSpeedLead },
    { "{N} behind {O}", Style::NpColored },
    { "an animation of {O} {P}", Style::Np },
    { "an animation of {O} {P}", Style::NpBare },
    { "an animation of {O} {P}", Style::NpThat },
    { "footage of {O} {P}", Style::Np },
    { "footage of {O} {P}", Style::NpSpeedLead },
    { "footage of {O} {P}", Style::NpBare },
    { "{O} seen {P}", Style::Np },
    { "{O} seen {P}", Style::NpBare },
    { "{V} {P}", Style::Verb },
    { "{V} {P}", Style::VerbSpeedLead },
    { "{V} {P}", Style::VerbBare },
    { "{V} {P}", Style::VerbThe },
    { "{P} {V}", Style::Verb },
    { "{P} {V}", Style::VerbSpeedLead },
    { "{P} {V}", Style::VerbThe },
    { "in this clip {V} {P}", Style::Verb },
    { "in this clip {V} {P}", Style::VerbThe },
    { "{N} where {V}", Style::Verb },
    { "{N} where {V}", Style::VerbSpeedLead },
};
constexpr int kTemplateCount = static_cast<int>(std::size(kTemplates));

// Words the templates and the object wording add beyond the tables.
constexpr std::string_view kGlue[]
    = { "a", "an", "the", "that", "which is", "colored", "and", "while", "across" };

bool isClause(Style s)
{
    return s == Style::Verb || s == Style::VerbSpeedLead || s == Style::VerbBare || s == Style::VerbThe;
}

template <typename T> const T& choose(Rng& rng, std::span<const T> options)
{
    return options[rng.below(static_cast<int>(options.size()))];
}

void append(std::string& out, std::string_view words)
{
    if (words.empty())
        return;
    if (!out.empty())
        out += ' ';
    out += words;
}

std::string describeObject(const ObjectSpec& o, Style style, bool pair, Rng& rng)
{
    // Every choice is drawn whether used or not, so one variant's wording does not
    // shift when an attribute changes.
    const std::string_view shape = choose(rng, kShapeWords[static_cast<int>(o.shape)]);
    const std::string_view sizeWord = choose(rng, kSizeWords[static_cast<int>(o.size)]);
    const bool sayMedium = rng.uniform() < kSayMedium;
    const Forms& motion = choose(rng, kMotionForms[static_cast<int>(o.motion)]);
    const bool speedLead = style == Style::NpSpeedLead || style == Style::VerbSpeedLead;
    const bool fast = o.speed == Speed::Fast;
    const std::string_view speedAfter = choose(rng, fast ? Words(kFastAfter) : Words(kSlowAfter));
    const std::string_view speedBefore = choose(rng, fast ? Words(kFastBefore) : Words(kSlowBefore));
    const std::string_view place
        = choose(rng, o.placement == Placement::Left ? Words(kOnLeft) : Words(kOnRight));
    const bool placeEarly = rng.below(2) == 0;

    const std::string_view size = o.size != Size::Medium || sayMedium ? sizeWord : std::string_view();
    const bool saySpeed = o.speed != Speed::Normal && o.motion != Motion::Still;
    const bool sayPlace = pair && o.placement != Placement::Center;

    std::string noun;
    if (style == Style::VerbThe)
        noun = "the";
    else if (style != Style::NpBare && style != Style::VerbBare)
        noun = "a";
    append(noun, size);
    if (style == Style::NpColored) {
        append(noun, shape);
        append(noun, "colored");
        append(noun, colorName(o.color));
    } else {
        append(noun, colorName(o.color));
        append(noun, shape);
    }

    std::string action;
    if (style == Style::NpThat)
        action = "that";
    else if (style == Style::NpWhichIs)
        action = "which is";
    if (saySpeed && speedLead)
        append(action, speedBefore);
    append(action, isClause(style) || style == Style::NpThat ? motion.finite : motion.participle);
    if (saySpeed && !speedLead)
        append(action, speedAfter);

    std::string out = noun;
    if (sayPlace && placeEarly)
        append(out, place);
    append(out, action);
    if (sayPlace && !placeEarly)
        append(out, place);
    return out;
}

// "a" before a vowel becomes "an" ("an orange ball").
std::string fixArticles(const std::string& text)
{
    std::string out;
    out.reserve(text.size() + 8);
    for (size_t i = 0; i < text.size(); ++i) {
        out += text[i];
        const bool wordA
            = text[i] == 'a' && (i == 0 || text[i - 1] == ' ') && i + 2 < text.size() && text[i + 1] == ' ';
        if (wordA && std::string_view("aeiou").find(text[i + 2]) != std::string_view::npos)
            out += 'n';
    }
    return out;
}

void replaceAll(std::string& text, std::string_view key, std::string_view value)
{
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
        text.replace(at, key.size(), value);
}

} // namespace

int paraphraseTemplateCount()
{
    return kTemplateCount;
}

std::string paraphraseCaption(const Scene& scene, std::uint64_t variant)
{
    const Template& t = kTemplates[variant % kTemplateCount];
    // The template follows the variant alone; the words also follow the scene, so
    // that one variant does not word every scene alike.
    Rng rng(detail::mix(variant, scene.seed ^ 0xCA9710Eull));
    const std::string_view noun = choose(rng, kBackgroundNoun[static_cast<int>(scene.background)]);
    std::string at(choose(rng, kBackgroundAt[static_cast<int>(scene.background)]));
    // "slides left across a dark backdrop": only for objects that travel sideways.
    const bool sideways = std::all_of(scene.objects.begin(), scene.objects.end(),
        [](const ObjectSpec& o) { return o.motion == Motion::Left || o.motion == Motion::Right; });
    if (rng.below(3) == 0 && sideways && !scene.objects.empty())
        at = "across " + std::string(noun);

    const bool pair = scene.objects.size() > 1;
    const std::string_view joiner = isClause(t.style) && rng.below(2) == 0 ? " while " : " and ";
    std::string objects;
    for (size_t i = 0; i < scene.objects.size(); ++i) {
        if (i > 0)
            objects += joiner;
        objects += describeObject(scene.objects[i], t.style, pair, rng);
    }

    std::string out(t.pattern);
    replaceAll(out, isClause(t.style) ? "{V}" : "{O}", objects);
    replaceAll(out, "{P}", at);
    replaceAll(out, "{N}", noun);
    return fixArticles(out);
}

namespace detail {

std::vector<std::string_view> paraphraseWords()
{
    std::vector<std::string_view> words;
    auto add = [&words](std::string_view phrase) {
        size_t i = 0;
        while (i < phrase.size()) {
            const size_t end = std::min(phrase.find(' ', i), phrase.size());
            const std::string_view w = phrase.substr(i, end - i);
            if (!w.empty() && w.front() != '{')
                words.push_back(w);
            i = end + 1;
        }
    };
    auto addAll = [&add](Words list) {
        for (std::string_view phrase : list)
            add(phrase);
    };
    for (std::span<const Forms> forms : kMotionForms) {
        for (const Forms& f : forms) {
            add(f.participle);
            add(f.finite);
        }
    }
    for (Words w : kShapeWords)
        addAll(w);
    for (Words w : kSizeWords)
        addAll(w);
    for (Words w : { Words(kSlowAfter), Words(kFastAfter), Words(kSlowBefore), Words(kFastBefore),
             Words(kOnLeft), Words(kOnRight), Words(kGlue) })
        addAll(w);
    for (int i = 0; i < kBackgroundCount; ++i) {
        addAll(kBackgroundAt[i]);
        addAll(kBackgroundNoun[i]);
    }
    for (const Template& t : kTemplates)
        add(t.pattern);
    for (int i = 0; i < kColorCount; ++i)
        add(colorName(static_cast<Color>(i)));
    return words;
}

} // namespace detail

} // namespace kinora::world
