#include "pipeline/bench.h"

#include "model/cpu_matmul.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kinora::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

void sync(const torch::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Median seconds of `repeats` runs of fn after one warm-up run.
template <typename Fn>
double timeIt(int repeats, const torch::Device& device, Fn&& fn)
{
    fn();
    sync(device);
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = Clock::now();
        fn();
        sync(device);
        times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return median(times);
}

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }

} // namespace

double matmulGflops(torch::ScalarType type, int n, const torch::Device& device)
{
    c10::InferenceMode guard;
    auto a = torch::randn({n, n}, torch::TensorOptions().device(device)).to(type);
    auto b = torch::randn({n, n}, torch::TensorOptions().device(device)).to(type);
    const double flops = 2.0 * n * n * n;
    // Enough iterations for about a quarter of a second at the expected speed. The product
    // path the networks use (oneDNN for fp32 on the CPU where built with it).
    const double seconds = timeIt(1, device, [&] { model::matmul(a, b); });
    const int iters = std::max(3, static_cast<int>(0.25 / std::max(seconds, 1e-6)));
    const double best = timeIt(iters, device, [&] { model::matmul(a, b); });
    return flops / best / 1e9;
}

Result<nlohmann::json> runBench(Pipeline& pipeline, const BenchOptions& options)
{
    try {
        const auto device = pipeline.device();
        const auto& config = pipeline.config();
        nlohmann::json out;
        out["device"] = pipeline.deviceName();
        out["threads"] = pipeline.threads();
        out["model"] = config.name;
        out["transformer_dtype"] = c10::toString(pipeline.precision().transformer);

        const double fp32 = matmulGflops(torch::kFloat32, 2048, device);
        const double bf16 = matmulGflops(torch::kBFloat16, 2048, device);
        out["matmul_fp32_gflops"] = round3(fp32);
        out["matmul_bf16_gflops"] = round3(bf16);
        const double roofline =
            pipeline.precision().transformer == torch::kBFloat16 ? bf16 : fp32;

        c10::InferenceMode inference;
        const int frames = static_cast<int>(std::lround(options.seconds * config.fps));
        const int window = std::min(config.windowFrames, 1 + 4 * ((frames - 1 + 3) / 4));
        const double guidance = config.sampling.guidance;
        const int steps = config.sampling.steps;

        Pipeline::TextFeatures cond, uncond;
        const double textSeconds = timeIt(5, device, [&] {
            cond = pipeline.encodeText(options.caption);
            uncond = pipeline.encodeText("");
        });
        out["text_encode_ms"] = round3(textSeconds * 1000.0);

        const auto shape = pipeline.latentShape(window);
        auto x = torch::randn(shape).to(device);
        auto known = torch::zeros(shape).to(device);
        auto mask = torch::zeros({1, 1, shape[2], shape[3], shape[4]}).to(device);
        const double stepSeconds =
            timeIt(5, device, [&] { pipeline.guidedVelocity(x, known, mask, 0.5, cond, uncond, guidance); });
        const int batch = guidance == 1.0 ? 1 : 2;
        const double stepFlops = pipeline.modules().transformer->flops(
            batch, static_cast<int>(shape[2]), static_cast<int>(shape[3]), static_cast<int>(shape[4]),
            static_cast<int>(std::max(cond.features.size(1), uncond.features.size(1))));
        out["denoise_step_ms"] = round3(stepSeconds * 1000.0);
        out["denoise_step_gflops"] = round3(stepFlops / stepSeconds / 1e9);
        out["denoise_step_roofline_fraction"] = round3(stepFlops / stepSeconds / 1e9 / roofline);
        out["tokens_per_window"] = shape[2] * (shape[3] / config.transformer.patchSize) *
                                   (shape[4] / config.transformer.patchSize);

        auto& ae = pipeline.modules().autoencoder;
        const double decodeSeconds = timeIt(3, device, [&] { ae->decode(x); });
        out["decode_ms"] = round3(decodeSeconds * 1000.0);

        GenerationRequest request;
        request.caption = options.caption;
        request.frames = frames;
        request.seed = 1;
        std::vector<double> clipTimes;
        for (int i = 0; i < std::max(1, options.repeats); ++i) {
            const auto t0 = Clock::now();
            auto video = pipeline.generate(request);
            sync(device);
            if (!video)
                return video.error();
            clipTimes.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        }
        out["steps"] = steps;
        out["sampler"] = config.sampling.sampler;
        out["guidance"] = guidance;
        out["frames"] = frames;
        out["seconds"] = options.seconds;
        out["generate_clip_s"] = round3(median(clipTimes));
        out["generate_clip_runs_s"] = clipTimes;
        return out;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("benchmark failed: ") + e.what());
    }
}

} // namespace kinora::pipeline
