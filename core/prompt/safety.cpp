// checkSafety: whole-word phrase matching against data/safety.tsv.
//
// Deliberately simple and predictable: a prompt is refused when it contains a listed
// phrase, read case and punctuation insensitively and with plural, -ing and -ed forms.
// "allow" phrases are read first, so the innocent uses the world itself needs
// ("a shooting star", "blood red", "a balloon blowing up") are not refused. Words
// alone that motions use ("shoot across", "explode", "crash", "fall") are not listed.
// No spelling correction here: a corrected word is not proof of intent.

#include "prompt/safety.h"

#include "prompt/lexicon.h"
#include "prompt/prompt.h"
#include "prompt_data.h"

#include <algorithm>

namespace kinora::prompt {

namespace detail {

SafetyList::SafetyList(std::string_view tsv)
{
    std::size_t lineNumber = 0;
    while (!tsv.empty()) {
        const std::size_t end = tsv.find('\n');
        std::string_view line = tsv.substr(0, end);
        tsv = end == std::string_view::npos ? std::string_view() : tsv.substr(end + 1);
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#')
            continue;
        const std::size_t tab = line.find('\t');
        const std::vector<std::string> words
            = tab == std::string_view::npos ? std::vector<std::string>() : splitWords(line.substr(tab + 1));
        if (words.empty() || tab == 0) {
            m_errors.push_back(
                "safety.tsv:" + std::to_string(lineNumber) + ": cannot read \"" + std::string(line) + "\"");
            continue;
        }
        m_index.add(words, static_cast<int>(m_entries.size()));
        m_entries.push_back(
            SafetyEntry { std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)) });
    }
}

const SafetyList& builtinSafetyList()
{
    static const SafetyList list(data::kSafetyTsv);
    return list;
}

} // namespace detail

namespace {

std::string describeCategory(std::string_view category)
{
    if (category == "sexual")
        return "sexual content";
    if (category == "hate")
        return "hateful content";
    if (category == "real-person")
        return "a real person";
    return std::string(category); // violence, gore, self-harm
}

SafetyVerdict refuse(std::string category, std::string matched)
{
    SafetyVerdict verdict;
    verdict.allowed = false;
    verdict.message = "This prompt asks for " + describeCategory(category) + " (\"" + matched
        + "\"), which Kinora does not make; please describe something else.";
    verdict.category = std::move(category);
    verdict.matched = std::move(matched);
    return verdict;
}

// "a photo of John Smith": two capitalised words that are not world words.
bool isNameWord(const detail::Token& token)
{
    const detail::Lexicon& lexicon = detail::builtinLexicon();
    return !token.punctuation && token.capitalised && !lexicon.inVocabulary(token.text)
        && !lexicon.isStopWord(token.text);
}

} // namespace

SafetyVerdict checkSafety(std::string_view prompt)
{
    const detail::SafetyList& list = detail::builtinSafetyList();
    const std::vector<detail::Token> tokens = detail::tokenize(prompt);
    std::vector<std::vector<std::string>> forms;
    for (const detail::Token& token : tokens)
        forms.push_back(
            token.punctuation ? std::vector<std::string> { token.text } : detail::wordForms(token.text));

    std::size_t i = 0;
    while (i < tokens.size()) {
        const detail::PhraseIndex::Match match = list.index().longestAt(forms, i);
        if (match.length == 0) {
            ++i;
            continue;
        }
        const detail::SafetyEntry& entry = list.entries()[static_cast<std::size_t>(match.ids.front())];
        const std::size_t after = i + match.length;
        if (entry.category == "trigger") {
            if (after + 1 < tokens.size() && isNameWord(tokens[after]) && isNameWord(tokens[after + 1])) {
                const std::size_t begin = tokens[after].begin, end = tokens[after + 1].end;
                return refuse("real-person", std::string(prompt.substr(begin, end - begin)));
            }
        } else if (entry.category != "allow") {
            const std::size_t begin = tokens[i].begin, end = tokens[after - 1].end;
            return refuse(entry.category, std::string(prompt.substr(begin, end - begin)));
        }
        i = after;
    }
    return {};
}

} // namespace kinora::prompt
