#include "prompt/reader.h"

#include <algorithm>
#include <optional>

namespace kinora::prompt::detail {

namespace {

using world::Motion;
using world::Placement;

std::string quoted(std::string_view text)
{
    return "\"" + std::string(text) + "\"";
}

std::string motionCanonical(int value)
{
    return value == kTravel ? "moving" : std::string(world::motionPhrase(static_cast<Motion>(value)));
}

std::string placementCanonical(Placement p)
{
    switch (p) {
    case Placement::Left:
        return "on the left";
    case Placement::Right:
        return "on the right";
    case Placement::Center:
        return "in the middle";
    }
    return {};
}

std::string speedCanonical(world::Speed s)
{
    const std::string_view name = world::speedName(s);
    return name.empty() ? "normal speed" : std::string(name);
}

class Reader {
public:
    Reader(std::string_view prompt, const Lexicon& lexicon)
        : m_prompt(prompt)
        , m_lexicon(lexicon)
    {
    }

    Reading run()
    {
        buildUnits();
        m_reading.request.objects.emplace_back();
        for (std::size_t i = 0; i < m_reading.units.size(); ++i)
            interpret(i);
        return std::move(m_reading);
    }

private:
    using OptIndex = std::optional<std::size_t>;

    void buildUnits()
    {
        m_tokens = tokenize(m_prompt);
        std::vector<Lexicon::TokenReading> readings;
        std::vector<std::vector<std::string>> forms;
        for (const Token& token : m_tokens) {
            readings.push_back(m_lexicon.readToken(token));
            forms.push_back(readings.back().forms);
        }
        std::size_t t = 0;
        while (t < m_tokens.size()) {
            Unit unit;
            unit.firstToken = t;
            const PhraseIndex::Match match = m_lexicon.index().longestAt(forms, t);
            if (match.length > 0) {
                unit.tokenCount = match.length;
                for (int id : match.ids) {
                    for (const Sense& s : m_lexicon.phrase(id).senses) {
                        const bool seen = std::any_of(unit.senses.begin(), unit.senses.end(),
                            [&](const Sense& o) { return o.kind == s.kind && o.value == s.value; });
                        if (!seen)
                            unit.senses.push_back(s);
                    }
                }
            } else {
                unit.tokenCount = 1;
                const auto& f = forms[t];
                const auto stopForm = std::find_if(
                    f.begin(), f.end(), [&](const std::string& w) { return m_lexicon.isStopWord(w); });
                unit.stop = stopForm != f.end();
                unit.stopRole = unit.stop ? m_lexicon.stopRole(*stopForm) : StopRole::None;
                unit.kind = unit.stop ? WordKind::StopWord : WordKind::Unknown;
            }
            unit.begin = m_tokens[t].begin;
            unit.end = m_tokens[t + unit.tokenCount - 1].end;
            const bool placed = unit.stop || !unit.senses.empty();
            for (std::size_t k = t; k < t + unit.tokenCount; ++k) {
                if (placed && readings[k].correction)
                    addCorrection(m_tokens[k].text, *readings[k].correction);
            }
            if (!placed)
                addOnce(m_reading.unknownWords, m_tokens[t].text);
            m_reading.units.push_back(std::move(unit));
            t += m_reading.units.back().tokenCount;
        }
    }

    void addCorrection(const std::string& from, const std::string& to)
    {
        auto& list = m_reading.corrections;
        const std::pair<std::string, std::string> item(from, to);
        if (std::find(list.begin(), list.end(), item) == list.end())
            list.push_back(item);
    }

    static void addOnce(std::vector<std::string>& list, const std::string& item)
    {
        if (std::find(list.begin(), list.end(), item) == list.end())
            list.push_back(item);
    }

    void note(const std::string& text) { addOnce(m_reading.notes, text); }

    // --- context -------------------------------------------------------------------

    const Sense* sense(std::size_t i, SenseKind kind) const
    {
        for (const Sense& s : m_reading.units[i].senses) {
            if (s.kind == kind)
                return &s;
        }
        return nullptr;
    }
    bool has(OptIndex i, SenseKind kind) const { return i && sense(*i, kind); }

    // Stop words and unknown words (mostly adjectives the world has no use for) are
    // skipped when looking at a unit's neighbours.
    bool isContent(std::size_t i) const { return !m_reading.units[i].senses.empty(); }
    OptIndex nextContent(std::size_t i) const
    {
        for (std::size_t j = i + 1; j < m_reading.units.size(); ++j) {
            if (isContent(j))
                return j;
        }
        return std::nullopt;
    }
    OptIndex previousContent(std::size_t i) const
    {
        for (std::size_t j = i; j-- > 0;) {
            if (isContent(j))
                return j;
        }
        return std::nullopt;
    }

    // The next unit when nothing stands between.
    OptIndex adjacent(std::size_t i) const
    {
        if (i + 1 < m_reading.units.size() && isContent(i + 1))
            return i + 1;
        return std::nullopt;
    }

    bool hasStopRole(std::size_t i, StopRole role) const
    {
        return m_reading.units[i].stop && m_reading.units[i].stopRole == role;
    }

    // Whether the colour word at i is the colour of the object named right after it
    // ("blue" in "on a blue square"), and not a background ("over navy a green box",
    // "over gray large blue disc", "on navy a square colored yellow").
    bool describesNextObject(std::size_t i) const
    {
        for (std::size_t j = i + 1; j < m_reading.units.size(); ++j) {
            if (hasStopRole(j, StopRole::Article))
                return false;
            if (!isContent(j))
                continue; // "very", an adjective the world has no use for
            if (has(j, SenseKind::Shape))
                return !(j + 1 < m_reading.units.size() && hasStopRole(j + 1, StopRole::ColourMark));
            if (!has(j, SenseKind::Size))
                return false; // a colour of its own, a verb, a background
        }
        return false;
    }

    // "blue background", "on blue", "under the stars", "over navy a green box", "over a
    // grassy meadow": a background, not an object.
    bool inBackgroundContext(std::size_t i) const
    {
        if (has(nextContent(i), SenseKind::BgWord))
            return true;
        OptIndex previous = previousContent(i);
        while (previous && !has(previous, SenseKind::BgPrep) && has(previous, SenseKind::Background))
            previous = previousContent(*previous);
        if (!has(previous, SenseKind::BgPrep))
            return false;
        if (!has(i, SenseKind::Colour))
            return true;
        return !describesNextObject(i);
    }

    bool colourMarked(std::size_t i) const { return i > 0 && hasStopRole(i - 1, StopRole::ColourMark); }

    // For a word that names a colour and a background ("navy", "gray", "blue"), outside
    // a background context: whether it is an object's colour.
    bool readAsColour(std::size_t i) const
    {
        if (colourMarked(i) || describesNextObject(i))
            return true;
        const OptIndex next = nextContent(i);
        if (has(next, SenseKind::Background) && !has(next, SenseKind::Colour))
            return false; // "grassy field", "blue sky"
        for (const Sense& s : m_reading.units[i].senses) {
            if (s.kind == SenseKind::Colour || s.kind == SenseKind::Background)
                return s.kind == SenseKind::Colour; // the lexicon's first reading
        }
        return false;
    }

    // Whether unit i begins (or continues) the words for an object: a colour, size or
    // shape that context does not make a background.
    bool startsNounPhrase(OptIndex i) const
    {
        if (!i)
            return false;
        if (has(i, SenseKind::Count))
            return startsNounPhrase(nextContent(*i));
        const bool background = has(i, SenseKind::Background) && inBackgroundContext(*i);
        if (has(i, SenseKind::Shape) || has(i, SenseKind::Size))
            return !background;
        if (!has(i, SenseKind::Colour) || background)
            return false;
        return !has(i, SenseKind::Background) || readAsColour(*i);
    }

    // After a connector: whether an object follows, perhaps after its motion ("and a
    // box", "beside a spinning blue box"), rather than more about the same object
    // ("bouncing and spinning").
    bool objectFollows(OptIndex i) const
    {
        while (i && !startsNounPhrase(i)
            && (has(i, SenseKind::Motion) || has(i, SenseKind::Speed) || has(i, SenseKind::Direction)))
            i = nextContent(*i);
        return startsNounPhrase(i);
    }

    ObjectRequest& current() { return m_overflowing ? m_overflow : m_reading.request.objects.back(); }

    bool motionOpen() { return !current().motion && !current().travel; }

    // Which of a unit's senses this context means.
    const Sense* choose(std::size_t i)
    {
        const Unit& unit = m_reading.units[i];
        const OptIndex next = nextContent(i);
        if (sense(i, SenseKind::Background) && inBackgroundContext(i))
            return sense(i, SenseKind::Background);
        if (sense(i, SenseKind::Colour) && sense(i, SenseKind::Motion)) { // "a ball rose"
            const bool verb = current().shape && motionOpen() && !startsNounPhrase(next);
            return sense(i, verb ? SenseKind::Motion : SenseKind::Colour);
        }
        if (sense(i, SenseKind::Colour) && sense(i, SenseKind::Background)) // "navy", "gray", "blue"
            return sense(i, readAsColour(i) ? SenseKind::Colour : SenseKind::Background);
        if (sense(i, SenseKind::Shape) && sense(i, SenseKind::Motion)) // "a balloon" / "a ball balloons"
            return sense(i, current().shape && motionOpen() ? SenseKind::Motion : SenseKind::Shape);
        if (sense(i, SenseKind::Shape) && sense(i, SenseKind::Background)) // "a star" / "a ball among stars"
            return sense(i, current().shape ? SenseKind::Background : SenseKind::Shape);
        if (sense(i, SenseKind::Connector) && sense(i, SenseKind::BgPrep)) { // "a ball on a box" / "on black"
            const bool joins = current().hasNoun() && objectFollows(next);
            return sense(i, joins ? SenseKind::Connector : SenseKind::BgPrep);
        }
        return &unit.senses.front();
    }

    // --- applying ------------------------------------------------------------------

    // A new object for what follows; past the second, what follows is read and dropped.
    void startObject()
    {
        if (!m_overflowing && m_reading.request.objects.size() < 2) {
            m_reading.request.objects.emplace_back();
        } else {
            m_overflowing = true;
            m_overflow = ObjectRequest {};
            note("A scene holds at most two objects; the rest of the prompt was not used.");
        }
    }

    std::string ignored(const Unit& unit, const std::string& why)
    {
        return "Ignored " + quoted(text(unit)) + ": " + why;
    }

    std::string_view text(const Unit& unit) const
    {
        return m_prompt.substr(unit.begin, unit.end - unit.begin);
    }

    template <typename T>
    void setAttribute(std::optional<T> ObjectRequest::*member, T value, const Unit& unit,
        bool newObjectAllowed, const char* what)
    {
        ObjectRequest* object = &current();
        if (!(object->*member)) {
            object->*member = value;
        } else if (*(object->*member) != value) {
            if (newObjectAllowed && object->shape) { // "a red ball a blue box"
                startObject();
                current().*member = value;
            } else {
                note(ignored(unit, std::string("the object already has a ") + what + "."));
            }
        }
    }

    void applyMotion(const Unit& unit, const Sense& s)
    {
        ObjectRequest& o = current();
        if (s.impliedSpeed >= 0 && !o.impliedSpeed)
            o.impliedSpeed = static_cast<world::Speed>(s.impliedSpeed);
        if (s.value == kTravel) {
            if (motionOpen())
                o.travel = true;
            return;
        }
        const auto m = static_cast<Motion>(s.value);
        if (!o.motion) {
            o.motion = m; // also settles a moving verb: "rolls left", "moves in circles"
            o.travel = false;
        } else if (*o.motion != m) {
            note(ignored(unit, "an object has one motion."));
        }
    }

    void applyBackground(const Unit& unit, world::Background b)
    {
        auto& background = m_reading.request.background;
        if (!background)
            background = b;
        else if (*background != b)
            note(ignored(
                unit, "the background is already " + std::string(world::backgroundName(*background)) + "."));
    }

    void interpret(std::size_t i)
    {
        Unit& unit = m_reading.units[i];
        if (unit.senses.empty())
            return;
        const Sense& s = *choose(i);
        const OptIndex next = nextContent(i);
        switch (s.kind) {
        case SenseKind::Colour: {
            const auto c = static_cast<world::Color>(s.value);
            unit.kind = WordKind::Colour;
            unit.canonical = world::colorName(c);
            setAttribute(&ObjectRequest::color, c, unit, true, "colour");
            break;
        }
        case SenseKind::Shape: {
            const auto shape = static_cast<world::Shape>(s.value);
            unit.kind = WordKind::Shape;
            unit.canonical = world::shapeName(shape);
            setAttribute(&ObjectRequest::shape, shape, unit, true, "shape");
            break;
        }
        case SenseKind::Size: {
            const auto size = static_cast<world::Size>(s.value);
            unit.kind = WordKind::Size;
            unit.canonical = world::sizeName(size);
            setAttribute(&ObjectRequest::size, size, unit, true, "size");
            break;
        }
        case SenseKind::Motion:
            unit.kind = WordKind::Motion;
            unit.canonical = motionCanonical(s.value);
            applyMotion(unit, s);
            break;
        case SenseKind::Direction: // "moves left", "left" alone; after another motion it says nothing
            unit.kind = WordKind::Motion;
            unit.canonical = motionCanonical(s.value);
            if (!current().motion)
                applyMotion(unit, s);
            break;
        case SenseKind::Toward: { // "rolls to the left" moves; "a ball to the left" is placed
            const auto m = static_cast<Motion>(s.value);
            if (current().travel && !current().motion) {
                unit.kind = WordKind::Motion;
                unit.canonical = motionCanonical(s.value);
                applyMotion(unit, s);
            } else {
                const Placement p = m == Motion::Left ? Placement::Left : Placement::Right;
                unit.kind = WordKind::Placement;
                unit.canonical = placementCanonical(p);
                setAttribute(&ObjectRequest::placement, p, unit, false, "place");
            }
            break;
        }
        case SenseKind::Speed: {
            const auto speed = static_cast<world::Speed>(s.value);
            unit.kind = WordKind::Speed;
            unit.canonical = speedCanonical(speed);
            setAttribute(&ObjectRequest::speed, speed, unit, false, "speed");
            break;
        }
        case SenseKind::Placement: {
            const auto p = static_cast<Placement>(s.value);
            unit.kind = WordKind::Placement;
            unit.canonical = placementCanonical(p);
            setAttribute(&ObjectRequest::placement, p, unit, false, "place");
            break;
        }
        case SenseKind::Background: {
            const auto b = static_cast<world::Background>(s.value);
            unit.kind = WordKind::Background;
            unit.canonical = world::backgroundName(b);
            const bool inContext = inBackgroundContext(i);
            const OptIndex adj = adjacent(i);
            if (!inContext && has(adj, SenseKind::Colour) && startsNounPhrase(adj)) {
                unit.kind = WordKind::StopWord; // a shade: "dark red ball"
                unit.canonical.clear();
            } else if (!inContext && has(adj, SenseKind::Background) && !startsNounPhrase(adj)) {
                unit.kind = WordKind::StopWord; // "dark starry sky", "grassy field"
                unit.canonical.clear();
            } else if (!inContext && startsNounPhrase(adj)) {
                note(ignored(
                    unit, "objects come in red, orange, yellow, green, cyan, blue, purple and white."));
            } else {
                applyBackground(unit, b);
            }
            break;
        }
        case SenseKind::Connector:
            unit.kind = WordKind::Connector;
            if (s.value == kAnd) {
                unit.canonical = "and";
                if (current().hasNoun() && objectFollows(next))
                    startObject();
            } else {
                const Placement p = s.value == kLeftOf ? Placement::Left : Placement::Right;
                unit.canonical = s.value == kLeftOf ? "to the left of" : "to the right of";
                setAttribute(&ObjectRequest::placement, p, unit, false, "place");
                if (objectFollows(next)) {
                    startObject();
                    if (!m_overflowing)
                        current().placement = p == Placement::Left ? Placement::Right : Placement::Left;
                }
            }
            break;
        case SenseKind::Count:
            unit.kind = WordKind::Connector;
            unit.canonical = "two";
            current().doubled = true;
            break;
        case SenseKind::BgWord:
        case SenseKind::BgPrep:
            unit.kind = WordKind::StopWord;
            break;
        }
    }

    std::string_view m_prompt;
    const Lexicon& m_lexicon;
    std::vector<Token> m_tokens;
    Reading m_reading;
    ObjectRequest m_overflow; // a third object: read, then dropped
    bool m_overflowing = false;
};

} // namespace

Reading readPrompt(std::string_view prompt, const Lexicon& lexicon)
{
    return Reader(prompt, lexicon).run();
}

} // namespace kinora::prompt::detail
