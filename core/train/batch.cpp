#include "train/batch.h"

#include "pipeline/pipeline.h"
#include "world/world.h"

#include <random>

namespace kinora::train {

Batch renderBatch(std::uint64_t firstSeed, const BatchOptions& options, std::mt19937_64& rng)
{
    Batch batch;
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    std::vector<torch::Tensor> clips;
    for (int i = 0; i < options.size; ++i) {
        const std::uint64_t seed = firstSeed + static_cast<std::uint64_t>(i);
        const auto scene = world::sampleScene(seed);
        const auto video = world::render(scene, options.frames);
        clips.push_back(pipeline::framesToTensor(video.frames));
        std::string caption;
        if (coin(rng) >= options.captionDrop)
            caption = coin(rng) < options.paraphraseRate ? world::paraphraseCaption(scene, rng())
                                                         : world::canonicalCaption(scene);
        batch.captions.push_back(std::move(caption));
        batch.seeds.push_back(seed);
    }
    batch.video = torch::stack(clips); // [B, 3, F, H, W]
    return batch;
}

torch::Tensor sampleConditioningMasks(int batch, int latentFrames, std::mt19937_64& rng)
{
    const int T = latentFrames;
    auto masks = torch::zeros({batch, 1, T, 1, 1});
    auto m = masks.accessor<float, 5>();
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    std::uniform_int_distribution<int> kDist(1, std::max(1, T - 1));
    for (int b = 0; b < batch && T > 1; ++b) {
        const double r = coin(rng);
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

} // namespace kinora::train
