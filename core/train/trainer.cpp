#include "train/trainer.h"

#include "io/model_pack.h"
#include "model/compat.h"
#include "train/batch.h"
#include "train/distributed.h"
#include "train/flop_counter.h"
#include "train/fused_adamw.h"
#include "train/stage.h"

#include <ATen/record_function.h>
#include <torch/csrc/autograd/profiler_legacy.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <optional>
#include <random>
#include <thread>

namespace kinora::train {

namespace fs = std::filesystem;
using nlohmann::json;

bool parseStage(const std::string& name, Stage* out)
{
    if (name == "autoencoder" || name == "ae")
        *out = Stage::Autoencoder;
    else if (name == "diffusion" || name == "dit")
        *out = Stage::Diffusion;
    else if (name == "text")
        *out = Stage::Text;
    else
        return false;
    return true;
}

namespace {

using Clock = std::chrono::steady_clock;

const char* stageName(Stage s)
{
    switch (s) {
    case Stage::Autoencoder: return "autoencoder";
    case Stage::Text: return "text";
    case Stage::Diffusion: break;
    }
    return "diffusion";
}

// Linear warm-up, then cosine decay to lr * minLrFraction. The decay follows whichever ends
// first: the steps, or (with a time budget) the training time.
double learningRate(const TrainOptions& o, std::int64_t step, double elapsedSeconds)
{
    if (step < o.warmup)
        return o.lr * static_cast<double>(step + 1) / static_cast<double>(o.warmup);
    double progress = static_cast<double>(step - o.warmup) / std::max<std::int64_t>(1, o.steps - o.warmup);
    if (o.maxMinutes > 0)
        progress = std::max(progress, elapsedSeconds / (o.maxMinutes * 60.0));
    progress = std::min(1.0, progress);
    const double cosine = 0.5 * (1.0 + std::cos(M_PI * progress));
    return o.lr * (o.minLrFraction + (1.0 - o.minLrFraction) * cosine);
}

// The tensors that learn, by their pack names.
Named trainable(const io::ModelModules& m)
{
    Named out;
    for (auto& [name, t] : m.namedTensors())
        if (t.requires_grad())
            out.emplace_back(name, t);
    return out;
}

Result<void> writeJson(const fs::path& path, const json& j)
{
    std::ofstream out(path, std::ios::trunc);
    out << j.dump(2) << "\n";
    out.flush();
    if (!out)
        return makeError(ErrorCode::Io, "cannot write " + path.string());
    return success();
}

struct RunState {
    std::int64_t step = 0;
    std::int64_t samples = 0;
    double elapsed = 0; // seconds of training before this process
    int ranks = 1;      // the data-parallel world size the steps were trained with
    json options;       // the options the checkpoint's steps were trained with (null before they were kept)
};

// The options a stage record keeps: those that shaped the trained weights.
json runOptions(const TrainOptions& o, double noiseShare, bool bf16)
{
    const bool ae = o.stage == Stage::Autoencoder;
    const bool dit = o.stage == Stage::Diffusion;
    return {{"ae_crop", ae ? o.aeCrop : 0},
            {"decoder_only", ae && o.decoderOnly},
            {"freeze_text_encoder", dit && o.freezeTextEncoder},
            {"text_encoder_lr_scale", dit && !o.freezeTextEncoder ? o.textEncoderLrScale : 1.0},
            {"noise_shift", dit ? o.noiseShift : 1.0},
            {"frame_noise_share", dit ? noiseShare : 0.0},
            {"batch", o.batch},
            {"lr", o.lr},
            {"warmup", o.warmup},
            {"weight_decay", o.weightDecay},
            {"ema_decay", o.emaDecay},
            {"caption_drop", dit ? o.captionDrop : 0.0},
            {"bf16", bf16},
            {"latent_reuse", dit ? o.latentReuse : 1},
            {"seed", o.seed},
            {"object_weight", ae ? o.objectWeight : 0.0},
            {"detail_weight", ae ? o.detailWeight : 0.0},
            {"latent_object_weight", dit ? o.latentObjectWeight : 0.0},
            {"temporal_weight", ae ? o.temporalWeight : 0.0},
            {"time_budget_minutes", o.maxMinutes},
            {"known_share", dit ? o.knownShare : 0.0},
            {"first_frame_share", dit ? o.firstFrameShare : 0.0},
            {"directions_only", dit && o.directionsOnly},
            {"directions_share", dit && !o.directionsOnly ? o.directionsShare : 0.0},
            {"mirror_pairs", dit && o.mirrorPairs},
            {"no_placement_words", dit && o.noPlacementWords},
            {"caption_contrast", dit ? o.captionContrast : 0.0},
            {"caption_contrast_margin", dit && o.captionContrast > 0 ? o.captionContrastMargin : 0.0},
            {"caption_contrast_min_noise", dit && o.captionContrast > 0 ? o.captionContrastMinNoise : 0.0},
            {"ranks", o.distributed.worldSize}};
}

// checkpoint/ holds weights.safetensors, ema.safetensors, optimizer.pt and state.json.
// It is written as checkpoint.new/ and swapped in, so an interruption at any moment
// leaves a complete checkpoint behind.
Result<void> saveCheckpoint(const fs::path& runDir, const io::ModelModules& modules, const Named& extra,
                            const Named& ema, torch::optim::Optimizer& optimizer, const RunState& state,
                            const TrainOptions& o, const json& options)
{
    const auto fresh = runDir / "checkpoint.new", current = runDir / "checkpoint", old = runDir / "checkpoint.old";
    std::error_code ec;
    fs::remove_all(fresh, ec);
    fs::create_directories(fresh, ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot create " + fresh.string());
    Named weights;
    for (auto& [name, t] : modules.namedTensors())
        weights.emplace_back(name, t.detach());
    for (auto& [name, t] : extra)
        weights.emplace_back(name, t.detach());
    if (auto ok = io::writeSafetensors(fresh / "weights.safetensors", weights); !ok)
        return ok;
    if (auto ok = io::writeSafetensors(fresh / "ema.safetensors", ema); !ok)
        return ok;
    try {
        torch::save(optimizer, (fresh / "optimizer.pt").string());
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Io, std::string("cannot save the optimiser state: ") + e.what());
    }
    if (auto ok = writeJson(fresh / "state.json", {{"step", state.step},
                                                   {"samples", state.samples},
                                                   {"elapsed_seconds", state.elapsed},
                                                   {"stage", stageName(o.stage)},
                                                   {"steps", o.steps},
                                                   {"batch", o.batch},
                                                   {"ranks", state.ranks},
                                                   {"options", options}});
        !ok)
        return ok;
    fs::remove_all(old, ec);
    if (fs::exists(current))
        fs::rename(current, old, ec);
    fs::rename(fresh, current, ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot move the checkpoint into place: " + ec.message());
    fs::remove_all(old, ec);
    return success();
}

Result<void> copyInto(const fs::path& file, const Named& targets)
{
    auto st = io::SafetensorsFile::open(file);
    if (!st)
        return st.error();
    torch::NoGradGuard noGrad;
    for (const auto& [name, t] : targets) {
        const auto* info = st->find(name);
        if (!info)
            return makeError(ErrorCode::Mismatch, file.string() + " lacks " + name);
        t.copy_(st->tensor(*info));
    }
    return success();
}

// The run's checkpoint folder: checkpoint/, or checkpoint.old/ if a swap was cut short;
// empty if neither holds a state.json.
fs::path checkpointDir(const fs::path& runDir)
{
    for (const auto* name : {"checkpoint", "checkpoint.old"})
        if (fs::exists(runDir / name / "state.json"))
            return runDir / name;
    return {};
}

Result<RunState> loadCheckpoint(const fs::path& runDir, io::ModelModules& modules, const Named& extra, Named& ema,
                                torch::optim::Optimizer& optimizer)
{
    const auto dir = checkpointDir(runDir);
    if (dir.empty())
        return makeError(ErrorCode::NotFound, "no checkpoint to resume from in " + runDir.string());
    Named weights;
    for (auto& [name, t] : modules.namedTensors())
        weights.emplace_back(name, t);
    weights.insert(weights.end(), extra.begin(), extra.end());
    if (auto ok = copyInto(dir / "weights.safetensors", weights); !ok)
        return ok.error();
    if (auto ok = copyInto(dir / "ema.safetensors", ema); !ok)
        return ok.error();
    RunState state;
    try {
        torch::load(optimizer, (dir / "optimizer.pt").string());
        std::ifstream in(dir / "state.json");
        json j;
        in >> j;
        state.step = j.at("step").get<std::int64_t>();
        state.samples = j.at("samples").get<std::int64_t>();
        state.elapsed = j.at("elapsed_seconds").get<double>();
        state.ranks = j.value("ranks", 1);
        state.options = j.value("options", json());
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Format, std::string("the checkpoint is damaged: ") + e.what());
    }
    return state;
}

std::string hardwareText(const torch::Device& device)
{
    if (device.is_cuda())
        return "CUDA device " + std::to_string(device.index() < 0 ? 0 : device.index()) + " (see the run log)";
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0)
            return line.substr(line.find(':') + 2) + ", " + std::to_string(std::thread::hardware_concurrency()) +
                   " threads";
    return "unknown CPU";
}

// The options saved in a run's checkpoint (null without one, or if it cannot be read:
// loadCheckpoint then says why).
json checkpointOptions(const fs::path& runDir)
{
    const auto dir = checkpointDir(runDir);
    if (dir.empty())
        return json();
    try {
        std::ifstream in(dir / "state.json");
        json j;
        in >> j;
        return j.value("options", json());
    } catch (const std::exception&) {
        return json();
    }
}

} // namespace

Result<void> runTraining(const TrainOptions& given, const ProgressFn& onProgress, const std::atomic<bool>* cancel)
{
    TrainOptions o = given;
    // Which tensors learn, and in which optimiser groups, cannot change within a run (the
    // EMA and optimiser state cover exactly those): a resumed run takes the options that
    // choose them from its checkpoint.
    if (o.resume) {
        const auto saved = checkpointOptions(o.runDir);
        if (saved.is_object()) {
            o.decoderOnly = saved.value("decoder_only", o.decoderOnly);
            o.freezeTextEncoder = saved.value("freeze_text_encoder", o.freezeTextEncoder);
            o.textEncoderLrScale = saved.value("text_encoder_lr_scale", 1.0); // also its optimiser's groups
        }
    }
    if (o.steps < 1 || o.batch < 1 || o.lr <= 0)
        return makeError(ErrorCode::InvalidArgument, "steps, batch and learning rate must be positive");
    if (!(o.textEncoderLrScale > 0))
        return makeError(ErrorCode::InvalidArgument, "the text encoder's learning-rate scale must be positive");
    if (o.stage == Stage::Text && o.freezeTextEncoder)
        return makeError(ErrorCode::InvalidArgument, "the text stage trains the text encoder: it cannot be frozen");
    const bool cudaAvailable = torch::cuda::is_available();
    if (o.device == "cuda" && !cudaAvailable)
        return makeError(ErrorCode::Unsupported, "--device cuda: this LibTorch sees no CUDA device");
    if (o.device != "auto" && o.device != "cpu" && o.device != "cuda")
        return makeError(ErrorCode::InvalidArgument, "unknown device '" + o.device + "' (auto, cpu or cuda)");
    const torch::Device device = (o.device != "cpu" && cudaAvailable)
                                     ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(o.distributed.localRank))
                                     : torch::Device(torch::kCPU);
    if (o.precision != "auto" && o.precision != "fp32" && o.precision != "bf16")
        return makeError(ErrorCode::InvalidArgument, "unknown precision '" + o.precision + "' (auto, fp32 or bf16)");
    const bool bf16 = o.precision == "bf16" || (o.precision == "auto" && (device.is_cuda() || compat::cpuHasFastBf16()));
    if (device.is_cuda()) {
        // Convolutions of fixed shapes: let cuDNN pick the fastest algorithms, and let the
        // fp32 autoencoder use TF32 tensor cores.
        at::globalContext().setBenchmarkCuDNN(true);
        at::globalContext().setAllowTF32CuBLAS(true);
        at::globalContext().setAllowTF32CuDNN(true);
    }
    // Data-parallel: meet the other ranks first, so that a mistaken start fails at once.
    std::unique_ptr<Collective> collective;
    if (o.distributed.worldSize > 1) {
        auto connected = Collective::connect(o.distributed);
        if (!connected)
            return connected.error();
        collective = std::move(connected.value());
    }
    const int ranks = collective ? collective->size() : 1;
    const int rank = collective ? collective->rank() : 0;
    const bool lead = rank == 0;        // writes the checkpoints, the log and the pack
    const int globalBatch = ranks * o.batch; // clips per step over every rank
    const int renderThreads =
        o.renderThreads > 0 ? o.renderThreads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto loaded = io::loadModelPack(o.model, device, {});
    if (!loaded)
        return loaded.error();
    auto& pack = loaded.value();
    auto& modules = pack.modules;
    if (pack.config.frameSize != world::kFrameSize)
        return makeError(ErrorCode::Unsupported, "training renders the shapes world at " +
                                                     std::to_string(world::kFrameSize) + " pixels; this pack works at " +
                                                     std::to_string(pack.config.frameSize));
    const double noiseShare = o.frameNoiseShare >= 0 ? o.frameNoiseShare : pack.config.sampling.frameNoiseShare;
    if (noiseShare >= 1)
        return makeError(ErrorCode::InvalidArgument, "frame noise share must be below 1");
    std::error_code ec;
    fs::create_directories(o.runDir, ec);
    if (ec)
        return makeError(ErrorCode::Io, "cannot create run folder " + o.runDir.string());

    try {
        // The stage's own unit: which tensors learn, what is rendered, the loss of a step.
        const std::unique_ptr<StageUnit> unit = o.stage == Stage::Autoencoder ? makeAutoencoderStage(o, pack, device)
                                                : o.stage == Stage::Text      ? makeTextStage(o, pack, device)
                                                                              : makeDiffusionStage(o, pack, device, noiseShare);
        for (auto& [name, t] : modules.namedTensors()) {
            bool learns = unit->learns(name);
            if (o.freezeTextEncoder && name.rfind("text_encoder.", 0) == 0)
                learns = false;
            t.set_requires_grad(t.is_floating_point() && learns);
        }
        auto params = trainable(modules);
        // Tensors outside the pack that learn (the text stage's probe): checkpointed only.
        const Named headTensors = unit->extraTensors();
        params.insert(params.end(), headTensors.begin(), headTensors.end());
        std::vector<torch::Tensor> paramList;
        Named ema;
        std::vector<torch::Tensor> emaList;
        for (auto& [name, t] : params) {
            paramList.push_back(t);
            ema.emplace_back(name, t.detach().clone());
            emaList.push_back(ema.back().second);
        }
        const auto adamw = torch::optim::AdamWOptions(o.lr).betas({0.9, 0.99}).weight_decay(o.weightDecay);
        // With a text-encoder learning-rate scale, the encoder's tensors are a second group.
        const bool textGroup =
            o.stage == Stage::Diffusion && !o.freezeTextEncoder && o.textEncoderLrScale != 1.0;
        std::vector<torch::optim::OptimizerParamGroup> groups;
        std::vector<double> groupScale;
        if (textGroup) {
            std::vector<torch::Tensor> text, rest;
            for (auto& [name, t] : params)
                (name.rfind("text_encoder.", 0) == 0 ? text : rest).push_back(t);
            groups.emplace_back(rest, std::make_unique<torch::optim::AdamWOptions>(adamw));
            groups.emplace_back(text, std::make_unique<torch::optim::AdamWOptions>(adamw));
            groupScale = {1.0, o.textEncoderLrScale};
        } else {
            groups.emplace_back(paramList, std::make_unique<torch::optim::AdamWOptions>(adamw));
            groupScale = {1.0};
        }
        torch::optim::AdamW optimizer(std::move(groups), adamw);
        unit->setModes(modules);

        // Mixed precision: forward and backward run on a bf16 copy
        // of the networks (oneDNN's bf16 matmuls are ~4x faster than fp32 on CPUs with
        // avx512_bf16), while the optimiser updates the fp32 master weights.
        std::optional<io::ModelModules> working;
        std::vector<torch::Tensor> workingParams;
        auto syncWorking = [&] { // every tensor, frozen ones included
            torch::NoGradGuard noGrad;
            auto masters = modules.namedTensors();
            auto copies = working->namedTensors();
            for (size_t i = 0; i < masters.size(); ++i)
                copies[i].second.copy_(masters[i].second);
        };
        if (bf16) {
            io::ModulePrecision wp;
            wp.autoencoder = wp.textEncoder = wp.transformer = torch::kBFloat16;
            working = io::createModules(pack.config, device, wp, 0);
            for (auto& [name, t] : working->namedTensors())
                t.set_requires_grad(false);
            auto copies = working->namedTensors();
            auto masters = modules.namedTensors();
            for (size_t i = 0; i < masters.size(); ++i)
                if (masters[i].second.requires_grad()) {
                    copies[i].second.set_requires_grad(true);
                    workingParams.push_back(copies[i].second);
                }
            unit->setModes(*working);
        }
        io::ModelModules& net = working ? *working : modules;

        RunState state;
        state.ranks = ranks;
        if (o.resume) {
            auto resumed = loadCheckpoint(o.runDir, modules, headTensors, ema, optimizer);
            if (!resumed)
                return resumed.error();
            state = resumed.value();
            if (state.ranks != ranks)
                return makeError(ErrorCode::Mismatch,
                                 "the checkpoint in " + o.runDir.string() + " was trained by " +
                                     std::to_string(state.ranks) + (state.ranks == 1 ? " process" : " ranks") +
                                     " and this run has " + std::to_string(ranks) +
                                     ": resume with the same world size (the data each step sees depends on it)");
        }
        if (working)
            syncWorking();
        if (collective) {
            // Every rank must start from the same weights and step: the same --model and, on
            // --resume, the same checkpoint (rank 0 writes it in --run).
            torch::NoGradGuard noGrad;
            double checksum = 0;
            for (const auto& t : paramList)
                checksum += t.to(torch::kFloat64).sum().item<double>();
            for (const auto& t : emaList)
                checksum += t.to(torch::kFloat64).sum().item<double>();
            auto mine = torch::tensor({static_cast<double>(state.step), checksum}, torch::kFloat64);
            auto first = mine.clone();
            collective->broadcast(first);
            if (collective->sum(first.equal(mine) ? 0.0 : 1.0) > 0)
                return makeError(ErrorCode::Mismatch,
                                 "the ranks start from different weights or steps (rank 0 at step " +
                                     std::to_string(first[0].item<std::int64_t>()) + ", rank " + std::to_string(rank) +
                                     " at step " + std::to_string(state.step) +
                                     "): every rank needs the same --model and, with --resume, the same checkpoint "
                                     "(rank 0 writes it in --run)");
        }
        std::ofstream log;
        if (lead) {
            log.open(o.runDir / "log.csv", std::ios::app);
            if (state.step == 0)
                log << "step,samples,loss,lr,elapsed_s\n";
        }

        const auto started = Clock::now();
        auto lastCheckpoint = started;
        auto lastReport = started;
        const double elapsedBefore = state.elapsed; // training time of earlier processes (resume)
        auto elapsed = [&] { return elapsedBefore + std::chrono::duration<double>(Clock::now() - started).count(); };
        std::int64_t runningCount = 0; // steps since the last progress report
        const std::int64_t firstStep = state.step;
        // A resumed process that trains no steps (an export of a stopped run) keeps the options
        // the checkpoint was trained with, whatever its own command line says.
        const json ownOptions = runOptions(o, noiseShare, bf16);
        const json loadedOptions = state.options;
        auto recordedOptions = [&] {
            return state.step == firstStep && loadedOptions.is_object() ? loadedOptions : ownOptions;
        };
        BatchOptions batchOptions = unit->batchOptions(renderThreads);
        batchOptions.size = globalBatch; // captions drawn for all; this rank renders its share
        batchOptions.shardFirst = rank * o.batch;
        batchOptions.shardSize = o.batch;
        // The next block's clips, rendered while a step computes: the block, its clips and its
        // data generator as rendering left it (the step goes on drawing from it).
        struct AheadBatch {
            std::uint64_t block = 0;
            Batch batch;
            std::mt19937_64 dataRng;
        };
        const bool renderAhead = [&] {
            if (o.renderAhead != TrainOptions::RenderAhead::Auto)
                return o.renderAhead == TrainOptions::RenderAhead::On;
            const char* choice = std::getenv("KINORA_TRAIN_RENDER_AHEAD");
            if (choice && (std::strcmp(choice, "0") == 0 || std::strcmp(choice, "1") == 0))
                return choice[0] == '1';
            return device.is_cuda();
        }();
        std::future<AheadBatch> ahead;
        double sharedElapsed = elapsedBefore; // data-parallel: the ranks' mean, as of the last step
        double commSeconds = 0;              // all-reduce time since the last report
        torch::Tensor lossSum = torch::zeros({}, torch::TensorOptions().device(device)); // summed on the device
        double lossSumValue = 0;
        auto readLoss = [&] { // one device synchronisation per report, not per step
            lossSumValue += lossSum.item<double>();
            lossSum.zero_();
        };
        // KINORA_TRAIN_PROFILE=trace.json records LibTorch's per-operator profile of a few
        // steps (KINORA_TRAIN_PROFILE_STEPS, default 6) after two warm-up steps, as a Chrome
        // trace; scripts/profile-summary.py sums it by operator and by phase.
        const char* profilePath = std::getenv("KINORA_TRAIN_PROFILE");
        const char* profileStepsText = std::getenv("KINORA_TRAIN_PROFILE_STEPS");
        const std::int64_t profileFrom = firstStep + 2;
        const std::int64_t profileTo = profileFrom + (profileStepsText ? std::max(1, std::atoi(profileStepsText)) : 6);
        std::optional<torch::autograd::profiler::RecordProfile> profile;
        double renderSeconds = 0;                           // this process's, for reports
        double trainedForwardFlops = 0, encodeFlopsPerStep = 0; // benchmark runs
        bool flopsCounted = false;

        while (state.step < o.steps) {
            if (profilePath && state.step == profileFrom)
                profile.emplace(std::string(profilePath));
            if (profile && state.step == profileTo)
                profile.reset(); // writes the trace
            // Data-parallel ranks decide to stop together, after a step (below).
            if (!collective && cancel && cancel->load()) {
                state.elapsed = elapsed();
                if (auto ok = saveCheckpoint(o.runDir, modules, headTensors, ema, optimizer, state, o, recordedOptions()); !ok)
                    return ok;
                return makeError(ErrorCode::Cancelled, "training interrupted; resume with --resume");
            }
            if (!collective && o.maxMinutes > 0 && elapsed() > o.maxMinutes * 60)
                break;
            // Everything random in a step derives from (seed, step), so a resumed run sees
            // the same data it would have seen without the interruption.
            std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(state.step));
            auto noiseGen = at::make_generator<at::CPUGeneratorImpl>(o.seed * 1000003ull + static_cast<std::uint64_t>(state.step));
            const int reuse = unit->reuse();
            const std::uint64_t block = static_cast<std::uint64_t>(state.step / reuse);
            const std::uint64_t firstSeed = (o.seed % 97) * 10'000'000ull + block * globalBatch;
            std::mt19937_64 dataRng(o.seed * 0x9E3779B97F4A7C15ull + block);
            const bool fresh = unit->needsBatch(block);
            Batch batch;
            if (unit->rendersClips() && fresh) {
                RECORD_USER_SCOPE("phase:render");
                const auto renderStart = Clock::now();
                bool rendered = false;
                if (ahead.valid()) {
                    AheadBatch next = ahead.get(); // waits for it, if it is not done
                    if (next.block == block) {
                        batch = std::move(next.batch);
                        dataRng = next.dataRng;
                        rendered = true;
                    }
                }
                if (!rendered)
                    batch = renderBatch(firstSeed % (kHeldOutSeedBase / 2), batchOptions, dataRng);
                renderSeconds += std::chrono::duration<double>(Clock::now() - renderStart).count();
                // Everything a block's clips depend on is (seed, block), as above.
                const std::uint64_t nextBlock = block + 1;
                if (renderAhead && static_cast<std::int64_t>(nextBlock) * reuse < o.steps)
                    ahead = std::async(std::launch::async, [&batchOptions, seed = o.seed, globalBatch, nextBlock] {
                        AheadBatch next;
                        next.block = nextBlock;
                        next.dataRng.seed(seed * 0x9E3779B97F4A7C15ull + nextBlock);
                        const std::uint64_t first = (seed % 97) * 10'000'000ull + nextBlock * globalBatch;
                        next.batch = renderBatch(first % (kHeldOutSeedBase / 2), batchOptions, next.dataRng);
                        return next;
                    });
            }
            // A benchmark counts the forward passes' FLOPs once, at the first step after the
            // first that encodes a fresh batch (not while a profile is recorded: both use
            // LibTorch's one legacy profiler).
            const bool countFlops =
                o.benchmark && !flopsCounted && !profile && state.step > firstStep && fresh;
            std::optional<FlopCounter> flopCounter;
            if (countFlops)
                flopCounter.emplace();

            const double lr = learningRate(o, state.step, collective ? sharedElapsed : elapsed());
            for (size_t g = 0; g < optimizer.param_groups().size(); ++g)
                static_cast<torch::optim::AdamWOptions&>(optimizer.param_groups()[g].options()).lr(lr * groupScale[g]);

            StepInput in;
            in.batch = unit->rendersClips() && fresh ? &batch : nullptr;
            in.firstSeed = firstSeed;
            in.block = block;
            in.rng = &rng;
            in.dataRng = &dataRng;
            in.noiseGen = noiseGen;
            in.flops = &flopCounter;
            in.encodeFlopsPerStep = &encodeFlopsPerStep;
            in.globalBatch = globalBatch;
            in.shardFirst = rank * o.batch;
            if (collective)
                in.total = [&](const torch::Tensor& t) {
                    return torch::full({}, collective->sum(t.item<double>()), t.options());
                };
            torch::Tensor loss = unit->loss(net, in);
            if (flopCounter) {
                trainedForwardFlops = flopCounter->stop();
                flopCounter.reset();
                flopsCounted = true;
            }
            optimizer.zero_grad();
            {
                RECORD_USER_SCOPE("phase:backward");
                loss.backward();
            }
            RECORD_USER_SCOPE("phase:optimizer");
            if (working) { // the probe's tensors have no working copy
                for (size_t i = 0; i < workingParams.size(); ++i) {
                    auto& g = workingParams[i].mutable_grad();
                    paramList[i].mutable_grad() = g.defined() ? g.to(torch::kFloat32) : torch::zeros_like(paramList[i]);
                    g = torch::Tensor();
                }
            }
            // Data-parallel: the gradients summed over the ranks (each rank's loss is its share of
            // the global one), with the step's loss and the ranks' wishes to stop.
            bool stopCancelled = false, stopOutOfTime = false;
            double globalLoss = 0;
            if (collective) {
                const double now = elapsed();
                std::vector<double> extra{loss.detach().to(torch::kFloat32).item<double>(),
                                          cancel && cancel->load() ? 1.0 : 0.0,
                                          o.maxMinutes > 0 && now > o.maxMinutes * 60 ? 1.0 : 0.0, now};
                RECORD_USER_SCOPE("phase:all_reduce");
                collective->allReduceGradients(paramList, extra);
                globalLoss = extra[0];
                stopCancelled = extra[1] > 0;
                stopOutOfTime = extra[2] > 0;
                sharedElapsed = extra[3] / ranks;
                commSeconds += collective->takeCommSeconds();
            }
            const double emaDecay = std::min(o.emaDecay, (1.0 + state.step) / (10.0 + state.step));
            // On the CPU: the clipped AdamW step, the working copy and the EMA in one pass
            // per tensor (train/fused_adamw.h); elsewhere, or where it cannot run, LibTorch's.
            const bool fused = device.is_cpu() && fusedOptimizerEnabled() &&
                               fusedAdamWStep(optimizer, clipCoefficient(paramList, o.gradClip), workingParams,
                                              emaList, emaDecay);
            if (!fused) {
                torch::nn::utils::clip_grad_norm_(paramList, o.gradClip);
                optimizer.step();
                torch::NoGradGuard noGrad;
                for (size_t i = 0; i < workingParams.size(); ++i) // only the trained tensors changed
                    workingParams[i].copy_(paramList[i]);
                // One fused update over all tensors: per-tensor calls cost a kernel launch each on a GPU.
                at::_foreach_mul_(emaList, emaDecay);
                at::_foreach_add_(emaList, paramList, 1.0 - emaDecay);
            }
            {
                torch::NoGradGuard noGrad;
                if (collective)
                    lossSum += globalLoss;
                else
                    lossSum += loss.detach().to(torch::kFloat32);
            }
            ++state.step;
            state.samples += globalBatch;
            ++runningCount;

            const auto now = Clock::now();
            if (lead && (state.step % 10 == 0 || state.step == o.steps)) {
                readLoss();
                log << state.step << "," << state.samples << "," << lossSumValue / runningCount << "," << lr << ","
                    << elapsed() << "\n";
                log.flush();
            }
            if (onProgress && (o.benchmark || std::chrono::duration<double>(now - lastReport).count() > 5 ||
                               state.step == o.steps)) {
                TrainProgress p;
                p.bf16 = bf16;
                p.renderSeconds = renderSeconds;
                p.trainedForwardFlops = trainedForwardFlops;
                p.encodeFlopsPerStep = encodeFlopsPerStep;
                p.step = state.step;
                p.steps = o.steps;
                p.ranks = ranks;
                p.rank = rank;
                p.allReduceSecondsPerStep = commSeconds / std::max<std::int64_t>(1, runningCount);
                commSeconds = 0;
                readLoss();
                p.loss = lossSumValue / runningCount;
                p.lr = lr;
                const double run = std::chrono::duration<double>(now - started).count();
                p.samplesPerSecond = (state.step - firstStep) * globalBatch / std::max(run, 1e-6);
                p.elapsedSeconds = elapsed();
                p.etaSeconds = (o.steps - state.step) * globalBatch / std::max(p.samplesPerSecond, 1e-6);
                if (o.maxMinutes > 0) // the time budget ends the run first
                    p.etaSeconds = std::clamp(o.maxMinutes * 60 - p.elapsedSeconds, 0.0, p.etaSeconds);
                onProgress(p);
                lastReport = now;
                lossSumValue = 0;
                runningCount = 0;
            }
            if (stopCancelled) {
                state.elapsed = elapsed();
                if (lead)
                    if (auto ok = saveCheckpoint(o.runDir, modules, headTensors, ema, optimizer, state, o, recordedOptions()); !ok)
                        return ok;
                return makeError(ErrorCode::Cancelled, "training interrupted; resume with --resume");
            }
            if (stopOutOfTime)
                break;
            if (lead && std::chrono::duration<double>(now - lastCheckpoint).count() > o.checkpointMinutes * 60) {
                state.elapsed = elapsed();
                RunState snapshot = state;
                if (auto ok = saveCheckpoint(o.runDir, modules, headTensors, ema, optimizer, snapshot, o, recordedOptions()); !ok)
                    return ok;
                lastCheckpoint = now;
            }
        }
        const double wall = elapsed();
        state.elapsed = wall;
        // The trained and averaged weights, bit for bit; data-parallel ranks must agree on it.
        std::vector<torch::Tensor> everything = paramList;
        everything.insert(everything.end(), emaList.begin(), emaList.end());
        const std::uint64_t fingerprint = fingerprintOf(everything);
        if (collective) {
            auto mine = torch::tensor({static_cast<std::int64_t>(fingerprint)}, torch::kInt64);
            auto first = mine.clone();
            collective->broadcast(first);
            if (collective->sum(first.equal(mine) ? 0.0 : 1.0) > 0)
                return makeError(ErrorCode::Internal, "the ranks' weights differ after training (rank " +
                                                          std::to_string(rank) + "): they must stay identical");
        }
        if (onProgress) {
            TrainProgress p;
            p.step = p.steps = state.step;
            p.ranks = ranks;
            p.rank = rank;
            p.bf16 = bf16;
            p.elapsedSeconds = wall;
            p.fingerprint = fingerprint;
            onProgress(p);
        }
        if (!lead) // rank 0 writes the checkpoint and the pack
            return success();
        if (auto ok = saveCheckpoint(o.runDir, modules, headTensors, ema, optimizer, state, o, recordedOptions()); !ok)
            return ok;

        // The exported pack carries the EMA weights and the training record.
        {
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < ema.size(); ++i)
                paramList[i].copy_(ema[i].second);
        }
        auto config = pack.config;
        json stageRecord = recordedOptions();
        stageRecord["stage"] = stageName(o.stage);
        stageRecord["steps"] = state.step;
        stageRecord["samples"] = state.samples;
        stageRecord["wall_seconds"] = wall;
        stageRecord["hardware"] = hardwareText(device);
        stageRecord["threads"] = torch::get_num_threads();
        unit->finish(config, stageRecord);
        if (state.step > firstStep && loadedOptions.is_object()) { // resumed and trained on with other options
            json changed = json::object();
            for (const auto& [key, value] : ownOptions.items())
                if (loadedOptions.contains(key) && loadedOptions.at(key) != value)
                    changed[key] = {{"before", loadedOptions.at(key)}, {"after", value}};
            if (!changed.empty())
                stageRecord["changed_on_resume"] = changed;
        }
        if (!config.training.is_object())
            config.training = json::object();
        config.training["stages"].push_back(stageRecord);
        config.training["state"] = "trained: see stages";
        if (auto ok = io::saveModelPack(o.out, config, modules); !ok)
            return ok;
        return success();
    } catch (const DistributedError& e) {
        return makeError(ErrorCode::Io, std::string("data-parallel training stopped: ") + e.what() +
                                            "; the last checkpoint in " + o.runDir.string() + " resumes with --resume");
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("training failed: ") + e.what());
    }
}

std::uint64_t fingerprintOf(const std::vector<torch::Tensor>& tensors)
{
    std::uint64_t h = 1469598103934665603ull;
    for (const auto& t : tensors) {
        const auto bytes = t.detach().to(torch::kCPU).contiguous();
        const auto* p = static_cast<const unsigned char*>(bytes.data_ptr());
        for (std::size_t i = 0, n = bytes.nbytes(); i < n; ++i)
            h = (h ^ p[i]) * 1099511628211ull;
    }
    return h;
}

} // namespace kinora::train
