#include "prompt_bridge.h"

#include "prompt/prompt.h"

#include <algorithm>
#include <cctype>

namespace kinora::cli {

Result<void> checkPromptNotEmpty(const std::string& prompt)
{
    if (std::all_of(prompt.begin(), prompt.end(), [](unsigned char c) { return std::isspace(c); }))
        return makeError(ErrorCode::InvalidArgument, "the prompt is empty: describe what the clip should show");
    return success();
}

Result<void> checkPromptArgs(const std::string& prompt, const std::string& negative, bool allowEmpty)
{
    if (!allowEmpty)
        if (auto ok = checkPromptNotEmpty(prompt); !ok)
            return ok;
    if (auto ok = prompt::checkUtf8(prompt, "--prompt"); !ok)
        return ok;
    return prompt::checkUtf8(negative, "--negative");
}

Result<PromptPlan> planPrompt(const std::string& prompt, std::uint64_t seed, bool allowEmpty)
{
    if (auto empty = checkPromptNotEmpty(prompt); !empty) {
        if (!allowEmpty)
            return empty.error();
        return PromptPlan{"", {}, nlohmann::json{{"prompt", ""}, {"caption", ""}}};
    }
    const auto verdict = prompt::checkSafety(prompt);
    if (!verdict.allowed)
        return makeError(ErrorCode::InvalidArgument, verdict.message);
    auto expansion = prompt::expandPrompt(prompt, seed);
    if (!expansion)
        return expansion.error();
    PromptPlan plan;
    plan.caption = expansion->caption;
    plan.unknownWords = expansion->unknownWords;
    nlohmann::json corrections = nlohmann::json::array();
    for (const auto& [from, to] : expansion->corrections)
        corrections.push_back({{"written", from}, {"read_as", to}});
    plan.details = {{"prompt", prompt},
                    {"caption", expansion->caption},
                    {"seed", seed},
                    {"unknown_words", expansion->unknownWords},
                    {"defaulted", expansion->defaulted},
                    {"corrections", corrections},
                    {"notes", expansion->notes}};
    return plan;
}

} // namespace kinora::cli
