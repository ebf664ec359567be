// kinora-cli: the engine from a shell. See DESIGN.md for the contract of each command.

#include "commands.h"
#include "reference_command.h"

#include "media/ffmpeg_log.h"
#include "pipeline/clip_ops.h"
#include "pipeline/engine.h"

#include <csignal>
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <limits>

using namespace kinora::cli;

namespace {

constexpr double kNoLimit = std::numeric_limits<double>::infinity();

// Every floating-point option is checked with this rather than CLI::Range, which lets
// "nan" through (no comparison with NaN is true): a finite number from low to high, or
// above low when lowOpen. The message names the option (CLI11 puts its name first).
CLI::Validator finiteNumber(double low, double high = kNoLimit, bool lowOpen = false)
{
    char text[96];
    if (high == kNoLimit)
        std::snprintf(text, sizeof text, lowOpen ? "a number above %g" : "a number of at least %g", low);
    else
        std::snprintf(text, sizeof text,
            lowOpen ? "a number above %g and at most %g" : "a number from %g to %g", low, high);
    const std::string range = text;
    return CLI::Validator(
        [=](std::string& input) -> std::string {
            double value = 0;
            const bool ok = CLI::detail::lexical_cast(input, value) && std::isfinite(value)
                && (lowOpen ? value > low : value >= low) && value <= high;
            return ok ? std::string() : "must be " + range + ", not " + input;
        },
        range);
}

// Seconds of video a command makes: what pipeline::framesForSeconds accepts.
CLI::Validator clipSeconds()
{
    return finiteNumber(0, kinora::pipeline::kMaxSeconds, true);
}

void addEngineOptions(CLI::App* cmd, EngineArgs& e)
{
    cmd->add_option("--model", e.model, "Model pack folder (default: the built-in pack)");
    cmd->add_option("--device", e.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd->add_option("--precision", e.precision, "auto, fp32 or bf16")->check(CLI::IsMember({"auto", "fp32", "bf16"}));
    cmd->add_option("--threads", e.threads,
           "CPU threads, at most " + std::to_string(kMaxThreads) + " (default: every core)")
        ->check(CLI::Range(0, kMaxThreads));
}

void addOutputOptions(CLI::App* cmd, OutputArgs& o)
{
    cmd->add_option("--crf", o.crf, "H.264 quality, 0 (lossless) to 51 (default 18)");
    cmd->add_flag("--mark", o.mark, "Draw a visible \"AI\" label in the bottom-right corner of every frame");
    cmd->add_option("--poster", o.poster, "Also write one frame as a PNG that keeps the record and the XMP label");
    cmd->add_option("--poster-frame", o.posterFrame, "The poster's frame, 0-based (default: the middle one)")
        ->check(CLI::NonNegativeNumber);
}

void addSamplingOptions(CLI::App* cmd, SamplingArgs& s)
{
    cmd->add_option("--seed", s.seed, "Random seed (default: a new one, printed)");
    cmd->add_option("--steps", s.steps, "Denoising steps (default: the pack's)");
    cmd->add_flag("--draft", s.draft,
                  "A draft: a quarter of the steps, to see a rough version at once; the record keeps the full "
                  "count, so redo of a draft makes the same draft");
    cmd->add_option("--guidance", s.guidance, "Classifier-free guidance scale (1 = off)")
        ->check(finiteNumber(0, kinora::pipeline::kMaxGuidance));
    cmd->add_option("--shift", s.shift, "Timestep shift of the noise schedule")
        ->check(finiteNumber(0, kinora::pipeline::kMaxShift, true));
    cmd->add_option("--sampler", s.sampler, "euler or heun");
    cmd->add_option("--negative", s.negative, "Negative prompt: what to steer away from");
    addOutputOptions(cmd, s.output);
}

} // namespace

int main(int argc, char** argv)
{
    // The host's choice, not the core's: FFmpeg quiet, its last error line kept for messages.
    kinora::media::installFfmpegLog();
    // Big freed tensors stay in the process for the next step (a fifth faster training).
    kinora::pipeline::Engine::keepFreedMemory();
    // A write past the file-size limit (ulimit -f) fails with "File too large" and a message,
    // the way a full disk does, instead of killing the process half-way.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"kinora-cli: text-to-video generation with Kinora's engine"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("kinora-cli ") + KINORA_VERSION);

    EngineArgs engine;
    SamplingArgs sampling;

    GenerateArgs gen;
    auto* generate = app.add_subcommand("generate", "Generate a clip from a prompt");
    generate->add_option("--prompt", gen.prompt, "What the clip shows")->required();
    generate->add_option("--out", gen.out, "Output MP4 file")->required();
    generate->add_option("--seconds", gen.seconds, "Clip length in seconds (default 2)")
        ->check(clipSeconds());
    addSamplingOptions(generate, sampling);
    addEngineOptions(generate, engine);

    ExtendArgs ext;
    auto* extend = app.add_subcommand("extend", "Continue a clip forwards (or backwards) in time; writes the whole clip");
    extend->add_option("--in", ext.in, "Clip to extend")->required();
    extend->add_option("--prompt", ext.prompt, "What happens in the new part (default: the prompt recorded in --in)");
    extend->add_option("--seconds", ext.seconds, "Seconds to add (default 2)")->check(clipSeconds());
    extend->add_option("--out", ext.out, "Output MP4 file")->required();
    extend->add_flag("--backward", ext.backward, "Add the new part before the clip's start");
    addSamplingOptions(extend, sampling);
    addEngineOptions(extend, engine);

    FillArgs fil;
    auto* fill = app.add_subcommand(
        "fill", "Bridge two clips (--to, writes A + bridge + B) or regenerate frames A-B of a clip (--frames)");
    fill->add_option("--in", fil.in, "The clip (or the first clip of a bridge)")->required();
    fill->add_option("--to", fil.to, "Second clip: generate the frames between --in and --to");
    fill->add_option("--frames", fil.frames, "Frames to regenerate, 0-based and inclusive, e.g. 4-9");
    fill->add_option("--seconds", fil.seconds, "Length of the bridge in seconds (default 1)")
        ->check(clipSeconds());
    fill->add_option("--prompt", fil.prompt, "Prompt (default: the prompt recorded in --in)");
    fill->add_option("--out", fil.out, "Output MP4 file")->required();
    addSamplingOptions(fill, sampling);
    addEngineOptions(fill, engine);

    StoryboardArgs board;
    auto* storyboard = app.add_subcommand(
        "storyboard", "Make several shots into one clip: {\"seed\": N, \"shots\": [{\"prompt\", \"seconds\", "
                      "\"join\": \"continue\" or \"cut\"}]}");
    storyboard->add_option("--in", board.in, "The storyboard (JSON)")->required();
    storyboard->add_option("--out", board.out, "Output MP4 file")->required();
    addSamplingOptions(storyboard, sampling);
    addEngineOptions(storyboard, engine);

    RedoArgs red;
    auto* redo = app.add_subcommand("redo", "Make a clip again from its generation record (same operation, prompt, "
                                            "seed and settings)");
    redo->add_option("--from", red.from, "A clip Kinora made (its record says what to do)")->required();
    redo->add_option("--out", red.out, "Output MP4 file")->required();
    redo->add_option("--source", red.sources,
                     "Source clip(s) of an extend, bridge or fill, in order (default: the files its record names, "
                     "beside --from)");
    addOutputOptions(redo, red.output);
    addEngineOptions(redo, engine);

    std::string expandPrompt;
    std::uint64_t expandSeed = 0;
    bool expandJson = false;
    auto* expand = app.add_subcommand("expand", "Print the caption the model will see for a prompt");
    expand->add_option("--prompt", expandPrompt, "The prompt")->required();
    expand->add_option("--seed", expandSeed, "Seed for what the prompt leaves open");
    expand->add_flag("--json", expandJson, "Print everything the expander decided as JSON");

    std::string infoFile;
    auto* info = app.add_subcommand("info", "Print the generation record embedded in a clip, as JSON");
    info->add_option("file", infoFile, "An MP4 written by Kinora")->required();

    std::string initConfig = "default", initOut;
    std::uint64_t initSeed = 0;
    auto* init = app.add_subcommand("init-model", "Write a randomly initialised model pack");
    init->add_option("--config", initConfig, "Architecture: tiny, default, or a model.json-style file")->required();
    init->add_option("--out", initOut, "Output folder")->required();
    init->add_option("--seed", initSeed, "Initialisation seed");
    std::string initFrom;
    init->add_option("--init-from", initFrom,
        "Copy the text encoder's and transformer's tensors whose names and shapes match from this pack");
    bool initPerturb = false;
    init->add_flag("--perturb-zeros", initPerturb,
                   "Fill zero-initialised layers with small noise so an untrained pack's output varies (tests)");

    int benchRepeats = 3;
    double benchSeconds = 2.0;
    bool benchJson = false;
    auto* bench = app.add_subcommand("bench", "Measure the roofline and the pipeline's speed");
    bench->add_flag("--json", benchJson, "Print one JSON object");
    bench->add_option("--repeats", benchRepeats, "Full generations to time (median reported)")
        ->check(CLI::PositiveNumber);
    bench->add_option("--seconds", benchSeconds, "Clip length of the timed generation (default 2)")
        ->check(clipSeconds());
    bool benchTrain = false;
    int benchTrainSteps = 6;
    bench->add_flag("--train", benchTrain,
        "Time optimiser steps of the diffusion and autoencoder stages instead of generation");
    bench->add_option("--train-steps", benchTrainSteps, "With --train: timed steps per stage (default 6, after 2 untimed)")
        ->check(CLI::PositiveNumber);
    addEngineOptions(bench, engine);

    std::uint64_t worldSeed = 0;
    std::string worldOut;
    double worldSeconds = 2.0;
    auto* world = app.add_subcommand("world", "Render one scene of the shapes world and print its caption");
    world->add_option("--seed", worldSeed, "Scene seed")->required();
    world->add_option("--out", worldOut, "Output MP4 file")->required();
    world->add_option("--seconds", worldSeconds, "Length in seconds (default 2)")->check(clipSeconds());

    TrainArgs trainArgs;
    auto* train = app.add_subcommand("train", "Train a model pack on the shapes world (resumable)");
    train->add_option("--stage", trainArgs.stage,
                      "autoencoder, text (the text encoder alone, from captions) or diffusion")->required();
    train->add_option("--model", trainArgs.model, "Pack to start from")->required();
    train->add_option("--run", trainArgs.run, "Run folder: checkpoint/ and log.csv")->required();
    train->add_option("--out", trainArgs.out, "Where to write the trained pack")->required();
    train->add_option("--steps", trainArgs.steps, "Optimiser steps")->check(CLI::PositiveNumber);
    train->add_option("--batch", trainArgs.batch, "Clips per step")->check(CLI::PositiveNumber);
    train->add_option("--lr", trainArgs.lr, "Peak learning rate")->check(finiteNumber(0, 1, true));
    train->add_option("--warmup", trainArgs.warmup, "Warm-up steps");
    train->add_option("--checkpoint-minutes", trainArgs.checkpointMinutes, "Minutes between checkpoints")
        ->check(finiteNumber(0));
    train
        ->add_option("--max-minutes", trainArgs.maxMinutes,
            "Training-time budget in minutes (resumed runs included): the learning rate decays to end "
            "by then, and the pack is exported")
        ->check(finiteNumber(0));
    train->add_option("--device", trainArgs.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    train
        ->add_option("--object-weight", trainArgs.objectWeight,
            "Autoencoder stage: extra loss weight on pixels covered by objects (default 4)")
        ->check(finiteNumber(0));
    train
        ->add_option("--latent-object-weight", trainArgs.latentObjectWeight,
            "Diffusion stage: extra loss weight on latent cells that objects touch (default 0)")
        ->check(finiteNumber(0));
    train
        ->add_option("--noise-shift", trainArgs.noiseShift,
            "Diffusion stage: shift of the logit-normal noise levels towards pure noise (default 1: none)")
        ->check(finiteNumber(1, 20));
    train
        ->add_option("--frame-noise-share", trainArgs.frameNoiseShare,
            "Diffusion stage: share of variance the latent frames' starting noise has in common, so "
            "frames start alike; the exported pack samples with it (default: the start pack's)")
        ->check(finiteNumber(0, 0.95));
    train
        ->add_option("--known-share", trainArgs.knownShare,
            "Diffusion stage: share of samples with known frames (extend, bridge, fill), default 0.6; the rest "
            "are generated from the caption alone")
        ->check(finiteNumber(0, 1));
    train
        ->add_option("--first-frame-share", trainArgs.firstFrameShare,
            "Diffusion stage: share of samples, drawn before --known-share, that know exactly the first latent "
            "frame (where things start, not where they go), default 0")
        ->check(finiteNumber(0, 1));
    train->add_flag("--directions-only", trainArgs.directionsOnly,
                    "Diffusion stage, a study: every scene is one red circle on black moving left, right, up or "
                    "down, so direction is the only thing the caption tells apart");
    train
        ->add_option("--directions-share", trainArgs.directionsShare,
            "Diffusion stage, a study: this share of the scenes are --directions-only scenes, the rest the "
            "whole world, default 0")
        ->check(finiteNumber(0, 1));
    train->add_flag("--mirror-pairs", trainArgs.mirrorPairs,
                    "Diffusion stage, a study: every other clip of a batch is the one before it mirrored left to "
                    "right, its caption's left and right swapped");
    train
        ->add_option("--caption-contrast", trainArgs.captionContrast,
            "Diffusion stage, a study: weight of a term that makes the caption with its directions turned "
            "round (left/right, up/down) predict the clip worse than the true caption, by a margin; default 0")
        ->check(finiteNumber(0, 100));
    train
        ->add_option("--caption-contrast-margin", trainArgs.captionContrastMargin,
            "Diffusion stage, a study: how much worse (log of the error ratio) the turned caption must "
            "predict, default 0.05")
        ->check(finiteNumber(0, 5));
    train
        ->add_option("--caption-contrast-min-noise", trainArgs.captionContrastMinNoise,
            "Diffusion stage, a study: the contrast term's samples have at least this noise level (0 to 1), "
            "default 0.5")
        ->check(finiteNumber(0, 1));
    train->add_flag("--no-placement-words", trainArgs.noPlacementWords,
                    "Diffusion stage, a study: captions leave out \"on the left\" and \"on the right\" (where the "
                    "two objects of a pair are); the clips are the same");
    train->add_option("--latent-cache", trainArgs.latentCache,
                      "Diffusion stage: a folder keeping each encoded batch (82 kB per clip with the built-in architecture); a run that renders "
                      "the same clips with the same autoencoder (another arm of a study) reads them instead of "
                      "encoding again, with the same results bit for bit");
    train->add_flag("--decoder-only", trainArgs.decoderOnly,
                    "Autoencoder stage: train the decoder alone, so the latents and a transformer trained on "
                    "them stay valid");
    train->add_flag("--freeze-text-encoder", trainArgs.freezeTextEncoder,
                    "Diffusion stage: keep the start pack's text encoder unchanged and train the transformer alone");
    train
        ->add_option("--text-encoder-lr-scale", trainArgs.textEncoderLrScale,
            "Diffusion stage: the text encoder learns at the learning rate times this (default 1), e.g. "
            "0.1 for one pretrained by --stage text")
        ->check(finiteNumber(1e-6, 10));
    train
        ->add_option("--detail-weight", trainArgs.detailWeight,
            "Autoencoder stage: extra loss weight on fine background detail, such as stars (default 4)")
        ->check(finiteNumber(0));
    train
        ->add_option("--temporal-weight", trainArgs.temporalWeight,
            "Autoencoder stage: weight of a loss on frame-to-frame changes (default 0)")
        ->check(finiteNumber(0));
    train
        ->add_option("--render-threads", trainArgs.renderThreads,
            "Threads rendering training clips, at most " + std::to_string(kMaxThreads)
                + " (default: every core)")
        ->check(CLI::Range(0, kMaxThreads));
    train
        ->add_option("--world-size", trainArgs.worldSize,
            "Data-parallel: number of processes (ranks) training together (default: $WORLD_SIZE, else 1)")
        ->check(CLI::Range(1, 65536));
    train->add_option("--rank", trainArgs.rank, "Data-parallel: this process's rank, 0 to world size - 1 (default: $RANK)")
        ->check(CLI::Range(0, 65535));
    train->add_option("--master-addr", trainArgs.masterAddr,
        "Data-parallel: address of rank 0, where the ranks meet (default: $MASTER_ADDR, else 127.0.0.1)");
    train->add_option("--master-port", trainArgs.masterPort, "Data-parallel: port rank 0 listens on (default: $MASTER_PORT, else 29500)")
        ->check(CLI::Range(1, 65535));
    train
        ->add_option("--dist-timeout", trainArgs.distTimeout,
            "Data-parallel: seconds to wait for the other ranks, at the start and at every step (default 60)")
        ->check(finiteNumber(0.1, 86400));
    train->add_flag("--resume", trainArgs.resume, "Continue from the run folder's checkpoint");
    train->add_option("--seed", trainArgs.seed, "Data and initialisation seed");
    train
        ->add_option("--threads", trainArgs.threads,
            "CPU threads, at most " + std::to_string(kMaxThreads) + " (default: every core)")
        ->check(CLI::Range(0, kMaxThreads));
    train
        ->add_option("--precision", trainArgs.precision,
            "auto, fp32 or bf16 (mixed precision); auto: bf16 on CUDA and on CPUs with bf16 matmuls in hardware")
        ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
    train->add_flag("--fp32", trainArgs.fp32, "Same as --precision fp32");
    train->add_option("--latent-reuse", trainArgs.latentReuse, "Diffusion stage: steps each rendered batch serves")
        ->check(CLI::PositiveNumber);
    train->add_option("--ae-crop", trainArgs.aeCrop, "Autoencoder stage: crop size in pixels (0: whole frames)");

    std::string recIn, recOut;
    int recCrf = 18;
    auto* reconstruct = app.add_subcommand(
        "reconstruct", "Encode and decode a clip with the model's autoencoder; prints PSNR per frame");
    reconstruct->add_option("--in", recIn, "Clip to pass through the autoencoder")->required();
    reconstruct->add_option("--out", recOut, "Output MP4 file")->required();
    reconstruct->add_option("--crf", recCrf, "H.264 quality, 0 (lossless) to 51 (default 18)");
    addEngineOptions(reconstruct, engine);

    EvalArgs evalArgs;
    auto* evalCmd = app.add_subcommand("eval", "Judge the model on held-out shapes-world scenes; prints a JSON report");
    evalCmd->add_option("--scenes", evalArgs.scenes, "Held-out scenes (default 200)")->check(CLI::PositiveNumber);
    evalCmd->add_option("--extend-scenes", evalArgs.extendScenes, "Scenes for the extend and bridge checks (default 50)");
    evalCmd->add_option("--steps", evalArgs.steps, "Denoising steps (default: the pack's)");
    evalCmd->add_option("--guidance", evalArgs.guidance, "Guidance scale (default: the pack's)")
        ->check(finiteNumber(0, kinora::pipeline::kMaxGuidance));
    evalCmd
        ->add_option("--direction-guidance", evalArgs.directionGuidance,
            "Steer away from each direction-word caption turned round, this hard (default 0: off)")
        ->check(finiteNumber(0, kinora::pipeline::kMaxGuidance));
    evalCmd->add_option("--out", evalArgs.out, "Also write the report to this file");
    evalCmd->add_flag("--autoencoder-only", evalArgs.autoencoderOnly,
        "Judge only the autoencoder's reconstructions of the scenes (no generation)");
    evalCmd
        ->add_option("--caption-use-scenes", evalArgs.captionUseScenes,
            "Scenes for the check that the model uses the direction and colour words (default 24; 0: skip)")
        ->check(CLI::NonNegativeNumber);
    evalCmd->add_flag("--long", evalArgs.longClips,
        "Judge long clips instead: minute-long clips of held-out scenes and four-shot storyboards (seams, drift, "
        "presence, freezing; docs/long-clips.md)");
    evalCmd->add_option("--long-clips", evalArgs.longClipCount, "With --long: clips (default 4)")
        ->check(CLI::NonNegativeNumber);
    evalCmd->add_option("--long-seconds", evalArgs.longSeconds, "With --long: seconds per clip (default 60)")
        ->check(clipSeconds());
    evalCmd->add_option("--storyboards", evalArgs.storyboards, "With --long: four-shot storyboards (default 2)")
        ->check(CLI::NonNegativeNumber);
    addEngineOptions(evalCmd, engine);

    ReferenceForwardArgs referenceArgs;
    auto* referenceForward = addReferenceForwardCommand(app, referenceArgs);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(e.what(), kUsage);
    }

    if (*generate)
        return runGenerate(gen, sampling, engine);
    if (*extend)
        return runExtend(ext, sampling, engine);
    if (*fill)
        return runFill(fil, sampling, engine);
    if (*storyboard)
        return runStoryboard(board, sampling, engine);
    if (*redo)
        return runRedo(red, engine);
    if (*expand)
        return runExpand(expandPrompt, expandSeed, expandJson);
    if (*info)
        return runInfo(infoFile);
    if (*init)
        return runInitModel(initConfig, initOut, initSeed, initPerturb, initFrom);
    if (*bench && benchTrain)
        return runBenchTrain(engine, benchTrainSteps, benchJson);
    if (*bench)
        return runBench(engine, benchRepeats, benchSeconds, benchJson);
    if (*world)
        return runWorld(worldSeed, worldOut, worldSeconds);
    if (*train)
        return runTrain(trainArgs);
    if (*reconstruct)
        return runReconstruct(recIn, recOut, engine, recCrf);
    if (*evalCmd)
        return runEval(evalArgs, engine);
    if (*referenceForward)
        return runReferenceForward(referenceArgs);
    return kUsage;
}
