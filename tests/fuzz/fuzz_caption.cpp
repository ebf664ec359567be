// The canonical-caption parser (core/world/captions.cpp), which reads generation records
// and evaluation scenes, and the paraphraser that writes from what it parsed.
#include "fuzz_util.h"
#include "world/world.h"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto scene = world::parseCanonicalCaption(text);
    if (!scene)
        return 0;
    const std::string caption = world::canonicalCaption(*scene);
    const auto again = world::parseCanonicalCaption(caption);
    fuzz::require(again.has_value() && world::canonicalCaption(*again) == caption, "canonical captions round-trip");
    (void)world::paraphraseCaption(*scene, size);
    return 0;
}
