#pragma once

#include <filesystem>
#include <string>

namespace kinora::cli {

// Where the built-in model pack is: $KINORA_MODEL if set (and then only there), else next to
// the program in the build tree (resources/models/default, then build/models/default) or in
// an installed tree (share/kinora/models/default).
// Returns the first candidate that holds a model.json, or an empty path.
std::filesystem::path findDefaultModel();
std::string defaultModelSearchText();

} // namespace kinora::cli
