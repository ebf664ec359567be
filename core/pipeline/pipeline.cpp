#include "pipeline/pipeline.h"

#include "model/compat.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <thread>

namespace kinora::pipeline {

bool parseDevice(const std::string& name, DeviceChoice* out)
{
    if (name == "auto")
        *out = DeviceChoice::Auto;
    else if (name == "cpu")
        *out = DeviceChoice::Cpu;
    else if (name == "cuda")
        *out = DeviceChoice::Cuda;
    else
        return false;
    return true;
}

torch::Tensor framesToTensor(const std::vector<Frame>& frames)
{
    const auto F = static_cast<int64_t>(frames.size());
    const int64_t H = frames.front().height, W = frames.front().width;
    auto out = torch::empty({F, H, W, 3}, torch::kUInt8);
    for (int64_t i = 0; i < F; ++i)
        std::memcpy(out[i].data_ptr(), frames[i].rgb.data(), frames[i].rgb.size());
    return out.permute({3, 0, 1, 2}).to(torch::kFloat32).div(127.5).sub(1.0); // [3, F, H, W]
}

std::vector<Frame> tensorToFrames(const torch::Tensor& video)
{
    // video: [3, F, H, W] in [-1, 1]
    auto bytes = video.detach()
                     .to(torch::kCPU, torch::kFloat32)
                     .add(1.0)
                     .mul(127.5)
                     .round()
                     .clamp(0, 255)
                     .to(torch::kUInt8)
                     .permute({1, 2, 3, 0})
                     .contiguous(); // [F, H, W, 3]
    std::vector<Frame> frames;
    const int H = static_cast<int>(bytes.size(1)), W = static_cast<int>(bytes.size(2));
    for (int64_t i = 0; i < bytes.size(0); ++i) {
        Frame f(W, H);
        std::memcpy(f.rgb.data(), bytes[i].data_ptr(), f.rgb.size());
        frames.push_back(std::move(f));
    }
    return frames;
}

Pipeline::Pipeline(io::LoadedPack pack, torch::Device device, io::ModulePrecision precision, int threads)
    : m_pack(std::move(pack)), m_device(device), m_precision(precision), m_threads(threads),
      m_tokenizer(m_pack.config.vocabulary)
{
}

Result<std::shared_ptr<Pipeline>> Pipeline::load(const std::filesystem::path& dir, const EngineOptions& options)
{
    torch::Device device = torch::kCPU;
    const bool cuda = compat::cudaAvailable();
    if (options.device == DeviceChoice::Cuda && !cuda)
        return makeError(ErrorCode::Unsupported, "CUDA was requested but this LibTorch build has no usable CUDA device");
    if (options.device != DeviceChoice::Cpu && cuda)
        device = torch::Device(torch::kCUDA, 0);

    const int threads = torch::get_num_threads(); // the host's choice (Engine::setThreads)

    io::ModulePrecision precision;
    bool bf16 = false;
    if (options.precision == "bf16")
        bf16 = true;
    else if (options.precision == "auto")
        bf16 = device.is_cuda() || compat::cpuHasFastBf16();
    else if (options.precision != "fp32")
        return makeError(ErrorCode::InvalidArgument, "unknown precision '" + options.precision + "' (auto, fp32, bf16)");
    if (bf16) {
        // The transformer is matmul-bound and gains most; the autoencoder's convolutions
        // and the text encoder are cheap and stay in fp32 on the CPU for accuracy.
        precision.transformer = torch::kBFloat16;
        if (device.is_cuda()) {
            precision.textEncoder = torch::kBFloat16;
            precision.autoencoder = torch::kBFloat16;
        }
    }
    auto pack = io::loadModelPack(dir, device, precision);
    if (!pack)
        return pack.error();
    return std::shared_ptr<Pipeline>(new Pipeline(std::move(pack.value()), device, precision, threads));
}

std::string Pipeline::deviceName() const
{
    return m_device.is_cuda() ? "cuda" : "cpu";
}

std::vector<int64_t> Pipeline::latentShape(int frames) const
{
    const auto& c = m_pack.config;
    const int64_t side = c.frameSize / c.autoencoder.spatialFactor();
    return {1, c.autoencoder.latentChannels, c.autoencoder.latentForFrames(frames), side, side};
}

Pipeline::TextFeatures Pipeline::encodeText(const std::string& caption)
{
    auto enc = m_tokenizer.encode(caption, m_pack.config.textEncoder.maxTokens);
    auto [tokens, mask] = model::batchTokens({enc}, m_device);
    return {m_pack.modules.textEncoder->forward(tokens, mask), mask, enc.unknownWords};
}

torch::Tensor Pipeline::guidedVelocity(const torch::Tensor& x, const torch::Tensor& known, const torch::Tensor& mask,
                                       double t, const TextFeatures& cond, const TextFeatures& uncond, double guidance,
                                       const TextFeatures* contrast, double contrastGuidance)
{
    auto& dit = m_pack.modules.transformer;
    const bool steer = contrast && contrastGuidance != 0.0;
    if (guidance == 1.0 && !steer) {
        auto tt = torch::full({1}, t, torch::TensorOptions().device(m_device));
        return dit->forward(x, known, mask, tt, cond.features, cond.mask);
    }
    // The conditional, unconditional (and contrast) passes go through the network as one batch.
    std::vector<const TextFeatures*> texts { &cond, &uncond };
    if (steer)
        texts.push_back(contrast);
    int64_t L = 0;
    for (const auto* f : texts)
        L = std::max(L, f->features.size(1));
    std::vector<torch::Tensor> features, masks;
    for (const auto* f : texts) {
        features.push_back(torch::constant_pad_nd(f->features, {0, 0, 0, L - f->features.size(1)}));
        masks.push_back(torch::constant_pad_nd(f->mask, {0, L - f->mask.size(1)}, 0));
    }
    const auto n = static_cast<int64_t>(texts.size());
    auto repeat = [n](const torch::Tensor& a) { return torch::cat(std::vector<torch::Tensor>(n, a), 0); };
    auto tt = torch::full({n}, t, torch::TensorOptions().device(m_device));
    auto v = dit->forward(repeat(x), repeat(known), repeat(mask), tt, torch::cat(features, 0), torch::cat(masks, 0));
    auto parts = v.chunk(n, 0);
    auto guided = sampling::guide(parts[0], parts[1], guidance);
    if (steer)
        guided = guided + contrastGuidance * (parts[0] - parts[2]);
    return guided;
}

Result<Video> Pipeline::generate(const GenerationRequest& request)
{
    const auto& config = m_pack.config;
    const int total = request.frames;
    if (total < 1)
        return makeError(ErrorCode::InvalidArgument, "a clip needs at least one frame");
    if (!request.known.empty() && static_cast<int>(request.known.size()) != total)
        return makeError(ErrorCode::InvalidArgument, "known-frame mask does not match the frame count");
    if (!request.knownFrames.empty() && static_cast<int>(request.knownFrames.size()) != total)
        return makeError(ErrorCode::InvalidArgument, "known frames do not match the frame count");
    std::vector<bool> known = request.known.empty() ? std::vector<bool>(total, false) : request.known;
    std::vector<Frame> frames = request.knownFrames.empty() ? std::vector<Frame>(total) : request.knownFrames;
    for (int i = 0; i < total; ++i) {
        if (known[i] && (frames[i].width != config.frameSize || frames[i].height != config.frameSize))
            return makeError(ErrorCode::InvalidArgument, "known frame " + std::to_string(i) + " is not " +
                                                             std::to_string(config.frameSize) + " x " +
                                                             std::to_string(config.frameSize));
    }

    const int steps = request.steps > 0 ? request.steps : config.sampling.steps;
    const double guidance = request.guidance >= 0 ? request.guidance : config.sampling.guidance;
    const double shift = request.shift > 0 ? request.shift : config.sampling.shift;
    sampling::SamplerKind sampler = sampling::SamplerKind::Euler;
    if (request.sampler)
        sampler = *request.sampler;
    else
        sampling::parseSampler(config.sampling.sampler, &sampler);
    if (steps > 1000)
        return makeError(ErrorCode::InvalidArgument, "at most 1000 steps");

    auto cancelled = [&] { return request.cancel && request.cancel->load(std::memory_order_relaxed); };
    const auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

    try {
        c10::InferenceMode inference; // thread-local: the inference thread creates it itself
        auto cond = encodeText(request.caption);
        auto uncond = encodeText(request.negativeCaption);
        std::optional<TextFeatures> contrast;
        if (!request.contrastCaption.empty() && request.contrastGuidance != 0.0)
            contrast = encodeText(request.contrastCaption);

        // Counted up front for progress.
        const auto work = windowsToSample(known, config.windowFrames, config.overlapFrames,
                                          config.autoencoder.temporalGroup);
        const auto schedule = sampling::flowSchedule(steps, shift);
        // The first window, when nothing of it is known, is sampled twice if the pack anchors
        // the first frame (later windows start from the frames made before them).
        const bool anchorFirst = config.sampling.firstFrameAnchor && firstWindowFromNothing(work, known);
        Progress progress;
        progress.windows = static_cast<int>(work.size());
        progress.steps = progress.windows * steps + (anchorFirst ? steps : 0);
        int stepsBefore = 0; // of the windows already made
        const int side = config.frameSize;
        const int group = config.autoencoder.temporalGroup;
        auto& ae = m_pack.modules.autoencoder;

        for (size_t wi = 0; wi < work.size(); ++wi) {
            const auto& w = work[wi];
            progress.window = static_cast<int>(wi) + 1;
            const auto shape = latentShape(w.frames);
            const int64_t T = shape[2];

            // Pixels of the window (zeros where unknown) and which latent frames are known:
            // latent j covers pixel frames 4j-3 .. 4j (j = 0: frame 0 alone).
            std::vector<Frame> windowFrames;
            auto latentKnown = torch::zeros({T}, torch::kFloat32);
            bool anyKnown = false;
            for (int i = 0; i < w.frames; ++i) {
                const int f = w.start + i;
                const bool k = f >= 0 && f < total && known[f];
                windowFrames.push_back(k ? frames[f] : Frame(side, side));
            }
            for (int64_t j = 0; j < T; ++j) {
                const int first = j == 0 ? 0 : group * static_cast<int>(j) - (group - 1);
                const int last = group * static_cast<int>(j);
                bool all = true;
                for (int i = first; i <= last; ++i) {
                    const int f = w.start + i;
                    all = all && f >= 0 && f < total && known[f];
                }
                if (all) {
                    latentKnown[j] = 1.0f;
                    anyKnown = true;
                }
            }
            // [1, 1, T, h, w]: 1 on the known latent frames.
            auto maskOf = [&](const torch::Tensor& perFrame) {
                return perFrame.view({1, 1, T, 1, 1}).expand(shape).narrow(1, 0, 1).contiguous().to(m_device);
            };
            auto mask = maskOf(latentKnown);
            auto knownLatent = torch::zeros(shape, torch::TensorOptions().device(m_device));
            if (anyKnown) {
                auto pixels = framesToTensor(windowFrames).unsqueeze(0).to(m_device); // [1, 3, F, H, W]
                knownLatent = ae->encode(pixels) * mask;
            }

            // Noise comes from a CPU generator so a seed gives the same clip on any device.
            auto gen = at::make_generator<at::CPUGeneratorImpl>(request.seed + 1000003ull * wi);
            auto noise = sampling::frameCorrelatedNoise(shape, config.sampling.frameNoiseShare, gen).to(m_device);

            torch::Tensor lastX0; // the latest estimate of the clean latent, for previews
            auto velocity = [&](const torch::Tensor& x, double t) {
                // Known latents follow their exact noising path; the model also sees them clean.
                auto xin = mask * ((1.0 - t) * knownLatent + t * noise) + (1 - mask) * x;
                auto v = guidedVelocity(xin, knownLatent, mask, t, cond, uncond, guidance, contrast ? &*contrast : nullptr,
                                        request.contrastGuidance);
                if (request.observer && request.observer->wantsPreview())
                    lastX0 = xin - t * v;
                return v;
            };
            int passOffset = 0; // the anchored window's second pass counts on from its first
            auto onStep = [&](int step, int, const torch::Tensor&, double) {
                progress.step = stepsBefore + passOffset + step;
                progress.elapsedSeconds = elapsed();
                if (request.observer) {
                    request.observer->onProgress(progress);
                    if (request.observer->wantsPreview() && lastX0.defined()) {
                        auto preview = ae->decodePreview(lastX0, static_cast<int>(T / 2));
                        request.observer->onPreview(tensorToFrames(preview[0].unsqueeze(1))[0], progress);
                    }
                }
                return !cancelled();
            };
            if (cancelled())
                return makeError(ErrorCode::Cancelled, "generation cancelled");
            const bool twice = anchorFirst && wi == 0;
            auto result = sampling::sample(sampler, velocity, noise, schedule, onStep);
            if (result.cancelled)
                return makeError(ErrorCode::Cancelled, "generation cancelled");
            if (twice) {
                // Keep the first latent frame (the first picture) and make the rest again
                // from it, with fresh noise.
                latentKnown.zero_();
                latentKnown[0] = 1.0f;
                mask = maskOf(latentKnown);
                knownLatent = result.x * mask;
                auto again = at::make_generator<at::CPUGeneratorImpl>(request.seed + 1000003ull * wi + 500009ull);
                noise = sampling::frameCorrelatedNoise(shape, config.sampling.frameNoiseShare, again).to(m_device);
                passOffset = steps;
                result = sampling::sample(sampler, velocity, noise, schedule, onStep);
                if (result.cancelled)
                    return makeError(ErrorCode::Cancelled, "generation cancelled");
            }
            stepsBefore += twice ? 2 * steps : steps;

            auto latent = mask * knownLatent + (1 - mask) * result.x;
            auto decoded = tensorToFrames(ae->decode(latent)[0].clamp(-1, 1)); // F frames
            for (int i = 0; i < w.frames; ++i) {
                const int f = w.start + i;
                if (f >= 0 && f < total && !known[f]) {
                    frames[f] = std::move(decoded[i]);
                    known[f] = true; // later windows condition on it
                }
            }
            if (request.observer && request.observer->wantsFrames() && wi + 1 < work.size()) {
                const int ready = static_cast<int>(std::find(known.begin(), known.end(), false) - known.begin());
                if (ready > 0)
                    request.observer->onFramesReady(frames, ready, progress);
            }
        }
        if (request.observer) {
            progress.step = progress.steps;
            progress.elapsedSeconds = elapsed();
            request.observer->onProgress(progress);
        }
        Video video;
        video.fps = config.fps;
        video.frames = std::move(frames);
        return video;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, std::string("generation failed: ") + e.what());
    }
}

} // namespace kinora::pipeline
