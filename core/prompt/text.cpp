#include "prompt/text.h"

#include <algorithm>
#include <cstdlib>

namespace kinora::prompt::detail {

namespace {

bool isWordByte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool isJoiningMark(char c)
{
    return c == ',' || c == ';' || c == '&' || c == '+';
}

constexpr std::string_view kRightQuote = "\xE2\x80\x99"; // U+2019, as UTF-8

// Typographic quotes and dashes (U+2013, U+2014, U+2018, U+2019, U+201C, U+201D) are
// punctuation, although their UTF-8 bytes are not ASCII.
bool typographicMarkAt(std::string_view text, std::size_t i)
{
    if (i + 2 >= text.size() || text[i] != '\xE2' || text[i + 1] != '\x80')
        return false;
    const auto third = static_cast<unsigned char>(text[i + 2]);
    return third == 0x93 || third == 0x94 || third == 0x98 || third == 0x99 || third == 0x9C || third == 0x9D;
}

bool isVowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

void addForm(std::vector<std::string>& forms, std::string form)
{
    if (form.size() >= 2 && std::find(forms.begin(), forms.end(), form) == forms.end())
        forms.push_back(std::move(form));
}

// "spinn" -> "spin", "hopp" -> "hop"; -ing and -ed double a final consonant.
void addStemForms(std::vector<std::string>& forms, const std::string& stem)
{
    addForm(forms, stem);
    addForm(forms, stem + "e");
    const std::size_t n = stem.size();
    if (n >= 3 && stem[n - 1] == stem[n - 2] && !isVowel(stem[n - 1]))
        addForm(forms, stem.substr(0, n - 1));
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

} // namespace

std::vector<Token> tokenize(std::string_view text)
{
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (isJoiningMark(static_cast<char>(c))) {
            tokens.push_back(Token { std::string(1, static_cast<char>(c)), i, i + 1, false, true });
            ++i;
            continue;
        }
        if (!isWordByte(c) || typographicMarkAt(text, i)) {
            i += typographicMarkAt(text, i) ? 3 : 1;
            continue;
        }
        Token token;
        token.begin = i;
        token.capitalised = c >= 'A' && c <= 'Z';
        while (i < text.size()) {
            const unsigned char d = static_cast<unsigned char>(text[i]);
            const bool apostrophe = d == '\'' || text.substr(i, 3) == kRightQuote;
            const std::size_t width = d == '\'' ? 1 : 3;
            if (apostrophe && i + width < text.size()
                && isWordByte(static_cast<unsigned char>(text[i + width]))
                && !typographicMarkAt(text, i + width)) {
                i += width; // an apostrophe inside a word: "snail's"
            } else if (isWordByte(d) && !typographicMarkAt(text, i)) {
                token.text.push_back(
                    d >= 'A' && d <= 'Z' ? static_cast<char>(d - 'A' + 'a') : static_cast<char>(d));
                ++i;
            } else {
                break;
            }
        }
        token.end = i;
        tokens.push_back(std::move(token));
    }
    return tokens;
}

std::vector<std::string> wordForms(std::string_view word)
{
    std::vector<std::string> forms { std::string(word) };
    const std::string w(word);
    const std::size_t n = w.size();
    if (n > 4 && endsWith(w, "ies"))
        addForm(forms, w.substr(0, n - 3) + "y");
    if (n > 3 && endsWith(w, "es"))
        addForm(forms, w.substr(0, n - 2));
    if (n > 3 && endsWith(w, "s") && !endsWith(w, "ss"))
        addForm(forms, w.substr(0, n - 1));
    if (n > 4 && endsWith(w, "ied"))
        addForm(forms, w.substr(0, n - 3) + "y");
    if (n > 4 && endsWith(w, "ing"))
        addStemForms(forms, w.substr(0, n - 3));
    if (n > 3 && endsWith(w, "ed"))
        addStemForms(forms, w.substr(0, n - 2));
    return forms;
}

int editDistance(std::string_view a, std::string_view b, int bound)
{
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    if (std::abs(n - m) > bound)
        return bound + 1;
    // Three rolling rows: the transposition looks two rows back.
    std::vector<int> twoBack(m + 1), previous(m + 1), current(m + 1);
    for (int j = 0; j <= m; ++j)
        previous[j] = j;
    for (int i = 1; i <= n; ++i) {
        current[0] = i;
        for (int j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int d = std::min({ previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost });
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d = std::min(d, twoBack[j - 2] + 1);
            current[j] = d;
        }
        std::swap(twoBack, previous);
        std::swap(previous, current);
    }
    return std::min(previous[m], bound + 1);
}

int correctionBound(std::size_t length)
{
    if (length < 4)
        return 0;
    return length <= 6 ? 1 : 2;
}

std::vector<std::string> splitWords(std::string_view phrase)
{
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < phrase.size()) {
        while (i < phrase.size() && phrase[i] == ' ')
            ++i;
        const std::size_t start = i;
        while (i < phrase.size() && phrase[i] != ' ')
            ++i;
        if (i > start)
            words.emplace_back(phrase.substr(start, i - start));
    }
    return words;
}

void PhraseIndex::add(const std::vector<std::string>& words, int id)
{
    if (!words.empty())
        m_byFirstWord[words.front()].push_back(Entry { words, id });
}

PhraseIndex::Match PhraseIndex::longestAt(
    const std::vector<std::vector<std::string>>& forms, std::size_t position) const
{
    Match best;
    if (position >= forms.size())
        return best;
    // (rank, id): rank sums the form indices used, so readings of the words as written
    // come before readings of their stems.
    std::vector<std::pair<std::size_t, int>> found;
    const auto& first = forms[position];
    for (std::size_t f = 0; f < first.size(); ++f) {
        const auto it = m_byFirstWord.find(first[f]);
        if (it == m_byFirstWord.end())
            continue;
        for (const Entry& entry : it->second) {
            const std::size_t length = entry.words.size();
            if (position + length > forms.size() || length < best.length)
                continue;
            std::size_t rank = f;
            bool matches = true;
            for (std::size_t k = 1; k < length && matches; ++k) {
                const auto& tokenForms = forms[position + k];
                const auto at = std::find(tokenForms.begin(), tokenForms.end(), entry.words[k]);
                matches = at != tokenForms.end();
                rank += static_cast<std::size_t>(at - tokenForms.begin());
            }
            if (!matches)
                continue;
            if (length > best.length) {
                best.length = length;
                found.clear();
            }
            found.emplace_back(rank, entry.id);
        }
    }
    std::stable_sort(found.begin(), found.end());
    for (const auto& [rank, id] : found) {
        if (std::find(best.ids.begin(), best.ids.end(), id) == best.ids.end())
            best.ids.push_back(id);
    }
    return best;
}

} // namespace kinora::prompt::detail
