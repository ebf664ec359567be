#pragma once

// Where the built-in model pack is, for the CLI and the studio alike: $KINORA_MODEL if
// set (and then only there), else next to the program, in an installed tree
// (../share/kinora/models/default) or the build tree (../../resources/models/default, then
// ../models/default, the stand-in scripts/ensure-model.sh writes).

#include <filesystem>
#include <string>

namespace kinora {

// $KINORA_MODEL when set, even if it holds no pack (an explicit choice is not replaced by
// another pack; loading it says what is wrong); else the first candidate holding a
// model.json; else an empty path.
std::filesystem::path findDefaultModel();
// The places searched, for messages.
std::string defaultModelSearchText();

} // namespace kinora
