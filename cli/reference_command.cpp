#include "reference_command.h"

#include "commands.h"
#include "pipeline/engine.h"
#include "pipeline/reference_forward.h"
#include "util/model_locator.h"

#include <cstdio>

namespace kinora::cli {

CLI::App* addReferenceForwardCommand(CLI::App& app, ReferenceForwardArgs& args)
{
    auto* cmd = app.add_subcommand("reference-forward",
        "Run the text encoder, one transformer forward and the decoder on tensors from a safetensors file, write "
        "their outputs and print the median time of each as JSON (for scripts/reference/compare.py)");
    cmd->group(""); // hidden from --help: a developer's tool
    cmd->add_option("--model", args.model, "Model pack folder (default: the built-in pack)");
    cmd->add_option("--in", args.in, "Inputs: tokens, token_mask, x, known, mask, t and optionally latent")
        ->required();
    cmd->add_option("--out", args.out, "Outputs: text_features, velocity and video (safetensors)")->required();
    cmd->add_option("--precision", args.precision, "The transformer's precision: fp32 or bf16")
        ->check(CLI::IsMember({"fp32", "bf16"}));
    cmd->add_option("--threads", args.threads,
           "CPU threads, at most " + std::to_string(kMaxThreads) + " (default: every core)")
        ->check(CLI::Range(0, kMaxThreads));
    cmd->add_option("--repeats", args.repeats, "Timed runs of each network after one warm-up (median reported)")
        ->check(CLI::PositiveNumber);
    return cmd;
}

int runReferenceForward(const ReferenceForwardArgs& args)
{
    pipeline::ReferenceForwardRequest request;
    request.model = args.model.empty() ? findDefaultModel() : std::filesystem::path(args.model);
    if (request.model.empty())
        return fail("no built-in model pack found (looked in " + defaultModelSearchText() + "); pass --model DIR");
    request.inputs = args.in;
    request.outputs = args.out;
    request.precision = args.precision;
    request.repeats = args.repeats;
    pipeline::Engine::setThreads(args.threads);
    auto report = pipeline::runReferenceForward(request);
    if (!report)
        return fail(report.error().message);
    std::printf("%s\n", report.value().c_str());
    return kOk;
}

} // namespace kinora::cli
