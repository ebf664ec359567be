#include "commands.h"

#include "eval/evaluate.h"
#include "media/mp4_writer.h"
#include "media/video_reader.h"
#include "pipeline/clip_ops.h"
#include "pipeline/engine.h"
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

// Fills the sampling fields of a request and of its record from the arguments.
Result<void> applySampling(const SamplingArgs& s, const Engine& engine, GenerationRequest& request,
                           pipeline::RecordInfo& record)
{
    if (s.crf < 0 || s.crf > 51)
        return makeError(ErrorCode::InvalidArgument, "--crf must be between 0 and 51");
    pipeline::SamplingChoice choice;
    choice.seed = s.seed ? *s.seed : pipeline::randomSeed();
    choice.steps = s.steps;
    choice.guidance = s.guidance;
    choice.shift = s.shift;
    choice.sampler = s.sampler;
    return pipeline::applySampling(choice, engine.info(), request, record);
}

// Expands and safety-checks the prompt; fills caption fields of request and record.
Result<void> applyPrompt(const std::string& prompt, const std::string& negative, std::uint64_t seed,
                         GenerationRequest& request, pipeline::RecordInfo& record, bool allowEmpty)
{
    auto plan = planPrompt(prompt, seed, allowEmpty);
    if (!plan)
        return plan.error();
    request.caption = plan->caption;
    request.negativeCaption = prompt::negativeCaption(negative);
    record.negativeExpanded = request.negativeCaption;
    record.prompt = prompt;
    record.expandedPrompt = plan->caption;
    record.negativePrompt = negative;
    for (const auto& w : plan->unknownWords)
        std::fprintf(stderr, "kinora-cli: note: could not place the word '%s'\n", w.c_str());
    for (const auto& note : plan->details.value("notes", nlohmann::json::array()))
        std::fprintf(stderr, "kinora-cli: note: %s\n", note.get<std::string>().c_str());
    return success();
}

Result<Video> readInput(const std::string& file, const Engine& engine)
{
    media::DecodeOptions options;
    options.width = engine.info().frameSize;
    options.height = engine.info().frameSize;
    auto video = media::readVideo(file, options);
    if (!video)
        return video.error();
    if (video->frames.empty())
        return makeError(ErrorCode::Format, file + " has no video frames");
    return pipeline::resampleFps(video.value(), engine.info().fps);
}

nlohmann::json sourceEntry(const std::string& file)
{
    nlohmann::json entry{{"file", std::filesystem::path(file).filename().string()}};
    if (auto record = media::readMetadataJson(file)) {
        try {
            auto j = nlohmann::json::parse(record.value());
            entry["seed"] = j.value("seed", nlohmann::json());
            entry["prompt"] = j.value("prompt", "");
        } catch (const std::exception&) {
        }
    }
    return entry;
}

// Runs the request and writes the clip with its record. Nothing is written on failure.
int runAndWrite(Engine& engine, GenerationRequest request, pipeline::RecordInfo record, const std::string& out,
                int crf, const std::string& label)
{
    installCancelHandler();
    ProgressBar bar(label);
    request.observer = &bar;
    request.cancel = &cancelFlag();
    const auto t0 = std::chrono::steady_clock::now();
    auto video = engine.generate(request);
    if (!video)
        return failWith(video.error());
    record.frames = static_cast<int>(video->frames.size());
    record.fps = video->fps;
    media::EncodeOptions options;
    options.crf = crf;
    options.metadataJson = pipeline::recordText(pipeline::makeRecord(record));
    auto written = media::writeMp4(video.value(), out, options, &cancelFlag());
    if (!written)
        return failWith(written.error());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("wrote %s: %zu frames (%.2f s at %g fps), seed %llu, in %.1f s\n", out.c_str(), video->frames.size(),
                video->seconds(), video->fps, static_cast<unsigned long long>(record.seed), seconds);
    std::printf("the model saw: %s\n", record.expandedPrompt.c_str());
    return kOk;
}

} // namespace

namespace {

// What generate and extend check before any work: prompt, output, model, duration.
struct Prepared {
    std::unique_ptr<Engine> engine;
    int frames = 0;
};

Result<Prepared> prepare(const std::string& prompt, const std::string& negative, const std::string& out,
    const EngineArgs& engineArgs, double seconds)
{
    if (auto ok = checkPromptArgs(prompt, negative, false); !ok)
        return ok.error();
    if (auto ok = checkOutput(out); !ok)
        return ok.error();
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return engine.error();
    auto frames = pipeline::framesForSeconds(seconds, (*engine)->info().fps);
    if (!frames)
        return frames.error();
    return Prepared{std::move(engine.value()), frames.value()};
}

// Sampling settings and prompt into the request and record, then generate and write.
int finish(Engine& engine, GenerationRequest request, pipeline::RecordInfo record, const SamplingArgs& sampling,
           const std::string& prompt, bool allowEmptyPrompt, const std::string& out, const std::string& label)
{
    if (auto ok = applySampling(sampling, engine, request, record); !ok)
        return failWith(ok.error());
    if (auto ok = applyPrompt(prompt, sampling.negative, request.seed, request, record, allowEmptyPrompt); !ok)
        return failWith(ok.error());
    return runAndWrite(engine, std::move(request), std::move(record), out, sampling.crf, label);
}

} // namespace

int runGenerate(const GenerateArgs& args, const SamplingArgs& sampling, const EngineArgs& engineArgs)
{
    auto prepared = prepare(args.prompt, sampling.negative, args.out, engineArgs, args.seconds);
    if (!prepared)
        return failWith(prepared.error());
    GenerationRequest request;
    request.frames = prepared->frames;
    pipeline::RecordInfo record;
    record.operation = "generate";
    return finish(*prepared->engine, std::move(request), std::move(record), sampling, args.prompt, false, args.out,
                  "generate");
}

int runExtend(const ExtendArgs& args, const SamplingArgs& sampling, const EngineArgs& engineArgs)
{
    auto prepared = prepare(args.prompt, sampling.negative, args.out, engineArgs, args.seconds);
    if (!prepared)
        return failWith(prepared.error());
    auto source = readInput(args.in, *prepared->engine);
    if (!source)
        return failWith(source.error());
    auto request = pipeline::extendRequest(source.value(), prepared->frames, args.backward);
    pipeline::RecordInfo record;
    record.operation = args.backward ? "extend-backward" : "extend";
    record.sources.push_back(sourceEntry(args.in));
    return finish(*prepared->engine, std::move(request), std::move(record), sampling, args.prompt, false, args.out,
                  "extend");
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
    if (auto ok = checkPromptArgs(args.prompt, sampling.negative, true); !ok)
        return failWith(ok.error());
    if (auto ok = checkOutput(args.out); !ok)
        return failWith(ok.error());
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return failWith(engine.error());
    auto source = readInput(args.in, **engine);
    if (!source)
        return failWith(source.error());

    GenerationRequest request;
    pipeline::RecordInfo record;
    record.sources.push_back(sourceEntry(args.in));
    if (bridge) {
        auto frames = pipeline::framesForSeconds(args.seconds, (*engine)->info().fps);
        if (!frames)
            return failWith(frames.error());
        auto second = readInput(args.to, **engine);
        if (!second)
            return failWith(second.error());
        request = pipeline::bridgeRequest(source.value(), second.value(), frames.value());
        record.operation = "bridge";
        record.sources.push_back(sourceEntry(args.to));
    } else {
        auto filled = pipeline::fillRequest(source.value(), range.first, range.second);
        if (!filled)
            return failWith(filled.error());
        request = std::move(filled.value());
        record.operation = "fill";
    }
    // Unprompted, a fill keeps to what the source clip was made from.
    const std::string prompt =
        args.prompt.empty() ? record.sources.front().value("prompt", std::string()) : args.prompt;
    return finish(**engine, std::move(request), std::move(record), sampling, prompt, true, args.out, "fill");
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
    o.detailWeight = args.detailWeight;
    o.temporalWeight = args.temporalWeight;
    o.renderThreads = args.renderThreads;
    if (args.fp32 && args.precision == "bf16")
        return fail("--fp32 and --precision bf16 contradict each other", kUsage);
    o.precision = args.fp32 ? "fp32" : args.precision;
    o.latentReuse = args.latentReuse;
    installCancelHandler();
    auto ok = train::runTraining(
        o,
        [reported = false](const train::TrainProgress& p) mutable {
            if (!reported) {
                std::printf("training in %s\n", p.bf16 ? "bf16 mixed precision (fp32 master weights)" : "fp32");
                reported = true;
            }
            auto hms = [](double s) {
                char buf[32];
                const long t = static_cast<long>(s);
                std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
                return std::string(buf);
            };
            std::printf("step %lld/%lld  loss %.5f  lr %.2e  %.1f samples/s  elapsed %s  eta %s\n",
                        static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss, p.lr,
                        p.samplesPerSecond, hms(p.elapsedSeconds).c_str(), hms(p.etaSeconds).c_str());
            std::fflush(stdout);
        },
        &cancelFlag());
    if (!ok)
        return failWith(ok.error());
    std::printf("wrote the trained pack to %s\n", args.out.c_str());
    return kOk;
}

int runEval(const EvalArgs& args, const EngineArgs& engineArgs)
{
    auto engine = loadEngine(engineArgs);
    if (!engine)
        return failWith(engine.error());
    eval::EvalOptions options;
    options.scenes = args.scenes;
    options.extendScenes = std::min(args.extendScenes, args.scenes);
    options.reconstructionScenes = args.autoencoderOnly ? args.scenes : std::min(50, args.scenes);
    options.generate = !args.autoencoderOnly;
    options.captionUseScenes = args.captionUseScenes;
    options.steps = args.steps;
    options.guidance = args.guidance;
    const bool tty = isatty(STDERR_FILENO) == 1;
    auto report = eval::evaluate(**engine, options, [tty](const std::string& phase, int done, int total) {
        if (tty) {
            std::fprintf(stderr, "\r%s %d/%d   ", phase.c_str(), done, total);
            if (done == total)
                std::fputc('\n', stderr);
        }
    });
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
    auto source = readInput(in, *engine.value());
    if (!source)
        return failWith(source.error());
    // The autoencoder takes 1 + 4k frames: the first alone, then groups of four.
    auto clip = source.value();
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
