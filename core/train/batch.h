#pragma once

// Training batches rendered on the fly from the shapes world.

#include "model/text_encoder.h"
#include "world/world.h"

#include <torch/torch.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace kinora::train {

using world::kHeldOutSeedBase;

struct Batch {
    // Kept as bytes until they reach the device: as floats, a batch of 256 clips is 855 MB,
    // and copying that to a GPU bounded the first GPU run.
    torch::Tensor pixels;              // [B, 3, F, H, W] uint8
    torch::Tensor objectMask;          // [B, 1, F, H, W] uint8 (when asked for): 1 where an object covers
                                       // the pixel, 2 on fine background detail (stars, the horizon), else 0
    std::vector<std::string> captions; // "" where dropped (the unconditional input)
    // With BatchOptions::contrastCaptions: each clip's caption with its directions turned
    // round (left and right, up and down swapped), the same words otherwise; "" where the
    // caption says no direction (or was dropped).
    std::vector<std::string> contrastCaptions;
    std::vector<std::uint64_t> seeds;
};

struct BatchOptions {
    int size = 8;
    int frames = 17;
    double captionDrop = 0.1;      // fraction of empty captions, for classifier-free guidance
    double paraphraseRate = 0.5;   // fraction of paraphrased (not canonical) captions
    bool objectMasks = false;      // also render each scene without its objects and mark the difference
                                   // and the background's fine detail
    int threads = 1;               // clips are rendered on this many threads
    // Study only: every scene is one medium red circle at normal speed on black, moving
    // left, right, up or down (from the seed); the start position still varies. Direction
    // is then the only thing a caption tells apart (directionScene).
    bool directionsOnly = false;
    // Study only: this share of the scenes (drawn from each seed, independently of its
    // direction) are directions-only scenes, the rest the whole world. Ignored with
    // directionsOnly.
    double directionsShare = 0.0;
    // Study only: each odd scene of the batch is the even one before it mirrored left to
    // right, pixels and caption (left and right swapped in motions and placements), so the
    // batch holds pairs that differ only in the direction words and where things are.
    bool mirrorPairs = false;
    // Study only: captions leave out where the two objects of a pair are ("on the left",
    // "on the right"); the clips are rendered as always.
    bool placementWords = true;
    // Study only: also make Batch::contrastCaptions (the training clips are unchanged).
    bool contrastCaptions = false;
    // Data-parallel: this process renders scenes shardFirst .. shardFirst + shardSize - 1 of
    // the `size` (shardSize < 0: to the end); captions are drawn for all `size` in order.
    int shardFirst = 0;
    int shardSize = -1;
};

// The directions-only scene for a seed (BatchOptions::directionsOnly).
world::Scene directionScene(std::uint64_t seed);

// The scene a training batch renders for a seed: the whole world, or directionScene where
// directionsOnly is set or the seed falls in directionsShare.
world::Scene trainingScene(std::uint64_t seed, const BatchOptions& options);

// The scene as its mirror image (left to right) describes it: moving left and right, on the
// left and on the right swapped (BatchOptions::mirrorPairs).
world::Scene mirroredScene(world::Scene scene);

// Pixels as the models take them: [B, 3, F, H, W] in [-1, 1], on `device` as `dtype`.
torch::Tensor modelInput(const torch::Tensor& pixels, const torch::Device& device,
                         torch::ScalarType dtype = torch::kFloat32);

// The caption a training step gives a scene: "" (dropped) with probability `captionDrop`,
// else a paraphrase with probability `paraphraseRate`, else the canonical caption.
std::string trainingCaption(const world::Scene& scene, double captionDrop, double paraphraseRate,
                            std::mt19937_64& rng);

// Renders scenes `firstSeed .. firstSeed + size - 1` (or the options' share of them); `rng`
// decides caption choices.
Batch renderBatch(std::uint64_t firstSeed, const BatchOptions& options, std::mt19937_64& rng);

// Which latent cells an object touches: `objectMask` [B, 1, F, H, W] (as in Batch) pooled
// onto the autoencoder's latent grid (the first frame alone, then groups of
// `temporalGroup` frames; `spatialFactor` x `spatialFactor` pixels). Returns
// [B, 1, 1 + (F - 1) / temporalGroup, H / spatialFactor, W / spatialFactor] floats, 1 or 0.
torch::Tensor latentObjectCells(const torch::Tensor& objectMask, int spatialFactor, int temporalGroup);

// Noise levels for flow-matching training: logit-normal u = sigmoid(n), n ~ N(0, 1),
// shifted towards 1 as the sampler's schedule is: t = shift u / (1 + (shift - 1) u).
// Returns [batch] floats in (0, 1), drawn from gen (the default generator if undefined).
torch::Tensor sampleNoiseLevels(int batch, double shift, const at::Generator& gen = {});

// Conditioning masks over latent frames, drawn as in training: nothing known (generate),
// the first k (extend), the last k (extend backwards), both ends (bridge) or scattered
// frames (fill). Returns [B, 1, T, 1, 1] floats, 1 = known; never all known.
// knownShare: the share of samples with known frames (extend, bridge, fill); the rest are
// generated from nothing. The default keeps the recipe's draw exactly.
// firstFrameShare: a share of samples, drawn first, that know exactly the first latent
// frame (one picture: where everything starts, not where it goes), so the caption alone
// says which way things move; the rest are drawn as above. 0 keeps the draw as it was.
inline constexpr double kDefaultKnownShare = 0.6;
torch::Tensor sampleConditioningMasks(int batch, int latentFrames, std::mt19937_64& rng,
                                      double knownShare = kDefaultKnownShare, double firstFrameShare = 0.0);

} // namespace kinora::train
