#pragma once

// From what the user typed to what the model reads: the prompt check (blank, UTF-8,
// safety), then the prompt expander (recaptioning).

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace kinora::cli {

struct PromptPlan {
    std::string caption;                   // what the text encoder will read
    std::vector<std::string> unknownWords; // words the expander could not place
    nlohmann::json details;                // everything the expander decided, for `expand --json`
};

// What --prompt and --negative hold, checked before any work by the operations' one
// prompt check (prompt::checkPrompt): blank unless allowEmpty, UTF-8 (they go into the
// clip's JSON record), the safety check; the negative prompt only for UTF-8.
Result<void> checkPromptArgs(const std::string& prompt, const std::string& negative, bool allowEmpty);
// allowEmpty: an empty prompt gives an empty caption (fill and bridge may run unprompted).
Result<PromptPlan> planPrompt(const std::string& prompt, std::uint64_t seed, bool allowEmpty);

} // namespace kinora::cli
