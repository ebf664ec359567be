#include "util/model_locator.h"

#include <cstdlib>
#include <vector>

namespace kinora {

namespace {

const char* explicitChoice()
{
    const char* env = std::getenv("KINORA_MODEL");
    return env && *env ? env : nullptr;
}

std::vector<std::filesystem::path> candidates()
{
    if (const char* env = explicitChoice())
        return {env};
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto bin = exe.parent_path();
        out.push_back(bin / ".." / "share" / "kinora" / "models" / "default");
        out.push_back(bin / ".." / ".." / "resources" / "models" / "default");
        out.push_back(bin / ".." / "models" / "default");
    }
    return out;
}

} // namespace

std::filesystem::path findDefaultModel()
{
    if (const char* env = explicitChoice())
        return env;
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
        text += (text.empty() ? "" : ", ") + c.lexically_normal().string();
    return text;
}

} // namespace kinora
