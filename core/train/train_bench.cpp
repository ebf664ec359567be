#include "train/train_bench.h"

#include "pipeline/bench.h"
#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace kinora::train {

namespace {

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }

struct Timing {
    double seconds = 0, renderSeconds = 0, stepFlops = 0;
    bool bf16 = false;
};

// Trains `warmup + steps` steps into a scratch folder and times the last `steps` from the
// per-step reports.
Result<Timing> timeStage(TrainOptions o, const TrainBenchOptions& b, const std::atomic<bool>* cancel)
{
    o.steps = b.warmup + b.steps;
    o.benchmark = true;
    o.checkpointMinutes = 1e9;
    o.warmup = 1;
    o.seed = 1;
    TrainProgress first, last;
    auto ok = runTraining(o, [&](const TrainProgress& p) {
        if (p.fingerprint != 0) // the closing report carries no timings
            return;
        if (p.step == b.warmup)
            first = p;
        last = p;
    }, cancel);
    if (!ok)
        return ok.error();
    if (last.step != o.steps || first.step != b.warmup)
        return makeError(ErrorCode::Internal, "the training benchmark missed its step reports");
    Timing t;
    t.seconds = last.elapsedSeconds - first.elapsedSeconds;
    t.renderSeconds = last.renderSeconds - first.renderSeconds;
    t.stepFlops = 3 * last.trainedForwardFlops + last.encodeFlopsPerStep;
    t.bf16 = last.bf16;
    return t;
}

} // namespace

Result<nlohmann::json> benchTraining(const TrainBenchOptions& b, const std::atomic<bool>* cancel)
{
    if (b.steps < 1 || b.warmup < 1)
        return makeError(ErrorCode::InvalidArgument, "the training benchmark needs at least one warm-up and one timed step");
    const int threads = torch::get_num_threads();
    std::random_device random;
    const auto scratch = std::filesystem::temp_directory_path() /
                         ("kinora-train-bench-" + std::to_string(random()) + std::to_string(random()));
    std::error_code ec;
    std::filesystem::create_directories(scratch, ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot create a scratch folder " + scratch.string() + ": " + ec.message());
    struct Cleanup {
        std::filesystem::path dir;
        ~Cleanup()
        {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
    } cleanup{scratch};

    nlohmann::json out;
    out["threads"] = threads;
    out["timed_steps"] = b.steps;
    const double fp32 = pipeline::matmulGflops(torch::kFloat32);
    const double bf16 = pipeline::matmulGflops(torch::kBFloat16);
    out["matmul_fp32_gflops"] = round3(fp32);
    out["matmul_bf16_gflops"] = round3(bf16);

    for (const auto stage : {Stage::Diffusion, Stage::Autoencoder}) {
        const bool dit = stage == Stage::Diffusion;
        const std::string name = dit ? "diffusion" : "autoencoder";
        TrainOptions o;
        o.stage = stage;
        o.model = b.model;
        o.runDir = scratch / (name + "-run");
        o.out = scratch / (name + "-pack");
        o.renderThreads = threads;
        o.precision = b.precision;
        o.batch = dit ? b.diffusionBatch : b.autoencoderBatch;
        if (dit) { // stage 4 of the recipe
            o.lr = 3e-4;
            o.latentReuse = 2;
            o.latentObjectWeight = 4;
            o.noiseShift = 3;
        } else { // stage 1
            o.lr = 5e-4;
            o.aeCrop = 64;
            o.objectWeight = 4;
        }
        auto timed = timeStage(o, b, cancel);
        if (!timed)
            return timed.error();
        const auto& t = timed.value();
        const double clips = static_cast<double>(b.steps) * o.batch;
        const double compute = std::max(t.seconds - t.renderSeconds, 1e-9);
        const double gflops = t.stepFlops * b.steps / compute / 1e9;
        const std::string key = "train_" + name + "_";
        out[key + "batch"] = o.batch;
        out[key + "clips_per_s"] = round3(clips / std::max(t.seconds, 1e-9));
        out[key + "clips_per_s_no_render"] = round3(clips / compute);
        out[key + "render_share"] = round3(t.renderSeconds / std::max(t.seconds, 1e-9));
        out[key + "step_gflop"] = round3(t.stepFlops / 1e9);
        out[key + "gflops"] = round3(gflops);
        out[key + "roofline_fraction"] = round3(gflops / (t.bf16 ? bf16 : fp32));
        out["train_precision"] = t.bf16 ? "bf16" : "fp32";
    }
    return out;
}

} // namespace kinora::train
