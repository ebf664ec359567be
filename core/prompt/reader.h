#pragma once

// Private to core/prompt: reads a prompt into lexicon units (words and phrases), picks
// each unit's sense from its context and gathers what the prompt asks of each object.

#include "prompt/lexicon.h"
#include "prompt/prompt.h"
#include "prompt/scene_builder.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinora::prompt::detail {

struct Unit {
    std::size_t firstToken = 0, tokenCount = 0;
    std::size_t begin = 0, end = 0; // byte span in the prompt
    std::vector<Sense> senses; // empty for stop words and unknown words
    bool stop = false;
    StopRole stopRole = StopRole::None;
    // How the unit was read in context.
    WordKind kind = WordKind::Unknown;
    std::string canonical;
};

struct Reading {
    std::vector<Unit> units;
    SceneRequest request;
    std::vector<std::string> unknownWords;
    std::vector<std::pair<std::string, std::string>> corrections;
    std::vector<std::string> notes;
};

Reading readPrompt(std::string_view prompt, const Lexicon& lexicon = builtinLexicon());

} // namespace kinora::prompt::detail
