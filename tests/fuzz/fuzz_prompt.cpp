// What a user types: the prompt check, the safety check and the expander
// (core/prompt), and the negative prompt.
#include "fuzz_util.h"
#include "prompt/prompt.h"
#include "world/world.h"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    if (size > 4096) // longer prompts are refused before they reach the expander
        return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto check = prompt::checkPrompt(text, true);
    const auto optional = prompt::checkPrompt(text, false);
    fuzz::require(check.blank == optional.blank, "blankness does not depend on whether a prompt is needed");
    fuzz::require(!check.ok() || !check.blank, "a needed prompt that is blank is refused");
    (void)prompt::checkSafety(text);
    (void)prompt::negativeCaption(text);
    std::uint64_t seed = 0;
    for (std::size_t i = 0; i < size && i < 8; ++i)
        seed = seed * 131 + data[i];
    auto expansion = prompt::expandPrompt(text, seed);
    if (!expansion)
        return 0;
    // The model only ever sees canonical captions: the expander's must parse, and mean the
    // scene it says it understood.
    const auto scene = world::parseCanonicalCaption(expansion->caption);
    fuzz::require(scene.has_value(), "the expander's caption is canonical");
    fuzz::require(world::canonicalCaption(*scene) == expansion->caption, "the caption round-trips");
    return 0;
}
