#pragma once

// Storyboards: several shots made one after another into one clip (kinora-cli storyboard).
// A board is JSON:
//   {"seed": N, "shots": [{"prompt": "...", "seconds": 4, "join": "continue"}, ...]}
// `seed` (optional; a new one when absent) seeds shot i with seed + i. `join` is how a shot
// meets the one before: "continue" (it flows on from the previous shot's last frames: an
// extension with the new prompt, the same objects unless the prompt changes them) or "cut"
// (a new generation). The first shot is always a cut; later shots continue by default.
// A shot may carry its own "seed": re-rolling one shot is giving it a new one, which
// changes that shot and the shots that continue from it, and no other.
// Torch-free: the CLI plans a board with the operation recipe (operation.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "util/result.h"

namespace kinora::pipeline {

inline constexpr int kMaxShots = 64;

enum class ShotJoin { Cut, Continue };

struct Shot {
    std::string prompt;
    double seconds = 2.0;
    ShotJoin join = ShotJoin::Cut;
    std::optional<std::uint64_t> seed; // unset: the board's seed + the shot's index
};

struct Storyboard {
    std::optional<std::uint64_t> seed;
    std::vector<Shot> shots;
};

// Reads a board. Every problem is one InvalidArgument error naming the shot (1-based) and
// the field: not JSON, not an object, no shots, more than kMaxShots, an unknown field (a
// typo), a prompt that is missing, blank, not UTF-8, too long or refused, seconds that are
// not a number in (0, kMaxSeconds], a total over kMaxSeconds, a join that is neither
// "continue" nor "cut", a first shot that continues.
Result<Storyboard> parseStoryboard(const std::string& text);

// The board as JSON, normalised (every field written out), for the clip's record.
nlohmann::json storyboardJson(const Storyboard& board);

const char* shotJoinName(ShotJoin join);

} // namespace kinora::pipeline
