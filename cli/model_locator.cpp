#include "model_locator.h"

#include <cstdlib>
#include <vector>

namespace kinora::cli {

namespace {

std::vector<std::filesystem::path> candidates()
{
    std::vector<std::filesystem::path> out;
    // An explicit choice is the only one: a wrong $KINORA_MODEL is an error, not a
    // reason to fall back to another pack.
    if (const char* env = std::getenv("KINORA_MODEL"); env && *env)
        return {env};
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto bin = exe.parent_path();
        out.push_back(bin / ".." / "share" / "kinora" / "models" / "default");
        out.push_back(bin / ".." / ".." / "resources" / "models" / "default");
        out.push_back(bin / ".." / "models" / "default"); // build tree stand-in (scripts/ensure-model.sh)
    }
    return out;
}

} // namespace

std::filesystem::path findDefaultModel()
{
    for (const auto& c : candidates()) {
        std::error_code ec;
        if (std::filesystem::exists(c / "model.json", ec))
            return std::filesystem::weakly_canonical(c, ec);
    }
    return {};
}

std::string defaultModelSearchText()
{
    std::string text;
    for (const auto& c : candidates())
        text += (text.empty() ? "" : ", ") + std::filesystem::path(c).lexically_normal().string();
    return text;
}

} // namespace kinora::cli
