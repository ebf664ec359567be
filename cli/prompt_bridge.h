#pragma once

// From what the user typed to what the model reads: safety check, then the prompt
// expander (recaptioning).

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

Result<void> checkPromptNotEmpty(const std::string& prompt);
// What --prompt and --negative hold, checked before any work: UTF-8 (they go into the
// clip's JSON record), and a prompt that is not blank unless allowEmpty.
Result<void> checkPromptArgs(const std::string& prompt, const std::string& negative, bool allowEmpty);
// allowEmpty: an empty prompt gives an empty caption (fill and bridge may run unprompted).
Result<PromptPlan> planPrompt(const std::string& prompt, std::uint64_t seed, bool allowEmpty);

} // namespace kinora::cli
