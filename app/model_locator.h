#pragma once

#include <QString>

namespace kinora::app {

// The built-in model pack, searched as kinora-cli does: $KINORA_MODEL when set (and
// then only there), else relative to the program: ../share/kinora/models/default,
// ../../resources/models/default, ../models/default. Empty when none holds a model.json.
QString findDefaultModel();
QString defaultModelSearchText();

} // namespace kinora::app
