#pragma once

// The three networks' sizes and options, without LibTorch: model.json is read and checked
// (io/model_config.h) by code the fuzzers can build.

#include <vector>

namespace kinora::model {

struct AutoencoderConfig {
    int latentChannels = 16;
    // Channels at each resolution: 1x, 1/2, 1/4, ...; each step down halves the size, so
    // four entries compress 8x and five 16x. The default's 16x keeps the transformer at
    // 80 tokens per window (4 x 4 patches x 5 latent frames at 128 x 128): training
    // cost on a CPU scales with tokens, and the shapes world needs few.
    std::vector<int> channels = {16, 32, 64, 128, 128};
    int temporalGroup = 4;                            // frames per latent frame (after the first)
    // Levels (from full resolution down) at which each frame of a group has its own
    // features, with weights shared between frames; the group's frames are folded into
    // one feature map only below them. 0 stacks the frames along channels at the input,
    // which leaves 16 channels at full resolution to carry four frames: a decoder built
    // that way learns to show one still picture per group and loses the motion inside it.
    int frameLevels = 0;
    // Pixels folded into channels (pixel unshuffle) before the first level and unfolded
    // after the last: 2 runs the networks from half resolution, at a quarter of the cost.
    int pixelShuffle = 1;
    // Decoder levels (counted from full resolution up) followed by a causal temporal block,
    // so that each group's frames are drawn with the previous latent frames' features at
    // that resolution, not only at the lowest one. Needs frameLevels 0. 0: none.
    int decoderTemporalLevels = 0;
    double latentScale = 1.0;                         // latents are multiplied by this after encoding
    double latentShift = 0.0;                         // and shifted by this

    // Pixel frames for a latent length and back; frames must be 1 + 4k.
    int spatialFactor() const { return pixelShuffle << (static_cast<int>(channels.size()) - 1); }
    int framesForLatent(int latentFrames) const { return 1 + temporalGroup * (latentFrames - 1); }
    int latentForFrames(int frames) const { return 1 + (frames - 1) / temporalGroup; }
    bool validFrameCount(int frames) const { return frames >= 1 && (frames - 1) % temporalGroup == 0; }
};

struct TextEncoderConfig {
    int maxTokens = 32; // including the leading [BOS]
    int width = 256;
    int depth = 3;
    int heads = 4;
    int mlpRatio = 4;
};

struct TransformerConfig {
    int latentChannels = 8;
    int patchSize = 2;   // spatial patch (tokens cover patchSize x patchSize latent pixels)
    int width = 384;
    int depth = 8;
    int heads = 6;
    int mlpRatio = 4;
    int textWidth = 256; // the text encoder's width
    int timestepDim = 256;
    double ropeTheta = 100.0;
    // Also condition the modulation on the caption's mean token feature, beside the
    // cross-attention: a direct global path for background and colour that small models
    // learn far sooner than attention. Packs without it load unchanged.
    bool pooledText = false;
    // Also add an absolute position embedding to the tokens: fixed sinusoids of the token's
    // latent frame, row and column through one zero-initialised layer. Rotary positions
    // are relative, and cross-attention has none, so without it a token cannot ask the
    // caption what belongs at its place and time ("moving left": at the right early, at
    // the left late); it can only copy from its neighbours. Packs without it load unchanged.
    bool absolutePositions = false;
    // Also add a text-conditioned layout to the tokens: each token's (frame, row, column)
    // sinusoids make a query that attends over the caption, through one cross-attention
    // whose output layer starts at zero. What it adds depends only on where and when the
    // token is and on the caption, not on the noisy clip: a direct path for "moving left"
    // (at the right early, at the left late) and "on the left", which the blocks' own
    // cross-attention, asked by content, learns slowly. Packs without it load unchanged.
    bool textLayout = false;

    int inChannels() const { return 2 * latentChannels + 1; }
    int headDim() const { return width / heads; }
};

} // namespace kinora::model
