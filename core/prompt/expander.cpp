// expandPrompt and analyseWords: the public face of reader.cpp and scene_builder.cpp.

#include "prompt/prompt.h"
#include "prompt/reader.h"

#include <algorithm>
#include <cctype>

namespace kinora::prompt {

Result<Expansion> expandPrompt(std::string_view prompt, std::uint64_t seed)
{
    const bool blank = std::all_of(prompt.begin(), prompt.end(),
        [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
    if (blank)
        return makeError(ErrorCode::InvalidArgument,
            "The prompt is empty: describe a scene, e.g. \"a red ball bouncing\".");

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
