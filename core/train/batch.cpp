#include "train/batch.h"

#include "pipeline/pipeline.h"
#include "world/world.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

namespace kinora::train {

namespace {

// 1 where the frame differs from the same scene rendered without its objects; 2 where,
// apart from those, the background itself has fine detail (a star or the horizon: a
// pixel far from its left or upper neighbour). Both are a few percent of the pixels, so
// an unweighted loss lets an autoencoder blur objects and drop the stars.
torch::Tensor objectMaskOf(const world::Scene& scene, const Video& video, int frames)
{
    auto empty = scene;
    empty.objects.clear();
    const auto background = world::render(empty, frames);
    const auto F = static_cast<int64_t>(video.frames.size());
    const int64_t H = video.frames.front().height, W = video.frames.front().width;
    auto mask = torch::zeros({1, F, H, W}, torch::kUInt8);
    auto m = mask.accessor<std::uint8_t, 4>();
    for (int64_t f = 0; f < F; ++f) {
        const auto& a = video.frames[f].rgb;
        const auto& b = background.frames[f].rgb;
        for (int64_t i = 0; i < H * W; ++i) {
            int diff = 0;
            for (int c = 0; c < 3; ++c)
                diff = std::max(diff, std::abs(int(a[3 * i + c]) - int(b[3 * i + c])));
            if (diff > 6)
                m[0][f][i / W][i % W] = 1;
        }
        for (int64_t y = 1; y < H; ++y)
            for (int64_t x = 1; x < W; ++x) {
                const auto* p = &b[3 * (y * W + x)];
                const auto* left = p - 3;
                const auto* up = p - 3 * W;
                int detail = 0;
                for (int c = 0; c < 3; ++c)
                    detail = std::max({ detail, std::abs(int(p[c]) - int(left[c])), std::abs(int(p[c]) - int(up[c])) });
                if (detail > 24 && m[0][f][y][x] == 0)
                    m[0][f][y][x] = 2;
            }
    }
    return mask;
}

} // namespace

torch::Tensor modelInput(const torch::Tensor& pixels, const torch::Device& device, torch::ScalarType dtype)
{
    return pixels.to(device).to(torch::kFloat32).div(127.5).sub(1.0).to(dtype);
}

std::string trainingCaption(const world::Scene& scene, double captionDrop, double paraphraseRate,
                            std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    if (coin(rng) < captionDrop)
        return {};
    return coin(rng) < paraphraseRate ? world::paraphraseCaption(scene, rng()) : world::canonicalCaption(scene);
}

world::Scene directionScene(std::uint64_t seed)
{
    world::Scene scene;
    scene.seed = seed;
    scene.background = world::Background::Black;
    world::ObjectSpec o;
    constexpr world::Motion kDirections[] = {world::Motion::Left, world::Motion::Right, world::Motion::Up,
                                             world::Motion::Down};
    o.motion = kDirections[(seed * 0x9E3779B97F4A7C15ull >> 33) % 4];
    scene.objects.push_back(o);
    return scene;
}

world::Scene trainingScene(std::uint64_t seed, const BatchOptions& options)
{
    if (options.directionsOnly)
        return directionScene(seed);
    if (options.directionsShare > 0) {
        // A draw of its own (splitmix64's finaliser), unrelated to the direction's.
        std::uint64_t z = seed + 0xD1B54A32D192ED03ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        if (static_cast<double>(z >> 11) * 0x1.0p-53 < options.directionsShare)
            return directionScene(seed);
    }
    return world::sampleScene(seed);
}

world::Scene mirroredScene(world::Scene scene)
{
    for (auto& o : scene.objects) {
        if (o.motion == world::Motion::Left)
            o.motion = world::Motion::Right;
        else if (o.motion == world::Motion::Right)
            o.motion = world::Motion::Left;
        if (o.placement == world::Placement::Left)
            o.placement = world::Placement::Right;
        else if (o.placement == world::Placement::Right)
            o.placement = world::Placement::Left;
    }
    return scene;
}

Batch renderBatch(std::uint64_t firstSeed, const BatchOptions& options, std::mt19937_64& rng)
{
    Batch batch;
    // Captions are drawn for every scene of the (global) batch, in order, so that `rng`
    // decides the same ones whichever share this process renders.
    const int first = std::clamp(options.shardFirst, 0, options.size);
    const int n = options.shardSize < 0 ? options.size - first : std::clamp(options.shardSize, 0, options.size - first);
    std::vector<world::Scene> scenes(n); // what is rendered
    std::vector<char> mirrored(n, 0);     // ... and then flipped left to right
    for (int j = 0; j < options.size; ++j) {
        const std::uint64_t seed = firstSeed + static_cast<std::uint64_t>(j);
        const bool mirror = options.mirrorPairs && j % 2 == 1;
        const world::Scene rendered = trainingScene(mirror ? seed - 1 : seed, options);
        const world::Scene scene = mirror ? mirroredScene(rendered) : rendered;
        world::Scene told = scene; // what the caption says
        if (!options.placementWords)
            for (auto& o : told.objects)
                o.placement = world::Placement::Center;
        // The contrast caption draws its word choices from a copy of `rng`, so it says the
        // same as the caption but for the directions, and the batch is the same with or
        // without it.
        std::mt19937_64 twin = rng;
        std::string caption = trainingCaption(told, options.captionDrop, options.paraphraseRate, rng);
        std::string contrast;
        if (options.contrastCaptions) {
            bool turned = false;
            const world::Scene reversed = world::reversedDirections(told, &turned);
            if (turned && !caption.empty())
                contrast = trainingCaption(reversed, options.captionDrop, options.paraphraseRate, twin);
            if (contrast == caption)
                contrast.clear();
        }
        if (j < first || j >= first + n)
            continue;
        if (options.contrastCaptions)
            batch.contrastCaptions.push_back(std::move(contrast));
        scenes[j - first] = rendered;
        mirrored[j - first] = mirror;
        batch.captions.push_back(std::move(caption));
        batch.seeds.push_back(seed);
    }
    // Rendering is independent per clip; only the caption choices above use `rng`, so the
    // batch is the same whatever the thread count.
    std::vector<torch::Tensor> clips(n), masks(n);
    auto work = [&](int first, int step) {
        for (int i = first; i < n; i += step) {
            const auto video = world::render(scenes[i], options.frames);
            const auto F = static_cast<int64_t>(video.frames.size());
            const int64_t H = video.frames.front().height, W = video.frames.front().width;
            auto bytes = torch::empty({F, H, W, 3}, torch::kUInt8);
            for (int64_t f = 0; f < F; ++f)
                std::memcpy(bytes[f].data_ptr(), video.frames[f].rgb.data(), video.frames[f].rgb.size());
            clips[i] = bytes.permute({3, 0, 1, 2}); // [3, F, H, W]
            if (options.objectMasks)
                masks[i] = objectMaskOf(scenes[i], video, options.frames);
            if (mirrored[i]) {
                clips[i] = clips[i].flip({-1});
                if (options.objectMasks)
                    masks[i] = masks[i].flip({-1});
            }
        }
    };
    const int threads = std::clamp(options.threads, 1, std::max(1, n));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work, t, threads);
    work(0, threads);
    for (auto& t : pool)
        t.join();
    batch.pixels = torch::stack(clips); // [B, 3, F, H, W]
    if (options.objectMasks)
        batch.objectMask = torch::stack(masks);
    return batch;
}

torch::Tensor sampleConditioningMasks(int batch, int latentFrames, std::mt19937_64& rng, double knownShare,
                                      double firstFrameShare)
{
    const int T = latentFrames;
    auto masks = torch::zeros({batch, 1, T, 1, 1});
    auto m = masks.accessor<float, 5>();
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    std::uniform_int_distribution<int> kDist(1, std::max(1, T - 1));
    for (int b = 0; b < batch && T > 1; ++b) {
        if (firstFrameShare > 0 && coin(rng) < firstFrameShare) {
            m[b][0][0][0][0] = 1; // the first picture known
            continue;
        }
        const double drawn = coin(rng);
        // The recipe's shares below are for knownShare 0.6: 40 % from nothing, then extend,
        // extend backwards, bridge and fill in proportion; another share rescales the draw.
        const double r = knownShare == kDefaultKnownShare
                             ? drawn
                             : (drawn < 1 - knownShare ? 0.0 : 0.4 + 0.6 * (drawn - (1 - knownShare)) / knownShare);
        if (r < 0.4) {
            continue; // generate from nothing
        } else if (r < 0.6) {
            for (int j = 0, k = kDist(rng); j < k; ++j)
                m[b][0][j][0][0] = 1; // extend forwards
        } else if (r < 0.75) {
            for (int j = 0, k = kDist(rng); j < k; ++j)
                m[b][0][T - 1 - j][0][0] = 1; // extend backwards
        } else if (r < 0.85) {
            if (T < 3)
                continue;
            std::uniform_int_distribution<int> a(1, T - 2);
            const int head = a(rng);
            std::uniform_int_distribution<int> c(1, T - 1 - head);
            const int tail = c(rng);
            for (int j = 0; j < head; ++j)
                m[b][0][j][0][0] = 1; // bridge
            for (int j = 0; j < tail; ++j)
                m[b][0][T - 1 - j][0][0] = 1;
        } else {
            int known = 0;
            for (int j = 0; j < T; ++j)
                if (coin(rng) < 0.5) {
                    m[b][0][j][0][0] = 1; // fill scattered frames
                    ++known;
                }
            if (known == T)
                m[b][0][std::uniform_int_distribution<int>(0, T - 1)(rng)][0][0] = 0;
        }
    }
    return masks;
}

torch::Tensor latentObjectCells(const torch::Tensor& objectMask, int spatialFactor, int temporalGroup)
{
    auto objects = (objectMask == 1).to(torch::kFloat32); // stars and the horizon (2) are not objects
    const auto F = objects.size(2);
    TORCH_CHECK((F - 1) % temporalGroup == 0, "object mask has ", F, " frames, not 1 + ", temporalGroup, "k");
    auto first = torch::max_pool3d(objects.narrow(2, 0, 1), {1, spatialFactor, spatialFactor});
    if (F == 1)
        return first;
    auto rest = torch::max_pool3d(objects.narrow(2, 1, F - 1), {temporalGroup, spatialFactor, spatialFactor});
    return torch::cat({first, rest}, 2);
}

torch::Tensor sampleNoiseLevels(int batch, double shift, const at::Generator& gen)
{
    auto u = torch::sigmoid(gen.defined() ? torch::randn({batch}, gen) : torch::randn({batch}));
    return shift * u / (1 + (shift - 1) * u); // shift 1: u itself
}

} // namespace kinora::train
