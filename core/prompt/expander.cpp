// expandPrompt and analyseWords: the public face of reader.cpp and scene_builder.cpp; checkUtf8.

#include "prompt/prompt.h"
#include "prompt/reader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace kinora::prompt {

namespace {

// Length of the well-formed UTF-8 sequence at text[i], or 0 (Unicode 15, table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8SequenceAt(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return length;
}

} // namespace

Result<void> checkUtf8(std::string_view text, std::string_view what)
{
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8SequenceAt(text, i);
        if (length == 0) {
            char detail[64];
            std::snprintf(
                detail, sizeof detail, " (byte %zu is 0x%02X)", i + 1, static_cast<unsigned char>(text[i]));
            return makeError(
                ErrorCode::InvalidArgument, std::string(what) + " is not valid UTF-8 text" + detail);
        }
        i += length;
    }
    return success();
}

namespace {

// Characters of well-formed UTF-8: every byte that does not continue a character.
std::size_t codePoints(std::string_view text)
{
    return std::size_t(std::count_if(text.begin(), text.end(),
        [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Result<void> checkLength(std::string_view prompt, std::string_view what)
{
    const std::size_t n = codePoints(prompt);
    if (n <= kMaxPromptChars)
        return success();
    std::string name(what);
    if (!name.empty() && name.front() != '-')
        name[0] = char(std::toupper(static_cast<unsigned char>(name[0])));
    return makeError(ErrorCode::InvalidArgument, name + " is " + std::to_string(n) + " characters long; at most "
                                                     + std::to_string(kMaxPromptChars) + " are taken");
}

} // namespace

PromptCheck checkPrompt(std::string_view prompt, bool required, std::string_view what)
{
    PromptCheck check;
    check.blank = std::all_of(prompt.begin(), prompt.end(),
        [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
    if (check.blank) {
        if (required) {
            check.problem = PromptProblem::Empty;
            check.message = "the prompt is empty: describe what the clip should show";
        }
        return check;
    }
    if (auto utf8 = checkUtf8(prompt, what); !utf8) {
        check.problem = PromptProblem::NotUtf8;
        check.message = utf8.error().message;
        return check;
    }
    if (auto length = checkLength(prompt, what); !length) {
        check.problem = PromptProblem::TooLong;
        check.message = length.error().message;
        return check;
    }
    const auto verdict = checkSafety(prompt);
    if (!verdict.allowed) {
        check.problem = PromptProblem::Refused;
        check.message = verdict.message;
    }
    return check;
}

Result<Expansion> expandPrompt(std::string_view prompt, std::uint64_t seed)
{
    const bool blank = std::all_of(prompt.begin(), prompt.end(),
        [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
    if (blank)
        return makeError(ErrorCode::InvalidArgument,
            "The prompt is empty: describe a scene, e.g. \"a red ball bouncing\".");
    if (auto utf8 = checkUtf8(prompt, "the prompt"); !utf8)
        return utf8.error();
    if (auto length = checkLength(prompt, "the prompt"); !length)
        return length.error();

    detail::Reading reading = detail::readPrompt(prompt);
    detail::CompletedScene completed = detail::completeScene(reading.request, seed);

    Expansion expansion;
    expansion.original = std::string(prompt);
    expansion.scene = std::move(completed.scene);
    // The world's own formatter, so the expander and the training captions cannot disagree.
    expansion.caption = world::canonicalCaption(expansion.scene);
    expansion.unknownWords = std::move(reading.unknownWords);
    expansion.defaulted = std::move(completed.defaulted);
    expansion.corrections = std::move(reading.corrections);
    expansion.notes = std::move(reading.notes);
    for (std::string& n : completed.notes)
        expansion.notes.push_back(std::move(n));
    return expansion;
}

std::vector<WordInfo> analyseWords(std::string_view prompt)
{
    const detail::Reading reading = detail::readPrompt(prompt);
    std::vector<WordInfo> words;
    words.reserve(reading.units.size());
    for (const detail::Unit& unit : reading.units) {
        words.push_back(WordInfo { std::string(prompt.substr(unit.begin, unit.end - unit.begin)), unit.kind,
            unit.canonical, unit.begin, unit.end });
    }
    return words;
}

std::string negativeCaption(std::string_view negative)
{
    std::string out;
    for (const auto& word : analyseWords(negative)) {
        if (word.canonical.empty() || word.kind == WordKind::StopWord)
            continue;
        out += (out.empty() ? "" : " ") + word.canonical;
    }
    return out;
}

std::string_view wordKindName(WordKind kind)
{
    switch (kind) {
    case WordKind::Colour:
        return "colour";
    case WordKind::Shape:
        return "shape";
    case WordKind::Size:
        return "size";
    case WordKind::Motion:
        return "motion";
    case WordKind::Speed:
        return "speed";
    case WordKind::Background:
        return "background";
    case WordKind::Placement:
        return "placement";
    case WordKind::Connector:
        return "connector";
    case WordKind::StopWord:
        return "stop word";
    case WordKind::Unknown:
        return "unknown";
    }
    return "unknown";
}

std::size_t lexiconSize()
{
    return detail::builtinLexicon().entryCount();
}

} // namespace kinora::prompt
