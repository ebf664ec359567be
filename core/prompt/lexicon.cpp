#include "prompt/lexicon.h"

#include "prompt_data.h" // generated from data/ by CMakeLists.txt
#include "world/world.h"

#include <algorithm>
#include <array>

namespace kinora::prompt::detail {

namespace {

// Lines of a data file without comments, blank lines and trailing carriage returns.
template <typename F> void forEachLine(std::string_view text, F&& f)
{
    std::size_t lineNumber = 0;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#')
            continue;
        f(line, lineNumber);
    }
}

std::vector<std::string_view> splitTabs(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t tab = line.find('\t', start);
        fields.push_back(
            line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
        if (tab == std::string_view::npos)
            return fields;
        start = tab + 1;
    }
}

template <std::size_t N> int findName(std::string_view name, const std::array<std::string_view, N>& names)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name)
            return static_cast<int>(i);
    }
    return -1;
}

template <typename Enum, int Count, typename NameOf> int findWorldName(std::string_view name, NameOf nameOf)
{
    for (int i = 0; i < Count; ++i) {
        if (nameOf(static_cast<Enum>(i)) == name)
            return i;
    }
    return -1;
}

int motionValue(std::string_view name)
{
    // The order of world::Motion.
    constexpr std::array<std::string_view, world::kMotionCount> kNames
        = { "left", "right", "up", "down", "bounce", "fall", "orbit", "grow", "shrink", "spin", "still" };
    return findName(name, kNames);
}

int speedValue(std::string_view name)
{
    constexpr std::array<std::string_view, world::kSpeedCount> kNames = { "slow", "normal", "fast" };
    return findName(name, kNames);
}

int placementValue(std::string_view name)
{
    constexpr std::array<std::string_view, 3> kNames = { "center", "left", "right" };
    return findName(name, kNames);
}

// kind and canonical of one lexicon line; nullopt if either is not known.
std::optional<Sense> parseSense(std::string_view kind, std::string_view canonical)
{
    Sense sense;
    int value = -1; // -1: not a name this kind knows
    if (kind == "colour") {
        sense.kind = SenseKind::Colour;
        value = findWorldName<world::Color, world::kColorCount>(canonical, world::colorName);
    } else if (kind == "shape") {
        sense.kind = SenseKind::Shape;
        value = findWorldName<world::Shape, world::kShapeCount>(canonical, world::shapeName);
    } else if (kind == "size") {
        sense.kind = SenseKind::Size;
        value = findWorldName<world::Size, world::kSizeCount>(canonical, world::sizeName);
    } else if (kind == "background") {
        sense.kind = SenseKind::Background;
        value = findWorldName<world::Background, world::kBackgroundCount>(canonical, world::backgroundName);
    } else if (kind == "motion") {
        sense.kind = SenseKind::Motion;
        if (canonical == "travel") {
            sense.value = kTravel;
            return sense;
        }
        value = motionValue(canonical);
    } else if (kind == "speed") {
        sense.kind = SenseKind::Speed;
        value = speedValue(canonical);
    } else if (kind == "placement") {
        sense.kind = SenseKind::Placement;
        value = placementValue(canonical);
    } else if (kind == "direction" || kind == "toward") {
        sense.kind = kind == "direction" ? SenseKind::Direction : SenseKind::Toward;
        value = canonical == "left" ? static_cast<int>(world::Motion::Left)
            : canonical == "right"  ? static_cast<int>(world::Motion::Right)
                                    : -1;
    } else if (kind == "connector") {
        sense.kind = SenseKind::Connector;
        value = canonical == "and"    ? kAnd
            : canonical == "left-of"  ? kLeftOf
            : canonical == "right-of" ? kRightOf
                                      : -1;
    } else if (kind == "count") {
        sense.kind = SenseKind::Count;
        value = canonical == "2" ? 2 : -1;
    } else if (kind == "bgword") {
        sense.kind = SenseKind::BgWord;
        value = 0;
    } else if (kind == "bgprep") {
        sense.kind = SenseKind::BgPrep;
        value = 0;
    }
    if (value < 0)
        return std::nullopt;
    sense.value = value;
    return sense;
}

} // namespace

Lexicon::Lexicon(std::string_view lexiconTsv, std::string_view stopWords, std::string_view knownWords)
{
    parseLexicon(lexiconTsv);
    forEachLine(stopWords, [this](std::string_view line, std::size_t lineNumber) {
        const auto fields = splitTabs(line);
        const std::string word(fields[0]);
        StopRole role = StopRole::None;
        if (fields.size() == 2 && fields[1] == "article")
            role = StopRole::Article;
        else if (fields.size() == 2 && fields[1] == "colourmark")
            role = StopRole::ColourMark;
        else if (fields.size() != 1 || word.empty() || word.find(' ') != std::string::npos)
            m_errors.push_back("stopwords.txt:" + std::to_string(lineNumber) + ": cannot read \""
                + std::string(line) + "\"");
        m_stopWords.emplace(word, role);
        if (m_vocabularySet.insert(word).second)
            m_vocabulary.push_back(word);
    });
    forEachLine(knownWords, [this](std::string_view line, std::size_t) { m_knownWords.emplace(line); });
}

void Lexicon::parseLexicon(std::string_view text)
{
    forEachLine(text, [this](std::string_view line, std::size_t lineNumber) {
        const auto fields = splitTabs(line);
        std::optional<Sense> sense;
        if (fields.size() == 3 || fields.size() == 4)
            sense = parseSense(fields[1], fields[2]);
        if (sense && fields.size() == 4) {
            sense->impliedSpeed = speedValue(fields[3]);
            if (sense->impliedSpeed < 0)
                sense.reset();
        }
        const std::vector<std::string> words
            = fields.empty() ? std::vector<std::string>() : splitWords(fields[0]);
        if (!sense || words.empty()) {
            m_errors.push_back(
                "lexicon.tsv:" + std::to_string(lineNumber) + ": cannot read \"" + std::string(line) + "\"");
            return;
        }
        std::string phraseText;
        for (const std::string& word : words) {
            phraseText += phraseText.empty() ? word : " " + word;
            if (m_vocabularySet.insert(word).second)
                m_vocabulary.push_back(word);
        }
        auto [it, inserted] = m_phraseIds.try_emplace(phraseText, static_cast<int>(m_phrases.size()));
        if (inserted) {
            m_phrases.push_back(LexiconPhrase { phraseText, {} });
            m_index.add(words, it->second);
        }
        auto& senses = m_phrases[static_cast<std::size_t>(it->second)].senses;
        const bool duplicate = std::any_of(senses.begin(), senses.end(),
            [&](const Sense& s) { return s.kind == sense->kind && s.value == sense->value; });
        if (duplicate) {
            m_errors.push_back(
                "lexicon.tsv:" + std::to_string(lineNumber) + ": repeats \"" + phraseText + "\"");
            return;
        }
        senses.push_back(*sense);
        ++m_entryCount;
    });
}

bool Lexicon::isStopWord(std::string_view word) const
{
    return m_stopWords.count(std::string(word)) > 0;
}

StopRole Lexicon::stopRole(std::string_view word) const
{
    const auto it = m_stopWords.find(std::string(word));
    return it == m_stopWords.end() ? StopRole::None : it->second;
}

bool Lexicon::isKnownWord(std::string_view word) const
{
    return m_knownWords.count(std::string(word)) > 0;
}

bool Lexicon::inVocabulary(std::string_view word) const
{
    return m_vocabularySet.count(std::string(word)) > 0;
}

std::optional<std::string> Lexicon::correct(std::string_view word) const
{
    const int bound = correctionBound(word.size());
    if (bound == 0)
        return std::nullopt;
    const bool letters = std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!letters)
        return std::nullopt;
    const std::string* best = nullptr;
    int bestDistance = bound + 1;
    bool bestSameFirst = false;
    for (const std::string& candidate : m_vocabulary) {
        if (candidate.size() < 3)
            continue; // "a", "an", "go": too short to be what a longer word meant
        const int d = editDistance(word, candidate, bound);
        if (d > bound)
            continue;
        const bool sameFirst = candidate.front() == word.front();
        if (d < bestDistance || (d == bestDistance && sameFirst && !bestSameFirst)) {
            best = &candidate;
            bestDistance = d;
            bestSameFirst = sameFirst;
        }
    }
    if (!best)
        return std::nullopt;
    return *best;
}

Lexicon::TokenReading Lexicon::readToken(const Token& token) const
{
    TokenReading reading;
    if (token.punctuation) {
        reading.forms.push_back(token.text);
        return reading;
    }
    const std::vector<std::string> forms = wordForms(token.text);
    for (const std::string& form : forms) {
        if (inVocabulary(form))
            reading.forms.push_back(form);
    }
    if (!reading.forms.empty())
        return reading;
    reading.forms.push_back(token.text);
    const bool real
        = std::any_of(forms.begin(), forms.end(), [this](const std::string& f) { return isKnownWord(f); });
    if (real)
        return reading;
    // The word as written first, then its stems ("sqares" -> "sqare" -> "square").
    for (const std::string& form : forms) {
        if (auto corrected = correct(form)) {
            // "sqares" -> "squares", read further as "square".
            reading.forms.clear();
            for (const std::string& f : wordForms(*corrected)) {
                if (inVocabulary(f))
                    reading.forms.push_back(f);
            }
            reading.correction = std::move(corrected);
            break;
        }
    }
    return reading;
}

const Lexicon& builtinLexicon()
{
    static const Lexicon lexicon(data::kLexiconTsv, data::kStopWordsTxt, data::kKnownWordsTxt);
    return lexicon;
}

} // namespace kinora::prompt::detail
