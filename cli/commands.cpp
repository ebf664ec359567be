#include "commands.h"

#include "eval/evaluate.h"
#include "media/frames_file.h"
#include "media/mp4_writer.h"
#include "media/poster.h"
#include "media/video_reader.h"
#include "pipeline/clip_ops.h"
#include "pipeline/engine.h"
#include "pipeline/operation.h"
#include "pipeline/storyboard.h"
#include "pipeline/storyboard_make.h"
#include "prompt/prompt.h"
#include "prompt_bridge.h"
#include "terminal.h"
#include "train/train_bench.h"
#include "train/trainer.h"
#include "util/model_locator.h"
#include "world/world.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <fstream>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace kinora::cli {

using pipeline::Engine;
using pipeline::GenerationRequest;

int fail(const std::string& message, int code)
{
    std::fprintf(stderr, "kinora-cli: error: %s\n", message.c_str());
    return code;
}

namespace {

int failWith(const Error& error)
{
    return fail(error.message, error.code == ErrorCode::Cancelled ? kCancelled : kError);
}

// Refuses an output path that cannot be written before any work is done.
Result<void> checkOutput(const std::string& out)
{
    if (out.empty())
        return makeError(ErrorCode::InvalidArgument, "no output file given (--out)");
    const std::filesystem::path path(out);
    // A device, FIFO or folder there would be replaced by the finished clip, not written to.
    if (auto ok = media::checkOutputPath(path); !ok)
        return ok;
    std::error_code ec;
    auto parent = path.parent_path();
    if (parent.empty())
        parent = ".";
    if (!std::filesystem::is_directory(parent, ec))
        return makeError(ErrorCode::Io, "cannot write " + out + ": folder " + parent.string() + " does not exist");
    if (::access(parent.c_str(), W_OK) != 0)
        return makeError(ErrorCode::Io, "cannot write " + out + ": folder " + parent.string() + " is not writable");
    return success();
}

// The output settings and files, checked before any work is done.
Result<void> checkOutputArgs(const OutputArgs& output, const std::string& out)
{
    if (output.crf < 0 || output.crf > 51)
        return makeError(ErrorCode::InvalidArgument, "--crf must be between 0 and 51");
    if (out.ends_with(media::kFramesSuffix) && (output.mark || !output.poster.empty()))
        return makeError(ErrorCode::InvalidArgument,
                         "a .kframes output holds frames only: --mark and --poster need an MP4 output");
    if (output.poster.empty())
        return checkOutput(out);
    if (std::filesystem::path(output.poster).lexically_normal() == std::filesystem::path(out).lexically_normal())
        return makeError(ErrorCode::InvalidArgument, "--poster names the same file as --out");
    if (auto ok = checkOutput(output.poster); !ok)
        return ok;
    return checkOutput(out);
}

Result<std::unique_ptr<Engine>> loadEngine(const EngineArgs& args)
{
    pipeline::EngineOptions options;
    if (!pipeline::parseDevice(args.device, &options.device))
        return makeError(ErrorCode::InvalidArgument, "unknown device '" + args.device + "' (auto, cpu, cuda)");
    Engine::setThreads(args.threads);
    options.precision = args.precision;
    std::filesystem::path dir = args.model;
    if (dir.empty()) {
        dir = findDefaultModel();
        if (dir.empty())
            return makeError(ErrorCode::NotFound, "no built-in model pack found (looked in " +
                                                      defaultModelSearchText() +
                                                      "); pass --model DIR or create one with init-model");
    }
    return Engine::load(dir, options);
}

// The sampling settings asked for (a new seed when none was given).
Result<pipeline::SamplingChoice> samplingChoice(const SamplingArgs& s)
{
    pipeline::SamplingChoice choice;
    choice.seed = s.seed ? *s.seed : pipeline::randomSeed();
    choice.steps = s.steps;
    choice.guidance = s.guidance;
    choice.shift = s.shift;
    choice.sampler = s.sampler;
    choice.draft = s.draft;
    return choice;
}

// A source clip: decoded at the pack's size and rate (a studio take, a .kframes file, is
// read as it is, losslessly), with what its own record says. `recorded`: the entry a redo's
// record gives for this source; its frame range applies, and it stands in for the
// source's own record where the file carries none.
Result<pipeline::OperationSource> readSource(const std::string& file, const Engine& engine,
                                            const nlohmann::json& recorded = nlohmann::json())
{
    const bool frames = media::isFramesFile(file);
    Result<Video> video = makeError(ErrorCode::Internal, "");
    if (frames) {
        video = media::readFramesFile(file);
    } else {
        media::DecodeOptions options;
        options.width = engine.info().frameSize;
        options.height = engine.info().frameSize;
        video = media::readVideo(file, options);
    }
    if (!video)
        return video.error();
    auto part = pipeline::sourceRangeOf(std::move(video.value()), recorded, file);
    if (!part)
        return part.error();
    auto fitted = pipeline::fitToModel(std::move(part.value()), engine.info());
    if (!fitted)
        return makeError(fitted.error().code, file + ": " + fitted.error().message);
    const auto name = std::filesystem::path(file).filename().string();
    nlohmann::json record;
    if (!frames)
        if (auto text = media::readMetadataJson(file))
            record = nlohmann::json::parse(text.value(), nullptr, false);
    nlohmann::json entry;
    if (!record.is_object() && recorded.is_object()) {
        entry = recorded;
        entry["file"] = name;
    } else {
        entry = pipeline::sourceEntry(name, record);
        for (const char* key : {"first_frame", "frame_count"})
            if (recorded.is_object() && recorded.contains(key))
                entry[key] = recorded[key];
    }
    return pipeline::OperationSource{std::move(fitted.value()), std::move(entry)};
}

// Runs a planned operation on the engine with a progress bar; the clip and its record.
Result<pipeline::OperationResult> runPlan(Engine& engine, const pipeline::OperationPlan& plan, const std::string& label)
{
    for (const auto& w : plan.unknownWords)
        std::fprintf(stderr, "kinora-cli: note: could not place the word '%s'\n", w.c_str());
    for (const auto& note : plan.notes)
        std::fprintf(stderr, "kinora-cli: note: %s\n", note.c_str());
    installCancelHandler();
    ProgressBar bar(label);
    auto request = plan.request;
    request.observer = &bar;
    request.cancel = &cancelFlag();
    auto video = engine.generate(request);
    if (!video)
        return video.error();
    return pipeline::finishOperation(plan, video.value(), engine.info().fps);
}

// Frames in a clip a plan makes: the copied head and tail and the new frames.
int plannedFrames(const pipeline::OperationPlan& plan)
{
    return int(plan.head.frames.size()) + plan.keepCount + int(plan.tail.frames.size());
}

Result<void> checkPosterFrame(const OutputArgs& output, int frames)
{
    if (!output.poster.empty() && output.posterFrame >= frames)
        return makeError(ErrorCode::InvalidArgument, "--poster-frame " + std::to_string(output.posterFrame) +
                                                         " is past the clip's last frame (" +
                                                         std::to_string(frames - 1) + ")");
    return success();
}

// Writes the clip with its record (and the mark and poster asked for); nothing on failure.
int writeOutputs(const Video& clip, nlohmann::json record, const std::string& out, const OutputArgs& output)
{
    // A frames file: the frames alone, losslessly (to compare a redo frame for frame, or to
    // hand to the studio); it has no room for the record, a mark or a poster.
    if (out.ends_with(media::kFramesSuffix)) {
        if (auto ok = media::writeFramesFile(out, clip); !ok)
            return failWith(ok.error());
        std::fprintf(stderr, "kinora-cli: note: %s holds the frames only, without the generation record\n", out.c_str());
        return kOk;
    }
    if (output.mark)
        record["visible_mark"] = true;
    media::EncodeOptions options;
    options.crf = output.crf;
    options.mark = output.mark;
    options.metadataJson = pipeline::recordText(record);
    auto written = media::writeMp4(clip, out, options, &cancelFlag());
    if (!written)
        return failWith(written.error());
    if (!output.poster.empty()) {
        const auto& frames = clip.frames;
        const size_t index = output.posterFrame >= 0 ? size_t(output.posterFrame) : frames.size() / 2;
        media::PosterOptions poster;
        poster.recordJson = options.metadataJson;
        poster.mark = output.mark;
        if (auto ok = media::writePoster(frames[std::min(index, frames.size() - 1)], output.poster, poster); !ok)
            return fail("wrote " + out + ", but not the poster: " + ok.error().message);
    }
    return kOk;
}

// Plans the operation with the recipe the studio uses too, runs it and writes the clip
// with its record. Nothing is written on failure.
int runOperation(Engine& engine, const pipeline::Operation& operation, const std::string& out, const OutputArgs& output)
{
    auto plan = pipeline::planOperation(operation, engine.info());
    if (!plan)
        return failWith(plan.error());
    if (auto ok = checkPosterFrame(output, plannedFrames(plan.value())); !ok)
        return fail(ok.error().message, kUsage);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string label = pipeline::operationName(operation.kind);
    auto result = runPlan(engine, plan.value(), label.substr(0, label.find('-')));
    if (!result)
        return failWith(result.error());
    if (const int code = writeOutputs(result->clip, result->record, out, output); code != kOk)
        return code;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("wrote %s: %zu frames (%.2f s at %g fps), seed %llu, in %.1f s\n", out.c_str(),
                result->clip.frames.size(), result->clip.seconds(), result->clip.fps,
                static_cast<unsigned long long>(plan->record.seed), seconds);
    std::printf("the model saw: %s\n", plan->record.expandedPrompt.c_str());
    return kOk;
}

// What every operation checks before any work: prompt, output, sampling settings, model,
// duration; the operation's prompt, sampling choice and frames to make filled in.
struct Prepared {
    std::unique_ptr<Engine> engine;
    pipeline::Operation op;
};

Result<Prepared> prepare(const std::string& prompt, const SamplingArgs& sampling, bool allowEmptyPrompt,
                         const std::string& out, const EngineArgs& engineArgs, std::optional<double> seconds)
{
    if (auto ok = checkPromptArgs(prompt, sampling.negative, allowEmptyPrompt); !ok)
        return ok.error();
    if (auto ok = checkOutputArgs(sampling.output, out); !ok)
        return ok.error();
    auto choice = samplingChoice(sampling);
    if (!choice)
        return choice.error();
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return engine.error();
    Prepared p{std::move(engine.value()), {}};
    p.op.prompt = prompt;
    p.op.negative = sampling.negative;
    p.op.sampling = choice.value();
    if (seconds) {
        auto frames = pipeline::framesForSeconds(*seconds, p.engine->info().fps);
        if (!frames)
            return frames.error();
        p.op.newFrames = frames.value();
    }
    return p;
}

} // namespace

int runGenerate(const GenerateArgs& args, const SamplingArgs& sampling, const EngineArgs& engineArgs)
{
    auto p = prepare(args.prompt, sampling, false, args.out, engineArgs, args.seconds);
    if (!p)
        return failWith(p.error());
    p->op.kind = pipeline::OperationKind::Generate;
    return runOperation(*p->engine, p->op, args.out, sampling.output);
}

int runExtend(const ExtendArgs& args, const SamplingArgs& sampling, const EngineArgs& engineArgs)
{
    // Unprompted, an extension keeps to the prompt recorded in the source clip.
    auto p = prepare(args.prompt, sampling, true, args.out, engineArgs, args.seconds);
    if (!p)
        return failWith(p.error());
    auto source = readSource(args.in, *p->engine);
    if (!source)
        return failWith(source.error());
    p->op.kind = args.backward ? pipeline::OperationKind::ExtendBackward : pipeline::OperationKind::Extend;
    p->op.sources.push_back(std::move(source.value()));
    return runOperation(*p->engine, p->op, args.out, sampling.output);
}

int runFill(const FillArgs& args, const SamplingArgs& sampling, const EngineArgs& engineArgs)
{
    const bool bridge = !args.to.empty();
    if (bridge == !args.frames.empty())
        return fail("fill needs either --to B.mp4 (bridge two clips) or --frames A-B (regenerate frames)", kUsage);
    std::pair<int, int> range{0, 0};
    if (!bridge) {
        auto parsed = pipeline::parseFrameRange(args.frames);
        if (!parsed)
            return failWith(parsed.error());
        range = parsed.value();
    }
    // Unprompted, a fill keeps to what the source clip was made from.
    auto p = prepare(args.prompt, sampling, true, args.out, engineArgs,
                     bridge ? std::optional<double>(args.seconds) : std::nullopt);
    if (!p)
        return failWith(p.error());
    for (const auto* file : {&args.in, &args.to}) {
        if (file->empty())
            continue;
        auto source = readSource(*file, *p->engine);
        if (!source)
            return failWith(source.error());
        p->op.sources.push_back(std::move(source.value()));
    }
    if (bridge) {
        p->op.kind = pipeline::OperationKind::Bridge;
        p->op.keepSources = true; // A + bridge + B
    } else {
        p->op.kind = pipeline::OperationKind::Fill;
        p->op.fillFirst = range.first;
        p->op.fillLast = range.second;
    }
    return runOperation(*p->engine, p->op, args.out, sampling.output);
}

int runStoryboard(const StoryboardArgs& args, const SamplingArgs& sampling, const EngineArgs& engineArgs)
{
    constexpr std::uintmax_t kMaxBoardBytes = 1u << 20;
    std::error_code ec;
    const auto size = std::filesystem::file_size(args.in, ec);
    if (ec)
        return fail("cannot read " + args.in + ": " + ec.message());
    if (size > kMaxBoardBytes)
        return fail(args.in + " is " + std::to_string(size >> 10) + " KiB; a storyboard is at most 1024 KiB");
    std::ifstream file(args.in, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file && !file.eof())
        return fail("cannot read " + args.in);
    auto parsed = pipeline::parseStoryboard(text);
    if (!parsed)
        return fail(args.in + ": " + parsed.error().message, kUsage);
    auto board = std::move(parsed.value());
    if (auto ok = checkPromptArgs("", sampling.negative, true); !ok) // the negative prompt
        return failWith(ok.error());
    if (auto ok = checkOutputArgs(sampling.output, args.out); !ok)
        return failWith(ok.error());
    auto choice = samplingChoice(sampling);
    if (!choice)
        return failWith(choice.error());
    // The board's seed, else --seed, else a new one; shot i takes seed + i.
    const std::uint64_t seed = board.seed ? *board.seed : choice->seed;
    board.seed = seed;
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return failWith(engine.error());
    const auto& info = (*engine)->info();
    auto shotFrames = pipeline::shotFrameCounts(board, info.fps);
    if (!shotFrames)
        return fail(args.in + ": " + shotFrames.error().message, kUsage);
    int total = 0;
    for (int n : shotFrames.value())
        total += n;
    if (auto ok = checkPosterFrame(sampling.output, total); !ok)
        return fail(ok.error().message, kUsage);

    const auto t0 = std::chrono::steady_clock::now();
    installCancelHandler();
    std::optional<ProgressBar> bar;
    pipeline::StoryboardRun run;
    run.sampling = choice.value();
    run.negative = sampling.negative;
    run.cancel = &cancelFlag();
    const auto shots = board.shots.size();
    run.observe = [&](int shot, const pipeline::OperationPlan& plan) -> pipeline::GenerationObserver* {
        for (const auto& w : plan.unknownWords)
            std::fprintf(stderr, "kinora-cli: note: could not place the word '%s'\n", w.c_str());
        for (const auto& note : plan.notes)
            std::fprintf(stderr, "kinora-cli: note: %s\n", note.c_str());
        bar.reset();
        bar.emplace("shot " + std::to_string(shot + 1) + "/" + std::to_string(shots));
        return &*bar;
    };
    auto made = pipeline::makeStoryboard(**engine, std::move(board), run);
    bar.reset();
    if (!made)
        return made.error().code == ErrorCode::InvalidArgument ? fail(args.in + ": " + made.error().message)
                                                                : failWith(made.error());
    const Video& film = made->film;
    const nlohmann::json& record = made->record;
    if (const int code = writeOutputs(film, record, args.out, sampling.output); code != kOk)
        return code;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("wrote %s: %zu shots, %zu frames (%.2f s at %g fps), seed %llu, in %.1f s\n", args.out.c_str(),
                shots, film.frames.size(), film.seconds(), film.fps,
                static_cast<unsigned long long>(record["seed"].get<std::uint64_t>()), seconds);
    return kOk;
}

int runRedo(const RedoArgs& args, const EngineArgs& engineArgs)
{
    // The record: embedded in an MP4 or poster, or a JSON file of its own (a studio take's
    // record as the takes panel copies it, or `kinora-cli info` prints it).
    Result<std::string> text = makeError(ErrorCode::Internal, "");
    if (args.from.ends_with(".json")) {
        std::ifstream in(args.from, std::ios::binary);
        if (!in)
            return fail("cannot read " + args.from);
        text = std::string(std::istreambuf_iterator<char>(in), {});
    } else {
        text = media::readMetadataJson(args.from);
    }
    if (!text)
        return failWith(text.error());
    const auto record = nlohmann::json::parse(text.value(), nullptr, false);
    if (!record.is_object())
        return fail(args.from + " carries a generation record that is not valid JSON");
    auto op = pipeline::operationFromRecord(record);
    if (!op)
        return fail(args.from + ": " + op.error().message);
    if (auto ok = checkOutputArgs(args.output, args.out); !ok)
        return failWith(ok.error());
    // Sources: as named, or found beside the clip by the names its record gives.
    const int needed = pipeline::operationSources(op->kind);
    std::vector<std::string> files = args.sources;
    if (files.empty()) {
        const auto sources = record.value("sources", nlohmann::json::array());
        for (int i = 0; i < needed && i < int(sources.size()); ++i)
            if (sources[i].is_object() && sources[i].contains("file") && sources[i]["file"].is_string())
                files.push_back((std::filesystem::path(args.from).parent_path() / sources[i]["file"].get<std::string>()).string());
    }
    if (int(files.size()) != needed)
        return fail("the record's " + std::string(pipeline::operationName(op->kind)) + " needs " +
                        std::to_string(needed) + " source clip(s); name them with --source",
                    kUsage);
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return failWith(engine.error());
    const auto& info = (*engine)->info();
    const auto model = record.value("model", nlohmann::json::object());
    if (model.is_object() && model.value("hash", std::string()) != info.weightHash)
        std::fprintf(stderr, "kinora-cli: note: %s was made with model '%s', this is '%s': the frames will differ\n",
                     args.from.c_str(), model.value("name", std::string("?")).c_str(), info.name.c_str());
    const auto recorded = record.value("sources", nlohmann::json::array());
    for (size_t i = 0; i < files.size(); ++i) {
        const auto& file = files[i];
        auto source = readSource(file, **engine, recorded.is_array() && i < recorded.size() ? recorded[i] : nlohmann::json());
        if (!source)
            return failWith(source.error());
        op->sources.push_back(std::move(source.value()));
    }
    return runOperation(**engine, op.value(), args.out, args.output);
}

int runExpand(const std::string& prompt, std::uint64_t seed, bool json)
{
    if (auto ok = checkPromptArgs(prompt, {}, false); !ok)
        return failWith(ok.error());
    auto plan = planPrompt(prompt, seed, false);
    if (!plan)
        return failWith(plan.error());
    if (json) {
        std::printf("%s\n", plan->details.dump(2).c_str());
    } else {
        std::printf("%s\n", plan->caption.c_str());
        for (const auto& w : plan->unknownWords)
            std::fprintf(stderr, "kinora-cli: note: could not place the word '%s'\n", w.c_str());
    }
    return kOk;
}

int runInfo(const std::string& file)
{
    auto record = media::readMetadataJson(file);
    if (!record)
        return failWith(record.error());
    try {
        std::printf("%s\n", nlohmann::json::parse(record.value()).dump(2).c_str());
    } catch (const std::exception&) {
        return fail(file + " carries a generation record that is not valid JSON");
    }
    return kOk;
}

int runInitModel(const std::string& config, const std::string& out, std::uint64_t seed, bool perturbZeros,
    const std::string& initFrom)
{
    int copied = 0;
    auto ok = Engine::initModel(config, out, seed, perturbZeros, initFrom, &copied);
    if (!ok)
        return failWith(ok.error());
    std::printf("wrote a randomly initialised '%s' model pack to %s\n", config.c_str(), out.c_str());
    if (!initFrom.empty())
        std::printf("copied %d text encoder and transformer tensors from %s\n", copied, initFrom.c_str());
    return kOk;
}

namespace {

void printReport(const nlohmann::json& report, bool json)
{
    if (json) {
        std::printf("%s\n", report.dump().c_str());
        return;
    }
    for (const auto& [key, value] : report.items())
        std::printf("%-40s %s\n", key.c_str(), value.dump().c_str());
}

} // namespace

int runBench(const EngineArgs& engineArgs, int repeats, double seconds, bool json)
{
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return failWith(engine.error());
    auto result = (*engine)->benchJson({repeats, seconds});
    if (!result)
        return failWith(result.error());
    // Named: the range of items() only refers to the object, which a temporary would not
    // keep alive through the loop (that hung `bench` in a freed tree).
    const auto report = nlohmann::json::parse(result.value());
    printReport(report, json);
    return kOk;
}

int runBenchTrain(const EngineArgs& engineArgs, int steps, bool json)
{
    if (engineArgs.device == "cuda")
        return fail("bench --train runs on the CPU here; time a GPU with train's own progress", kUsage);
    train::TrainBenchOptions options;
    options.model = engineArgs.model.empty() ? findDefaultModel() : std::filesystem::path(engineArgs.model);
    if (options.model.empty())
        return failWith(makeError(ErrorCode::NotFound, "no built-in model pack found (looked in " +
                                                           defaultModelSearchText() + "); pass --model DIR"));
    options.steps = steps;
    options.precision = engineArgs.precision;
    Engine::setThreads(engineArgs.threads);
    installCancelHandler();
    auto result = train::benchTraining(options, &cancelFlag());
    if (!result)
        return failWith(result.error());
    const auto report = result.value();
    printReport(report, json);
    return kOk;
}

int runTrain(const TrainArgs& args)
{
    train::TrainOptions o;
    if (!train::parseStage(args.stage, &o.stage))
        return fail("unknown stage '" + args.stage + "' (autoencoder, text, diffusion)", kUsage);
    o.model = args.model;
    o.runDir = args.run;
    o.out = args.out;
    o.steps = args.steps;
    o.batch = args.batch;
    o.lr = args.lr;
    o.warmup = args.warmup;
    o.checkpointMinutes = args.checkpointMinutes;
    o.maxMinutes = args.maxMinutes;
    o.resume = args.resume;
    o.seed = args.seed;
    Engine::setThreads(args.threads);
    o.aeCrop = args.aeCrop;
    o.device = args.device;
    o.objectWeight = args.objectWeight;
    o.latentObjectWeight = args.latentObjectWeight;
    o.decoderOnly = args.decoderOnly;
    o.freezeTextEncoder = args.freezeTextEncoder;
    o.textEncoderLrScale = args.textEncoderLrScale;
    o.noiseShift = args.noiseShift;
    o.frameNoiseShare = args.frameNoiseShare;
    o.knownShare = args.knownShare;
    o.firstFrameShare = args.firstFrameShare;
    o.directionsOnly = args.directionsOnly;
    o.directionsShare = args.directionsShare;
    o.mirrorPairs = args.mirrorPairs;
    o.captionContrast = args.captionContrast;
    o.captionContrastMargin = args.captionContrastMargin;
    o.captionContrastMinNoise = args.captionContrastMinNoise;
    o.noPlacementWords = args.noPlacementWords;
    o.latentCache = args.latentCache;
    o.detailWeight = args.detailWeight;
    o.temporalWeight = args.temporalWeight;
    o.renderThreads = args.renderThreads;
    if (args.fp32 && args.precision == "bf16")
        return fail("--fp32 and --precision bf16 contradict each other", kUsage);
    o.precision = args.fp32 ? "fp32" : args.precision;
    o.latentReuse = args.latentReuse;
    // Data-parallel: torchrun's environment, then the options.
    auto dist = train::distributedFromEnvironment({});
    if (!dist)
        return failWith(dist.error());
    o.distributed = dist.value();
    if (args.worldSize > 0)
        o.distributed.worldSize = args.worldSize;
    if (args.rank >= 0)
        o.distributed.rank = args.rank;
    if (!args.masterAddr.empty())
        o.distributed.masterAddr = args.masterAddr;
    if (args.masterPort > 0)
        o.distributed.masterPort = args.masterPort;
    o.distributed.timeoutSeconds = args.distTimeout;
    if (o.distributed.rank >= o.distributed.worldSize)
        return fail("rank " + std::to_string(o.distributed.rank) + " is not below the world size " +
                        std::to_string(o.distributed.worldSize), kUsage);
    const bool lead = o.distributed.rank == 0;
    installCancelHandler();
    auto ok = train::runTraining(
        o,
        [reported = false, lead, batch = args.batch](const train::TrainProgress& p) mutable {
            if (p.fingerprint != 0) { // after the last step, from every rank
                std::printf("rank %d: weights fingerprint %016llx\n", p.rank,
                            static_cast<unsigned long long>(p.fingerprint));
                std::fflush(stdout);
                return;
            }
            if (!lead) // rank 0 reports for every rank
                return;
            if (!reported) {
                std::printf("training in %s\n", p.bf16 ? "bf16 mixed precision (fp32 master weights)" : "fp32");
                if (p.ranks > 1)
                    std::printf("data-parallel: %d ranks x batch %d = %d clips per step (the learning-rate "
                                "schedule counts these steps)\n",
                                p.ranks, batch, p.ranks * batch);
                reported = true;
            }
            auto hms = [](double s) {
                char buf[32];
                const long t = static_cast<long>(s);
                std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
                return std::string(buf);
            };
            std::printf("step %lld/%lld  loss %.5f  lr %.2e  %.1f samples/s  elapsed %s  eta %s",
                        static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss, p.lr,
                        p.samplesPerSecond, hms(p.elapsedSeconds).c_str(), hms(p.etaSeconds).c_str());
            if (p.ranks > 1)
                std::printf("  all-reduce %.1f ms/step", p.allReduceSecondsPerStep * 1000);
            std::printf("\n");
            std::fflush(stdout);
        },
        &cancelFlag());
    if (!ok)
        return failWith(ok.error());
    if (lead)
        std::printf("wrote the trained pack to %s\n", args.out.c_str());
    else
        std::printf("rank %d done (rank 0 writes the pack)\n", o.distributed.rank);
    return kOk;
}

int runEval(const EvalArgs& args, const EngineArgs& engineArgs)
{
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return failWith(engine.error());
    const bool tty = isatty(STDERR_FILENO) == 1;
    auto progress = [tty](const std::string& phase, int done, int total) {
        if (tty) {
            std::fprintf(stderr, "\r%s %d/%d   ", phase.c_str(), done, total);
            if (done == total)
                std::fputc('\n', stderr);
        }
    };
    Result<nlohmann::json> report = makeError(ErrorCode::Internal, "");
    if (args.longClips) {
        eval::LongEvalOptions options;
        options.clips = args.longClipCount;
        options.seconds = args.longSeconds;
        options.storyboards = args.storyboards;
        options.steps = args.steps;
        options.guidance = args.guidance;
        installCancelHandler();
        options.cancel = &cancelFlag();
        report = eval::evaluateLong(**engine, options, progress);
    } else {
        eval::EvalOptions options;
        options.scenes = args.scenes;
        options.extendScenes = std::min(args.extendScenes, args.scenes);
        options.reconstructionScenes = args.autoencoderOnly ? args.scenes : std::min(50, args.scenes);
        options.generate = !args.autoencoderOnly;
        options.captionUseScenes = args.captionUseScenes;
        options.directionGuidance = args.directionGuidance;
        options.steps = args.steps;
        options.guidance = args.guidance;
        report = eval::evaluate(**engine, options, progress);
    }
    if (!report)
        return failWith(report.error());
    const std::string text = report->dump(2);
    std::printf("%s\n", text.c_str());
    if (!args.out.empty()) {
        std::FILE* f = std::fopen(args.out.c_str(), "w");
        if (!f || std::fputs((text + "\n").c_str(), f) < 0 || std::fclose(f) != 0)
            return fail("cannot write " + args.out);
    }
    return kOk;
}

int runReconstruct(const std::string& in, const std::string& out, const EngineArgs& engineArgs, int crf)
{
    if (auto ok = checkOutput(out); !ok)
        return failWith(ok.error());
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return failWith(engine.error());
    auto source = readSource(in, *engine.value());
    if (!source)
        return failWith(source.error());
    // The autoencoder takes 1 + 4k frames: the first alone, then groups of four.
    auto clip = source->video;
    const size_t usable = 1 + (clip.frames.size() - 1) / 4 * 4;
    clip.frames.resize(usable);
    auto rec = engine.value()->reconstruct(clip);
    if (!rec)
        return failWith(rec.error());
    double sum = 0;
    nlohmann::json perFrame = nlohmann::json::array();
    for (size_t i = 0; i < usable; ++i) {
        const double p = std::min(99.0, media::psnr(clip.frames[i], rec->frames[i]));
        perFrame.push_back(std::round(p * 10) / 10);
        sum += p;
    }
    nlohmann::json record{{"kinora_version", KINORA_VERSION},
                          {"ai_generated", true},
                          {"operation", "reconstruct"},
                          {"source", in},
                          {"model", engine.value()->info().name},
                          {"psnr_db_mean", sum / usable},
                          {"psnr_db_per_frame", perFrame}};
    media::EncodeOptions options;
    options.crf = crf;
    options.metadataJson = pipeline::recordText(record); // the source's name may not be UTF-8
    if (auto ok = media::writeMp4(rec.value(), out, options); !ok)
        return failWith(ok.error());
    std::printf("%s\n", options.metadataJson.c_str());
    return kOk;
}

int runWorld(std::uint64_t seed, const std::string& out, double seconds)
{
    if (auto ok = checkOutput(out); !ok)
        return failWith(ok.error());
    auto frames = pipeline::framesForSeconds(seconds, world::kFps);
    if (!frames)
        return failWith(frames.error());
    const auto scene = world::sampleScene(seed);
    auto video = world::render(scene, frames.value());
    nlohmann::json record{{"kinora_version", KINORA_VERSION},
                          {"ai_generated", false},
                          {"operation", "world"},
                          {"world_version", world::kWorldVersion},
                          {"seed", seed},
                          {"caption", world::canonicalCaption(scene)}};
    media::EncodeOptions options;
    options.metadataJson = record.dump();
    if (auto ok = media::writeMp4(video, out, options); !ok)
        return failWith(ok.error());
    std::printf("%s\n", world::canonicalCaption(scene).c_str());
    return kOk;
}

} // namespace kinora::cli
