#include "prompt_bridge.h"

#include "prompt/prompt.h"

namespace kinora::cli {

Result<void> checkPromptArgs(const std::string& prompt, const std::string& negative, bool allowEmpty)
{
    if (const auto check = prompt::checkPrompt(prompt, !allowEmpty, "--prompt"); !check.ok())
        return makeError(ErrorCode::InvalidArgument, check.message);
    return prompt::checkUtf8(negative, "--negative");
}

Result<PromptPlan> planPrompt(const std::string& prompt, std::uint64_t seed, bool allowEmpty)
{
    const auto check = prompt::checkPrompt(prompt, !allowEmpty);
    if (!check.ok())
        return makeError(ErrorCode::InvalidArgument, check.message);
    if (check.blank)
        return PromptPlan{"", {}, nlohmann::json{{"prompt", ""}, {"caption", ""}}};
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
