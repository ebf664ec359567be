#pragma once

// kinora-cli reference-forward: the engine's own forward of each network on inputs given
// as tensors, for scripts/reference/compare.py's parity check against an independent
// PyTorch implementation (see core/pipeline/reference_forward.h for the tensors). Kept
// out of --help: it is a developer's tool, not a user's command.

#include <CLI/CLI.hpp>

#include <string>

namespace kinora::cli {

struct ReferenceForwardArgs {
    std::string model; // empty: the built-in pack
    std::string in;
    std::string out;
    std::string precision = "fp32";
    int threads = 0;
    int repeats = 5;
};

// Adds the hidden subcommand to `app`, filling `args` when parsed.
CLI::App* addReferenceForwardCommand(CLI::App& app, ReferenceForwardArgs& args);
int runReferenceForward(const ReferenceForwardArgs& args);

} // namespace kinora::cli
