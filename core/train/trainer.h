#pragma once

// Training of a model pack on the shapes world: first the autoencoder (reconstruction),
// then the text encoder and diffusion transformer together (flow matching on latents of
// freshly rendered clips, with sampled conditioning masks and caption dropout). The text
// encoder may first be pretrained alone, on captions, to name each scene's attributes
// (train/caption_head.h).
//
// Each stage is its own unit (train/stage.h: stage_autoencoder.cpp, stage_text.cpp,
// stage_diffusion.cpp) behind one loop that does the schedule, mixed precision, the
// optimiser and EMA, checkpoints, logs and the export.
//
// Resumable: a checkpoint (weights, EMA weights, optimiser state, progress) is written
// atomically every few minutes; --resume continues from it after any interruption.

#include "util/result.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace kinora::train {

// Data-parallel training (train/distributed.h): worldSize processes, each with its own
// rank, meet at masterAddr:masterPort.
struct DistributedOptions {
    int worldSize = 1;
    int rank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    double timeoutSeconds = 60; // the rendezvous and every collective call
    int localRank = 0;          // on CUDA, the device this rank trains on
};

// WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR and MASTER_PORT (torchrun's variables) over `base`: each
// one set in the environment replaces the default; an invalid one is an error naming it.
Result<DistributedOptions> distributedFromEnvironment(DistributedOptions base);

enum class Stage { Autoencoder, Text, Diffusion };
bool parseStage(const std::string& name, Stage* out);

struct TrainOptions {
    Stage stage = Stage::Diffusion;
    std::filesystem::path model;   // the pack to start from
    std::filesystem::path runDir;  // checkpoint/ and log.csv
    std::filesystem::path out;     // the trained pack (EMA weights) is written here at the end
    std::int64_t steps = 1000;
    int batch = 16;
    double lr = 3e-4;
    std::int64_t warmup = 200;
    double minLrFraction = 0.1;    // cosine decay ends at lr * this
    double weightDecay = 0.01;
    double gradClip = 1.0;
    double emaDecay = 0.999;
    double captionDrop = 0.1;
    double checkpointMinutes = 5.0;
    double maxMinutes = 0;         // 0: no limit; otherwise the schedule also ends by this time: the
                                   // learning rate decays by whichever of steps and time runs out first
    bool resume = false;
    std::uint64_t seed = 1;
    int aeCrop = 64;               // autoencoder stage: train on crops of this size (0: whole frames)
    int latentReuse = 2;           // diffusion stage: steps each rendered batch is used for
    // auto | fp32 | bf16. bf16: forward and backward on a bf16 working copy, fp32 master
    // weights. auto takes bf16 on CUDA and on CPUs with bf16 matmuls in hardware, fp32
    // elsewhere (emulated bf16 trains 10x slower than fp32).
    std::string precision = "auto";
    std::string device = "auto";   // auto | cpu | cuda
    double objectWeight = 4.0;     // autoencoder stage: extra loss weight on pixels objects cover
    double detailWeight = 4.0;     // autoencoder stage: extra loss weight on fine background detail (stars)
    double temporalWeight = 0.0;   // autoencoder stage: weight of an L1 loss on frame-to-frame changes
    double latentObjectWeight = 0.0; // diffusion stage: extra loss weight on latent cells an object touches
    double noiseShift = 1.0;       // diffusion stage: noise levels t = s u / (1 + (s - 1) u), u logit-normal;
                                   // s > 1 trains the high-noise steps, where a clip's layout is decided, more
    double firstFrameShare = 0.0;  // diffusion stage: share of samples that know the first latent frame alone
    double knownShare = 0.6;       // diffusion stage: share of samples with known frames (extend,
                                   // bridge, fill); the rest learn to generate from the caption alone
    double frameNoiseShare = -1;   // diffusion stage: variance the latent frames' noise shares (see
                                   // sampling::frameCorrelatedNoise); < 0: the start pack's. The
                                   // exported pack samples with the same value
    bool decoderOnly = false;      // autoencoder stage: train the decoder alone; the latents (and so a
                                   // transformer trained on them) stay valid
    bool freezeTextEncoder = false; // diffusion stage: keep the start pack's text encoder as it is, so
                                    // the caption's words stay as distinct as they start
    double textEncoderLrScale = 1.0; // diffusion stage: the text encoder learns at lr times this (a
                                     // pretrained encoder changes slowly beside the transformer)
    bool directionsOnly = false;   // diffusion stage, study only: BatchOptions::directionsOnly
    double directionsShare = 0.0;  // diffusion stage, study only: BatchOptions::directionsShare
    bool mirrorPairs = false;      // diffusion stage, study only: BatchOptions::mirrorPairs
    bool noPlacementWords = false; // diffusion stage, study only: !BatchOptions::placementWords
    // Diffusion stage, study only: weight of a caption-contrast term. On samples whose
    // caption says a direction, at noise levels of at least captionContrastMinNoise and with at most the first
    // latent frame known, the velocity predicted with the directions turned round
    // (Batch::contrastCaptions) must miss the target by more than the true caption's,
    // by a margin: max(0, log e_true - log e_turned + margin), e the weighted squared error.
    double captionContrast = 0.0;
    double captionContrastMargin = 0.05;
    double captionContrastMinNoise = 0.5; // the term's samples have at least this noise level
    // Diffusion stage: a folder of encoded batches, keyed by the autoencoder's weights and
    // the batch's pixels (empty: none). A run that renders clips already encoded with the
    // same autoencoder (an arm of a study: same seed, batch and world) reads their latents
    // instead of encoding them again, bit for bit the same; 82 kB per 17-frame clip in fp32 (v5).
    std::string latentCache;
    int renderThreads = 0;         // threads rendering clips (0: every core)
    // Render the next batch's clips on a thread of their own while the current step
    // computes (the same clips and random draws either way). Auto: on CUDA, where the CPU
    // waits for the device, not on the CPU, where the step already holds every core (on 2
    // cores it gained nothing, 2026-12-07); KINORA_TRAIN_RENDER_AHEAD=1 or 0 overrides Auto.
    enum class RenderAhead { Auto, On, Off };
    RenderAhead renderAhead = RenderAhead::Auto;
    // Data-parallel (worldSize > 1): each rank renders its own share of every step's
    // worldSize x batch clips (the same clips and noise a single process with that batch
    // would draw), the gradients are summed over the ranks, and rank 0 alone writes the
    // checkpoints, the log and the pack. A resume needs the same world size.
    DistributedOptions distributed;
    bool benchmark = false;        // report after every step, and count the FLOPs of one step's
                                   // forward passes (TrainProgress's flops fields): bench --train
};

struct TrainProgress {
    std::int64_t step = 0;
    std::int64_t steps = 0;
    double loss = 0;        // running mean over the recent steps
    double lr = 0;
    double samplesPerSecond = 0;
    double elapsedSeconds = 0;
    double etaSeconds = 0;
    bool bf16 = false;      // the step runs in bf16 mixed precision (else fp32)
    int ranks = 1;          // data-parallel world size (samplesPerSecond counts every rank's clips)
    int rank = 0;
    double allReduceSecondsPerStep = 0; // data-parallel: time in the gradients' all-reduce
    // Set once, in a last report after the final step (then nothing else is): a hash of the
    // trained and EMA weights' bytes, the same on every data-parallel rank.
    std::uint64_t fingerprint = 0;
    double renderSeconds = 0; // of this process's training time: rendering clips
    // Benchmark runs only (TrainOptions::benchmark), once counted (0 before): the forward
    // FLOPs of one step in the networks that learn, and those of the no-grad encoding of
    // clips into latents, per step (a rendered batch serves latent_reuse steps).
    double trainedForwardFlops = 0;
    double encodeFlopsPerStep = 0;
};

using ProgressFn = std::function<void(const TrainProgress&)>;

Result<void> runTraining(const TrainOptions& options, const ProgressFn& onProgress = {},
                         const std::atomic<bool>* cancel = nullptr);

} // namespace kinora::train
