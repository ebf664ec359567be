#pragma once

// Private to core/prompt: the lexicon (data/lexicon.tsv), the stop words
// (data/stopwords.txt) and the words never to correct (data/known_words.txt), parsed
// once from the copies compiled into the library.

#include "prompt/text.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace kinora::prompt::detail {

enum class SenseKind {
    Colour, // value: world::Color
    Shape, // world::Shape
    Size, // world::Size
    Motion, // world::Motion, or kTravel
    Speed, // world::Speed
    Background, // world::Background
    Placement, // world::Placement
    Direction, // bare "left"/"right": world::Motion Left or Right (travel or, failing that, nothing)
    Toward, // "to the left": a travel direction after a moving verb, otherwise a placement
    Connector, // kAnd, kLeftOf, kRightOf
    Count, // "two": the object is doubled
    BgWord, // "background": what comes before it is a background
    BgPrep, // "on", "under": what follows may be a background
};

inline constexpr int kTravel = -1; // a moving verb whose direction comes from elsewhere
inline constexpr int kAnd = 0, kLeftOf = 1, kRightOf = 2;

struct Sense {
    SenseKind kind = SenseKind::Colour;
    int value = 0;
    int impliedSpeed = -1; // world::Speed a verb carries ("crawl" slow, "zoom" fast); -1 none
};

// What a stop word tells the reader although it names nothing (stopwords.txt, column 2).
enum class StopRole {
    None,
    Article, // "a", "the": a new noun phrase begins
    ColourMark, // "colored": the colour comes after the noun ("a box colored red")
};

struct LexiconPhrase {
    std::string text; // words joined by single spaces, as in lexicon.tsv
    std::vector<Sense> senses; // in file order: the first is the reading when context says nothing
};

class Lexicon {
public:
    // Parses the three lists; lines it cannot read are skipped and listed in errors().
    Lexicon(std::string_view lexiconTsv, std::string_view stopWords, std::string_view knownWords);

    std::size_t entryCount() const { return m_entryCount; }
    const std::vector<std::string>& errors() const { return m_errors; }

    int phraseCount() const { return static_cast<int>(m_phrases.size()); }
    const LexiconPhrase& phrase(int id) const { return m_phrases[static_cast<std::size_t>(id)]; }
    const PhraseIndex& index() const { return m_index; }

    bool isStopWord(std::string_view word) const;
    StopRole stopRole(std::string_view word) const;
    bool isKnownWord(std::string_view word) const; // a real English word: never corrected
    bool inVocabulary(std::string_view word) const; // any word of any phrase, or a stop word

    // The closest vocabulary word within correctionBound(word.size()) edits, if any.
    // Ties go to a word with the same first letter, then to the earlier word in the files.
    std::optional<std::string> correct(std::string_view word) const;

    // Every reading of a token: its forms that the vocabulary knows, or a correction.
    struct TokenReading {
        std::vector<std::string> forms; // the word as written first when nothing is known
        std::optional<std::string> correction;
    };
    TokenReading readToken(const Token& token) const;

private:
    void parseLexicon(std::string_view text);

    std::vector<LexiconPhrase> m_phrases;
    std::unordered_map<std::string, int> m_phraseIds;
    PhraseIndex m_index;
    std::unordered_map<std::string, StopRole> m_stopWords;
    std::unordered_set<std::string> m_knownWords;
    std::vector<std::string> m_vocabulary; // file order, for stable tie-breaking
    std::unordered_set<std::string> m_vocabularySet;
    std::size_t m_entryCount = 0;
    std::vector<std::string> m_errors;
};

// The lexicon compiled into the library; immutable, built on first use.
const Lexicon& builtinLexicon();

} // namespace kinora::prompt::detail
