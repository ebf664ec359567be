#pragma once

// The kinora-cli subcommands. Each returns the process exit code and prints a single
// "kinora-cli: error: ..." line on failure.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kinora::cli {

enum ExitCode { kOk = 0, kError = 1, kUsage = 2, kCancelled = 130 };

// Limits of the options, checked when they are parsed (main.cpp). More threads than this
// only cost: --threads 100000 spent minutes starting them.
inline constexpr int kMaxThreads = 256;

// Options shared by every command that runs the model.
struct EngineArgs {
    std::string model;          // empty: the built-in pack
    std::string device = "auto";
    std::string precision = "auto";
    int threads = 0;
};

// What is written besides the frames: quality, the visible mark, a poster frame.
struct OutputArgs {
    int crf = 18;
    bool mark = false;   // the visible "AI" label in the corner
    std::string poster;  // also write this PNG of one frame, with the record and XMP
    int posterFrame = -1; // which frame (0-based); < 0: the middle one
};

struct SamplingArgs {
    std::optional<std::uint64_t> seed;
    std::optional<int> steps;
    std::optional<double> guidance;
    std::optional<double> shift;
    std::string sampler;        // empty: the pack's default
    std::string negative;
    bool draft = false;         // a quarter of the steps; the record says so
    OutputArgs output;
};

struct GenerateArgs {
    std::string prompt;
    std::string out;
    double seconds = 2.0;
};

struct ExtendArgs {
    std::string in;
    std::string prompt;
    std::string out;
    double seconds = 2.0;
    bool backward = false;
};

struct FillArgs {
    std::string in;
    std::string to;       // bridge: the second clip
    std::string frames;   // regenerate: "A-B"
    std::string prompt;   // optional; defaults to the source clip's prompt
    std::string out;
    double seconds = 1.0; // bridge gap
};

int runGenerate(const GenerateArgs& args, const SamplingArgs& sampling, const EngineArgs& engine);
int runExtend(const ExtendArgs& args, const SamplingArgs& sampling, const EngineArgs& engine);
int runFill(const FillArgs& args, const SamplingArgs& sampling, const EngineArgs& engine);
// Makes a storyboard (pipeline/storyboard.h) into one clip: each shot generated (cut) or
// extended from the previous shot (continue), joined in order.
struct StoryboardArgs {
    std::string in;  // the board, JSON
    std::string out;
};
int runStoryboard(const StoryboardArgs& args, const SamplingArgs& sampling, const EngineArgs& engine);
// Does again what a clip's generation record describes (sources beside the clip, or named).
struct RedoArgs {
    std::string from;
    std::string out;
    std::vector<std::string> sources;
    OutputArgs output;
};
int runRedo(const RedoArgs& args, const EngineArgs& engine);
int runExpand(const std::string& prompt, std::uint64_t seed, bool json);
int runInfo(const std::string& file);
int runInitModel(const std::string& config, const std::string& out, std::uint64_t seed, bool perturbZeros,
    const std::string& initFrom = {});
int runBench(const EngineArgs& engine, int repeats, double seconds, bool json);
int runBenchTrain(const EngineArgs& engine, int steps, bool json);
struct TrainArgs {
    std::string stage = "diffusion";
    std::string model;
    std::string run;
    std::string out;
    long long steps = 1000;
    int batch = 16;
    double lr = 3e-4;
    long long warmup = 200;
    double checkpointMinutes = 5;
    double maxMinutes = 0;
    bool resume = false;
    std::uint64_t seed = 1;
    int threads = 0;
    int aeCrop = 64;
    bool fp32 = false;             // same as precision "fp32"
    std::string precision = "auto";
    int latentReuse = 2;
    std::string device = "auto";
    double objectWeight = 4.0;
    double latentObjectWeight = 0.0;
    bool decoderOnly = false;
    bool freezeTextEncoder = false;
    double textEncoderLrScale = 1.0;
    double noiseShift = 1.0;
    double frameNoiseShare = -1; // < 0: the start pack's
    double knownShare = 0.6;
    double firstFrameShare = 0.0;
    bool directionsOnly = false;
    double directionsShare = 0.0;
    bool mirrorPairs = false;
    double captionContrast = 0.0;
    double captionContrastMargin = 0.05;
    double captionContrastMinNoise = 0.5;
    bool noPlacementWords = false;
    std::string latentCache;
    double detailWeight = 4.0;
    double temporalWeight = 0.0;
    int renderThreads = 0;
    // Data-parallel: unset (-1, "") takes torchrun's environment (WORLD_SIZE, RANK,
    // MASTER_ADDR, MASTER_PORT), else one process.
    int worldSize = -1;
    int rank = -1;
    std::string masterAddr;
    int masterPort = -1;
    double distTimeout = 60;
};
int runTrain(const TrainArgs& args);
// The clip as the pack's autoencoder gives it back, with PSNR per frame: what generation can at best reach.
int runReconstruct(const std::string& in, const std::string& out, const EngineArgs& engine, int crf);
struct EvalArgs {
    int scenes = 200;
    int extendScenes = 50;
    int steps = 0;
    double guidance = -1;
    double directionGuidance = 0;
    std::string out; // also write the report here
    bool autoencoderOnly = false;
    int captionUseScenes = 24;
    bool longClips = false;      // --long: minute-long clips and storyboards instead
    int longClipCount = 4;
    double longSeconds = 60;
    int storyboards = 2;
};
int runEval(const EvalArgs& args, const EngineArgs& engine);
int runWorld(std::uint64_t seed, const std::string& out, double seconds);

int fail(const std::string& message, int code = kError);

} // namespace kinora::cli
