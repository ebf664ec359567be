// Storyboards (core/pipeline/storyboard.cpp): JSON a user writes by hand for
// kinora-cli storyboard. A board that reads must write back to one that reads the same.
#include "fuzz_util.h"
#include "pipeline/storyboard.h"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace kinora;
    auto board = pipeline::parseStoryboard(std::string(reinterpret_cast<const char*>(data), size));
    if (!board) {
        kinora::fuzz::require(!board.error().message.empty(), "a refused board says why");
        return 0;
    }
    kinora::fuzz::require(!board->shots.empty() && board->shots.size() <= std::size_t(pipeline::kMaxShots),
                          "a board has 1 to kMaxShots shots");
    kinora::fuzz::require(board->shots.front().join == pipeline::ShotJoin::Cut, "the first shot is a cut");
    const auto json = pipeline::storyboardJson(board.value());
    auto again = pipeline::parseStoryboard(json.dump());
    kinora::fuzz::require(again.ok(), "a board written back reads again");
    kinora::fuzz::require(pipeline::storyboardJson(again.value()) == json, "and reads the same");
    return 0;
}
