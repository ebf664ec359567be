#include "prompt_bridge.h"

#include <algorithm>
#include <cctype>

namespace kinora::cli {

Result<void> checkPromptNotEmpty(const std::string& prompt)
{
    if (std::all_of(prompt.begin(), prompt.end(), [](unsigned char c) { return std::isspace(c); }))
        return makeError(ErrorCode::InvalidArgument, "the prompt is empty: describe what the clip should show");
    return success();
}

Result<PromptPlan> planPrompt(const std::string& prompt, std::uint64_t seed, bool allowEmpty)
{
    (void)seed;
    if (!allowEmpty)
        if (auto ok = checkPromptNotEmpty(prompt); !ok)
            return ok.error();
    PromptPlan plan;
    plan.caption = prompt;
    std::transform(plan.caption.begin(), plan.caption.end(), plan.caption.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    plan.details = {{"prompt", prompt}, {"caption", plan.caption}};
    return plan;
}

} // namespace kinora::cli
