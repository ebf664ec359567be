#pragma once

// Private to core/prompt: splitting prompts into words, word forms, edit distance and
// longest-phrase matching, shared by the expander and the safety check.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kinora::prompt::detail {

struct Token {
    std::string text; // lower case, apostrophes dropped
    std::size_t begin = 0, end = 0; // byte span in the prompt
    bool capitalised = false; // first letter upper case as written
    bool punctuation = false; // one of , ; & +
};

// Words are runs of ASCII letters, digits and non-ASCII bytes (so UTF-8 words stay
// whole); apostrophes inside a word are dropped ("snail's" -> "snails"); hyphens split
// ("night-sky" -> "night sky"). The joining marks , ; & + are tokens of their own.
std::vector<Token> tokenize(std::string_view text);

// The word itself, then the stems that plural, -ing and -ed forms may come from
// ("boxes" -> "box", "spinning" -> "spin", "rising" -> "rise"). Unchecked: callers keep
// the forms their word lists know.
std::vector<std::string> wordForms(std::string_view word);

// Optimal-string-alignment Damerau-Levenshtein distance (a transposition is one edit).
// Returns bound + 1 for any distance beyond bound.
int editDistance(std::string_view a, std::string_view b, int bound);

// How many edits a misspelling of a word this long may have: none below 4 letters,
// 1 for 4 to 6, 2 beyond (data/wordnet_tools.py mirrors this).
int correctionBound(std::size_t length);

std::vector<std::string> splitWords(std::string_view phrase); // on spaces

// Phrases of one or more words, each with an id; finds the longest phrases starting at
// a position of a token sequence where every token may be read as any of its forms.
class PhraseIndex {
public:
    void add(const std::vector<std::string>& words, int id);

    struct Match {
        std::size_t length = 0; // in tokens; 0 when nothing matched
        std::vector<int> ids; // phrases of that length, those read from earlier forms first
    };
    Match longestAt(const std::vector<std::vector<std::string>>& forms, std::size_t position) const;

private:
    struct Entry {
        std::vector<std::string> words;
        int id = 0;
    };
    std::unordered_map<std::string, std::vector<Entry>> m_byFirstWord;
};

} // namespace kinora::prompt::detail
